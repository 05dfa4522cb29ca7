from rest_framework import serializers

from crm.models import Account
from crm.models.accounts import PARENT_LOOP_MESSAGE, account_chain_ids
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
        if (
            parent is not None
            and self.instance is not None
            and self.instance.pk in account_chain_ids(parent.pk)
        ):
            raise serializers.ValidationError(PARENT_LOOP_MESSAGE)
        return parent
