from tokens.authentication import INVALID_TOKEN_MESSAGE
from tokens.models import AuthToken

TOKEN_URL = "/api/v1/token/"


def test_token_describes_itself_without_its_secret(api_client, user, make_token):
    token, clear = make_token(user, scopes=["leads:read", "deals:read"])

    response = api_client.get(TOKEN_URL, HTTP_AUTHORIZATION=f"Bearer {clear}")

    body = response.json()
    assert response.status_code == 200
    assert body == {
        "id": token.public_id,
        "name": "Test token",
        "application": token.application.name,
        "display": token.display,
        "scopes": ["leads:read", "deals:read"],
        "status": "active",
        "created_at": body["created_at"],
        "expires_at": body["expires_at"],
        "last_used_at": body["last_used_at"],
    }
    assert clear not in response.content.decode()
    assert token.digest not in response.content.decode()


def test_token_revokes_itself_and_the_next_call_fails(api_client, user, make_token):
    token, clear = make_token(user)
    api_client.credentials(HTTP_AUTHORIZATION=f"Bearer {clear}")

    deleted = api_client.delete(TOKEN_URL)
    after = api_client.get("/api/v1/leads/")

    assert deleted.status_code == 204
    assert AuthToken.objects.get(pk=token.pk).revoked_by == user
    assert after.status_code == 401
    assert after.json()["detail"] == INVALID_TOKEN_MESSAGE


def test_a_token_cannot_create_tokens(api_client, user, make_token):
    _, clear = make_token(user)

    response = api_client.post(TOKEN_URL, {}, HTTP_AUTHORIZATION=f"Bearer {clear}")

    assert response.status_code == 405
    assert AuthToken.objects.count() == 1


def test_session_user_cannot_use_the_token_endpoint(client, user):
    client.force_login(user)

    response = client.get(TOKEN_URL)

    assert response.status_code == 401


def test_anonymous_request_to_the_token_endpoint_is_401(api_client, db):
    response = api_client.get(TOKEN_URL)

    assert response.status_code == 401
    assert response["WWW-Authenticate"] == 'Bearer realm="api"'


def test_a_throttled_token_can_still_revoke_itself(
    api_client, user, make_token, settings
):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"token": "1/minute"},
    }
    token, clear = make_token(user)
    api_client.credentials(HTTP_AUTHORIZATION=f"Bearer {clear}")
    api_client.get(TOKEN_URL)
    assert api_client.get(TOKEN_URL).status_code == 429

    response = api_client.delete(TOKEN_URL)

    assert response.status_code == 204
    assert AuthToken.objects.get(pk=token.pk).revoked_at is not None
