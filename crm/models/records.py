from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from crm.models.visibility import OwnedQuerySet

# The largest id a database integer column holds.
MAX_ID = 2**63 - 1


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
    """Fields every CRM record shares: who owns it, who made it, when, where from."""

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
    created_at = models.DateTimeField(
        default=timezone.now, editable=False, db_index=True
    )
    modified_at = models.DateTimeField(auto_now=True)
    external_id = models.CharField(
        max_length=64,
        blank=True,
        default="",
        help_text="Identifier in the system this record was imported from.",
    )

    objects = OwnedQuerySet.as_manager()

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


class Priority(models.TextChoices):
    LOWEST = "lowest", "Lowest"
    LOW = "low", "Low"
    NORMAL = "normal", "Normal"
    HIGH = "high", "High"
    HIGHEST = "highest", "Highest"


# The records a note or an activity can be about, in the order the API lists them.
RELATED_RECORD_FIELDS = ("lead", "contact", "account", "deal", "ticket")


def only_related(field):
    """A condition: ``field`` is the one related record set (None: none is set)."""
    return Q(**{f"{name}__isnull": name != field for name in RELATED_RECORD_FIELDS})


def related_to_at_most_one():
    return only_related(None) | related_to_exactly_one()


def related_to_exactly_one():
    conditions = [only_related(field) for field in RELATED_RECORD_FIELDS]
    combined = conditions[0]
    for condition in conditions[1:]:
        combined |= condition
    return combined


class RelatedRecord(models.Model):
    """Ties a note or an activity to one lead, contact, account, deal or ticket.

    One nullable foreign key per kind of record, with a check constraint that at
    most one is set, rather than a generic relation: the database keeps the links
    valid, filters like ``?deal=5`` and related lists use plain indexed joins, and
    ``select_related`` works. Adding a kind of record means adding a column.
    """

    lead = models.ForeignKey(
        "crm.Lead",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="%(class)ss",
    )
    contact = models.ForeignKey(
        "crm.Contact",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="%(class)ss",
    )
    account = models.ForeignKey(
        "crm.Account",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="%(class)ss",
    )
    deal = models.ForeignKey(
        "crm.Deal",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="%(class)ss",
    )
    ticket = models.ForeignKey(
        "crm.Ticket",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="%(class)ss",
    )

    class Meta:
        abstract = True
