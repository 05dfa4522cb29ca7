from rest_framework import serializers

from crm.models import Product
from crm.serializers.records import RECORD_FIELDS, RecordSerializer

CODE_TAKEN_MESSAGE = "A product with this code already exists."


class ProductSerializer(RecordSerializer):
    """Product codes are unique ignoring case: ``pc-x`` and ``PC-X`` are one code."""

    def validate_code(self, code):
        taken = Product.objects.filter(code__iexact=code)
        if self.instance is not None:
            taken = taken.exclude(pk=self.instance.pk)
        if taken.exists():
            raise serializers.ValidationError(CODE_TAKEN_MESSAGE)
        return code

    class Meta(RecordSerializer.Meta):
        model = Product
        fields = (
            *RECORD_FIELDS,
            "name",
            "code",
            "active",
            "category",
            "manufacturer",
            "unit_price",
            "cost",
            "taxable",
            "description",
        )
