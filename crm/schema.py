"""OpenAPI for what CRM record endpoints add: bulk create and duplicate checks."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse

from config.schema import ScopedAutoSchema
from crm.serializers import (
    BulkConflictSerializer,
    BulkErrorSerializer,
    DuplicateErrorSerializer,
)

DUPLICATE_CHECKED_ACTIONS = ("create", "update", "partial_update", "bulk")
DUPLICATE_DESCRIPTION = (
    "Another record of this module has this email (`duplicate`); `existing_id` "
    "names it when the caller may see it."
)
ALLOW_DUPLICATE_PARAMETER = OpenApiParameter(
    "allow_duplicate",
    OpenApiTypes.BOOL,
    description=(
        "Save even when another record of this module has the same email "
        "(compared ignoring case); without it such a request answers 409."
    ),
)


class RecordSchema(ScopedAutoSchema):
    def _action(self):
        return getattr(self.view, "action", None)

    def _checks_duplicates(self):
        return bool(getattr(self.view, "duplicate_field", None))

    def get_override_parameters(self):
        parameters = super().get_override_parameters()
        if self._checks_duplicates() and self._action() in DUPLICATE_CHECKED_ACTIONS:
            parameters = [*parameters, ALLOW_DUPLICATE_PARAMETER]
        return parameters

    def get_request_serializer(self):
        if self._action() == "bulk":
            return self.view.get_serializer_class()(many=True)
        return super().get_request_serializer()

    def get_response_serializers(self):
        action = self._action()
        serializer_class = self.view.get_serializer_class()
        if action == "bulk":
            return {
                201: serializer_class(many=True),
                400: BulkErrorSerializer,
                409: BulkConflictSerializer,
            }
        if self._checks_duplicates() and action in DUPLICATE_CHECKED_ACTIONS:
            success = 201 if action == "create" else 200
            description = DUPLICATE_DESCRIPTION
            if action != "create":
                description = getattr(
                    self.view, "update_conflict_description", description
                )
            return {
                success: serializer_class,
                409: OpenApiResponse(DuplicateErrorSerializer, description=description),
            }
        return super().get_response_serializers()
