from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q

from crm.models.accounts import Account
from crm.models.people import Contact, Lead
from crm.models.records import LeadSource, Record


class Pipeline(models.Model):
    """A sales process: an ordered list of stages a deal moves through."""

    name = models.CharField(max_length=100, unique=True)
    is_default = models.BooleanField(default=False)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["is_default"],
                condition=Q(is_default=True),
                name="crm_pipeline_single_default",
            )
        ]

    def __str__(self):
        return self.name

    @classmethod
    def get_default(cls):
        return cls.objects.filter(is_default=True).first() or cls.objects.first()


class Stage(models.Model):
    class ForecastCategory(models.TextChoices):
        PIPELINE = "pipeline", "Pipeline"
        BEST_CASE = "best_case", "Best case"
        COMMIT = "commit", "Commit"
        CLOSED_WON = "closed_won", "Closed won"
        CLOSED_LOST = "closed_lost", "Closed lost"

    pipeline = models.ForeignKey(
        Pipeline, on_delete=models.CASCADE, related_name="stages"
    )
    name = models.CharField(max_length=100)
    order = models.PositiveSmallIntegerField()
    probability = models.PositiveSmallIntegerField(
        validators=[MaxValueValidator(100)],
        help_text="Chance, in percent, that a deal in this stage is won.",
    )
    forecast_category = models.CharField(
        max_length=20, choices=ForecastCategory.choices
    )

    class Meta:
        ordering = ["pipeline", "order"]
        constraints = [
            models.UniqueConstraint(
                fields=["pipeline", "name"], name="crm_stage_unique_name"
            ),
            models.UniqueConstraint(
                fields=["pipeline", "order"], name="crm_stage_unique_order"
            ),
        ]

    def __str__(self):
        return f"{self.name} ({self.probability}%)"

    @property
    def is_closed(self):
        return self.forecast_category in (
            self.ForecastCategory.CLOSED_WON,
            self.ForecastCategory.CLOSED_LOST,
        )


class Deal(Record):
    class Type(models.TextChoices):
        NEW_BUSINESS = "new_business", "New business"
        EXISTING_BUSINESS = "existing_business", "Existing business"

    name = models.CharField(max_length=255, db_index=True)
    account = models.ForeignKey(
        Account, on_delete=models.SET_NULL, null=True, blank=True, related_name="deals"
    )
    contact = models.ForeignKey(
        Contact, on_delete=models.SET_NULL, null=True, blank=True, related_name="deals"
    )
    lead = models.ForeignKey(
        Lead,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="deals",
        help_text="The lead this deal came from.",
    )
    campaign = models.ForeignKey(
        "crm.Campaign",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="deals",
        help_text="The campaign this deal came from.",
    )
    pipeline = models.ForeignKey(
        Pipeline, on_delete=models.PROTECT, related_name="deals"
    )
    stage = models.ForeignKey(Stage, on_delete=models.PROTECT, related_name="deals")
    amount = models.DecimalField(
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0"))],
    )
    probability = models.PositiveSmallIntegerField(
        validators=[MaxValueValidator(100)],
        help_text="Chance of winning, in percent; defaults to the stage's probability.",
    )
    closing_date = models.DateField(null=True, blank=True, db_index=True)
    deal_type = models.CharField(max_length=30, choices=Type.choices, blank=True)
    lead_source = models.CharField(
        max_length=30, choices=LeadSource.choices, blank=True, db_index=True
    )
    next_step = models.CharField(max_length=255, blank=True)
    description = models.TextField(blank=True)
    tags = models.ManyToManyField("crm.Tag", blank=True, related_name="deals")

    class Meta(Record.Meta):
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return self.name

    def clean(self):
        super().clean()
        if (
            self.stage_id
            and self.pipeline_id
            and self.stage.pipeline_id != self.pipeline_id
        ):
            raise ValidationError({"stage": "This stage belongs to another pipeline."})

    def save(self, *args, **kwargs):
        if self.probability is None and self.stage_id:
            self.probability = self.stage.probability
        super().save(*args, **kwargs)
