"""Rate limits: requests per token, and failed authentications per client address."""

import ipaddress
import time

from django.core.cache import cache
from rest_framework.settings import api_settings
from rest_framework.throttling import SimpleRateThrottle

from tokens.settings import token_setting


def client_address(request):
    """The caller's IP address.

    X-Forwarded-For is believed only for the TOKENS['TRUSTED_PROXIES'] proxies in
    front of the app (its last entries); with none, anyone could forge it.
    """
    address = request.META.get("REMOTE_ADDR")
    proxies = token_setting("TRUSTED_PROXIES")
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR")
    if proxies and forwarded:
        hops = [hop.strip() for hop in forwarded.split(",")]
        address = hops[-min(proxies, len(hops))]
    try:
        return str(ipaddress.ip_address(address))
    except ValueError:
        return None


class TokenRateThrottle(SimpleRateThrottle):
    """Limits each token to the rate in DEFAULT_THROTTLE_RATES['token']."""

    scope = "token"

    def get_rate(self):
        # Read at request time so a changed setting applies without a restart.
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)

    def get_cache_key(self, request, view):
        from tokens.models import AuthToken

        if not isinstance(request.auth, AuthToken):
            return None
        return self.cache_format % {"scope": self.scope, "ident": request.auth.pk}


class FailedAuthenticationLimit:
    """A fixed window counter of failed authentications per client address.

    ``kind`` keeps separate counts for bearer tokens and for password sign-in.
    """

    key_format = "tokens:failed-{kind}:{address}"

    def __init__(self, address, kind="auth"):
        self.key = self.key_format.format(kind=kind, address=address)
        self.limit = token_setting("FAILED_AUTH_LIMIT")
        self.window = token_setting("FAILED_AUTH_WINDOW_SECONDS")

    def wait(self):
        """Seconds until the address may try again, or None if it may now."""
        window_start, failures = cache.get(self.key, (None, 0))
        if window_start is None or failures < self.limit:
            return None
        return max(1, int(window_start + self.window - time.time()))

    def record_failure(self):
        now = time.time()
        window_start, failures = cache.get(self.key, (now, 0))
        if now - window_start >= self.window:
            window_start, failures = now, 0
        remaining = max(1, int(window_start + self.window - now))
        cache.set(self.key, (window_start, failures + 1), timeout=remaining)
