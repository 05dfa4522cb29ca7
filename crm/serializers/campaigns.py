from rest_framework import serializers

from crm.models import Campaign
from crm.serializers.records import RECORD_FIELDS, RecordSerializer

ENDS_BEFORE_START_MESSAGE = "A campaign cannot end before it starts."


class CampaignSerializer(RecordSerializer):
    class Meta(RecordSerializer.Meta):
        model = Campaign
        fields = (
            *RECORD_FIELDS,
            "name",
            "campaign_type",
            "status",
            "start_date",
            "end_date",
            "expected_revenue",
            "budgeted_cost",
            "actual_cost",
            "description",
        )

    def validate(self, attrs):
        attrs = super().validate(attrs)
        start = attrs.get("start_date", getattr(self.instance, "start_date", None))
        end = attrs.get("end_date", getattr(self.instance, "end_date", None))
        if start and end and end < start:
            raise serializers.ValidationError({"end_date": [ENDS_BEFORE_START_MESSAGE]})
        return attrs
