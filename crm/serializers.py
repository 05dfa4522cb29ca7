from rest_framework import serializers

from crm.models import Account, Contact, Deal, Lead, Pipeline, Stage


class UserSummarySerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    username = serializers.CharField(read_only=True)
    name = serializers.CharField(source="get_full_name", read_only=True)


RECORD_FIELDS = ("id", "owner", "created_by", "created_at", "modified_at", "external_id")
RECORD_READ_ONLY = ("owner", "created_by", "created_at", "modified_at")


class RecordSerializer(serializers.ModelSerializer):
    """Owner and creator are set by the server from the caller and cannot be written."""

    owner = UserSummarySerializer(read_only=True)
    created_by = UserSummarySerializer(read_only=True)

    class Meta:
        read_only_fields = RECORD_READ_ONLY


class AccountSerializer(RecordSerializer):
    class Meta(RecordSerializer.Meta):
        model = Account
        fields = (
            *RECORD_FIELDS,
            "name",
            "account_type",
            "industry",
            "website",
            "phone",
            "parent",
            "annual_revenue",
            "employees",
            "street",
            "city",
            "state",
            "postal_code",
            "country",
            "description",
        )

    def validate_parent(self, parent):
        if parent is not None and self.instance is not None:
            ancestor = parent
            while ancestor is not None:
                if ancestor.pk == self.instance.pk:
                    raise serializers.ValidationError("An account cannot be its own ancestor.")
                ancestor = ancestor.parent
        return parent


PERSON_FIELDS = (
    "first_name",
    "last_name",
    "title",
    "email",
    "phone",
    "mobile",
    "lead_source",
    "street",
    "city",
    "state",
    "postal_code",
    "country",
    "description",
)


class ContactSerializer(RecordSerializer):
    class Meta(RecordSerializer.Meta):
        model = Contact
        fields = (*RECORD_FIELDS, *PERSON_FIELDS, "account")


class LeadSerializer(RecordSerializer):
    class Meta(RecordSerializer.Meta):
        model = Lead
        fields = (*RECORD_FIELDS, *PERSON_FIELDS, "company", "website", "industry", "status")


class StageSerializer(serializers.ModelSerializer):
    class Meta:
        model = Stage
        fields = ("id", "pipeline", "name", "order", "probability", "forecast_category")


class PipelineSerializer(serializers.ModelSerializer):
    stages = StageSerializer(many=True, read_only=True)

    class Meta:
        model = Pipeline
        fields = ("id", "name", "is_default", "stages")


class DealSerializer(RecordSerializer):
    pipeline = serializers.PrimaryKeyRelatedField(
        queryset=Pipeline.objects.all(),
        required=False,
        help_text="Defaults to the default pipeline.",
    )
    probability = serializers.IntegerField(
        min_value=0,
        max_value=100,
        required=False,
        help_text="Chance of winning in percent; defaults to the stage's probability.",
    )

    class Meta(RecordSerializer.Meta):
        model = Deal
        fields = (
            *RECORD_FIELDS,
            "name",
            "account",
            "contact",
            "lead",
            "pipeline",
            "stage",
            "amount",
            "probability",
            "closing_date",
            "deal_type",
            "lead_source",
            "next_step",
            "description",
        )

    def validate(self, attrs):
        stage = attrs.get("stage", getattr(self.instance, "stage", None))
        pipeline = attrs.get("pipeline", getattr(self.instance, "pipeline", None))
        if pipeline is None and stage is not None:
            pipeline = stage.pipeline
            attrs["pipeline"] = pipeline
        if stage is not None and stage.pipeline_id != pipeline.pk:
            raise serializers.ValidationError(
                {"stage": ["This stage belongs to another pipeline."]}
            )
        if "stage" in attrs and "probability" not in attrs:
            attrs["probability"] = stage.probability
        return attrs
