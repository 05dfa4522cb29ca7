from django.conf import settings
from django.db import models
from django.db.models import F, Q

from crm.models.records import (
    Priority,
    Record,
    RelatedRecord,
    related_to_at_most_one,
)


class Activity(Record, RelatedRecord):
    """What tasks, calls and meetings share: a subject, and at most one record."""

    subject = models.CharField(max_length=255)
    description = models.TextField(blank=True)

    class Meta(Record.Meta):
        abstract = True
        constraints = [
            *Record.Meta.constraints,
            models.CheckConstraint(
                condition=related_to_at_most_one(),
                name="%(app_label)s_%(class)s_related_to_at_most_one",
            ),
        ]

    def __str__(self):
        return self.subject


class Task(Activity):
    class Status(models.TextChoices):
        NOT_STARTED = "not_started", "Not started"
        IN_PROGRESS = "in_progress", "In progress"
        WAITING = "waiting", "Waiting for input"
        DEFERRED = "deferred", "Deferred"
        COMPLETED = "completed", "Completed"

    due_date = models.DateField(null=True, blank=True, db_index=True)
    status = models.CharField(
        max_length=20, choices=Status.choices, default=Status.NOT_STARTED, db_index=True
    )
    priority = models.CharField(
        max_length=10, choices=Priority.choices, default=Priority.NORMAL, db_index=True
    )

    class Meta(Activity.Meta):
        ordering = ["-created_at", "-id"]


class Call(Activity):
    class Direction(models.TextChoices):
        INBOUND = "inbound", "Inbound"
        OUTBOUND = "outbound", "Outbound"

    class Purpose(models.TextChoices):
        PROSPECTING = "prospecting", "Prospecting"
        ADMINISTRATIVE = "administrative", "Administrative"
        NEGOTIATION = "negotiation", "Negotiation"
        DEMO = "demo", "Demo"
        PROJECT = "project", "Project"
        SUPPORT = "support", "Support"
        OTHER = "other", "Other"

    direction = models.CharField(max_length=10, choices=Direction.choices)
    start = models.DateTimeField(db_index=True)
    duration = models.PositiveIntegerField(default=0, help_text="Length in seconds.")
    purpose = models.CharField(max_length=20, choices=Purpose.choices, blank=True)
    result = models.CharField(max_length=255, blank=True)

    class Meta(Activity.Meta):
        ordering = ["-start", "-id"]


class Meeting(Activity):
    start = models.DateTimeField(db_index=True)
    end = models.DateTimeField()
    location = models.CharField(max_length=255, blank=True)
    participant_users = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="attended_meetings"
    )
    participant_contacts = models.ManyToManyField(
        "crm.Contact", blank=True, related_name="attended_meetings"
    )

    class Meta(Activity.Meta):
        ordering = ["-start", "-id"]
        constraints = [
            *Activity.Meta.constraints,
            models.CheckConstraint(
                condition=Q(end__gte=F("start")),
                name="%(app_label)s_%(class)s_ends_after_start",
            ),
        ]
