from datetime import timedelta

import pytest
from django.utils import timezone
from rest_framework.test import APIRequestFactory

from tests.factories import UserFactory
from tokens import crypto
from tokens.authentication import INVALID_TOKEN_MESSAGE, BearerTokenAuthentication
from tokens.models import AuthToken, TokenEvent
from tokens.services import token_revoke

LEADS_URL = "/api/v1/leads/"
INVALID_CHALLENGE = 'Bearer realm="api", error="invalid_token"'
MISSING_CHALLENGE = 'Bearer realm="api"'
UNAUTHENTICATED_BODY = {"detail": INVALID_TOKEN_MESSAGE, "code": "not_authenticated"}


def bearer(value):
    return {"HTTP_AUTHORIZATION": f"Bearer {value}"}


def tamper(clear):
    """The same token with one secret character changed (checksum left as is)."""
    position = len(crypto.PREFIX) + crypto.ID_LENGTH + 5
    replacement = "a" if clear[position] != "a" else "b"
    return clear[:position] + replacement + clear[position + 1 :]


@pytest.fixture
def token_and_clear(user, make_token):
    return make_token(user)


@pytest.fixture
def later(monkeypatch):
    """Move the clock forward: ``later(hours=2)``."""

    def move(**delta):
        target = timezone.now() + timedelta(**delta)
        monkeypatch.setattr(timezone, "now", lambda: target)
        return target

    return move


def test_valid_token_lists_leads(api_client, token_and_clear):
    _, clear = token_and_clear

    response = api_client.get(LEADS_URL, **bearer(clear))

    assert response.status_code == 200
    assert response.json()["results"] == []


@pytest.mark.parametrize("keyword", ["bearer", "BEARER", "BeArEr"])
def test_bearer_keyword_is_case_insensitive(api_client, token_and_clear, keyword):
    _, clear = token_and_clear

    response = api_client.get(LEADS_URL, HTTP_AUTHORIZATION=f"{keyword} {clear}")

    assert response.status_code == 200


def test_missing_header_is_rejected_with_401_and_bearer_challenge(api_client, db):
    response = api_client.get(LEADS_URL)

    assert response.status_code == 401
    assert response.json() == UNAUTHENTICATED_BODY
    assert response["WWW-Authenticate"] == MISSING_CHALLENGE


@pytest.mark.parametrize(
    "header",
    [
        "Bearer",
        "Bearer  ",
        "Bearer one two",
        "Bearer not-a-token",
        "Bearer crm_pat_short",
        "Bearer \u00e9t\u00e9",
    ],
    ids=["no-token", "blank", "two-parts", "garbage", "short", "non-ascii"],
)
def test_malformed_header_is_rejected_with_401(api_client, db, header):
    response = api_client.get(
        LEADS_URL, HTTP_AUTHORIZATION=header.encode().decode("latin-1")
    )

    assert response.status_code == 401
    assert response.json() == UNAUTHENTICATED_BODY
    assert response["WWW-Authenticate"] == INVALID_CHALLENGE


def test_mistyped_token_is_rejected_without_a_query(
    token_and_clear, django_assert_num_queries
):
    _, clear = token_and_clear
    request = APIRequestFactory().get(LEADS_URL, **bearer(tamper(clear)))

    with django_assert_num_queries(0), pytest.raises(Exception) as raised:
        BearerTokenAuthentication().authenticate(request)

    assert str(raised.value.detail) == INVALID_TOKEN_MESSAGE


def test_unknown_token_is_rejected_with_401(api_client, db):
    clear, _ = crypto.generate_token()

    response = api_client.get(LEADS_URL, **bearer(clear))

    assert response.status_code == 401
    assert response.json() == UNAUTHENTICATED_BODY
    assert response["WWW-Authenticate"] == INVALID_CHALLENGE


def test_token_with_known_id_and_wrong_secret_is_rejected(api_client, token_and_clear):
    token, _ = token_and_clear
    forged_body = f"{crypto.PREFIX}{token.public_id}_{'x' * crypto.SECRET_LENGTH}"
    forged = forged_body + crypto.checksum(forged_body)

    response = api_client.get(LEADS_URL, **bearer(forged))

    assert response.status_code == 401
    assert response.json() == UNAUTHENTICATED_BODY


def test_expired_token_is_rejected_with_401(api_client, token_and_clear, later):
    token, clear = token_and_clear
    later(hours=1, seconds=1)

    response = api_client.get(LEADS_URL, **bearer(clear))

    assert response.status_code == 401
    assert response.json() == UNAUTHENTICATED_BODY
    assert token.events.filter(kind=TokenEvent.Kind.REFUSED, reason="expired").exists()


def test_token_works_until_just_before_expiry(api_client, token_and_clear, later):
    _, clear = token_and_clear
    later(minutes=59)

    response = api_client.get(LEADS_URL, **bearer(clear))

    assert response.status_code == 200


def test_revoked_token_is_rejected_on_the_next_request(
    api_client, user, token_and_clear
):
    token, clear = token_and_clear
    assert api_client.get(LEADS_URL, **bearer(clear)).status_code == 200

    token_revoke(token=token, actor=user)
    response = api_client.get(LEADS_URL, **bearer(clear))

    assert response.status_code == 401
    assert response.json() == UNAUTHENTICATED_BODY
    assert token.events.filter(kind=TokenEvent.Kind.REFUSED, reason="revoked").exists()


def test_token_of_deactivated_owner_is_rejected(api_client, user, token_and_clear):
    _, clear = token_and_clear
    user.is_active = False
    user.save()

    response = api_client.get(LEADS_URL, **bearer(clear))

    assert response.status_code == 401
    assert response.json() == UNAUTHENTICATED_BODY


@pytest.mark.parametrize(
    "where",
    [
        {"path": LEADS_URL + "?access_token={clear}"},
        {"path": LEADS_URL + "?token={clear}"},
        {"cookie": "access_token"},
    ],
    ids=["query-access_token", "query-token", "cookie"],
)
def test_token_outside_the_authorization_header_is_ignored(
    api_client, token_and_clear, where
):
    _, clear = token_and_clear
    if "cookie" in where:
        api_client.cookies[where["cookie"]] = clear
        response = api_client.get(LEADS_URL)
    else:
        response = api_client.get(where["path"].format(clear=clear))

    assert response.status_code == 401


def test_token_in_form_body_is_ignored(api_client, token_and_clear):
    _, clear = token_and_clear

    response = api_client.post(
        LEADS_URL, {"access_token": clear, "last_name": "X"}, format="multipart"
    )

    assert response.status_code == 401


def test_session_login_still_reaches_the_browsable_api(client, user):
    client.force_login(user)

    response = client.get(LEADS_URL, HTTP_ACCEPT="text/html")

    assert response.status_code == 200
    assert b"Lead List" in response.content


def test_last_used_is_written_once_per_minute(api_client, token_and_clear, later):
    token, clear = token_and_clear
    api_client.get(LEADS_URL, **bearer(clear), REMOTE_ADDR="10.1.2.3")
    first = AuthToken.objects.get(pk=token.pk).last_used_at

    later(seconds=30)
    api_client.get(LEADS_URL, **bearer(clear), REMOTE_ADDR="10.9.9.9")
    unchanged = AuthToken.objects.get(pk=token.pk)

    later(seconds=61)
    api_client.get(LEADS_URL, **bearer(clear), REMOTE_ADDR="10.9.9.9")
    moved = AuthToken.objects.get(pk=token.pk)

    assert first is not None
    assert (unchanged.last_used_at, unchanged.last_used_ip) == (first, "10.1.2.3")
    assert moved.last_used_at > first
    assert moved.last_used_ip == "10.9.9.9"


def test_first_use_is_recorded_once_in_the_audit_trail(
    api_client, token_and_clear, later
):
    token, clear = token_and_clear
    api_client.get(LEADS_URL, **bearer(clear))
    later(minutes=5)
    api_client.get(LEADS_URL, **bearer(clear))

    assert token.events.filter(kind=TokenEvent.Kind.FIRST_USED).count() == 1


def test_authentication_costs_one_query_when_last_use_is_fresh(
    token_and_clear, django_assert_num_queries
):
    token, clear = token_and_clear
    AuthToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now())
    request = APIRequestFactory().get(LEADS_URL, **bearer(clear))

    with django_assert_num_queries(1):
        user, auth = BearerTokenAuthentication().authenticate(request)

    assert (user, auth) == (token.user, token)


def test_token_hashed_with_a_rotated_out_key_still_works_and_is_rehashed(
    api_client, settings, user, make_token
):
    settings.TOKENS = {**settings.TOKENS, "HASH_KEYS": ["old-key"]}
    token, clear = make_token(user)
    old_digest = token.digest

    settings.TOKENS = {**settings.TOKENS, "HASH_KEYS": ["new-key", "old-key"]}
    response = api_client.get(LEADS_URL, **bearer(clear))

    token.refresh_from_db()
    assert response.status_code == 200
    assert token.digest != old_digest
    assert token.digest == crypto.token_digest(clear, b"new-key")


def test_token_hashed_with_a_retired_key_is_rejected(
    api_client, settings, user, make_token
):
    settings.TOKENS = {**settings.TOKENS, "HASH_KEYS": ["retired-key"]}
    _, clear = make_token(user)

    settings.TOKENS = {**settings.TOKENS, "HASH_KEYS": ["new-key"]}
    response = api_client.get(LEADS_URL, **bearer(clear))

    assert response.status_code == 401


def test_repeated_failures_from_one_address_are_throttled_with_429(
    api_client, db, settings
):
    settings.TOKENS = {**settings.TOKENS, "FAILED_AUTH_LIMIT": 3}
    for _ in range(3):
        assert api_client.get(LEADS_URL, **bearer("crm_pat_wrong")).status_code == 401

    response = api_client.get(LEADS_URL, **bearer("crm_pat_wrong"))

    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    assert response.json()["code"] == "throttled"


def test_failure_limit_does_not_block_other_addresses(
    api_client, token_and_clear, settings
):
    _, clear = token_and_clear
    settings.TOKENS = {**settings.TOKENS, "FAILED_AUTH_LIMIT": 2}
    for _ in range(3):
        api_client.get(LEADS_URL, **bearer("crm_pat_wrong"), REMOTE_ADDR="10.0.0.66")

    response = api_client.get(LEADS_URL, **bearer(clear), REMOTE_ADDR="10.0.0.7")

    assert response.status_code == 200


def test_token_rate_limit_answers_429_with_retry_after(
    api_client, token_and_clear, settings
):
    _, clear = token_and_clear
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"token": "2/minute"},
    }
    statuses = [
        api_client.get(LEADS_URL, **bearer(clear)).status_code for _ in range(3)
    ]

    response = api_client.get(LEADS_URL, **bearer(clear))

    assert statuses == [200, 200, 429]
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0


def test_rate_limit_is_per_token(api_client, user, make_token, settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"token": "1/minute"},
    }
    _, first = make_token(user)
    _, second = make_token(user)
    api_client.get(LEADS_URL, **bearer(first))

    response = api_client.get(LEADS_URL, **bearer(second))

    assert response.status_code == 200


def test_another_users_token_authenticates_as_that_user(api_client, make_token):
    other = UserFactory(permissions=["crm.view_lead"])
    _, clear = make_token(other, scopes=["leads:read"])

    response = api_client.get("/api/v1/token/", **bearer(clear))

    assert response.status_code == 200
    assert response.json()["scopes"] == ["leads:read"]


def test_forged_forwarded_for_does_not_escape_the_failure_limit(
    api_client, db, settings
):
    settings.TOKENS = {**settings.TOKENS, "FAILED_AUTH_LIMIT": 2}
    for n in range(2):
        api_client.get(
            LEADS_URL, **bearer("crm_pat_x"), HTTP_X_FORWARDED_FOR=f"10.0.0.{n}"
        )

    response = api_client.get(
        LEADS_URL, **bearer("crm_pat_x"), HTTP_X_FORWARDED_FOR="10.0.0.99"
    )

    assert response.status_code == 429


def test_forwarded_for_from_a_trusted_proxy_names_the_client(
    api_client, token_and_clear, settings
):
    token, clear = token_and_clear
    settings.TOKENS = {**settings.TOKENS, "TRUSTED_PROXIES": 1}

    api_client.get(
        LEADS_URL, **bearer(clear), HTTP_X_FORWARDED_FOR="203.0.113.9, 198.51.100.7"
    )

    assert AuthToken.objects.get(pk=token.pk).last_used_ip == "198.51.100.7"


def test_garbage_forwarded_for_is_not_stored(api_client, token_and_clear, settings):
    token, clear = token_and_clear
    settings.TOKENS = {**settings.TOKENS, "TRUSTED_PROXIES": 1}

    response = api_client.get(
        LEADS_URL, **bearer(clear), HTTP_X_FORWARDED_FOR="not-an-address"
    )

    assert response.status_code == 200
    assert AuthToken.objects.get(pk=token.pk).last_used_ip is None
