from django.utils import timezone
from rest_framework import serializers

from crm.models import Ticket
from crm.serializers.records import RECORD_FIELDS, RecordSerializer


class TicketSerializer(RecordSerializer):
    closed_at = serializers.DateTimeField(
        read_only=True,
        help_text="When the ticket was last closed; empty while it is not closed.",
    )

    class Meta(RecordSerializer.Meta):
        model = Ticket
        fields = (
            *RECORD_FIELDS,
            "subject",
            "status",
            "priority",
            "origin",
            "contact",
            "account",
            "description",
            "resolution",
            "closed_at",
            "tags",
        )

    def validate(self, attrs):
        attrs = super().validate(attrs)
        if "status" not in attrs:
            return attrs

        was_closed = (
            self.instance is not None and self.instance.status == Ticket.Status.CLOSED
        )
        if attrs["status"] != Ticket.Status.CLOSED:
            attrs["closed_at"] = None
        elif not was_closed:
            attrs["closed_at"] = timezone.now()
        return attrs
