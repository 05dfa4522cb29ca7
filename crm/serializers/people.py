from rest_framework import serializers

from crm.models import Account, Contact, Lead, Stage
from crm.serializers.accounts import AccountSerializer
from crm.serializers.deals import DealSerializer
from crm.serializers.fields import IdField
from crm.serializers.records import (
    RECORD_FIELDS,
    RecordSerializer,
    UserSummarySerializer,
    VisibleLinksMixin,
)

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
    "tags",
)
LEAD_CONVERSION_FIELDS = (
    "converted_at",
    "converted_by",
    "converted_contact",
    "converted_account",
    "converted_deal",
)


class ContactSerializer(RecordSerializer):
    class Meta(RecordSerializer.Meta):
        model = Contact
        fields = (*RECORD_FIELDS, *PERSON_FIELDS, "account")


class LeadSerializer(RecordSerializer):
    """A lead; once converted, the records it became are named and it is read-only."""

    converted_by = UserSummarySerializer(read_only=True, allow_null=True)

    class Meta(RecordSerializer.Meta):
        model = Lead
        fields = (
            *RECORD_FIELDS,
            *PERSON_FIELDS,
            "company",
            "website",
            "industry",
            "status",
            *LEAD_CONVERSION_FIELDS,
        )
        read_only_fields = (
            *RecordSerializer.Meta.read_only_fields,
            *LEAD_CONVERSION_FIELDS,
        )


class LeadConversionDealSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=255)
    stage = IdField(
        queryset=Stage.objects.all(),
        help_text="The deal's stage; its pipeline and probability come with it.",
    )
    amount = serializers.DecimalField(
        max_digits=14, decimal_places=2, min_value=0, required=False, allow_null=True
    )
    closing_date = serializers.DateField(required=False, allow_null=True)


class LeadConvertSerializer(VisibleLinksMixin, serializers.Serializer):
    """What to turn a lead into: a contact always, at an existing account or a new
    one, and a deal when one is described."""

    account = IdField(
        queryset=Account.objects.all(),
        required=False,
        allow_null=True,
        help_text=(
            "An existing account the caller may see; without it a new account is "
            "made from the lead's company."
        ),
    )
    deal = LeadConversionDealSerializer(
        required=False,
        allow_null=True,
        help_text="A deal to open for the new contact; without it none is made.",
    )


class LeadConversionSerializer(serializers.Serializer):
    """The converted lead and the records it became."""

    lead = LeadSerializer()
    contact = ContactSerializer()
    account = AccountSerializer()
    account_created = serializers.BooleanField(
        help_text="True when the account was made from the lead's company."
    )
    deal = DealSerializer(allow_null=True)
