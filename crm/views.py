from rest_framework import viewsets

from crm import filters, serializers
from crm.models import Account, Contact, Deal, Lead, Pipeline

RECORD_ORDERING = ("created_at", "modified_at", "id")


class RecordViewSet(viewsets.ModelViewSet):
    """CRUD for one CRM module. Owner and creator are the caller, set on create."""

    scope_module = None

    def perform_create(self, serializer):
        serializer.save(owner=self.request.user, created_by=self.request.user)


class AccountViewSet(RecordViewSet):
    scope_module = "accounts"
    queryset = Account.objects.select_related("owner", "created_by")
    serializer_class = serializers.AccountSerializer
    filterset_class = filters.AccountFilter
    search_fields = ("name", "website", "industry", "city", "phone")
    ordering_fields = (*RECORD_ORDERING, "name", "account_type", "industry", "annual_revenue")


class ContactViewSet(RecordViewSet):
    scope_module = "contacts"
    queryset = Contact.objects.select_related("owner", "created_by")
    serializer_class = serializers.ContactSerializer
    filterset_class = filters.ContactFilter
    search_fields = ("first_name", "last_name", "email", "phone", "mobile", "title")
    ordering_fields = (*RECORD_ORDERING, "last_name", "first_name", "email")


class LeadViewSet(RecordViewSet):
    scope_module = "leads"
    queryset = Lead.objects.select_related("owner", "created_by")
    serializer_class = serializers.LeadSerializer
    filterset_class = filters.LeadFilter
    search_fields = ("first_name", "last_name", "email", "company", "phone", "mobile")
    ordering_fields = (*RECORD_ORDERING, "last_name", "company", "status")


class DealViewSet(RecordViewSet):
    scope_module = "deals"
    queryset = Deal.objects.select_related("owner", "created_by")
    serializer_class = serializers.DealSerializer
    filterset_class = filters.DealFilter
    search_fields = ("name", "next_step", "description")
    ordering_fields = (*RECORD_ORDERING, "name", "amount", "closing_date", "probability")


class PipelineViewSet(viewsets.ReadOnlyModelViewSet):
    """Pipelines and their ordered stages, readable with any deals scope."""

    scope_module = "deals"
    queryset = Pipeline.objects.prefetch_related("stages")
    serializer_class = serializers.PipelineSerializer
    filter_backends = []
    pagination_class = None
