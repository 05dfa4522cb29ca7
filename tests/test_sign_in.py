from tests.factories import UserFactory

PASSWORD = "correct horse battery staple"


def sign_in(client, username, password, address="10.0.0.1"):
    return client.post(
        "/login/", {"username": username, "password": password}, REMOTE_ADDR=address
    )


def test_sign_in_with_the_right_password_goes_to_settings(client, db):
    UserFactory(username="ana")

    response = sign_in(client, "ana", PASSWORD)

    assert response.status_code == 302
    assert response["Location"] == "/settings/api/"


def test_repeated_wrong_passwords_are_throttled_with_429(client, db, settings):
    settings.TOKENS = {**settings.TOKENS, "FAILED_AUTH_LIMIT": 3}
    UserFactory(username="ana")
    for _ in range(3):
        assert sign_in(client, "ana", "wrong").status_code == 200

    response = sign_in(client, "ana", PASSWORD)

    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    assert "Too many failed sign-ins" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_sign_in_limit_is_per_address(client, db, settings):
    settings.TOKENS = {**settings.TOKENS, "FAILED_AUTH_LIMIT": 2}
    UserFactory(username="ana")
    for _ in range(2):
        sign_in(client, "ana", "wrong", address="10.0.0.66")

    response = sign_in(client, "ana", PASSWORD, address="10.0.0.7")

    assert response.status_code == 302
