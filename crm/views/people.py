from crm import filters, serializers
from crm.models import Contact, Lead
from crm.views.deals import DealViewSet
from crm.views.records import (
    RECORD_ORDERING,
    RecordViewSet,
    TimelineMixin,
    related_list,
)
from crm.views.tickets import TicketViewSet

# Creating or updating a lead or contact may answer 409 for a duplicate email.
DUPLICATE_ERROR_CODES = {"POST": [409], "PUT": [409], "PATCH": [409]}


class ContactViewSet(TimelineMixin, RecordViewSet):
    scope_module = "contacts"
    queryset = Contact.objects.select_related("owner", "created_by").prefetch_related(
        "tags"
    )
    serializer_class = serializers.ContactSerializer
    filterset_class = filters.ContactFilter
    search_fields = ("first_name", "last_name", "email", "phone", "mobile", "title")
    ordering_fields = (*RECORD_ORDERING, "last_name", "first_name", "email")
    duplicate_field = "email"
    extra_error_codes = DUPLICATE_ERROR_CODES

    deals = related_list(DealViewSet, lookup="contact", name="deals")
    tickets = related_list(TicketViewSet, lookup="contact", name="tickets")


class LeadViewSet(TimelineMixin, RecordViewSet):
    scope_module = "leads"
    queryset = Lead.objects.select_related("owner", "created_by").prefetch_related(
        "tags"
    )
    serializer_class = serializers.LeadSerializer
    filterset_class = filters.LeadFilter
    search_fields = ("first_name", "last_name", "email", "company", "phone", "mobile")
    ordering_fields = (*RECORD_ORDERING, "last_name", "company", "status")
    duplicate_field = "email"
    extra_error_codes = DUPLICATE_ERROR_CODES
