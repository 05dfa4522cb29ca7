from crm import filters, serializers
from crm.models import Campaign
from crm.views.deals import DealViewSet
from crm.views.records import RECORD_ORDERING, RecordViewSet, related_list


class CampaignViewSet(RecordViewSet):
    scope_module = "campaigns"
    queryset = Campaign.objects.select_related("owner", "created_by")
    serializer_class = serializers.CampaignSerializer
    filterset_class = filters.CampaignFilter
    search_fields = ("name", "description")
    ordering_fields = (
        *RECORD_ORDERING,
        "name",
        "status",
        "start_date",
        "end_date",
        "expected_revenue",
        "budgeted_cost",
        "actual_cost",
    )

    deals = related_list(DealViewSet, lookup="campaign", name="deals")
