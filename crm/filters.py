"""Query-string filters for the list endpoints.

Each FilterSet names the lookups a user filters by: exact values, ``__in``
lists (comma-separated), and ``__gte``/``__lte`` ranges for dates and amounts.
A value that does not parse answers 400, keyed by the parameter.
"""

from django_filters import rest_framework as filters

from crm.models import Account, Contact, Deal, Lead, Stage

CHOICE = ["exact", "in"]
RANGE = ["exact", "gte", "lte"]
RECORD_FILTERS = {
    "owner": CHOICE,
    "created_by": ["exact"],
    "created_at": ["gte", "lte"],
    "modified_at": ["gte", "lte"],
    "external_id": ["exact"],
}


class AccountFilter(filters.FilterSet):
    class Meta:
        model = Account
        fields = {
            **RECORD_FILTERS,
            "name": ["exact", "icontains"],
            "account_type": CHOICE,
            "industry": CHOICE,
            "parent": ["exact", "isnull"],
            "annual_revenue": RANGE,
            "employees": RANGE,
            "city": ["exact"],
            "country": CHOICE,
        }


PERSON_FILTERS = {
    **RECORD_FILTERS,
    "email": ["exact", "iexact"],
    "last_name": ["exact", "icontains"],
    "lead_source": CHOICE,
    "country": CHOICE,
}


class ContactFilter(filters.FilterSet):
    class Meta:
        model = Contact
        fields = {**PERSON_FILTERS, "account": ["exact", "isnull"]}


class LeadFilter(filters.FilterSet):
    class Meta:
        model = Lead
        fields = {
            **PERSON_FILTERS,
            "company": ["exact", "icontains"],
            "industry": CHOICE,
            "status": CHOICE,
        }


class DealFilter(filters.FilterSet):
    forecast_category = filters.MultipleChoiceFilter(
        field_name="stage__forecast_category",
        choices=Stage.ForecastCategory.choices,
        help_text="Deals whose stage is in this forecast category (repeatable).",
    )

    class Meta:
        model = Deal
        fields = {
            **RECORD_FILTERS,
            "name": ["exact", "icontains"],
            "account": ["exact", "isnull"],
            "contact": ["exact", "isnull"],
            "lead": ["exact"],
            "pipeline": ["exact"],
            "stage": CHOICE,
            "amount": RANGE,
            "probability": RANGE,
            "closing_date": RANGE,
            "deal_type": CHOICE,
            "lead_source": CHOICE,
        }
