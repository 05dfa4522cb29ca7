"""Settings of the tokens app: one namespaced dict, ``TOKENS``, with defaults here."""

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

# The product's promise: no token lives longer than a day, whatever the settings say.
HARD_MAX_LIFETIME_HOURS = 24

DEFAULTS = {
    # Keys for the keyed hash of stored tokens, newest first. Tokens hashed with
    # an older key still verify and are re-hashed with the newest on use.
    # Empty: a key derived from SECRET_KEY.
    "HASH_KEYS": [],
    "MAX_LIFETIME_HOURS": HARD_MAX_LIFETIME_HOURS,
    # How long expired and revoked tokens stay listed before purge_tokens removes them.
    "RETENTION_DAYS": 30,
    # Failed authentications one client address may make per window before 429.
    "FAILED_AUTH_LIMIT": 20,
    "FAILED_AUTH_WINDOW_SECONDS": 300,
    # last_used_at and the client address are written at most this often per token.
    "LAST_USED_INTERVAL_SECONDS": 60,
    # Reverse proxies in front of the app whose X-Forwarded-For entries are trusted.
    "TRUSTED_PROXIES": 0,
}


def token_setting(name):
    if name not in DEFAULTS:
        raise ImproperlyConfigured(f"Unknown TOKENS setting {name!r}.")
    value = getattr(settings, "TOKENS", {}).get(name, DEFAULTS[name])
    if name == "MAX_LIFETIME_HOURS":
        if not 1 <= int(value) <= HARD_MAX_LIFETIME_HOURS:
            raise ImproperlyConfigured(
                f"TOKENS['MAX_LIFETIME_HOURS'] must be between 1 and "
                f"{HARD_MAX_LIFETIME_HOURS}, got {value!r}."
            )
        return int(value)
    return value
