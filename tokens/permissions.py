"""Permission checks: the token's scope and its owner's Django permission."""

from django.core.exceptions import ImproperlyConfigured
from rest_framework.permissions import BasePermission

from tokens import services
from tokens.models import AuthToken
from tokens.scopes import METHOD_ACTIONS, permission_for, scope_name
from tokens.throttling import client_address

MISSING_SCOPE_MESSAGE = "This token does not carry the scope {scope}."
MISSING_PERMISSION_MESSAGE = "You do not have permission to perform this action."
WRITE_METHODS = ("POST", "PUT", "PATCH")


def required_scopes(view, method):
    """The scopes an operation needs, from the view's ``scope_module``.

    A view may override per action with ``get_required_scopes(method)``.
    """
    if hasattr(view, "get_required_scopes"):
        return view.get_required_scopes(method)
    module = getattr(view, "scope_module", None)
    if module is None:
        raise ImproperlyConfigured(
            f"{type(view).__name__} must set scope_module or get_required_scopes()."
        )
    action = getattr(view, "scope_action", None) or METHOD_ACTIONS.get(method.upper())
    if action is None:
        return None
    return [scope_name(module, action)]


def is_probe(request):
    """True for the copies of a request that OPTIONS (and the browsable API) make
    to ask which other methods would be allowed; nothing was really refused."""
    return request.method != request._request.method


class HasScopeAndModelPermission(BasePermission):
    """Allows a request when the token (if any) carries every scope the operation
    needs, and the user holds the matching Django permissions right now."""

    message = MISSING_PERMISSION_MESSAGE

    def has_permission(self, request, view):
        if getattr(view, request.method.lower(), None) is None:
            # No handler for this method: let the view answer 405.
            return True
        scopes = required_scopes(view, request.method)
        if scopes is None:
            return False

        token = request.auth if isinstance(request.auth, AuthToken) else None
        if token is not None:
            missing = [scope for scope in scopes if scope not in token.scopes]
            if missing:
                if not is_probe(request):
                    services.token_record_refusal(
                        token=token,
                        reason=f"missing_scope:{missing[0]}",
                        client_ip=client_address(request),
                    )
                self.message = MISSING_SCOPE_MESSAGE.format(scope=missing[0])
                return False

        self.message = MISSING_PERMISSION_MESSAGE
        allowed = all(request.user.has_perm(permission_for(scope)) for scope in scopes)
        if allowed and token is not None and request.method in WRITE_METHODS:
            module = scopes[0].partition(":")[0]
            # Writing must not become a way to read: see WriteOnlyResponseMiddleware.
            request._request.token_cannot_read = (
                scope_name(module, "read") not in token.scopes
            )
        return allowed


class IsTokenAuthenticated(BasePermission):
    """Allows only requests authenticated by a bearer token."""

    message = "This endpoint answers bearer-token requests only."

    def has_permission(self, request, view):
        return isinstance(request.auth, AuthToken)
