"""Start-up checks: a bad token setting stops `manage.py check`, runserver and
migrate, instead of failing on every request later."""

from django.core.checks import Error, register
from django.core.exceptions import ImproperlyConfigured
from rest_framework.settings import api_settings
from rest_framework.throttling import SimpleRateThrottle

from tokens.settings import token_setting

MIN_HASH_KEY_LENGTH = 32


@register()
def check_token_settings(app_configs, **kwargs):
    errors = []
    try:
        token_setting("MAX_LIFETIME_HOURS")
    except ImproperlyConfigured as error:
        errors.append(Error(str(error), id="tokens.E001"))

    short = [
        key for key in token_setting("HASH_KEYS") if len(key) < MIN_HASH_KEY_LENGTH
    ]
    if short:
        errors.append(
            Error(
                f"Every TOKEN_HASH_KEYS key needs at least {MIN_HASH_KEY_LENGTH} "
                f"characters; {len(short)} key(s) are shorter.",
                id="tokens.E002",
            )
        )

    rate = api_settings.DEFAULT_THROTTLE_RATES.get("token")
    try:
        if rate is not None:
            SimpleRateThrottle.parse_rate(None, rate)
    except (ValueError, KeyError, IndexError):
        errors.append(
            Error(
                f"TOKEN_RATE_LIMIT must read like '1200/minute', got {rate!r}.",
                id="tokens.E003",
            )
        )

    for name in ("FAILED_AUTH_LIMIT", "FAILED_AUTH_WINDOW_SECONDS", "RETENTION_DAYS"):
        if int(token_setting(name)) < 1:
            errors.append(
                Error(f"TOKENS['{name}'] must be at least 1.", id="tokens.E004")
            )
    return errors
