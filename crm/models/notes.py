from django.db import models

from crm.models.records import Record, RelatedRecord, related_to_exactly_one


class Note(Record, RelatedRecord):
    """Free text about exactly one record."""

    body = models.TextField()

    class Meta(Record.Meta):
        ordering = ["-created_at", "-id"]
        constraints = [
            *Record.Meta.constraints,
            models.CheckConstraint(
                condition=related_to_exactly_one(),
                name="%(app_label)s_%(class)s_related_to_exactly_one",
            ),
        ]

    def __str__(self):
        return self.body[:50]
