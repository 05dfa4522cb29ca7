from django.conf import settings
from django.db import models

from crm.models.accounts import Account
from crm.models.records import Address, Person, Record


class Contact(Record, Person, Address):
    account = models.ForeignKey(
        Account,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="contacts",
    )
    tags = models.ManyToManyField("crm.Tag", blank=True, related_name="contacts")

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
        max_length=30,
        choices=Status.choices,
        default=Status.NOT_CONTACTED,
        db_index=True,
    )
    tags = models.ManyToManyField("crm.Tag", blank=True, related_name="leads")

    # What the lead became; set once, by crm.services.lead_convert.
    converted_at = models.DateTimeField(
        null=True,
        blank=True,
        editable=False,
        db_index=True,
        help_text="When the lead was converted; a converted lead cannot be changed.",
    )
    converted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="converted_leads",
    )
    converted_contact = models.ForeignKey(
        Contact,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="converted_leads",
    )
    converted_account = models.ForeignKey(
        Account,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="converted_leads",
    )
    converted_deal = models.ForeignKey(
        "crm.Deal",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="converted_leads",
    )

    class Meta(Record.Meta):
        ordering = ["-created_at", "-id"]

    @property
    def is_converted(self):
        return self.converted_at is not None
