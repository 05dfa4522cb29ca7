import pytest

from tokens.checks import check_token_settings


def error_ids():
    return [error.id for error in check_token_settings(None)]


def test_default_settings_pass_the_checks():
    assert error_ids() == []


def test_a_lifetime_cap_above_24_hours_fails_the_checks(settings):
    settings.TOKENS = {**settings.TOKENS, "MAX_LIFETIME_HOURS": 48}

    assert error_ids() == ["tokens.E001"]


def test_a_short_hash_key_fails_the_checks(settings):
    settings.TOKENS = {**settings.TOKENS, "HASH_KEYS": ["k" * 40, "short"]}

    assert error_ids() == ["tokens.E002"]


@pytest.mark.parametrize("rate", ["garbage", "5/x", "abc/minute", "5/"])
def test_an_unreadable_rate_limit_fails_the_checks(settings, rate):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"token": rate},
    }

    assert error_ids() == ["tokens.E003"]


def test_a_zero_failure_limit_fails_the_checks(settings):
    settings.TOKENS = {**settings.TOKENS, "FAILED_AUTH_LIMIT": 0}

    assert error_ids() == ["tokens.E004"]
