"""One body shape for every API error.

Every 4xx answer carries ``detail`` (a sentence for people) and ``code`` (a
stable string for programs); validation errors add ``errors``, a map from the
field or query parameter to its messages.
"""

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError
from django.db.models import ProtectedError, RestrictedError
from django.http import Http404
from rest_framework import exceptions, status
from rest_framework.serializers import as_serializer_error
from rest_framework.views import exception_handler

from tokens.authentication import INVALID_TOKEN_MESSAGE, bearer_challenge

CONFLICT_MESSAGE = (
    "This conflicts with a record stored meanwhile, e.g. one with the same unique "
    "value; nothing was saved."
)
STILL_REFERRED_TO_MESSAGE = (
    "This cannot be deleted: {count} {things} still refer to it."
)


class Conflict(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_code = "conflict"
    default_detail = CONFLICT_MESSAGE


def still_referred_to(exc):
    """The 409 for a deletion that protected or restricted references prevent."""
    if isinstance(exc, ProtectedError):
        referring = list(exc.protected_objects)
    else:
        referring = list(exc.restricted_objects)
    names = {str(type(record)._meta.verbose_name_plural) for record in referring}
    things = ", ".join(sorted(names))
    return Conflict(
        STILL_REFERRED_TO_MESSAGE.format(count=len(referring), things=things)
    )


def api_exception_handler(exc, context):
    if isinstance(exc, ProtectedError | RestrictedError):
        exc = still_referred_to(exc)
    elif isinstance(exc, IntegrityError):
        # A unique value taken by a concurrent request gets past the serializer's
        # check; the database refuses it, and the transaction was rolled back.
        exc = Conflict()
    elif isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(as_serializer_error(exc))
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()

    response = exception_handler(exc, context)
    if response is None:
        return None

    if isinstance(exc, exceptions.ValidationError):
        response.data = {
            "detail": "Invalid input.",
            "code": "invalid",
            "errors": _as_field_map(exc.detail),
        }
    elif isinstance(exc, exceptions.NotAuthenticated | exceptions.AuthenticationFailed):
        # Missing, malformed, unknown, expired and revoked credentials all read
        # the same, so a caller learns nothing about which tokens exist.
        response.data = {"detail": INVALID_TOKEN_MESSAGE, "code": "not_authenticated"}
        if response.status_code == status.HTTP_401_UNAUTHORIZED:
            response["WWW-Authenticate"] = bearer_challenge(
                invalid=isinstance(exc, exceptions.AuthenticationFailed)
            )
    else:
        response.data = {"detail": _first_message(exc.detail), "code": _code(exc)}
        # A conflict may name what it conflicts with, e.g. the existing record's id.
        response.data.update(getattr(exc, "extra_fields", {}))
    return response


def _as_field_map(detail):
    if isinstance(detail, dict):
        return detail
    return {"non_field_errors": detail if isinstance(detail, list) else [detail]}


def _first_message(detail):
    if isinstance(detail, list) and detail:
        return str(detail[0])
    if isinstance(detail, dict):
        return next((str(v) for v in detail.values()), "")
    return str(detail)


def _code(exc):
    codes = exc.get_codes()
    if isinstance(codes, str):
        return codes
    return getattr(exc, "default_code", "error")
