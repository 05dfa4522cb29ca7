"""OpenAPI generation: each operation documents its scope and its error answers."""

from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import OpenApiResponse
from rest_framework import serializers

from tokens.permissions import HasScopeAndModelPermission, required_scopes


class ErrorSerializer(serializers.Serializer):
    detail = serializers.CharField(help_text="What went wrong, for people.")
    code = serializers.CharField(help_text="A stable code for programs.")
    errors = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()),
        required=False,
        help_text="For invalid input: messages keyed by field or query parameter.",
    )


ERROR_DESCRIPTIONS = {
    400: "Invalid input; `errors` names each field or parameter and its problem.",
    401: "The bearer token is missing, malformed, unknown, expired or revoked.",
    403: "The token lacks the required scope, or its owner lacks the permission.",
    404: "No such record, or one the caller may not see.",
    409: "The request conflicts with the record's current state.",
    429: "Too many requests; retry after the number of seconds in `Retry-After`.",
}


class ScopedAutoSchema(AutoSchema):
    def _scopes(self):
        if not any(
            isinstance(permission, HasScopeAndModelPermission)
            for permission in self.view.get_permissions()
        ):
            return []
        return required_scopes(self.view, self.method) or []

    def get_description(self):
        description = super().get_description()
        scopes = self._scopes()
        if not scopes:
            return description
        line = "Required scope: " + ", ".join(f"`{scope}`" for scope in scopes) + "."
        return f"{description}\n\n{line}" if description else line

    def get_extensions(self):
        extensions = super().get_extensions()
        scopes = self._scopes()
        if scopes:
            extensions = {**extensions, "x-required-scopes": scopes}
        return extensions

    def get_error_codes(self):
        codes = [401, 403, 429]
        if self.method in ("POST", "PUT", "PATCH") or (
            self.method == "GET" and self._is_list_view()
        ):
            codes.append(400)
        if "{" in self.path:
            codes.append(404)
        codes.extend(getattr(self.view, "extra_error_codes", {}).get(self.method, []))
        return sorted(set(codes))

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        if direction != "response":
            return responses
        for code in self.get_error_codes():
            if str(code) in responses:
                continue
            responses[str(code)] = self._get_response_for_code(
                OpenApiResponse(ErrorSerializer, description=ERROR_DESCRIPTIONS[code]),
                str(code),
            )
        return responses
