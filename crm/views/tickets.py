from crm import filters, serializers
from crm.models import Ticket
from crm.views.records import RECORD_ORDERING, RecordViewSet, TimelineMixin


class TicketViewSet(TimelineMixin, RecordViewSet):
    scope_module = "tickets"
    queryset = Ticket.objects.select_related("owner", "created_by").prefetch_related(
        "tags"
    )
    serializer_class = serializers.TicketSerializer
    filterset_class = filters.TicketFilter
    search_fields = ("subject", "description", "resolution")
    ordering_fields = (*RECORD_ORDERING, "subject", "status", "closed_at")
