"""Query-string filters for the list endpoints.

Each FilterSet names the lookups a user filters by: exact values, ``__in``
lists (comma-separated), and ``__gte``/``__lte`` ranges for dates and amounts.
A value that does not parse answers 400, keyed by the parameter.
"""

from django_filters import rest_framework as filters

from crm.models import (
    RELATED_RECORD_FIELDS,
    Account,
    Call,
    Contact,
    Deal,
    DealLineItem,
    Lead,
    Meeting,
    Note,
    Product,
    Stage,
    Tag,
    Task,
    Ticket,
)

CHOICE = ["exact", "in"]
RANGE = ["exact", "gte", "lte"]
RECORD_FILTERS = {
    "owner": CHOICE,
    "created_by": ["exact"],
    "created_at": ["gte", "lte"],
    "modified_at": ["gte", "lte"],
    "external_id": ["exact"],
}
# The record a note or an activity is about: ``?deal=5``, or ``?deal__isnull=false``.
RELATED_RECORD_FILTERS = {field: ["exact", "isnull"] for field in RELATED_RECORD_FIELDS}


class ChoiceInFilter(filters.BaseInFilter, filters.ChoiceFilter):
    """A comma-separated list of choices; one that is not a choice answers 400."""


class CRMFilterSet(filters.FilterSet):
    """Generates ``__in`` filters that check each value against the field's choices
    (django-filter's own accept any string and match nothing)."""

    @classmethod
    def filter_for_lookup(cls, field, lookup_type):
        if lookup_type == "in" and getattr(field, "choices", None):
            return ChoiceInFilter, {"choices": field.choices}
        return super().filter_for_lookup(field, lookup_type)


class TaggedFilterSet(CRMFilterSet):
    tags = filters.ModelMultipleChoiceFilter(
        queryset=Tag.objects.all(),
        help_text="Records with any of these tags (repeat the parameter).",
    )


class AccountFilter(TaggedFilterSet):
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


class ContactFilter(TaggedFilterSet):
    class Meta:
        model = Contact
        fields = {**PERSON_FILTERS, "account": ["exact", "isnull"]}


class LeadFilter(TaggedFilterSet):
    class Meta:
        model = Lead
        fields = {
            **PERSON_FILTERS,
            "company": ["exact", "icontains"],
            "industry": CHOICE,
            "status": CHOICE,
        }


class DealFilter(TaggedFilterSet):
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


class TicketFilter(TaggedFilterSet):
    class Meta:
        model = Ticket
        fields = {
            **RECORD_FILTERS,
            "subject": ["icontains"],
            "status": CHOICE,
            "priority": CHOICE,
            "origin": CHOICE,
            "contact": ["exact", "isnull"],
            "account": ["exact", "isnull"],
            "closed_at": ["gte", "lte", "isnull"],
        }


ACTIVITY_FILTERS = {
    **RECORD_FILTERS,
    **RELATED_RECORD_FILTERS,
    "subject": ["icontains"],
}


class TaskFilter(CRMFilterSet):
    class Meta:
        model = Task
        fields = {
            **ACTIVITY_FILTERS,
            "due_date": [*RANGE, "isnull"],
            "status": CHOICE,
            "priority": CHOICE,
        }


class CallFilter(CRMFilterSet):
    class Meta:
        model = Call
        fields = {
            **ACTIVITY_FILTERS,
            "direction": ["exact"],
            "start": ["gte", "lte"],
            "duration": RANGE,
            "purpose": CHOICE,
        }


class MeetingFilter(CRMFilterSet):
    participant_user = filters.NumberFilter(
        field_name="participant_users",
        help_text="Meetings this user takes part in.",
    )
    participant_contact = filters.NumberFilter(
        field_name="participant_contacts",
        help_text="Meetings this contact takes part in.",
    )

    class Meta:
        model = Meeting
        fields = {
            **ACTIVITY_FILTERS,
            "start": ["gte", "lte"],
            "end": ["gte", "lte"],
            "location": ["icontains"],
        }


class NoteFilter(CRMFilterSet):
    class Meta:
        model = Note
        fields = {**RECORD_FILTERS, **RELATED_RECORD_FILTERS, "body": ["icontains"]}


class ProductFilter(CRMFilterSet):
    class Meta:
        model = Product
        fields = {
            **RECORD_FILTERS,
            "name": ["exact", "icontains"],
            "code": CHOICE,
            "active": ["exact"],
            "category": CHOICE,
            "manufacturer": CHOICE,
            "unit_price": RANGE,
            "taxable": ["exact"],
        }


class TagFilter(CRMFilterSet):
    class Meta:
        model = Tag
        fields = {"name": ["iexact", "icontains"]}


class DealLineItemFilter(CRMFilterSet):
    class Meta:
        model = DealLineItem
        fields = {"deal": CHOICE, "product": CHOICE}
