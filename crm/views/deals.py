from django.db import transaction
from rest_framework import viewsets

from crm import filters, serializers, services
from crm.models import Deal, DealLineItem, Pipeline
from crm.views.records import (
    RECORD_ORDERING,
    AtomicWritesMixin,
    RecordViewSet,
    TimelineMixin,
    VisibleRecordsMixin,
)
from tokens.scopes import METHOD_ACTIONS, scope_name


class DealViewSet(TimelineMixin, RecordViewSet):
    scope_module = "deals"
    queryset = Deal.objects.select_related("owner", "created_by").prefetch_related(
        "tags"
    )
    serializer_class = serializers.DealSerializer
    filterset_class = filters.DealFilter
    search_fields = ("name", "next_step", "description")
    ordering_fields = (
        *RECORD_ORDERING,
        "name",
        "amount",
        "closing_date",
        "probability",
    )

    def perform_update(self, serializer):
        # The deal's row lock orders this write after any line item change in
        # flight; a deal that got line items meanwhile keeps their amount.
        with transaction.atomic():
            Deal.objects.select_for_update().filter(
                pk=serializer.instance.pk
            ).values_list("pk").get()
            if serializer.instance.line_items.exists():
                serializer.validated_data.pop("amount", None)
            super().perform_update(serializer)


class PipelineViewSet(viewsets.ReadOnlyModelViewSet):
    """Pipelines and their ordered stages, readable with any deals scope."""

    scope_module = "deals"
    queryset = Pipeline.objects.prefetch_related("stages")
    serializer_class = serializers.PipelineSerializer
    filter_backends = []
    pagination_class = None


class DealLineItemViewSet(
    AtomicWritesMixin, VisibleRecordsMixin, viewsets.ModelViewSet
):
    """Products on deals; a change here recomputes the deal's amount.

    Writing a line item changes its deal, so it needs ``deals:update`` as well.
    A line item is seen, and written, through its deal.
    """

    scope_module = "line_items"
    queryset = DealLineItem.objects.all()
    serializer_class = serializers.DealLineItemSerializer
    filterset_class = filters.DealLineItemFilter
    ordering_fields = ("id", "quantity", "unit_price")

    def get_required_scopes(self, method):
        action_name = METHOD_ACTIONS.get(method.upper())
        if action_name is None:
            return None
        scopes = [scope_name(self.scope_module, action_name)]
        if action_name != "read":
            scopes.append(scope_name("deals", "update"))
        return scopes

    def perform_create(self, serializer):
        serializer.instance = services.deal_line_item_create(
            **serializer.validated_data
        )

    def perform_update(self, serializer):
        serializer.instance = services.deal_line_item_update(
            line_item=serializer.instance, **serializer.validated_data
        )

    def perform_destroy(self, instance):
        services.deal_line_item_delete(line_item=instance)
