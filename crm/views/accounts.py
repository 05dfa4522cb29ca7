from crm import filters, serializers
from crm.models import Account
from crm.views.deals import DealViewSet
from crm.views.people import ContactViewSet
from crm.views.records import (
    RECORD_ORDERING,
    RecordViewSet,
    TimelineMixin,
    related_list,
)
from crm.views.tickets import TicketViewSet


class AccountViewSet(TimelineMixin, RecordViewSet):
    scope_module = "accounts"
    queryset = Account.objects.select_related("owner", "created_by").prefetch_related(
        "tags"
    )
    serializer_class = serializers.AccountSerializer
    filterset_class = filters.AccountFilter
    search_fields = ("name", "website", "industry", "city", "phone")
    ordering_fields = (
        *RECORD_ORDERING,
        "name",
        "account_type",
        "industry",
        "annual_revenue",
    )

    contacts = related_list(ContactViewSet, lookup="account", name="contacts")
    deals = related_list(DealViewSet, lookup="account", name="deals")
    tickets = related_list(TicketViewSet, lookup="account", name="tickets")
