"""``Authorization: Bearer <token>`` authentication for the API."""

import logging

from django.utils import timezone
from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication, get_authorization_header

from tokens import crypto, services
from tokens.throttling import FailedAuthenticationLimit, client_address

logger = logging.getLogger(__name__)

KEYWORD = b"bearer"
REALM = "api"
INVALID_TOKEN_MESSAGE = (
    "Authentication failed: the bearer token is missing, invalid, expired or revoked."
)


def bearer_challenge(*, invalid):
    """The WWW-Authenticate value for a 401 (RFC 6750, section 3)."""
    if invalid:
        return f'Bearer realm="{REALM}", error="invalid_token"'
    return f'Bearer realm="{REALM}"'


class BearerTokenAuthentication(BaseAuthentication):
    """Authenticates personal auth tokens sent as ``Authorization: Bearer <token>``.

    Returns None when the header names another scheme, so other authenticators
    may try; raises AuthenticationFailed when it is a bearer header but the token
    is malformed, unknown, expired, revoked or its owner deactivated. Tokens are
    read from this header only, never from the query string, body or cookies.
    """

    def authenticate(self, request):
        parts = get_authorization_header(request).split()
        if not parts or parts[0].lower() != KEYWORD:
            return None

        address = client_address(request)
        limit = FailedAuthenticationLimit(address)
        wait = limit.wait()
        if wait is not None:
            raise exceptions.Throttled(wait=wait)
        if len(parts) != 2:
            self._fail(limit, address, "malformed_header")
        try:
            clear = parts[1].decode("ascii")
        except UnicodeDecodeError:
            self._fail(limit, address, "malformed_header")
        parsed = crypto.parse_token(clear)
        if parsed is None:
            self._fail(limit, address, "malformed_token")

        token = self._load(parsed.public_id)
        if token is None:
            self._fail(limit, address, "unknown_token")
        matches, needs_rehash = crypto.verify_digest(clear, token.digest)
        if not matches:
            self._fail(limit, address, "unknown_token")

        now = timezone.now()
        status = token.status_at(now)
        if status != token.Status.ACTIVE:
            services.token_record_refusal(token=token, reason=status, client_ip=address)
            self._fail(limit, address, status)
        if not token.user.is_active:
            services.token_record_refusal(
                token=token, reason="owner_inactive", client_ip=address
            )
            self._fail(limit, address, "owner_inactive")

        services.token_mark_used(
            token=token,
            client_ip=address,
            now=now,
            rehash_with=clear if needs_rehash else None,
        )
        return token.user, token

    def authenticate_header(self, request):
        return bearer_challenge(invalid=False)

    @staticmethod
    def _load(public_id):
        from tokens.models import AuthToken

        return (
            AuthToken.objects.select_related("user", "application")
            .filter(public_id=public_id)
            .first()
        )

    @staticmethod
    def _fail(limit, address, reason):
        limit.record_failure()
        logger.info(
            "authentication_failed", extra={"client_ip": address, "outcome": reason}
        )
        raise exceptions.AuthenticationFailed(INVALID_TOKEN_MESSAGE)
