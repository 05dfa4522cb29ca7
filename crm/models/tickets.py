from django.db import models

from crm.models.accounts import Account
from crm.models.people import Contact
from crm.models.records import Priority, Record


class Ticket(Record):
    """A support case raised by a contact or an account."""

    class Status(models.TextChoices):
        NEW = "new", "New"
        OPEN = "open", "Open"
        ON_HOLD = "on_hold", "On hold"
        ESCALATED = "escalated", "Escalated"
        CLOSED = "closed", "Closed"

    class Origin(models.TextChoices):
        EMAIL = "email", "Email"
        PHONE = "phone", "Phone"
        WEB = "web", "Web"
        SOCIAL_MEDIA = "social_media", "Social media"
        OTHER = "other", "Other"

    subject = models.CharField(max_length=255)
    status = models.CharField(
        max_length=20, choices=Status.choices, default=Status.NEW, db_index=True
    )
    priority = models.CharField(
        max_length=10, choices=Priority.choices, default=Priority.NORMAL, db_index=True
    )
    origin = models.CharField(max_length=20, choices=Origin.choices, blank=True)
    contact = models.ForeignKey(
        Contact,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="tickets",
    )
    account = models.ForeignKey(
        Account,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="tickets",
    )
    description = models.TextField(blank=True)
    resolution = models.TextField(blank=True)
    closed_at = models.DateTimeField(null=True, blank=True, db_index=True)
    tags = models.ManyToManyField("crm.Tag", blank=True, related_name="tickets")

    class Meta(Record.Meta):
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return self.subject
