"""POST /<module>/bulk/: up to 100 records, all saved or none."""

import pytest

from crm.models import Lead, Task
from tests.factories import ProductFactory

MANY = 3


def leads(count):
    return [
        {"last_name": f"Person {n}", "email": f"person{n}@example.com"}
        for n in range(count)
    ]


def test_bulk_creates_every_record(token_client):
    response = token_client.post("/api/v1/leads/bulk/", leads(MANY), format="json")

    assert response.status_code == 201, response.content
    assert len(response.json()) == MANY
    assert Lead.objects.count() == MANY


def test_bulk_sets_owner_and_creator_to_the_caller(token_client, user):
    token_client.post("/api/v1/tasks/bulk/", [{"subject": "Call back"}], format="json")

    task = Task.objects.get()
    assert (task.owner, task.created_by) == (user, user)


def test_bulk_with_one_invalid_record_saves_none(token_client):
    payload = leads(MANY)
    payload[1]["email"] = "not an email"

    token_client.post("/api/v1/leads/bulk/", payload, format="json")

    assert not Lead.objects.exists()


def test_bulk_errors_are_keyed_by_position_and_field(token_client):
    payload = leads(MANY)
    payload[2]["email"] = "not an email"
    del payload[0]["last_name"]

    response = token_client.post("/api/v1/leads/bulk/", payload, format="json")

    assert response.status_code == 400
    assert response.json() == {
        "detail": "Invalid input.",
        "code": "invalid",
        "errors": {
            "0": {"last_name": ["This field is required."]},
            "2": {"email": ["Enter a valid email address."]},
        },
    }


def test_bulk_of_101_records_is_rejected_with_400(token_client):
    response = token_client.post("/api/v1/leads/bulk/", leads(101), format="json")

    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["non_field_errors"]
    assert not Lead.objects.exists()


def test_bulk_of_100_records_is_accepted(token_client):
    response = token_client.post("/api/v1/leads/bulk/", leads(100), format="json")

    assert response.status_code == 201


def test_bulk_of_no_records_is_rejected_with_400(token_client):
    response = token_client.post("/api/v1/leads/bulk/", [], format="json")

    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["non_field_errors"]


def test_bulk_of_an_object_instead_of_a_list_is_rejected_with_400(token_client):
    response = token_client.post("/api/v1/leads/bulk/", leads(1)[0], format="json")

    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["non_field_errors"]


def test_bulk_repeating_a_stored_unique_value_is_rejected_with_400(token_client):
    ProductFactory(code="W-1")
    payload = [{"name": "New", "code": "W-2"}, {"name": "Clash", "code": "W-1"}]

    response = token_client.post("/api/v1/products/bulk/", payload, format="json")

    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["1"]


def test_bulk_needs_the_create_scope(scoped_client, user):
    client = scoped_client(user, ["leads:read", "leads:update"])

    response = client.post("/api/v1/leads/bulk/", leads(1), format="json")

    assert response.status_code == 403


@pytest.mark.parametrize(
    ("module", "record"),
    [
        ("accounts", {"name": "Acme"}),
        ("contacts", {"last_name": "Doe"}),
        (
            "calls",
            {"subject": "X", "direction": "inbound", "start": "2026-01-01T09:00Z"},
        ),
        ("tickets", {"subject": "Broken"}),
        ("products", {"name": "Widget", "code": "W-9"}),
    ],
)
def test_bulk_exists_for_record_modules(token_client, module, record):
    response = token_client.post(f"/api/v1/{module}/bulk/", [record], format="json")

    assert response.status_code == 201, response.content
