from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q

from crm.models.visibility import OwnedQuerySet


class TargetQuerySet(OwnedQuerySet):
    """A user sees their own targets and their team's."""

    owner_field = "user"


class Target(models.Model):
    """A user's sales target (quota) for one calendar month or quarter."""

    class PeriodKind(models.TextChoices):
        MONTH = "month", "Month"
        QUARTER = "quarter", "Quarter"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="targets"
    )
    period_kind = models.CharField(max_length=10, choices=PeriodKind.choices)
    period_start = models.DateField(
        help_text="First day of the month, or of the quarter (1 Jan, Apr, Jul, Oct)."
    )
    amount = models.DecimalField(
        max_digits=14, decimal_places=2, validators=[MinValueValidator(Decimal("0"))]
    )
    created_at = models.DateTimeField(auto_now_add=True)
    modified_at = models.DateTimeField(auto_now=True)

    objects = TargetQuerySet.as_manager()

    class Meta:
        ordering = ["period_start", "user_id", "period_kind"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "period_kind", "period_start"],
                name="crm_target_unique_period",
                violation_error_message=(
                    "This user already has a target for this period."
                ),
            ),
            models.CheckConstraint(
                condition=Q(period_start__day=1)
                & (Q(period_kind="month") | Q(period_start__month__in=[1, 4, 7, 10])),
                name="crm_target_period_start",
                violation_error_message=(
                    "A period starts on the first day of a month, or of a quarter."
                ),
            ),
            models.CheckConstraint(
                condition=Q(amount__gte=0), name="crm_target_amount_not_negative"
            ),
        ]

    def __str__(self):
        return f"{self.user} {self.period_kind} {self.period_start}: {self.amount}"
