import pytest
from django.urls import reverse

from tests.factories import UserFactory
from tokens.models import AuthToken, TokenEvent


@pytest.fixture
def staff_client(client, db):
    admin = UserFactory(username="root", is_staff=True, is_superuser=True)
    client.force_login(admin)
    client.admin = admin
    return client


def test_staff_see_every_token_but_never_its_secret_or_hash(
    staff_client, user, make_token
):
    token, clear = make_token(user)

    response = staff_client.get(reverse("admin:tokens_authtoken_changelist"))
    detail = staff_client.get(reverse("admin:tokens_authtoken_change", args=[token.pk]))

    for page in (response, detail):
        content = page.content.decode()
        assert page.status_code == 200
        assert token.display in content
        assert clear not in content
        assert token.digest not in content


def test_tokens_cannot_be_created_in_the_admin(staff_client):
    response = staff_client.get(reverse("admin:tokens_authtoken_add"))

    assert response.status_code == 403


def test_scopes_cannot_be_edited_in_the_admin(staff_client, user, make_token):
    token, _ = make_token(user, scopes=["leads:read"])

    response = staff_client.post(
        reverse("admin:tokens_authtoken_change", args=[token.pk]),
        {"name": "x", "scopes": '["leads:delete"]'},
    )

    assert response.status_code == 403
    assert AuthToken.objects.get(pk=token.pk).scopes == ["leads:read"]


def test_staff_revoke_tokens_in_bulk(staff_client, user, make_token):
    first, _ = make_token(user)
    second, _ = make_token(user)
    kept, _ = make_token(user)

    staff_client.post(
        reverse("admin:tokens_authtoken_changelist"),
        {"action": "revoke_selected", "_selected_action": [first.pk, second.pk]},
    )

    revoked = AuthToken.objects.revoked()
    assert set(revoked.values_list("pk", flat=True)) == {first.pk, second.pk}
    assert {token.revoked_by for token in revoked} == {staff_client.admin}
    assert AuthToken.objects.get(pk=kept.pk).revoked_at is None
    assert TokenEvent.objects.filter(kind=TokenEvent.Kind.REVOKED).count() == 2


@pytest.mark.parametrize("status", ["active", "revoked"])
def test_tokens_filter_by_status(staff_client, user, make_token, status):
    active, _ = make_token(user)
    revoked, _ = make_token(user)
    revoked.revoked_at = revoked.created_at
    revoked.save()

    response = staff_client.get(
        reverse("admin:tokens_authtoken_changelist"), {"status": status}
    )

    shown = {token.pk for token in response.context["cl"].result_list}
    assert shown == {active.pk if status == "active" else revoked.pk}


def test_tokens_filter_by_user(staff_client, user, make_token):
    other = UserFactory(permissions=["crm.view_lead"])
    make_token(user)
    theirs, _ = make_token(other, scopes=["leads:read"])

    response = staff_client.get(
        reverse("admin:tokens_authtoken_changelist"), {"user__id__exact": other.pk}
    )

    assert [token.pk for token in response.context["cl"].result_list] == [theirs.pk]


def test_audit_trail_is_shown_on_the_token_page(staff_client, user, make_token):
    token, _ = make_token(user)

    response = staff_client.get(
        reverse("admin:tokens_authtoken_change", args=[token.pk])
    )

    assert "Generated" in response.content.decode()


@pytest.mark.parametrize(
    "model", ["account", "contact", "lead", "deal", "pipeline", "user"]
)
def test_crm_changelists_render_with_search(staff_client, model):
    response = staff_client.get(reverse(f"admin:crm_{model}_changelist"), {"q": "a"})

    assert response.status_code == 200


def test_an_application_cannot_be_moved_to_another_user(staff_client, user):
    from tests.factories import ApplicationFactory

    application = ApplicationFactory(user=user, name="Metabase")
    other = UserFactory()

    staff_client.post(
        reverse("admin:tokens_application_change", args=[application.pk]),
        {"name": "Metabase", "description": "", "user": other.pk},
    )

    application.refresh_from_db()
    assert application.user == user


def test_applications_cannot_be_created_for_users_in_the_admin(staff_client):
    response = staff_client.get(reverse("admin:tokens_application_add"))

    assert response.status_code == 403


def test_audit_events_cannot_be_deleted_in_the_admin(staff_client, user, make_token):
    token, _ = make_token(user)
    event = token.events.get()

    response = staff_client.post(
        reverse("admin:tokens_tokenevent_delete", args=[event.pk]), {"post": "yes"}
    )

    assert response.status_code == 403
    assert TokenEvent.objects.filter(pk=event.pk).exists()


def test_tokens_cannot_be_deleted_in_the_admin(staff_client, user, make_token):
    token, _ = make_token(user)

    response = staff_client.post(
        reverse("admin:tokens_authtoken_delete", args=[token.pk]), {"post": "yes"}
    )

    assert response.status_code == 403
    assert AuthToken.objects.filter(pk=token.pk).exists()
