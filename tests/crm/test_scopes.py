"""Each new module × action: allowed with scope and permission, 403 without either."""

import pytest

from tests.factories import (
    CallFactory,
    CampaignFactory,
    DealFactory,
    DealLineItemFactory,
    MeetingFactory,
    NoteFactory,
    ProductFactory,
    TagFactory,
    TaskFactory,
    TicketFactory,
)
from tokens.permissions import MISSING_PERMISSION_MESSAGE, MISSING_SCOPE_MESSAGE
from tokens.scopes import ACTIONS, ALL_SCOPES, MODULES, permission_for, scope_name


def line_item_payload(owner):
    return {
        "deal": DealFactory(owner=owner).pk,
        "product": ProductFactory(owner=owner).pk,
        "quantity": "2",
    }


# Module -> (list URL, make an existing record the owner sees, payload for a new one).
NEW_MODULES = {
    "tasks": (
        "/api/v1/tasks/",
        lambda owner: TaskFactory(owner=owner),
        lambda owner: {"subject": "Send quote"},
    ),
    "calls": (
        "/api/v1/calls/",
        lambda owner: CallFactory(owner=owner),
        lambda owner: {
            "subject": "Intro call",
            "direction": "outbound",
            "start": "2026-01-05T10:00:00Z",
        },
    ),
    "meetings": (
        "/api/v1/meetings/",
        lambda owner: MeetingFactory(owner=owner),
        lambda owner: {
            "subject": "Demo",
            "start": "2026-01-05T10:00:00Z",
            "end": "2026-01-05T11:00:00Z",
        },
    ),
    "notes": (
        "/api/v1/notes/",
        lambda owner: NoteFactory(owner=owner),
        lambda owner: {
            "body": "Asked for a discount.",
            "deal": DealFactory(owner=owner).pk,
        },
    ),
    "tickets": (
        "/api/v1/tickets/",
        lambda owner: TicketFactory(owner=owner),
        lambda owner: {"subject": "Cannot log in"},
    ),
    "products": (
        "/api/v1/products/",
        lambda owner: ProductFactory(),
        lambda owner: {"name": "Widget", "code": "W-1", "unit_price": "9.99"},
    ),
    "tags": (
        "/api/v1/tags/",
        lambda owner: TagFactory(),
        lambda owner: {"name": "Hot"},
    ),
    "campaigns": (
        "/api/v1/campaigns/",
        lambda owner: CampaignFactory(owner=owner),
        lambda owner: {"name": "Spring webinar", "campaign_type": "webinar"},
    ),
    "line_items": (
        "/api/v1/line-items/",
        lambda owner: DealLineItemFactory(deal__owner=owner),
        line_item_payload,
    ),
}
CASES = [(module, action) for module in NEW_MODULES for action in ACTIONS]
# Writing a line item changes its deal's amount, so it needs deals:update too.
EXTRA_SCOPES = {
    ("line_items", "create"): ["deals:update"],
    ("line_items", "update"): ["deals:update"],
    ("line_items", "delete"): ["deals:update"],
}
SUCCESS = {"read": 200, "create": 201, "update": 200, "delete": 204}


def send(client, module, action, owner):
    url, make, payload = NEW_MODULES[module]
    if action == "read":
        return client.get(url)
    if action == "create":
        return client.post(url, payload(owner), format="json")
    record = make(owner)
    if action == "update":
        return client.patch(f"{url}{record.pk}/", {}, format="json")
    return client.delete(f"{url}{record.pk}/")


def test_every_new_module_is_a_scope_module():
    assert set(NEW_MODULES) <= set(MODULES)


@pytest.mark.parametrize(("module", "action"), CASES)
def test_token_with_scope_and_permission_is_allowed(
    scoped_client, user, module, action
):
    scopes = [scope_name(module, action), *EXTRA_SCOPES.get((module, action), [])]
    client = scoped_client(user, scopes)

    response = send(client, module, action, user)

    assert response.status_code == SUCCESS[action], response.content


@pytest.mark.parametrize(("module", "action"), CASES)
def test_token_missing_the_scope_is_refused_with_403(
    scoped_client, user, module, action
):
    scope = scope_name(module, action)
    client = scoped_client(user, [s for s in ALL_SCOPES if s != scope])

    response = send(client, module, action, user)

    assert response.status_code == 403
    assert response.json() == {
        "detail": MISSING_SCOPE_MESSAGE.format(scope=scope),
        "code": "permission_denied",
    }


@pytest.mark.parametrize(("module", "action"), CASES)
def test_user_missing_the_permission_is_refused_with_403(
    scoped_client, user, revoke_permission, module, action
):
    client = scoped_client(user, ALL_SCOPES)
    revoke_permission(user, permission_for(scope_name(module, action)))

    response = send(client, module, action, user)

    assert response.status_code == 403
    assert response.json() == {
        "detail": MISSING_PERMISSION_MESSAGE,
        "code": "permission_denied",
    }


@pytest.mark.parametrize("action", ["create", "update", "delete"])
def test_line_item_write_without_deals_update_scope_is_refused_with_403(
    scoped_client, user, action
):
    client = scoped_client(user, [scope_name("line_items", action)])

    response = send(client, "line_items", action, user)

    assert response.status_code == 403
    assert response.json()["detail"] == MISSING_SCOPE_MESSAGE.format(
        scope="deals:update"
    )
