from decimal import Decimal

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone


class User(AbstractUser):
    """A person who signs in: sales representatives, managers, administrators."""

    manager = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="reports",
        help_text="The manager who sees this user's records.",
    )
    external_id = models.CharField(max_length=64, blank=True, default="")

    class Meta(AbstractUser.Meta):
        swappable = "AUTH_USER_MODEL"
        constraints = [
            models.UniqueConstraint(
                fields=["external_id"],
                condition=~Q(external_id=""),
                name="crm_user_unique_external_id",
            )
        ]

    def __str__(self):
        return self.get_full_name() or self.username


class LeadSource(models.TextChoices):
    ADVERTISEMENT = "advertisement", "Advertisement"
    COLD_CALL = "cold_call", "Cold call"
    EMPLOYEE_REFERRAL = "employee_referral", "Employee referral"
    EXTERNAL_REFERRAL = "external_referral", "External referral"
    ONLINE_STORE = "online_store", "Online store"
    PARTNER = "partner", "Partner"
    PUBLIC_RELATIONS = "public_relations", "Public relations"
    SALES_EMAIL_ALIAS = "sales_email_alias", "Sales email alias"
    TRADE_SHOW = "trade_show", "Trade show"
    WEB_RESEARCH = "web_research", "Web research"
    WEB_FORM = "web_form", "Web form"
    CHAT = "chat", "Chat"
    OTHER = "other", "Other"


class Record(models.Model):
    """Fields every CRM record shares: who owns it, who made it, when, and where from."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="owned_%(class)ss",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="created_%(class)ss",
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False, db_index=True)
    modified_at = models.DateTimeField(auto_now=True)
    external_id = models.CharField(
        max_length=64,
        blank=True,
        default="",
        help_text="Identifier in the system this record was imported from.",
    )

    class Meta:
        abstract = True
        constraints = [
            models.UniqueConstraint(
                fields=["external_id"],
                condition=~Q(external_id=""),
                name="%(app_label)s_%(class)s_unique_external_id",
            )
        ]


class Address(models.Model):
    street = models.CharField(max_length=255, blank=True)
    city = models.CharField(max_length=100, blank=True)
    state = models.CharField(max_length=100, blank=True)
    postal_code = models.CharField(max_length=20, blank=True)
    country = models.CharField(max_length=100, blank=True)

    class Meta:
        abstract = True


class Account(Record, Address):
    class Type(models.TextChoices):
        PROSPECT = "prospect", "Prospect"
        CUSTOMER = "customer", "Customer"
        PARTNER = "partner", "Partner"
        RESELLER = "reseller", "Reseller"
        VENDOR = "vendor", "Vendor"
        COMPETITOR = "competitor", "Competitor"
        INVESTOR = "investor", "Investor"
        OTHER = "other", "Other"

    name = models.CharField(max_length=255, db_index=True)
    account_type = models.CharField(
        max_length=20, choices=Type.choices, default=Type.PROSPECT, db_index=True
    )
    industry = models.CharField(max_length=100, blank=True, db_index=True)
    website = models.CharField(max_length=255, blank=True)
    phone = models.CharField(max_length=50, blank=True)
    parent = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="subsidiaries",
    )
    annual_revenue = models.DecimalField(
        max_digits=16, decimal_places=2, null=True, blank=True
    )
    employees = models.PositiveIntegerField(null=True, blank=True)
    description = models.TextField(blank=True)

    class Meta(Record.Meta):
        ordering = ["name", "id"]

    def __str__(self):
        return self.name


class Person(models.Model):
    first_name = models.CharField(max_length=100, blank=True)
    last_name = models.CharField(max_length=100)
    title = models.CharField(max_length=100, blank=True)
    email = models.EmailField(blank=True, db_index=True)
    phone = models.CharField(max_length=50, blank=True)
    mobile = models.CharField(max_length=50, blank=True)
    lead_source = models.CharField(
        max_length=30, choices=LeadSource.choices, blank=True, db_index=True
    )
    description = models.TextField(blank=True)

    class Meta:
        abstract = True

    def __str__(self):
        return " ".join(part for part in (self.first_name, self.last_name) if part)


class Contact(Record, Person, Address):
    account = models.ForeignKey(
        Account,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="contacts",
    )

    class Meta(Record.Meta):
        ordering = ["last_name", "first_name", "id"]


class Lead(Record, Person, Address):
    class Status(models.TextChoices):
        NOT_CONTACTED = "not_contacted", "Not contacted"
        ATTEMPTED_TO_CONTACT = "attempted_to_contact", "Attempted to contact"
        CONTACTED = "contacted", "Contacted"
        CONTACT_IN_FUTURE = "contact_in_future", "Contact in future"
        PRE_QUALIFIED = "pre_qualified", "Pre-qualified"
        NOT_QUALIFIED = "not_qualified", "Not qualified"
        JUNK_LEAD = "junk_lead", "Junk lead"
        LOST_LEAD = "lost_lead", "Lost lead"

    company = models.CharField(max_length=255, blank=True, db_index=True)
    website = models.CharField(max_length=255, blank=True)
    industry = models.CharField(max_length=100, blank=True, db_index=True)
    status = models.CharField(
        max_length=30, choices=Status.choices, default=Status.NOT_CONTACTED, db_index=True
    )

    class Meta(Record.Meta):
        ordering = ["-created_at", "-id"]


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

    pipeline = models.ForeignKey(Pipeline, on_delete=models.CASCADE, related_name="stages")
    name = models.CharField(max_length=100)
    order = models.PositiveSmallIntegerField()
    probability = models.PositiveSmallIntegerField(
        validators=[MaxValueValidator(100)],
        help_text="Chance, in percent, that a deal in this stage is won.",
    )
    forecast_category = models.CharField(max_length=20, choices=ForecastCategory.choices)

    class Meta:
        ordering = ["pipeline", "order"]
        constraints = [
            models.UniqueConstraint(fields=["pipeline", "name"], name="crm_stage_unique_name"),
            models.UniqueConstraint(fields=["pipeline", "order"], name="crm_stage_unique_order"),
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
    pipeline = models.ForeignKey(Pipeline, on_delete=models.PROTECT, related_name="deals")
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

    class Meta(Record.Meta):
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return self.name

    def clean(self):
        super().clean()
        if self.stage_id and self.pipeline_id and self.stage.pipeline_id != self.pipeline_id:
            raise ValidationError({"stage": "This stage belongs to another pipeline."})

    def save(self, *args, **kwargs):
        if self.probability is None and self.stage_id:
            self.probability = self.stage.probability
        super().save(*args, **kwargs)


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

    class Meta:
        ordering = ["period_start", "user_id", "period_kind"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "period_kind", "period_start"],
                name="crm_target_unique_period",
                violation_error_message="This user already has a target for this period.",
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
