import re

import pytest
from django.urls import reverse

from tests.factories import ApplicationFactory, UserFactory
from tokens import crypto
from tokens.models import Application, AuthToken, TokenEvent

SETTINGS_URL = reverse("tokens:settings")
GENERATE_URL = reverse("tokens:generate")
TOKEN_IN_PAGE = re.compile(r"crm_pat_[0-9A-Za-z]{12}_[0-9A-Za-z]{36}")


@pytest.fixture
def signed_in(client, user):
    client.force_login(user)
    return client


def generate_form(client, **fields):
    page = client.get(GENERATE_URL)
    nonce = page.context["form"]["form_nonce"].value()
    data = {
        "name": "Reporting",
        "application": "__new__",
        "new_application": "Metabase",
        "scopes": ["leads:read"],
        "validity": "8",
        "form_nonce": nonce,
        **fields,
    }
    return data


def test_settings_page_needs_a_signed_in_user(client, db):
    response = client.get(SETTINGS_URL)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_settings_page_lists_tokens_without_secrets(signed_in, user, make_token):
    token, clear = make_token(user)

    response = signed_in.get(SETTINGS_URL)

    content = response.content.decode()
    assert token.name in content
    assert token.display in content
    assert clear not in content
    assert token.digest not in content


def test_form_offers_only_scopes_the_users_permissions_allow(client, db):
    reader = UserFactory(permissions=["crm.view_lead", "crm.view_deal"])
    client.force_login(reader)

    response = client.get(GENERATE_URL)

    offered = [value for value, _ in response.context["form"].fields["scopes"].choices]
    assert offered == ["leads:read", "deals:read"]


def test_generating_shows_the_token_once(signed_in, user):
    response = signed_in.post(GENERATE_URL, generate_form(signed_in))

    content = response.content.decode()
    clear = TOKEN_IN_PAGE.search(content).group()
    token = AuthToken.objects.get(user=user)
    assert response.status_code == 200
    assert "will not be shown again" in content
    assert response["Cache-Control"].startswith("max-age=0")
    assert "no-store" in response["Cache-Control"]
    assert crypto.parse_token(clear).public_id == token.public_id
    assert token.application.name == "Metabase"
    assert token.scopes == ["leads:read"]
    assert TOKEN_IN_PAGE.search(signed_in.get(SETTINGS_URL).content.decode()) is None


def test_resubmitting_the_same_form_generates_nothing(signed_in, user):
    data = generate_form(signed_in)
    signed_in.post(GENERATE_URL, data)

    again = signed_in.post(GENERATE_URL, data, follow=True)

    assert AuthToken.objects.filter(user=user).count() == 1
    assert TOKEN_IN_PAGE.search(again.content.decode()) is None
    assert "already used" in again.content.decode()


def test_existing_application_can_be_chosen(signed_in, user):
    application = ApplicationFactory(user=user, name="Zapier")

    signed_in.post(
        GENERATE_URL, generate_form(signed_in, application=str(application.pk))
    )

    assert AuthToken.objects.get(user=user).application == application


def test_another_users_application_cannot_be_chosen(signed_in, user):
    foreign = ApplicationFactory(name="Foreign")

    response = signed_in.post(
        GENERATE_URL, generate_form(signed_in, application=str(foreign.pk))
    )

    assert response.status_code == 400
    assert "application" in response.context["form"].errors
    assert not AuthToken.objects.exists()


def test_custom_validity_is_accepted_up_to_24_hours(signed_in, user):
    signed_in.post(
        GENERATE_URL, generate_form(signed_in, validity="custom", custom_hours="24")
    )

    token = AuthToken.objects.get(user=user)
    assert (token.expires_at - token.created_at).total_seconds() == 24 * 3600


def test_custom_validity_over_24_hours_is_refused(signed_in, user):
    response = signed_in.post(
        GENERATE_URL, generate_form(signed_in, validity="custom", custom_hours="25")
    )

    assert response.status_code == 400
    assert "custom_hours" in response.context["form"].errors
    assert not AuthToken.objects.exists()


def test_scope_beyond_the_users_permissions_is_refused(client, db):
    reader = UserFactory(permissions=["crm.view_lead"])
    client.force_login(reader)

    response = client.post(GENERATE_URL, generate_form(client, scopes=["leads:delete"]))

    assert response.status_code == 400
    assert "scopes" in response.context["form"].errors
    assert not AuthToken.objects.exists()


def test_missing_name_is_refused(signed_in):
    response = signed_in.post(GENERATE_URL, generate_form(signed_in, name=""))

    assert response.status_code == 400
    assert "name" in response.context["form"].errors


def test_revoke_asks_for_confirmation_first(signed_in, user, make_token):
    token, _ = make_token(user)

    response = signed_in.get(reverse("tokens:revoke", args=[token.public_id]))

    assert response.status_code == 200
    assert AuthToken.objects.get(pk=token.pk).revoked_at is None


def test_revoking_from_the_page_stops_the_token(
    signed_in, api_client, user, make_token
):
    token, clear = make_token(user)

    signed_in.post(reverse("tokens:revoke", args=[token.public_id]))
    response = api_client.get("/api/v1/leads/", HTTP_AUTHORIZATION=f"Bearer {clear}")

    assert response.status_code == 401
    assert AuthToken.objects.get(pk=token.pk).revoked_by == user


def test_another_users_token_cannot_be_revoked(signed_in, make_token):
    token, _ = make_token(
        UserFactory(permissions=["crm.view_lead"]), scopes=["leads:read"]
    )

    response = signed_in.post(reverse("tokens:revoke", args=[token.public_id]))

    assert response.status_code == 404
    assert AuthToken.objects.get(pk=token.pk).revoked_at is None


def test_revoking_an_application_revokes_all_its_tokens(signed_in, user, make_token):
    application = ApplicationFactory(user=user)
    first, _ = make_token(user, application=application)
    second, _ = make_token(user, application=application)
    elsewhere, _ = make_token(user)

    signed_in.post(reverse("tokens:application-revoke", args=[application.pk]))

    assert AuthToken.objects.revoked().count() == 2
    assert set(AuthToken.objects.revoked().values_list("pk", flat=True)) == {
        first.pk,
        second.pk,
    }
    assert AuthToken.objects.get(pk=elsewhere.pk).revoked_at is None


def test_expired_and_revoked_tokens_stay_listed_with_their_status(
    signed_in, user, make_token, monkeypatch
):
    from datetime import timedelta

    from django.utils import timezone

    revoked, _ = make_token(user)
    signed_in.post(reverse("tokens:revoke", args=[revoked.public_id]))
    make_token(user)
    later = timezone.now() + timedelta(hours=2)
    monkeypatch.setattr(timezone, "now", lambda: later)
    make_token(user)

    rows = signed_in.get(SETTINGS_URL).context["rows"]

    assert sorted(status for _, status, _ in rows) == ["active", "expired", "revoked"]


def test_audit_trail_shows_refusals(signed_in, api_client, user, make_token):
    token, clear = make_token(user, scopes=["leads:read"])
    api_client.post(
        "/api/v1/leads/", {"last_name": "X"}, HTTP_AUTHORIZATION=f"Bearer {clear}"
    )

    response = signed_in.get(reverse("tokens:detail", args=[token.public_id]))

    kinds = [event.kind for event in response.context["events"]]
    assert TokenEvent.Kind.REFUSED in kinds
    assert "missing_scope:leads:create" in response.content.decode()


def test_application_names_are_per_user(signed_in, user):
    ApplicationFactory(name="Metabase")

    signed_in.post(GENERATE_URL, generate_form(signed_in))

    assert Application.objects.filter(name="Metabase").count() == 2
