from decimal import Decimal

from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q

from crm.models.records import Record
from crm.models.visibility import SharedQuerySet


def money_field(verbose_name):
    return models.DecimalField(
        verbose_name,
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0"))],
    )


class Campaign(Record):
    """A marketing effort, such as a trade show or an email run, that brings deals.

    Deals name the campaign they came from, so its revenue can be set against its
    cost.
    """

    class Type(models.TextChoices):
        ADVERTISEMENT = "advertisement", "Advertisement"
        BANNER_ADS = "banner_ads", "Banner ads"
        CONFERENCE = "conference", "Conference"
        DIRECT_MAIL = "direct_mail", "Direct mail"
        EMAIL = "email", "Email"
        PARTNERS = "partners", "Partners"
        PUBLIC_RELATIONS = "public_relations", "Public relations"
        REFERRAL_PROGRAM = "referral_program", "Referral program"
        TELEMARKETING = "telemarketing", "Telemarketing"
        TRADE_SHOW = "trade_show", "Trade show"
        WEBINAR = "webinar", "Webinar"
        OTHER = "other", "Other"

    class Status(models.TextChoices):
        PLANNING = "planning", "Planning"
        ACTIVE = "active", "Active"
        INACTIVE = "inactive", "Inactive"
        COMPLETE = "complete", "Complete"

    name = models.CharField(max_length=255, db_index=True)
    campaign_type = models.CharField(
        "type", max_length=30, choices=Type.choices, blank=True, db_index=True
    )
    status = models.CharField(
        max_length=20, choices=Status.choices, default=Status.PLANNING, db_index=True
    )
    start_date = models.DateField(null=True, blank=True, db_index=True)
    end_date = models.DateField(null=True, blank=True, db_index=True)
    expected_revenue = money_field("expected revenue")
    budgeted_cost = money_field("budgeted cost")
    actual_cost = money_field("actual cost")
    description = models.TextField(blank=True)

    # Campaigns are shared like products: any deal may name any campaign.
    objects = SharedQuerySet.as_manager()

    class Meta(Record.Meta):
        ordering = ["-start_date", "-id"]
        constraints = [
            *Record.Meta.constraints,
            models.CheckConstraint(
                condition=Q(end_date__isnull=True)
                | Q(start_date__isnull=True)
                | Q(end_date__gte=F("start_date")),
                name="crm_campaign_ends_after_start",
                violation_error_message="A campaign cannot end before it starts.",
            ),
        ]

    def __str__(self):
        return self.name
