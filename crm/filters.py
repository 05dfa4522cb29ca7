"""Query-string filters for the list endpoints.

Each FilterSet names the lookups a user filters by: exact values, ``__in``
lists (comma-separated), and ``__gte``/``__lte`` ranges for dates and amounts.
A value that does not parse answers 400, keyed by the parameter.
"""

from datetime import UTC

from django import forms
from django.db import models
from django_filters import fields as filter_fields
from django_filters import rest_framework as filters
from rest_framework.exceptions import ValidationError
from rest_framework.filters import SearchFilter

from crm.models import (
    MAX_ID,
    RELATED_RECORD_FIELDS,
    Account,
    Call,
    Campaign,
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


DATETIME_RANGE_MESSAGE = "Enter a date and time between the years 2 and 9998."
YES_NO_MESSAGE = "Enter true or false."
MAX_SEARCH_TERMS = 10
SEARCH_TERMS_MESSAGE = f"Search for at most {MAX_SEARCH_TERMS} words."


class BoundedDateTimeField(forms.DateTimeField):
    """A date and time the database can store once turned into UTC."""

    def to_python(self, value):
        moment = super().to_python(value)
        if moment is None:
            return None
        try:
            in_utc = moment.astimezone(UTC)
        except OverflowError:
            raise forms.ValidationError(DATETIME_RANGE_MESSAGE) from None
        if not 2 <= in_utc.year <= 9998:
            raise forms.ValidationError(DATETIME_RANGE_MESSAGE)
        return moment


class BoundedDateTimeFilter(filters.DateTimeFilter):
    field_class = BoundedDateTimeField


class IdFormField(forms.IntegerField):
    """A record id: a whole number the database's integer column can hold."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", MAX_ID)
        super().__init__(*args, **kwargs)


class IdFilter(filters.NumberFilter):
    field_class = IdFormField


class IdsFormField(filter_fields.ModelMultipleChoiceField):
    """Records chosen by id; an id past the database's integer range is refused
    like any unknown id instead of reaching the database."""

    def _check_values(self, value):
        for pk in value:
            text = str(pk).strip().lstrip("-")
            if text.isdigit() and int(text) > MAX_ID:
                raise forms.ValidationError(
                    self.error_messages["invalid_pk_value"],
                    code="invalid_pk_value",
                    params={"pk": pk},
                )
        return super()._check_values(value)


class RecordsFilter(filters.ModelMultipleChoiceFilter):
    field_class = IdsFormField


class YesNoFormField(forms.NullBooleanField):
    """true/false (or 1/0); anything else is an error, not silently ignored."""

    ACCEPTED = {"true", "false", "1", "0"}

    def to_python(self, value):
        if (
            isinstance(value, str)
            and value.strip()
            and value.lower() not in self.ACCEPTED
        ):
            raise forms.ValidationError(YES_NO_MESSAGE, code="invalid")
        return super().to_python(value)


class YesNoFilter(filters.BooleanFilter):
    field_class = YesNoFormField

    def __init__(self, *args, **kwargs):
        # The usual widget turns unknown words into "no filter" before they are read.
        kwargs["widget"] = forms.TextInput
        super().__init__(*args, **kwargs)


class BoundedSearchFilter(SearchFilter):
    """DRF's search, refusing more words than a reasonable query has: each word
    adds a clause for every search field, and SQLite caps the expression size."""

    def get_search_terms(self, request):
        terms = super().get_search_terms(request)
        if len(terms) > MAX_SEARCH_TERMS:
            raise ValidationError({self.search_param: [SEARCH_TERMS_MESSAGE]})
        return terms


class ChoiceInFilter(filters.BaseInFilter, filters.ChoiceFilter):
    """A comma-separated list of choices; one that is not a choice answers 400."""


class CRMFilterSet(filters.FilterSet):
    """Generates ``__in`` filters that check each value against the field's choices
    (django-filter's own accept any string and match nothing), and date-time
    filters that refuse moments the database cannot hold.

    A filter naming a record (``?account=5``) accepts only records the caller may
    see, so that an id they may not see answers 400 as an unknown one does.
    """

    FILTER_DEFAULTS = {
        **filters.FilterSet.FILTER_DEFAULTS,
        models.DateTimeField: {"filter_class": BoundedDateTimeFilter},
    }

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, request=request, **kwargs)
        user = getattr(request, "user", None)
        if user is None:
            return
        for filter_ in self.filters.values():
            choices = getattr(filter_, "queryset", None)
            if isinstance(choices, models.QuerySet) and hasattr(choices, "visible_to"):
                filter_.queryset = choices.visible_to(user)
                # A form field built before this point would keep every record.
                filter_.__dict__.pop("_field", None)

    @classmethod
    def filter_for_lookup(cls, field, lookup_type):
        if lookup_type == "in" and getattr(field, "choices", None):
            return ChoiceInFilter, {"choices": field.choices}
        if lookup_type == "isnull":
            return YesNoFilter, {}
        return super().filter_for_lookup(field, lookup_type)


class TaggedFilterSet(CRMFilterSet):
    tags = RecordsFilter(
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
            # ?converted_at__isnull=true: the leads not converted yet.
            "converted_at": ["gte", "lte", "isnull"],
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
            "campaign": ["exact", "isnull"],
            "pipeline": ["exact"],
            "stage": CHOICE,
            "amount": RANGE,
            "probability": RANGE,
            "closing_date": RANGE,
            "deal_type": CHOICE,
            "lead_source": CHOICE,
        }


class CampaignFilter(CRMFilterSet):
    class Meta:
        model = Campaign
        fields = {
            **RECORD_FILTERS,
            "name": ["exact", "icontains"],
            "campaign_type": CHOICE,
            "status": CHOICE,
            "start_date": RANGE,
            "end_date": RANGE,
            "expected_revenue": RANGE,
            "budgeted_cost": RANGE,
            "actual_cost": RANGE,
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
    participant_user = IdFilter(
        field_name="participant_users",
        help_text="Meetings this user takes part in.",
    )
    participant_contact = IdFilter(
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
