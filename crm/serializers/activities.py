from rest_framework import serializers

from crm.models import RELATED_RECORD_FIELDS, Call, Meeting, Note, Task
from crm.selectors import TIMELINE_TYPES
from crm.serializers.records import RECORD_FIELDS, RelatedRecordSerializer

MEETING_ENDS_BEFORE_START_MESSAGE = "A meeting cannot end before it starts."


class TaskSerializer(RelatedRecordSerializer):
    class Meta(RelatedRecordSerializer.Meta):
        model = Task
        fields = (
            *RECORD_FIELDS,
            "subject",
            "due_date",
            "status",
            "priority",
            "description",
            *RELATED_RECORD_FIELDS,
        )


class CallSerializer(RelatedRecordSerializer):
    class Meta(RelatedRecordSerializer.Meta):
        model = Call
        fields = (
            *RECORD_FIELDS,
            "subject",
            "direction",
            "start",
            "duration",
            "purpose",
            "result",
            "description",
            *RELATED_RECORD_FIELDS,
        )


class MeetingSerializer(RelatedRecordSerializer):
    class Meta(RelatedRecordSerializer.Meta):
        model = Meeting
        fields = (
            *RECORD_FIELDS,
            "subject",
            "start",
            "end",
            "location",
            "participant_users",
            "participant_contacts",
            "description",
            *RELATED_RECORD_FIELDS,
        )

    def validate(self, attrs):
        attrs = super().validate(attrs)
        start = attrs.get("start", getattr(self.instance, "start", None))
        end = attrs.get("end", getattr(self.instance, "end", None))
        if start and end and end < start:
            raise serializers.ValidationError(
                {"end": [MEETING_ENDS_BEFORE_START_MESSAGE]}
            )
        return attrs


class NoteSerializer(RelatedRecordSerializer):
    related_record_required = True

    class Meta(RelatedRecordSerializer.Meta):
        model = Note
        fields = (*RECORD_FIELDS, "body", *RELATED_RECORD_FIELDS)


class TimelineEntrySerializer(serializers.Serializer):
    """One note or activity: the key named by ``type`` holds it, the others are null."""

    type = serializers.ChoiceField(choices=TIMELINE_TYPES, read_only=True)
    id = serializers.IntegerField(read_only=True)
    created_at = serializers.DateTimeField(read_only=True)
    note = NoteSerializer(read_only=True, allow_null=True)
    task = TaskSerializer(read_only=True, allow_null=True)
    call = CallSerializer(read_only=True, allow_null=True)
    meeting = MeetingSerializer(read_only=True, allow_null=True)
