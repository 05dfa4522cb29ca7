"""A lead or contact with another's email (ignoring case) answers 409."""

import pytest

from crm.models import Contact, Lead
from crm.views.records import DUPLICATE_MESSAGE
from tests.factories import ContactFactory, LeadFactory

MODULES = {"leads": (Lead, LeadFactory), "contacts": (Contact, ContactFactory)}


@pytest.mark.parametrize("module", list(MODULES))
def test_creating_a_record_with_a_taken_email_answers_409_with_its_id(
    token_client, user, module
):
    model, factory = MODULES[module]
    existing = factory(owner=user, email="ann@example.com")

    response = token_client.post(
        f"/api/v1/{module}/",
        {"last_name": "Other", "email": "Ann@Example.com"},
        format="json",
    )

    assert response.status_code == 409
    assert response.json() == {
        "detail": DUPLICATE_MESSAGE.format(
            model=model._meta.verbose_name, field="email"
        ),
        "code": "duplicate",
        "existing_id": existing.pk,
    }


@pytest.mark.parametrize("module", list(MODULES))
def test_duplicate_is_saved_when_the_request_allows_it(token_client, module):
    model, factory = MODULES[module]
    factory(email="ann@example.com")

    response = token_client.post(
        f"/api/v1/{module}/?allow_duplicate=true",
        {"last_name": "Other", "email": "ann@example.com"},
        format="json",
    )

    assert response.status_code == 201
    assert model.objects.filter(email="ann@example.com").count() == 2


def test_lead_with_a_contacts_email_is_not_a_duplicate(token_client, user):
    ContactFactory(owner=user, email="ann@example.com")

    response = token_client.post(
        "/api/v1/leads/", {"last_name": "Ann", "email": "ann@example.com"}
    )

    assert response.status_code == 201


def test_records_without_email_are_never_duplicates(token_client, user):
    LeadFactory(owner=user, email="")

    response = token_client.post("/api/v1/leads/", {"last_name": "Ann", "email": ""})

    assert response.status_code == 201


def test_changing_the_email_to_a_taken_one_answers_409(token_client, user):
    existing = LeadFactory(owner=user, email="ann@example.com")
    lead = LeadFactory(owner=user)

    response = token_client.patch(
        f"/api/v1/leads/{lead.pk}/", {"email": "ANN@example.com"}, format="json"
    )

    assert response.status_code == 409
    assert response.json()["existing_id"] == existing.pk


def test_updating_an_allowed_duplicate_without_changing_its_email_succeeds(
    token_client, user
):
    LeadFactory(owner=user, email="ann@example.com")
    duplicate = LeadFactory(owner=user, email="ann@example.com")

    response = token_client.patch(
        f"/api/v1/leads/{duplicate.pk}/",
        {"email": "Ann@example.com", "title": "CTO"},
        format="json",
    )

    assert response.status_code == 200


def test_a_bad_allow_duplicate_value_is_rejected_with_400_naming_it(token_client, user):
    LeadFactory(owner=user, email="ann@example.com")

    response = token_client.post(
        "/api/v1/leads/?allow_duplicate=perhaps",
        {"last_name": "Ann", "email": "ann@example.com"},
        format="json",
    )

    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["allow_duplicate"]


def test_bulk_with_a_taken_email_answers_409_keyed_by_position(token_client, user):
    existing = LeadFactory(owner=user, email="ann@example.com")
    payload = [
        {"last_name": "Bob", "email": "bob@example.com"},
        {"last_name": "Ann", "email": "ANN@example.com"},
    ]

    response = token_client.post("/api/v1/leads/bulk/", payload, format="json")

    assert response.status_code == 409
    body = response.json()
    assert body["existing_ids"] == {"1": existing.pk}
    assert list(body["errors"]) == ["1"]
    assert Lead.objects.count() == 1


def test_bulk_repeating_an_email_within_the_list_is_rejected_with_400(token_client):
    payload = [
        {"last_name": "Ann", "email": "ann@example.com"},
        {"last_name": "Ann", "email": "Ann@example.com"},
    ]

    response = token_client.post("/api/v1/leads/bulk/", payload, format="json")

    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["1"]


def test_bulk_with_duplicates_is_saved_when_the_request_allows_it(token_client, user):
    LeadFactory(owner=user, email="ann@example.com")
    payload = [
        {"last_name": "Ann", "email": "ann@example.com"},
        {"last_name": "Ann", "email": "ann@example.com"},
    ]

    response = token_client.post(
        "/api/v1/leads/bulk/?allow_duplicate=1", payload, format="json"
    )

    assert response.status_code == 201
    assert Lead.objects.count() == 3
