from collections.abc import Mapping

from django.db import transaction
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.exceptions import APIException
from rest_framework.parsers import JSONParser
from rest_framework.response import Response

from crm import filters, selectors, serializers, services
from crm.models import Contact, Lead
from crm.views.deals import DealViewSet
from crm.views.records import (
    RECORD_ORDERING,
    RecordViewSet,
    TimelineMixin,
    duplicate_error,
    related_list,
)
from crm.views.tickets import TicketViewSet
from tokens.models import AuthToken
from tokens.scopes import permission_for, scope_name

# Creating or updating a lead or contact may answer 409 for a duplicate email.
DUPLICATE_ERROR_CODES = {"POST": [409], "PUT": [409], "PATCH": [409]}

LEAD_CONVERTED_MESSAGE = "This lead has been converted and can no longer be changed."
LEAD_ALREADY_CONVERTED_MESSAGE = "This lead has already been converted."
# Converting needs these scopes always; a new account and a deal add their own.
CONVERT_SCOPES = (scope_name("leads", "update"), scope_name("contacts", "create"))
NEW_ACCOUNT_SCOPE = scope_name("accounts", "create")
NEW_DEAL_SCOPE = scope_name("deals", "create")
# Each part of a conversion's answer, and the module whose read scope shows it.
CONVERSION_PARTS = {
    "lead": "leads",
    "contact": "contacts",
    "account": "accounts",
    "deal": "deals",
}
CONVERT_ALLOW_DUPLICATE_PARAMETER = OpenApiParameter(
    "allow_duplicate",
    OpenApiTypes.BOOL,
    description=(
        "Convert even when a contact with the lead's email already exists "
        "(compared ignoring case); without it such a request answers 409."
    ),
)


class LeadConverted(APIException):
    status_code = status.HTTP_409_CONFLICT
    default_code = "lead_converted"
    default_detail = LEAD_CONVERTED_MESSAGE


def may_read(request, module):
    """Whether the caller may read ``module``'s records: the token, if any,
    carries its read scope, and the user holds the matching permission."""
    scope = scope_name(module, "read")
    if isinstance(request.auth, AuthToken) and scope not in request.auth.scopes:
        return False
    return request.user.has_perm(permission_for(scope))


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
    """Leads. A converted lead is read-only: changing or deleting it answers 409."""

    scope_module = "leads"
    queryset = Lead.objects.select_related(
        "owner", "created_by", "converted_by"
    ).prefetch_related("tags")
    serializer_class = serializers.LeadSerializer
    filterset_class = filters.LeadFilter
    search_fields = ("first_name", "last_name", "email", "company", "phone", "mobile")
    ordering_fields = (*RECORD_ORDERING, "last_name", "company", "status")
    duplicate_field = "email"
    extra_error_codes = {**DUPLICATE_ERROR_CODES, "DELETE": [409]}
    update_conflict_description = (
        "Another lead has this email (`duplicate`), or the lead was converted "
        "(`lead_converted`)."
    )

    def get_required_scopes(self, method):
        if self.action == "convert":
            return [*CONVERT_SCOPES, *self.conversion_record_scopes()]
        return super().get_required_scopes(method)

    def conversion_record_scopes(self):
        """The scopes the records a conversion makes besides its contact need: a new
        account unless the body names one, a deal when the body describes one."""
        if getattr(self, "swagger_fake_view", False) or self.request is None:
            return []
        data = self.request.data if isinstance(self.request.data, Mapping) else {}
        scopes = []
        if data.get("account") in (None, ""):
            scopes.append(NEW_ACCOUNT_SCOPE)
        if data.get("deal") not in (None, ""):
            scopes.append(NEW_DEAL_SCOPE)
        return scopes

    def get_object(self):
        lead = super().get_object()
        if self.action in ("update", "partial_update", "destroy") and lead.is_converted:
            raise LeadConverted()
        return lead

    def perform_update(self, serializer):
        # A conversion may have started since the lead was read: wait for it
        # under the row lock and refuse, rather than write over its outcome.
        with transaction.atomic():
            self.lock_unconverted(serializer.instance)
            super().perform_update(serializer)

    def perform_destroy(self, instance):
        with transaction.atomic():
            self.lock_unconverted(instance)
            super().perform_destroy(instance)

    def lock_unconverted(self, lead):
        try:
            services.lead_lock_unconverted(lead=lead)
        except services.LeadAlreadyConverted as exc:
            raise LeadConverted() from exc

    @extend_schema(
        request=serializers.LeadConvertSerializer,
        parameters=[CONVERT_ALLOW_DUPLICATE_PARAMETER],
        responses={
            200: serializers.LeadConversionSerializer,
            409: OpenApiResponse(
                serializers.DuplicateErrorSerializer,
                description=(
                    "The lead was converted before (`lead_converted`), or a contact "
                    "with its email exists (`duplicate`)."
                ),
            ),
        },
    )
    # JSON only: the scopes a conversion needs are read from the body before it
    # is validated, and a form spells a nested deal as "deal.name", "deal.stage".
    @action(
        detail=True,
        methods=["post"],
        filter_backends=[],
        pagination_class=None,
        parser_classes=[JSONParser],
    )
    def convert(self, request, *args, **kwargs):
        """Turn the lead into a contact, at an existing account or a new one made
        from its company, and optionally a deal, all in one transaction.

        The body is JSON. The new records belong to the lead's owner. Making a
        new account also needs `accounts:create`, and a deal `deals:create`. The
        lead then names what it became and can no longer be changed. A record
        whose module the caller may not read comes back as its id alone.
        """
        lead = self.get_object()
        if lead.is_converted:
            raise LeadConverted(LEAD_ALREADY_CONVERTED_MESSAGE)
        query = serializers.LeadConvertSerializer(
            data=request.data, context=self.get_serializer_context()
        )
        query.is_valid(raise_exception=True)
        account = query.validated_data.get("account")
        deal = query.validated_data.get("deal")
        self.check_contact_duplicate(lead)

        try:
            conversion = services.lead_convert(
                lead=lead, user=request.user, account=account, deal=deal
            )
        except services.LeadAlreadyConverted as exc:
            raise LeadConverted(LEAD_ALREADY_CONVERTED_MESSAGE) from exc
        body = serializers.LeadConversionSerializer(
            conversion, context=self.get_serializer_context()
        ).data
        # Converting must not become a way to read: e.g. naming an account
        # without accounts:read gives back its id, not the account.
        for part, module in CONVERSION_PARTS.items():
            if body[part] is not None and not may_read(request, module):
                body[part] = {"id": body[part]["id"]}
        return Response(body)

    def check_contact_duplicate(self, lead):
        """Refuse with 409 a contact whose email another contact holds, as creating
        a contact does, unless the request allows duplicates."""
        if not lead.email or self.allows_duplicates():
            return
        existing = selectors.record_find_by_value(
            model=Contact, field="email", values=[lead.email], user=self.request.user
        )
        if existing:
            raise duplicate_error(
                model=Contact, field="email", existing=existing[lead.email.lower()]
            )
