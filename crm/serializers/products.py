from crm.models import Product
from crm.serializers.records import RECORD_FIELDS, RecordSerializer


class ProductSerializer(RecordSerializer):
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
