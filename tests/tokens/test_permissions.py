from datetime import date

import pytest
from django.contrib.auth.models import Permission

from crm.models import Target
from tests.factories import AccountFactory, ContactFactory, DealFactory, LeadFactory
from tokens.models import TokenEvent
from tokens.permissions import MISSING_PERMISSION_MESSAGE, MISSING_SCOPE_MESSAGE
from tokens.scopes import ACTIONS, permission_for, scope_name


def make_target(owner):
    return Target.objects.create(
        user=owner, period_kind="month", period_start=date(2027, 1, 1), amount=100
    )


# Module -> (make a record owned by a user, body to create one, body to update one).
CASES = {
    "accounts": (
        lambda owner: AccountFactory(owner=owner),
        lambda owner: {"name": "Globex"},
        {"description": "changed"},
    ),
    "contacts": (
        lambda owner: ContactFactory(owner=owner),
        lambda owner: {"last_name": "Doe", "email": "doe@example.com"},
        {"description": "changed"},
    ),
    "leads": (
        lambda owner: LeadFactory(owner=owner),
        lambda owner: {"last_name": "Roe", "company": "Initech"},
        {"description": "changed"},
    ),
    "deals": (
        lambda owner: DealFactory(owner=owner),
        lambda owner: {"name": "Big deal", "stage": DealFactory.build().stage.pk},
        {"description": "changed"},
    ),
    "targets": (
        make_target,
        lambda owner: {
            "user": owner.pk,
            "period_kind": "quarter",
            "period_start": "2027-04-01",
            "amount": "5000",
        },
        {"amount": "7000"},
    ),
}
MATRIX = [(module, action) for module in CASES for action in ACTIONS]


def perform(client, module, action, owner):
    """Send the request that needs ``module:action``; return the response."""
    make, create_body, update_body = CASES[module]
    if action == "create":
        return client.post(f"/api/v1/{module}/", create_body(owner), format="json")
    url = f"/api/v1/{module}/{make(owner).pk}/"
    if action == "read":
        return client.get(url)
    if action == "update":
        return client.patch(url, update_body, format="json")
    return client.delete(url)


EXPECTED_SUCCESS = {"read": 200, "create": 201, "update": 200, "delete": 204}


@pytest.mark.parametrize(("module", "action"), MATRIX)
def test_token_with_the_scope_is_allowed(api_client, user, make_token, module, action):
    _, clear = make_token(user, scopes=[scope_name(module, action)])
    api_client.credentials(HTTP_AUTHORIZATION=f"Bearer {clear}")

    response = perform(api_client, module, action, user)

    assert response.status_code == EXPECTED_SUCCESS[action], response.content


@pytest.mark.parametrize(("module", "action"), MATRIX)
def test_token_without_the_scope_is_refused_with_403(
    api_client, user, make_token, module, action
):
    other_scopes = [scope_name(m, a) for m, a in MATRIX if (m, a) != (module, action)]
    token, clear = make_token(user, scopes=other_scopes)
    api_client.credentials(HTTP_AUTHORIZATION=f"Bearer {clear}")

    response = perform(api_client, module, action, user)

    scope = scope_name(module, action)
    assert response.status_code == 403
    assert response.json() == {
        "detail": MISSING_SCOPE_MESSAGE.format(scope=scope),
        "code": "permission_denied",
    }
    assert token.events.filter(
        kind=TokenEvent.Kind.REFUSED, reason=f"missing_scope:{scope}"
    ).exists()


@pytest.mark.parametrize(("module", "action"), MATRIX)
def test_scope_without_the_owners_permission_is_refused_with_403(
    api_client, user, make_token, module, action
):
    scope = scope_name(module, action)
    _, clear = make_token(user, scopes=[scope])
    app_label, codename = permission_for(scope).split(".")
    user.user_permissions.remove(
        Permission.objects.get(content_type__app_label=app_label, codename=codename)
    )
    api_client.credentials(HTTP_AUTHORIZATION=f"Bearer {clear}")

    response = perform(api_client, module, action, user)

    assert response.status_code == 403
    assert response.json() == {
        "detail": MISSING_PERMISSION_MESSAGE,
        "code": "permission_denied",
    }


def test_permission_granted_through_a_group_counts(api_client, make_token, db):
    from django.contrib.auth.models import Group

    from tests.factories import UserFactory

    group = Group.objects.create(name="Readers")
    group.permissions.add(Permission.objects.get(codename="view_lead"))
    member = UserFactory()
    member.groups.add(group)
    _, clear = make_token(member, scopes=["leads:read"])

    response = api_client.get("/api/v1/leads/", HTTP_AUTHORIZATION=f"Bearer {clear}")

    assert response.status_code == 200


def test_session_user_needs_the_view_permission_to_list(client, db):
    from tests.factories import UserFactory

    client.force_login(UserFactory())

    response = client.get("/api/v1/leads/")

    assert response.status_code == 403


def test_a_token_that_may_update_but_not_read_gets_back_only_the_id(
    api_client, user, make_token
):
    lead = LeadFactory(owner=user, email="secret@example.com")
    _, clear = make_token(user, scopes=["leads:update"])

    response = api_client.patch(
        f"/api/v1/leads/{lead.pk}/", {}, HTTP_AUTHORIZATION=f"Bearer {clear}"
    )

    assert response.status_code == 200
    assert response.json() == {"id": lead.pk}


def test_a_token_that_may_create_but_not_read_gets_back_only_the_id(
    api_client, user, make_token
):
    _, clear = make_token(user, scopes=["leads:create"])

    response = api_client.post(
        "/api/v1/leads/",
        {"last_name": "Roe", "email": "roe@example.com"},
        format="json",
        HTTP_AUTHORIZATION=f"Bearer {clear}",
    )

    assert response.status_code == 201
    assert list(response.json()) == ["id"]


def test_a_token_that_may_read_gets_the_whole_record_after_a_write(
    api_client, user, make_token
):
    lead = LeadFactory(owner=user)
    _, clear = make_token(user, scopes=["leads:update", "leads:read"])

    response = api_client.patch(
        f"/api/v1/leads/{lead.pk}/", {}, HTTP_AUTHORIZATION=f"Bearer {clear}"
    )

    assert response.json()["email"] == lead.email


def test_write_errors_still_name_the_field_for_a_write_only_token(
    api_client, user, make_token
):
    _, clear = make_token(user, scopes=["leads:create"])

    response = api_client.post(
        "/api/v1/leads/", {}, format="json", HTTP_AUTHORIZATION=f"Bearer {clear}"
    )

    assert response.status_code == 400
    assert "last_name" in response.json()["errors"]


@pytest.mark.parametrize("method", ["post", "put", "delete"])
def test_a_method_a_route_lacks_answers_405_not_403(
    api_client, user, make_token, method
):
    _, clear = make_token(user, scopes=["deals:read"])

    response = getattr(api_client, method)(
        "/api/v1/pipelines/", HTTP_AUTHORIZATION=f"Bearer {clear}"
    )

    assert response.status_code == 405
    assert not TokenEvent.objects.filter(kind=TokenEvent.Kind.REFUSED).exists()


def test_options_does_not_record_refusals_for_methods_it_only_asks_about(
    api_client, user, make_token
):
    token, clear = make_token(user, scopes=["leads:read"])

    response = api_client.options(
        "/api/v1/leads/", HTTP_AUTHORIZATION=f"Bearer {clear}"
    )

    assert response.status_code == 200
    assert not token.events.filter(kind=TokenEvent.Kind.REFUSED).exists()


def test_repeated_refusals_are_recorded_once_a_minute(api_client, user, make_token):
    token, clear = make_token(user, scopes=["leads:read"])
    for _ in range(5):
        api_client.post(
            "/api/v1/leads/", {"last_name": "X"}, HTTP_AUTHORIZATION=f"Bearer {clear}"
        )

    assert token.events.filter(kind=TokenEvent.Kind.REFUSED).count() == 1


def test_a_bearer_request_asking_for_html_gets_json(api_client, user, make_token):
    ContactFactory(owner=user, last_name="Hidden-from-notes-token")
    _, clear = make_token(user, scopes=["notes:create"])

    response = api_client.post(
        "/api/v1/notes/",
        {"body": ""},
        format="json",
        HTTP_AUTHORIZATION=f"Bearer {clear}",
        HTTP_ACCEPT="text/html",
    )

    assert response["Content-Type"] == "application/json"
    assert "Hidden-from-notes-token" not in response.content.decode()


def test_a_session_user_still_gets_the_browsable_api(client, user):
    client.force_login(user)

    response = client.get("/api/v1/leads/", HTTP_ACCEPT="text/html")

    assert response["Content-Type"].startswith("text/html")
