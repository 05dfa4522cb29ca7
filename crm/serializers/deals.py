from rest_framework import serializers

from crm.models import Deal, DealLineItem, Pipeline, Stage
from crm.serializers.fields import IdField
from crm.serializers.records import (
    RECORD_FIELDS,
    RecordSerializer,
    VisibleLinksMixin,
)

AMOUNT_FROM_LINE_ITEMS_MESSAGE = (
    "This deal's amount is the sum of its line items; change those instead."
)
INACTIVE_PRODUCT_MESSAGE = "This product is no longer sold."


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
    pipeline = IdField(
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
            "campaign",
            "pipeline",
            "stage",
            "amount",
            "probability",
            "closing_date",
            "deal_type",
            "lead_source",
            "next_step",
            "description",
            "tags",
        )
        extra_kwargs = {
            "amount": {
                "help_text": (
                    "For a deal with line items, their sum, rounded to cents, "
                    "and read-only."
                )
            }
        }

    def validate_amount(self, amount):
        if (
            self.instance is not None
            and amount != self.instance.amount
            and self.instance.line_items.exists()
        ):
            raise serializers.ValidationError(AMOUNT_FROM_LINE_ITEMS_MESSAGE)
        return amount

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


class DealLineItemSerializer(VisibleLinksMixin, serializers.ModelSerializer):
    serializer_related_field = IdField

    """A product on a deal. Writes go through crm.services, which keep the amount.

    The deal must be one the caller may see.
    """

    unit_price = serializers.DecimalField(
        max_digits=14,
        decimal_places=2,
        min_value=0,
        required=False,
        help_text="Price of one unit on this deal; defaults to the product's price.",
    )

    class Meta:
        model = DealLineItem
        fields = ("id", "deal", "product", "quantity", "unit_price", "discount_percent")

    def validate_product(self, product):
        changed = self.instance is None or product.pk != self.instance.product_id
        if changed and not product.active:
            raise serializers.ValidationError(INACTIVE_PRODUCT_MESSAGE)
        return product
