"""CRUD, filtering, ordering, search and paging on the core CRM modules."""

from decimal import Decimal

import pytest

from crm.models import Account, Contact, Deal, Lead, Pipeline, Stage
from tests.factories import (
    AccountFactory,
    ContactFactory,
    DealFactory,
    LeadFactory,
    UserFactory,
)

MODULES = {
    "accounts": (AccountFactory, Account, {"name": "Globex", "industry": "Energy"}),
    "contacts": (
        ContactFactory,
        Contact,
        {"first_name": "Ada", "last_name": "Byron", "email": "ada@example.com"},
    ),
    "leads": (
        LeadFactory,
        Lead,
        {"last_name": "Roe", "company": "Initech", "status": "contacted"},
    ),
    "deals": (DealFactory, Deal, {"name": "Renewal 2027", "amount": "1200.50"}),
}


def full_body(module):
    body = dict(MODULES[module][2])
    if module == "deals":
        body["stage"] = Pipeline.get_default().stages.get(name="Qualification").pk
    return body


@pytest.mark.parametrize("module", MODULES)
def test_create_sets_owner_and_creator_to_the_caller(token_client, user, module):
    response = token_client.post(f"/api/v1/{module}/", full_body(module))

    assert response.status_code == 201, response.content
    record = MODULES[module][1].objects.get(pk=response.json()["id"])
    assert (record.owner, record.created_by) == (user, user)
    assert response.json()["owner"]["id"] == user.pk


@pytest.mark.parametrize("module", MODULES)
def test_owner_sent_by_the_client_is_ignored(token_client, user, module):
    someone_else = UserFactory()
    body = {
        **full_body(module),
        "owner": someone_else.pk,
        "created_by": someone_else.pk,
    }

    response = token_client.post(f"/api/v1/{module}/", body)

    record = MODULES[module][1].objects.get(pk=response.json()["id"])
    assert record.owner == user
    assert record.created_by == user


@pytest.mark.parametrize("module", MODULES)
def test_owner_cannot_be_changed_by_update(token_client, user, module):
    record = MODULES[module][0](owner=user)

    token_client.patch(f"/api/v1/{module}/{record.pk}/", {"owner": UserFactory().pk})

    record.refresh_from_db()
    assert record.owner == user


@pytest.mark.parametrize("module", MODULES)
def test_retrieve_returns_the_record(token_client, user, module):
    record = MODULES[module][0](owner=user)

    response = token_client.get(f"/api/v1/{module}/{record.pk}/")

    assert response.status_code == 200
    assert response.json()["id"] == record.pk


@pytest.mark.parametrize("module", MODULES)
def test_replace_overwrites_writable_fields(token_client, user, module):
    record = MODULES[module][0](owner=user)
    body = full_body(module)

    response = token_client.put(f"/api/v1/{module}/{record.pk}/", body)

    assert response.status_code == 200, response.content
    for field, value in MODULES[module][2].items():
        assert str(response.json()[field]) == str(value)


@pytest.mark.parametrize("module", MODULES)
def test_partial_update_changes_only_the_given_field(token_client, user, module):
    record = MODULES[module][0](owner=user, description="before")

    response = token_client.patch(
        f"/api/v1/{module}/{record.pk}/", {"description": "after"}
    )

    record.refresh_from_db()
    assert response.status_code == 200
    assert record.description == "after"


@pytest.mark.parametrize("module", MODULES)
def test_delete_removes_the_record(token_client, user, module):
    record = MODULES[module][0](owner=user)

    response = token_client.delete(f"/api/v1/{module}/{record.pk}/")

    assert response.status_code == 204
    assert not MODULES[module][1].objects.filter(pk=record.pk).exists()


@pytest.mark.parametrize("module", MODULES)
def test_unknown_record_answers_404_in_the_error_shape(token_client, module):
    response = token_client.get(f"/api/v1/{module}/999999/")

    assert response.status_code == 404
    assert response.json() == {"detail": "Not found.", "code": "not_found"}


def test_missing_required_field_is_named(token_client):
    response = token_client.post("/api/v1/leads/", {"company": "Initech"})

    assert response.status_code == 400
    assert response.json() == {
        "detail": "Invalid input.",
        "code": "invalid",
        "errors": {"last_name": ["This field is required."]},
    }


def test_invalid_choice_is_named(token_client):
    response = token_client.post(
        "/api/v1/leads/", {"last_name": "Roe", "status": "sleeping"}
    )

    assert response.status_code == 400
    assert response.json()["errors"] == {
        "status": ['"sleeping" is not a valid choice.']
    }


def test_invalid_email_is_named(token_client):
    response = token_client.post(
        "/api/v1/contacts/", {"last_name": "Roe", "email": "not-an-email"}
    )

    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["email"]


def test_malformed_json_answers_400(token_client):
    response = token_client.generic(
        "POST", "/api/v1/leads/", "{not json", content_type="application/json"
    )

    assert response.status_code == 400
    assert response.json()["code"] == "parse_error"


def test_negative_amount_is_refused(token_client):
    body = {**full_body("deals"), "amount": "-5"}

    response = token_client.post("/api/v1/deals/", body)

    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["amount"]


def test_deal_probability_defaults_to_the_stage(token_client):
    response = token_client.post("/api/v1/deals/", full_body("deals"))

    assert response.json()["probability"] == 20
    assert response.json()["pipeline"] == Pipeline.get_default().pk


def test_stage_change_resets_probability_unless_given(token_client, user):
    deal = DealFactory(owner=user)
    negotiation = Stage.objects.get(pipeline=deal.pipeline, name="Negotiation/Review")

    moved = token_client.patch(f"/api/v1/deals/{deal.pk}/", {"stage": negotiation.pk})
    overridden = token_client.patch(
        f"/api/v1/deals/{deal.pk}/", {"stage": negotiation.pk, "probability": 95}
    )

    assert moved.json()["probability"] == 80
    assert overridden.json()["probability"] == 95


def test_stage_of_another_pipeline_is_refused(token_client):
    other = Pipeline.objects.create(name="Renewals")
    stage = Stage.objects.create(
        pipeline=other,
        name="Due",
        order=1,
        probability=50,
        forecast_category="pipeline",
    )
    body = {
        **full_body("deals"),
        "stage": stage.pk,
        "pipeline": Pipeline.get_default().pk,
    }

    response = token_client.post("/api/v1/deals/", body)

    assert response.status_code == 400
    assert response.json()["errors"] == {
        "stage": ["This stage belongs to another pipeline."]
    }


def test_account_cannot_become_its_own_ancestor(token_client, user):
    parent = AccountFactory(owner=user)
    child = AccountFactory(owner=user, parent=parent)

    response = token_client.patch(
        f"/api/v1/accounts/{parent.pk}/", {"parent": child.pk}
    )

    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["parent"]


def test_list_is_paginated_and_the_page_size_is_capped(token_client, user):
    LeadFactory.create_batch(105, owner=user)

    default = token_client.get("/api/v1/leads/").json()
    capped = token_client.get("/api/v1/leads/?page_size=500").json()

    assert default["count"] == 105
    assert len(default["results"]) == 25
    assert len(capped["results"]) == 100


def test_page_past_the_end_answers_404(token_client, user):
    LeadFactory(owner=user)

    response = token_client.get("/api/v1/leads/?page=9")

    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_filter_by_status_in_list(token_client, user):
    LeadFactory(owner=user, status="contacted")
    LeadFactory(owner=user, status="junk_lead")
    LeadFactory(owner=user, status="not_contacted")

    response = token_client.get("/api/v1/leads/?status__in=contacted,junk_lead")

    assert sorted(r["status"] for r in response.json()["results"]) == [
        "contacted",
        "junk_lead",
    ]


def test_filter_deals_by_amount_range(token_client, user):
    for amount in ("100", "500", "900"):
        DealFactory(owner=user, amount=Decimal(amount))

    response = token_client.get("/api/v1/deals/?amount__gte=200&amount__lte=900")

    assert sorted(r["amount"] for r in response.json()["results"]) == [
        "500.00",
        "900.00",
    ]


def test_bad_filter_value_answers_400_naming_the_parameter(token_client):
    response = token_client.get("/api/v1/deals/?closing_date__gte=someday")

    assert response.status_code == 400
    assert response.json() == {
        "detail": "Invalid input.",
        "code": "invalid",
        "errors": {"closing_date__gte": ["Enter a valid date."]},
    }


def test_unknown_choice_in_filter_answers_400(token_client):
    response = token_client.get("/api/v1/leads/?status=sleeping")

    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["status"]


def test_ordering_by_a_whitelisted_field(token_client, user):
    for amount in ("300", "100", "200"):
        DealFactory(owner=user, amount=Decimal(amount))

    response = token_client.get("/api/v1/deals/?ordering=-amount")

    assert [r["amount"] for r in response.json()["results"]] == [
        "300.00",
        "200.00",
        "100.00",
    ]


def test_search_matches_company_and_email(token_client, user):
    LeadFactory(owner=user, company="Umbrella Corp", email="a@example.com")
    LeadFactory(owner=user, company="Initech", email="umbrella@example.com")
    LeadFactory(owner=user, company="Hooli", email="h@example.com")

    response = token_client.get("/api/v1/leads/?search=umbrella")

    assert response.json()["count"] == 2


@pytest.mark.parametrize("module", MODULES)
def test_list_query_count_does_not_grow_with_the_page(
    token_client, user, module, django_assert_num_queries
):
    factory = MODULES[module][0]
    factory.create_batch(3, owner=user)
    token_client.get(f"/api/v1/{module}/")  # last-used bookkeeping happens once
    # Token, the owner's user and group permissions, the count, the page, tags.
    with django_assert_num_queries(6) as small:
        token_client.get(f"/api/v1/{module}/?page_size=2")

    factory.create_batch(20, owner=user)
    with django_assert_num_queries(len(small.captured_queries)):
        token_client.get(f"/api/v1/{module}/?page_size=20")


@pytest.mark.parametrize("page", ["0", "-1", "abc", "1.5"])
def test_a_page_that_is_not_a_positive_number_answers_400(token_client, page):
    response = token_client.get(f"/api/v1/leads/?page={page}")

    assert response.status_code == 400
    assert response.json()["errors"] == {"page": ["Enter a whole number from 1."]}


@pytest.mark.parametrize("size", ["0", "-1", "abc"])
def test_a_page_size_that_is_not_a_positive_number_answers_400(token_client, size):
    response = token_client.get(f"/api/v1/leads/?page_size={size}")

    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["page_size"]


def test_deeply_nested_json_answers_400(token_client):
    body = '{"last_name": ' + "[" * 100_000 + "]" * 100_000 + "}"

    response = token_client.generic(
        "POST", "/api/v1/leads/", body, content_type="application/json"
    )

    assert response.status_code == 400
    assert response.json()["code"] == "parse_error"


def test_unknown_api_path_answers_json_404(token_client):
    response = token_client.get("/api/v1/nothing-here/")

    assert response.status_code == 404
    assert response.json() == {"detail": "Not found.", "code": "not_found"}


def test_an_oversized_body_answers_413_in_json(token_client, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000

    response = token_client.generic(
        "POST",
        "/api/v1/leads/",
        '{"last_name": "' + "x" * 2000 + '"}',
        content_type="application/json",
    )

    assert response.status_code == 413
    assert response.json()["code"] == "too_large"


@pytest.mark.parametrize(
    "value", ["9999-12-31T23:59:59-23:00", "0001-01-01T00:00:00+14:00"]
)
def test_a_moment_the_database_cannot_hold_answers_400(token_client, value):
    response = token_client.get("/api/v1/leads/", {"created_at__gte": value})

    assert response.status_code == 400
    assert response.json()["errors"] == {
        "created_at__gte": ["Enter a date and time between the years 2 and 9998."]
    }


def test_a_search_with_too_many_words_answers_400(token_client):
    response = token_client.get("/api/v1/leads/", {"search": " ".join(["a"] * 11)})

    assert response.status_code == 400
    assert response.json()["errors"] == {"search": ["Search for at most 10 words."]}


def test_an_account_cannot_be_its_own_parent(token_client, user):
    account = AccountFactory(owner=user)

    response = token_client.patch(
        f"/api/v1/accounts/{account.pk}/", {"parent": account.pk}
    )

    assert response.status_code == 400
    assert response.json()["errors"] == {
        "parent": ["An account cannot be its own parent or ancestor."]
    }


def test_a_loop_already_stored_does_not_hang_a_request(token_client, user):
    first = AccountFactory(owner=user)
    second = AccountFactory(owner=user, parent=first)
    Account.objects.filter(pk=first.pk).update(parent=second)
    third = AccountFactory(owner=user)

    response = token_client.patch(f"/api/v1/accounts/{third.pk}/", {"parent": first.pk})

    assert response.status_code == 200


def test_the_admin_refuses_a_loop_in_the_account_hierarchy(user):
    from django.core.exceptions import ValidationError

    parent = AccountFactory(owner=user)
    child = AccountFactory(owner=user, parent=parent)
    parent.parent = child

    with pytest.raises(ValidationError) as raised:
        parent.full_clean()

    assert "parent" in raised.value.message_dict


def test_a_write_failing_after_its_row_was_saved_leaves_nothing(
    token_client, user, monkeypatch
):
    from crm.serializers import LeadSerializer

    def fail_after_saving(self, validated_data):
        Lead.objects.create(owner=user, last_name="Half written")
        raise ValueError("failure after the row was written")

    monkeypatch.setattr(LeadSerializer, "create", fail_after_saving)
    token_client.raise_request_exception = False

    response = token_client.post("/api/v1/leads/", {"last_name": "Roe"})

    assert response.status_code == 500
    assert not Lead.objects.filter(last_name="Half written").exists()


def test_the_external_id_cannot_be_written_through_the_api(token_client, user):
    lead = LeadFactory(owner=user, external_id="zoho-lead:1")

    response = token_client.patch(
        f"/api/v1/leads/{lead.pk}/", {"external_id": "zoho-lead:999"}
    )

    lead.refresh_from_db()
    assert response.status_code == 200
    assert lead.external_id == "zoho-lead:1"


@pytest.mark.parametrize("value", [1.5, True, "1.0", "9" * 30])
def test_a_link_that_is_not_a_whole_id_answers_400(token_client, user, value):
    account = AccountFactory(owner=user)

    response = token_client.patch(
        f"/api/v1/contacts/{ContactFactory(owner=user).pk}/",
        {"account": value if value != 1.5 else account.pk + 0.5},
    )

    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["account"]


def test_a_yes_no_filter_refuses_other_words(token_client):
    response = token_client.get("/api/v1/accounts/", {"parent__isnull": "maybe"})

    assert response.status_code == 400
    assert response.json()["errors"] == {"parent__isnull": ["Enter true or false."]}


def test_a_yes_no_filter_reads_true(token_client, user):
    parent = AccountFactory(owner=user)
    AccountFactory(owner=user, parent=parent)

    response = token_client.get("/api/v1/accounts/", {"parent__isnull": "true"})

    assert [row["id"] for row in response.json()["results"]] == [parent.pk]
