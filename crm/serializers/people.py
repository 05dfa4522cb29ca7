from crm.models import Contact, Lead
from crm.serializers.records import RECORD_FIELDS, RecordSerializer

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


class ContactSerializer(RecordSerializer):
    class Meta(RecordSerializer.Meta):
        model = Contact
        fields = (*RECORD_FIELDS, *PERSON_FIELDS, "account")


class LeadSerializer(RecordSerializer):
    class Meta(RecordSerializer.Meta):
        model = Lead
        fields = (
            *RECORD_FIELDS,
            *PERSON_FIELDS,
            "company",
            "website",
            "industry",
            "status",
        )
