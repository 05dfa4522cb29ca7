"""POST /leads/{id}/convert/: a lead becomes a contact, an account and maybe a deal."""

import threading
import time
from datetime import date
from decimal import Decimal
from unittest import mock
from urllib.parse import urlencode

import pytest
from django.db import connection, connections
from rest_framework import serializers
from rest_framework.test import APIClient

from crm import services
from crm.models import Account, Contact, Deal, Lead, Pipeline
from crm.serializers import LeadSerializer
from crm.views.people import (
    LEAD_ALREADY_CONVERTED_MESSAGE,
    LEAD_CONVERTED_MESSAGE,
    LeadViewSet,
)
from crm.views.records import DUPLICATE_HIDDEN_MESSAGE, DUPLICATE_MESSAGE
from tests.factories import (
    ALL_CRM_PERMISSIONS,
    AccountFactory,
    ContactFactory,
    LeadFactory,
    TagFactory,
    UserFactory,
)
from tokens.permissions import MISSING_PERMISSION_MESSAGE, MISSING_SCOPE_MESSAGE

DOES_NOT_EXIST = serializers.PrimaryKeyRelatedField.default_error_messages[
    "does_not_exist"
]
# Enough for a conversion that makes a new account and a deal.
CONVERT_SCOPES = ["leads:update", "contacts:create", "accounts:create", "deals:create"]


def convert_url(lead):
    return f"/api/v1/leads/{lead.pk}/convert/"


def convert(client, lead, body=None, **params):
    query = "".join(f"?{key}={value}" for key, value in params.items())
    return client.post(convert_url(lead) + query, body or {}, format="json")


@pytest.fixture
def lead(user):
    return LeadFactory(
        owner=user,
        first_name="Ada",
        last_name="Byron",
        title="CTO",
        email="ada@analytical.test",
        phone="+44 20 7946 0000",
        mobile="+44 7700 900000",
        company="Analytical Engines Ltd",
        website="analytical.test",
        industry="Computing",
        city="London",
        country="United Kingdom",
        lead_source="trade_show",
    )


@pytest.fixture
def stage(db):
    return Pipeline.get_default().stages.get(name="Qualification")


def deal_body(stage, **fields):
    return {
        "deal": {
            "name": "Difference engine",
            "stage": stage.pk,
            "amount": "1200.50",
            "closing_date": "2030-06-30",
            **fields,
        }
    }


# Happy paths.


def test_conversion_answers_200_with_the_lead_and_what_it_became(token_client, lead):
    response = convert(token_client, lead)

    assert response.status_code == 200, response.content
    body = response.json()
    contact = Contact.objects.get()
    assert (body["contact"]["id"], body["account"]["id"], body["deal"]) == (
        contact.pk,
        contact.account_id,
        None,
    )
    assert body["lead"]["converted_contact"] == contact.pk


def test_conversion_copies_the_person_to_the_contact(token_client, lead):
    convert(token_client, lead)

    contact = Contact.objects.get()
    assert {
        field: getattr(contact, field) for field in services.CONTACT_FIELDS_FROM_LEAD
    } == {field: getattr(lead, field) for field in services.CONTACT_FIELDS_FROM_LEAD}


def test_conversion_without_an_account_makes_one_from_the_company(token_client, lead):
    response = convert(token_client, lead)

    account = Account.objects.get()
    assert (account.name, account.website, account.industry, account.city) == (
        "Analytical Engines Ltd",
        "analytical.test",
        "Computing",
        "London",
    )
    assert response.json()["account_created"] is True
    assert Contact.objects.get().account == account


def test_conversion_into_an_existing_account_makes_no_new_account(
    token_client, user, lead
):
    existing = AccountFactory(owner=user)

    response = convert(token_client, lead, {"account": existing.pk})

    assert response.json()["account_created"] is False
    assert list(Account.objects.all()) == [existing]
    assert Contact.objects.get().account == existing


def test_conversion_with_a_deal_opens_it_for_the_contact_and_account(
    token_client, lead, stage
):
    convert(token_client, lead, deal_body(stage))

    deal = Deal.objects.get()
    contact = Contact.objects.get()
    assert (
        deal.name,
        deal.stage,
        deal.pipeline,
        deal.probability,
        deal.amount,
        deal.closing_date,
    ) == (
        "Difference engine",
        stage,
        stage.pipeline,
        stage.probability,
        Decimal("1200.50"),
        date(2030, 6, 30),
    )
    assert (deal.contact, deal.account, deal.lead) == (contact, contact.account, lead)


def test_conversion_without_a_deal_makes_no_deal(token_client, lead):
    convert(token_client, lead)

    assert not Deal.objects.exists()


def test_deal_amount_and_closing_date_may_be_left_out(token_client, lead, stage):
    response = convert(
        token_client, lead, {"deal": {"name": "Engine", "stage": stage.pk}}
    )

    assert response.status_code == 200, response.content
    assert (Deal.objects.get().amount, Deal.objects.get().closing_date) == (None, None)


def test_converted_lead_names_what_it_became(token_client, user, lead, stage):
    convert(token_client, lead, deal_body(stage))

    body = token_client.get(f"/api/v1/leads/{lead.pk}/").json()

    contact, deal = Contact.objects.get(), Deal.objects.get()
    assert body["converted_at"] is not None
    assert (
        body["converted_by"]["id"],
        body["converted_contact"],
        body["converted_account"],
        body["converted_deal"],
    ) == (user.pk, contact.pk, contact.account_id, deal.pk)


def test_records_made_for_a_reports_lead_belong_to_the_report(
    token_client, user, report, stage
):
    lead = LeadFactory(owner=report)

    convert(token_client, lead, deal_body(stage))

    made = [Contact.objects.get(), Account.objects.get(), Deal.objects.get()]
    assert {(record.owner, record.created_by) for record in made} == {(report, user)}


def test_contact_gets_the_leads_tags(token_client, lead):
    tags = TagFactory.create_batch(2)
    lead.tags.set(tags)

    convert(token_client, lead)

    assert set(Contact.objects.get().tags.all()) == set(tags)


def test_lead_list_filters_leads_not_yet_converted(token_client, user, lead):
    LeadFactory(owner=user, converted=True)

    response = token_client.get("/api/v1/leads/?converted_at__isnull=true")

    assert [row["id"] for row in response.json()["results"]] == [lead.pk]


# A converted lead is read-only; a second conversion answers 409.


def test_converting_a_converted_lead_again_answers_409(token_client, lead):
    convert(token_client, lead)

    response = convert(token_client, lead)

    assert response.status_code == 409
    assert response.json() == {
        "detail": LEAD_ALREADY_CONVERTED_MESSAGE,
        "code": "lead_converted",
    }
    assert Contact.objects.count() == 1


@pytest.mark.parametrize(
    ("method", "body"),
    [("patch", {"title": "CEO"}), ("put", {"last_name": "Lovelace"}), ("delete", None)],
)
def test_changing_a_converted_lead_answers_409(token_client, user, method, body):
    lead = LeadFactory(owner=user, converted=True, title="CTO")

    response = getattr(token_client, method)(
        f"/api/v1/leads/{lead.pk}/", body, format="json"
    )

    assert response.status_code == 409
    assert response.json() == {
        "detail": LEAD_CONVERTED_MESSAGE,
        "code": "lead_converted",
    }
    lead.refresh_from_db()
    assert lead.title == "CTO"


def test_conversion_fields_cannot_be_written(token_client, lead):
    contact = ContactFactory(owner=lead.owner)

    response = token_client.patch(
        f"/api/v1/leads/{lead.pk}/",
        {"converted_at": "2030-01-01T00:00:00Z", "converted_contact": contact.pk},
        format="json",
    )

    lead.refresh_from_db()
    assert response.status_code == 200
    assert (lead.converted_at, lead.converted_contact) == (None, None)


def test_lead_update_never_writes_the_conversion_fields(user, lead):
    loaded_before_conversion = Lead.objects.get(pk=lead.pk)
    conversion = services.lead_convert(lead=lead, user=user)

    serializer = LeadSerializer(
        loaded_before_conversion, data={"title": "CEO"}, partial=True
    )
    serializer.is_valid(raise_exception=True)
    serializer.save()

    lead.refresh_from_db()
    assert (lead.title, lead.converted_contact) == ("CEO", conversion.contact)


@pytest.fixture
def converted_after_it_is_read(user):
    """Converts the lead a request reads just after it was read, as a conversion
    running at the same time would."""
    read = LeadViewSet.get_object

    def read_then_convert(view):
        lead = read(view)
        services.lead_convert(lead=Lead.objects.get(pk=lead.pk), user=user)
        return lead

    with mock.patch.object(LeadViewSet, "get_object", read_then_convert):
        yield


@pytest.mark.parametrize(
    ("method", "body"),
    [("patch", {"title": "CEO"}), ("put", {"last_name": "Lovelace"})],
)
def test_lead_converted_while_being_changed_answers_409_and_stays_converted(
    token_client, lead, converted_after_it_is_read, method, body
):
    response = getattr(token_client, method)(
        f"/api/v1/leads/{lead.pk}/", body, format="json"
    )

    lead.refresh_from_db()
    assert response.status_code == 409
    assert response.json()["code"] == "lead_converted"
    assert (lead.is_converted, lead.title) == (True, "CTO")


def test_lead_converted_while_being_deleted_answers_409_and_is_kept(
    token_client, lead, converted_after_it_is_read
):
    response = token_client.delete(f"/api/v1/leads/{lead.pk}/")

    assert response.status_code == 409
    assert Lead.objects.get(pk=lead.pk).is_converted


def test_service_refuses_to_convert_a_lead_twice(user, lead):
    services.lead_convert(lead=lead, user=user)

    with pytest.raises(services.LeadAlreadyConverted):
        services.lead_convert(lead=lead, user=user)


# Duplicates: the contact it makes follows the contacts' email rule.


def test_contact_with_the_leads_email_answers_409_with_its_id(token_client, user, lead):
    existing = ContactFactory(owner=user, email="ADA@analytical.test")

    response = convert(token_client, lead)

    assert response.status_code == 409
    assert response.json() == {
        "detail": DUPLICATE_MESSAGE.format(model="contact", field="email"),
        "code": "duplicate",
        "existing_id": existing.pk,
    }


def test_hidden_contact_with_the_leads_email_answers_409_without_an_id(
    token_client, lead
):
    ContactFactory(email="ada@analytical.test")

    response = convert(token_client, lead)

    assert response.json() == {
        "detail": DUPLICATE_HIDDEN_MESSAGE.format(model="contact", field="email"),
        "code": "duplicate",
    }


def test_allowing_duplicates_converts_despite_a_contact_with_the_email(
    token_client, user, lead
):
    ContactFactory(owner=user, email="ada@analytical.test")

    response = convert(token_client, lead, allow_duplicate="true")

    assert response.status_code == 200, response.content
    assert Contact.objects.filter(email="ada@analytical.test").count() == 2


# Invalid requests.


def test_lead_without_company_or_account_is_rejected_with_400_naming_account(
    token_client, user
):
    lead = LeadFactory(owner=user, company="")

    response = convert(token_client, lead)

    assert response.status_code == 400
    assert response.json()["errors"] == {
        "account": [services.LEAD_WITHOUT_COMPANY_MESSAGE]
    }
    assert not Contact.objects.exists()


def test_hidden_account_is_rejected_as_if_it_did_not_exist(token_client, lead):
    hidden = AccountFactory()

    response = convert(token_client, lead, {"account": hidden.pk})

    assert response.status_code == 400
    assert response.json()["errors"] == {
        "account": [DOES_NOT_EXIST.format(pk_value=hidden.pk)]
    }


def test_deal_without_a_stage_is_rejected_with_400_naming_it(token_client, lead):
    response = convert(token_client, lead, {"deal": {"name": "Engine"}})

    assert response.status_code == 400
    assert response.json()["errors"] == {
        "deal": {"stage": [str(serializers.Field.default_error_messages["required"])]}
    }


def test_malformed_body_is_rejected_with_400(token_client, lead):
    response = token_client.generic(
        "POST", convert_url(lead), "{not json", content_type="application/json"
    )

    assert response.status_code == 400
    assert response.json()["code"] == "parse_error"


@pytest.mark.parametrize("content_format", ["multipart", None])
def test_form_encoded_conversion_is_refused_with_415(
    scoped_client, user, lead, stage, content_format
):
    client = scoped_client(user, ["leads:update", "contacts:create", "accounts:create"])
    form = {"deal.name": "Engine", "deal.stage": stage.pk}
    if content_format is None:
        response = client.generic(
            "POST",
            convert_url(lead),
            urlencode(form),
            content_type="application/x-www-form-urlencoded",
        )
    else:
        response = client.post(convert_url(lead), form, format=content_format)

    assert response.status_code == 415
    assert response.json()["code"] == "unsupported_media_type"
    assert (Deal.objects.count(), Lead.objects.get(pk=lead.pk).is_converted) == (
        0,
        False,
    )


def test_failure_while_making_the_deal_leaves_nothing_behind(token_client, lead, stage):
    with (
        mock.patch.object(Deal.objects, "create", side_effect=RuntimeError),
        pytest.raises(RuntimeError),
    ):
        convert(token_client, lead, deal_body(stage))

    lead.refresh_from_db()
    assert (Contact.objects.count(), Account.objects.count()) == (0, 0)
    assert lead.converted_at is None


def test_converting_a_colleagues_lead_answers_404(token_client):
    lead = LeadFactory()

    response = convert(token_client, lead)

    assert response.status_code == 404
    assert not Contact.objects.exists()


# Scopes and permissions.


@pytest.mark.parametrize("missing", ["leads:update", "contacts:create"])
def test_conversion_without_a_base_scope_is_refused_with_403(
    scoped_client, user, lead, missing
):
    client = scoped_client(user, [s for s in CONVERT_SCOPES if s != missing])

    response = convert(client, lead, {"account": AccountFactory(owner=user).pk})

    assert response.status_code == 403
    assert response.json()["detail"] == MISSING_SCOPE_MESSAGE.format(scope=missing)


def test_new_account_needs_the_accounts_create_scope(scoped_client, user, lead):
    client = scoped_client(user, ["leads:update", "contacts:create"])

    response = convert(client, lead)

    assert response.status_code == 403
    assert response.json() == {
        "detail": MISSING_SCOPE_MESSAGE.format(scope="accounts:create"),
        "code": "permission_denied",
    }
    assert not Contact.objects.exists()


def test_existing_account_needs_no_accounts_create_scope(scoped_client, user, lead):
    client = scoped_client(user, ["leads:update", "contacts:create"])

    response = convert(client, lead, {"account": AccountFactory(owner=user).pk})

    assert response.status_code == 200, response.content


def test_deal_needs_the_deals_create_scope(scoped_client, user, lead, stage):
    client = scoped_client(user, ["leads:update", "contacts:create", "accounts:create"])

    response = convert(client, lead, deal_body(stage))

    assert response.status_code == 403
    assert response.json()["detail"] == MISSING_SCOPE_MESSAGE.format(
        scope="deals:create"
    )
    assert not Contact.objects.exists()


@pytest.mark.parametrize(
    ("permission", "body_needs_deal"),
    [
        ("change_lead", False),
        ("add_contact", False),
        ("add_account", False),
        ("add_deal", True),
    ],
)
def test_owner_without_a_needed_permission_is_refused_with_403(
    scoped_client, user, revoke_permission, lead, stage, permission, body_needs_deal
):
    client = scoped_client(user, CONVERT_SCOPES)
    revoke_permission(user, f"crm.{permission}")

    response = convert(client, lead, deal_body(stage) if body_needs_deal else None)

    assert response.status_code == 403
    assert response.json() == {
        "detail": MISSING_PERMISSION_MESSAGE,
        "code": "permission_denied",
    }


def test_signed_in_user_without_the_deal_permission_is_refused_with_403(
    api_client, user, revoke_permission, lead, stage
):
    revoke_permission(user, "crm.add_deal")
    api_client.force_authenticate(user)

    response = convert(api_client, lead, deal_body(stage))

    assert response.status_code == 403


def test_records_the_token_may_not_read_come_back_as_ids(
    scoped_client, user, lead, stage
):
    client = scoped_client(user, [*CONVERT_SCOPES, "leads:read", "deals:read"])

    body = convert(client, lead, deal_body(stage)).json()

    contact = Contact.objects.get()
    assert (body["contact"], body["account"]) == (
        {"id": contact.pk},
        {"id": contact.account_id},
    )
    assert (body["lead"]["last_name"], body["deal"]["name"]) == (
        "Byron",
        "Difference engine",
    )


def test_token_that_may_not_read_leads_gets_only_ids_back(scoped_client, user, lead):
    client = scoped_client(user, CONVERT_SCOPES)

    response = convert(client, lead)

    contact = Contact.objects.get()
    assert response.status_code == 200
    assert response.json() == {
        "lead": {"id": lead.pk},
        "contact": {"id": contact.pk},
        "account": {"id": contact.account_id},
    }


# Two requests at once.


def waiting_for_a_lock():
    """How many sessions of this database wait for a row lock right now."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity "
            "WHERE datname = current_database() AND wait_event_type = 'Lock'"
        )
        return cursor.fetchone()[0]


@pytest.mark.postgres
@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason=(
        "needs PostgreSQL: SQLite lets one transaction write at a time and has no "
        "row locks, so two conversions cannot overlap there"
    ),
)
@pytest.mark.django_db(transaction=True)
def test_of_two_simultaneous_conversions_exactly_one_succeeds():
    user = UserFactory(permissions=ALL_CRM_PERMISSIONS)
    lead = LeadFactory(owner=user)
    first_holds_the_lock = threading.Event()
    release = threading.Event()
    create_account = Account.objects.create

    def create_account_slowly(**fields):
        # Only the conversion holding the lead's lock gets here; it waits so that
        # the other request arrives while the lock is held.
        first_holds_the_lock.set()
        release.wait(timeout=30)
        return create_account(**fields)

    statuses = []

    def request_conversion():
        client = APIClient()
        client.force_authenticate(user)
        try:
            statuses.append(convert(client, lead).status_code)
        finally:
            connections.close_all()

    with mock.patch.object(Account.objects, "create", create_account_slowly):
        first = threading.Thread(target=request_conversion)
        first.start()
        assert first_holds_the_lock.wait(timeout=30)
        second = threading.Thread(target=request_conversion)
        second.start()
        deadline = time.monotonic() + 30
        while not waiting_for_a_lock() and time.monotonic() < deadline:
            time.sleep(0.05)
        second_was_blocked = waiting_for_a_lock() > 0
        release.set()
        first.join(timeout=30)
        second.join(timeout=30)

    assert second_was_blocked
    assert sorted(statuses) == [200, 409]
    assert (Contact.objects.count(), Account.objects.count()) == (1, 1)
    assert Lead.objects.get(pk=lead.pk).converted_contact == Contact.objects.get()


@pytest.mark.postgres
@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason=(
        "needs PostgreSQL: SQLite lets one transaction write at a time and has no "
        "row locks, so a change cannot overlap a conversion there"
    ),
)
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(
    ("method", "body"), [("patch", {"title": "CEO"}), ("delete", None)]
)
def test_lead_change_sent_during_its_conversion_answers_409_and_keeps_it(method, body):
    user = UserFactory(permissions=ALL_CRM_PERMISSIONS)
    lead = LeadFactory(owner=user, title="CTO")
    conversion_holds_the_lock = threading.Event()
    release = threading.Event()
    create_account = Account.objects.create

    def create_account_slowly(**fields):
        conversion_holds_the_lock.set()
        release.wait(timeout=30)
        return create_account(**fields)

    statuses = {}

    def send(name, request):
        client = APIClient()
        client.force_authenticate(user)
        try:
            statuses[name] = request(client).status_code
        finally:
            connections.close_all()

    def change(client):
        return getattr(client, method)(f"/api/v1/leads/{lead.pk}/", body, format="json")

    with mock.patch.object(Account.objects, "create", create_account_slowly):
        converting = threading.Thread(
            target=send, args=("convert", lambda client: convert(client, lead))
        )
        converting.start()
        assert conversion_holds_the_lock.wait(timeout=30)
        changing = threading.Thread(target=send, args=("change", change))
        changing.start()
        deadline = time.monotonic() + 30
        while not waiting_for_a_lock() and time.monotonic() < deadline:
            time.sleep(0.05)
        change_was_blocked = waiting_for_a_lock() > 0
        release.set()
        converting.join(timeout=30)
        changing.join(timeout=30)

    lead = Lead.objects.get(pk=lead.pk)
    assert change_was_blocked
    assert statuses == {"convert": 200, "change": 409}
    assert (lead.title, lead.converted_contact) == ("CTO", Contact.objects.get())


def test_a_fractional_account_id_is_refused(api_client, user, make_token):
    account = AccountFactory(owner=user)
    lead = LeadFactory(owner=user, company="Initech")
    _, clear = make_token(user)

    response = api_client.post(
        f"/api/v1/leads/{lead.pk}/convert/",
        {"account": account.pk + 0.5},
        format="json",
        HTTP_AUTHORIZATION=f"Bearer {clear}",
    )

    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["account"]
