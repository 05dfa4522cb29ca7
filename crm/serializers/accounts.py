from rest_framework import serializers

from crm.models import Account
from crm.serializers.records import RECORD_FIELDS, RecordSerializer


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
            "tags",
        )

    def validate_parent(self, parent):
        if parent is not None and self.instance is not None:
            ancestor = parent
            while ancestor is not None:
                if ancestor.pk == self.instance.pk:
                    raise serializers.ValidationError(
                        "An account cannot be its own ancestor."
                    )
                ancestor = ancestor.parent
        return parent
