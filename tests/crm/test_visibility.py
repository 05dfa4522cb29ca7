"""Record visibility: a user sees their own records and their team's; a user with
the view-all permission sees every record; nothing else shows anywhere."""

from datetime import date
from types import SimpleNamespace

import pytest
from django.contrib.auth.models import Permission
from django.forms import ModelChoiceField
from rest_framework import serializers
from rest_framework.test import APIClient

from crm.models import VIEW_ALL_PERMISSION, Deal, Lead, Pipeline, Target
from crm.views.records import DUPLICATE_HIDDEN_MESSAGE, DUPLICATE_MESSAGE
from tests.factories import (
    ALL_CRM_PERMISSIONS,
    AccountFactory,
    CallFactory,
    CampaignFactory,
    ContactFactory,
    DealFactory,
    DealLineItemFactory,
    LeadFactory,
    MeetingFactory,
    NoteFactory,
    ProductFactory,
    TaskFactory,
    TicketFactory,
    UserFactory,
)
from tokens.scopes import ALL_SCOPES

NOT_FOUND = {"detail": "Not found.", "code": "not_found"}
DOES_NOT_EXIST = serializers.PrimaryKeyRelatedField.default_error_messages[
    "does_not_exist"
]
INVALID_CHOICE = ModelChoiceField.default_error_messages["invalid_choice"]

# Module -> factory for a record owned by ``owner``.
RECORD_MODULES = {
    "leads": LeadFactory,
    "contacts": ContactFactory,
    "accounts": AccountFactory,
    "deals": DealFactory,
    "tickets": TicketFactory,
    "tasks": TaskFactory,
    "calls": CallFactory,
    "meetings": MeetingFactory,
    "notes": NoteFactory,
}


@pytest.fixture
def team(db):
    """A manager with two representatives, a junior under one of them, an unrelated
    user, and a user allowed to see every record; all hold every CRM permission."""
    manager = UserFactory(permissions=ALL_CRM_PERMISSIONS)
    ann = UserFactory(manager=manager, permissions=ALL_CRM_PERMISSIONS)
    return SimpleNamespace(
        manager=manager,
        ann=ann,
        bob=UserFactory(manager=manager, permissions=ALL_CRM_PERMISSIONS),
        junior=UserFactory(manager=ann, permissions=ALL_CRM_PERMISSIONS),
        stranger=UserFactory(permissions=ALL_CRM_PERMISSIONS),
        viewer=UserFactory(permissions=[*ALL_CRM_PERMISSIONS, VIEW_ALL_PERMISSION]),
    )


@pytest.fixture
def client_for(make_token):
    """``client_for(user)``: an API client with a token carrying every scope."""

    def make(owner):
        _, clear = make_token(owner, scopes=ALL_SCOPES)
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {clear}")
        return client

    return make


@pytest.fixture
def deals(team):
    """One deal owned by each member of ``team``, keyed by member name."""
    return {
        name: DealFactory(owner=getattr(team, name))
        for name in ("manager", "ann", "bob", "junior", "stranger", "viewer")
    }


def ids(response):
    assert response.status_code == 200, response.content
    return {row["id"] for row in response.json()["results"]}


def deal_ids(deals, *names):
    return {deals[name].pk for name in names}


# Lists and counts.


def test_representative_lists_only_their_own_deals(client_for, team, deals):
    response = client_for(team.bob).get("/api/v1/deals/")

    assert ids(response) == deal_ids(deals, "bob")


def test_representative_lists_the_deals_of_their_own_reports(client_for, team, deals):
    response = client_for(team.ann).get("/api/v1/deals/")

    assert ids(response) == deal_ids(deals, "ann", "junior")


def test_manager_lists_the_deals_of_everyone_down_the_reporting_chain(
    client_for, team, deals
):
    response = client_for(team.manager).get("/api/v1/deals/")

    assert ids(response) == deal_ids(deals, "manager", "ann", "bob", "junior")


def test_user_with_the_view_all_permission_lists_every_deal(client_for, team, deals):
    response = client_for(team.viewer).get("/api/v1/deals/")

    assert ids(response) == {deal.pk for deal in deals.values()}


def test_superuser_lists_every_deal(client_for, deals):
    superuser = UserFactory(is_superuser=True)

    response = client_for(superuser).get("/api/v1/deals/")

    assert ids(response) == {deal.pk for deal in deals.values()}


def test_list_count_leaves_out_records_the_caller_may_not_see(client_for, team):
    LeadFactory.create_batch(3, owner=team.bob)
    LeadFactory.create_batch(2, owner=team.ann)

    body = client_for(team.bob).get("/api/v1/leads/").json()

    assert body["count"] == 3


def test_search_finds_only_records_the_caller_may_see(client_for, team):
    mine = LeadFactory(owner=team.bob, company="Umbrella Corp")
    LeadFactory(owner=team.ann, company="Umbrella Inc")

    response = client_for(team.bob).get("/api/v1/leads/?search=umbrella")

    assert ids(response) == {mine.pk}


def test_reporting_chain_with_a_cycle_ends_holding_everyone_on_the_loop(
    client_for, team, deals
):
    # The manager now reports to the junior, who reports to ann, who reports to
    # the manager.
    team.manager.manager = team.junior
    team.manager.save()

    response = client_for(team.junior).get("/api/v1/deals/")

    assert ids(response) == deal_ids(deals, "manager", "ann", "bob", "junior")


@pytest.mark.parametrize("module", list(RECORD_MODULES))
def test_each_module_lists_only_visible_records(client_for, team, module):
    mine = RECORD_MODULES[module](owner=team.bob)
    RECORD_MODULES[module](owner=team.ann)

    response = client_for(team.bob).get(f"/api/v1/{module}/")

    assert ids(response) == {mine.pk}


def test_products_are_shared_by_every_user(client_for, team):
    product = ProductFactory(owner=team.ann)

    response = client_for(team.bob).get("/api/v1/products/")

    assert ids(response) == {product.pk}


def test_campaigns_are_shared_by_every_user(client_for, team):
    campaign = CampaignFactory(owner=team.ann)

    response = client_for(team.bob).get("/api/v1/campaigns/")

    assert ids(response) == {campaign.pk}


def test_deal_may_name_a_campaign_someone_else_runs(client_for, team):
    campaign = CampaignFactory(owner=team.stranger)
    deal = DealFactory(owner=team.bob)

    response = client_for(team.bob).patch(
        f"/api/v1/deals/{deal.pk}/", {"campaign": campaign.pk}, format="json"
    )

    assert response.status_code == 200, response.content


def test_campaign_deals_leave_out_deals_the_caller_may_not_see(client_for, team):
    campaign = CampaignFactory(owner=team.stranger)
    mine = DealFactory(owner=team.bob, campaign=campaign)
    DealFactory(owner=team.ann, campaign=campaign)

    response = client_for(team.bob).get(f"/api/v1/campaigns/{campaign.pk}/deals/")

    assert ids(response) == {mine.pk}


# Detail: 404, never 403.


@pytest.mark.parametrize("module", list(RECORD_MODULES))
def test_reading_a_colleagues_record_answers_404(client_for, team, module):
    record = RECORD_MODULES[module](owner=team.ann)

    response = client_for(team.bob).get(f"/api/v1/{module}/{record.pk}/")

    assert response.status_code == 404
    assert response.json() == NOT_FOUND


def test_changing_a_colleagues_record_answers_404(client_for, team):
    lead = LeadFactory(owner=team.ann, title="Before")

    response = client_for(team.bob).patch(
        f"/api/v1/leads/{lead.pk}/", {"title": "After"}, format="json"
    )

    lead.refresh_from_db()
    assert response.status_code == 404
    assert lead.title == "Before"


def test_deleting_a_colleagues_record_answers_404(client_for, team):
    lead = LeadFactory(owner=team.ann)

    response = client_for(team.bob).delete(f"/api/v1/leads/{lead.pk}/")

    assert response.status_code == 404
    assert Lead.objects.filter(pk=lead.pk).exists()


def test_manager_reads_a_record_of_their_report(client_for, team):
    lead = LeadFactory(owner=team.junior)

    response = client_for(team.manager).get(f"/api/v1/leads/{lead.pk}/")

    assert response.status_code == 200


# Related lists and timelines.

RELATED_LISTS = {
    "accounts/{account}/contacts/": lambda account, owner: ContactFactory(
        owner=owner, account=account
    ),
    "accounts/{account}/deals/": lambda account, owner: DealFactory(
        owner=owner, account=account
    ),
    "accounts/{account}/tickets/": lambda account, owner: TicketFactory(
        owner=owner, account=account, contact=None
    ),
    "contacts/{contact}/deals/": lambda contact, owner: DealFactory(
        owner=owner, contact=contact
    ),
    "contacts/{contact}/tickets/": lambda contact, owner: TicketFactory(
        owner=owner, contact=contact
    ),
}


def related_parent(path, owner):
    if path.startswith("accounts"):
        account = AccountFactory(owner=owner)
        return account, path.format(account=account.pk)
    contact = ContactFactory(owner=owner)
    return contact, path.format(contact=contact.pk)


@pytest.mark.parametrize("path", list(RELATED_LISTS))
def test_related_list_leaves_out_records_the_caller_may_not_see(client_for, team, path):
    parent, url = related_parent(path, team.bob)
    mine = RELATED_LISTS[path](parent, team.bob)
    RELATED_LISTS[path](parent, team.ann)

    response = client_for(team.bob).get(f"/api/v1/{url}")

    assert ids(response) == {mine.pk}


@pytest.mark.parametrize("path", list(RELATED_LISTS))
def test_related_list_of_a_colleagues_record_answers_404(client_for, team, path):
    parent, url = related_parent(path, team.ann)
    RELATED_LISTS[path](parent, team.bob)

    response = client_for(team.bob).get(f"/api/v1/{url}")

    assert response.status_code == 404
    assert response.json() == NOT_FOUND


def test_timeline_leaves_out_entries_the_caller_may_not_see(client_for, team):
    deal = DealFactory(owner=team.bob)
    mine = NoteFactory(owner=team.bob, deal=deal)
    NoteFactory(owner=team.ann, deal=deal)
    TaskFactory(owner=team.ann, deal=deal)

    response = client_for(team.bob).get(f"/api/v1/deals/{deal.pk}/timeline/")

    assert ids(response) == {mine.pk}
    assert response.json()["count"] == 1


def test_manager_timeline_holds_the_entries_of_their_team(client_for, team):
    deal = DealFactory(owner=team.bob)
    by_bob = NoteFactory(owner=team.bob, deal=deal)
    by_ann = CallFactory(owner=team.ann, deal=deal)
    NoteFactory(owner=team.stranger, deal=deal)

    response = client_for(team.manager).get(f"/api/v1/deals/{deal.pk}/timeline/")

    assert ids(response) == {by_bob.pk, by_ann.pk}


def test_timeline_of_a_colleagues_deal_answers_404(client_for, team):
    deal = DealFactory(owner=team.ann)
    NoteFactory(owner=team.bob, deal=deal)

    response = client_for(team.bob).get(f"/api/v1/deals/{deal.pk}/timeline/")

    assert response.status_code == 404


# Line items: seen through their deal.


def test_line_items_of_a_colleagues_deal_are_not_listed(client_for, team):
    mine = DealLineItemFactory(deal__owner=team.bob)
    DealLineItemFactory(deal__owner=team.ann)

    response = client_for(team.bob).get("/api/v1/line-items/")

    assert ids(response) == {mine.pk}


def test_line_item_of_a_colleagues_deal_answers_404(client_for, team):
    item = DealLineItemFactory(deal__owner=team.ann)

    response = client_for(team.bob).get(f"/api/v1/line-items/{item.pk}/")

    assert response.status_code == 404


def test_line_item_on_a_colleagues_deal_is_rejected_as_an_unknown_deal(
    client_for, team
):
    deal = DealFactory(owner=team.ann)

    response = client_for(team.bob).post(
        "/api/v1/line-items/",
        {"deal": deal.pk, "product": ProductFactory().pk, "quantity": "1"},
        format="json",
    )

    assert response.status_code == 400
    assert response.json()["errors"] == {
        "deal": [DOES_NOT_EXIST.format(pk_value=deal.pk)]
    }


# Forecast and targets.


def closing(deal_owner, amount):
    return DealFactory(
        owner=deal_owner, amount=amount, closing_date=date(2030, 2, 10)
    ).owner_id


def forecast_owner_ids(client):
    response = client.get("/api/v1/forecast/", {"period": "quarter"})
    assert response.status_code == 200, response.content
    return {row["owner"]["id"] for row in response.json()["results"]}


def test_forecast_of_a_representative_holds_only_their_deals(client_for, team):
    closing(team.bob, 100)
    closing(team.ann, 200)

    assert forecast_owner_ids(client_for(team.bob)) == {team.bob.pk}


def test_forecast_of_a_manager_holds_their_teams_deals(client_for, team):
    for member in (team.bob, team.junior, team.stranger):
        closing(member, 100)

    owners = forecast_owner_ids(client_for(team.manager))

    assert owners == {team.bob.pk, team.junior.pk}


def test_forecast_of_a_user_who_sees_all_holds_every_owner(client_for, team):
    for member in (team.bob, team.stranger):
        closing(member, 100)

    owners = forecast_owner_ids(client_for(team.viewer))

    assert owners == {team.bob.pk, team.stranger.pk}


def make_target(user, start=date(2030, 1, 1)):
    return Target.objects.create(
        user=user, period_kind="quarter", period_start=start, amount=1000
    )


def test_representative_lists_only_their_own_targets(client_for, team):
    mine = make_target(team.bob)
    make_target(team.ann)
    make_target(team.manager)

    response = client_for(team.bob).get("/api/v1/targets/")

    assert ids(response) == {mine.pk}


def test_manager_lists_the_targets_of_their_team(client_for, team):
    expected = {make_target(member).pk for member in (team.manager, team.junior)}
    make_target(team.stranger)

    response = client_for(team.manager).get("/api/v1/targets/")

    assert ids(response) == expected


def test_reading_a_colleagues_target_answers_404(client_for, team):
    target = make_target(team.ann)

    response = client_for(team.bob).get(f"/api/v1/targets/{target.pk}/")

    assert response.status_code == 404


def test_manager_sets_a_target_for_their_report(client_for, team):
    response = client_for(team.manager).post(
        "/api/v1/targets/",
        {
            "user": team.junior.pk,
            "period_kind": "month",
            "period_start": "2030-01-01",
            "amount": "10",
        },
        format="json",
    )

    assert response.status_code == 201, response.content


def test_target_for_a_user_outside_the_team_is_rejected_as_an_unknown_user(
    client_for, team
):
    response = client_for(team.manager).post(
        "/api/v1/targets/",
        {
            "user": team.stranger.pk,
            "period_kind": "month",
            "period_start": "2030-01-01",
            "amount": "10",
        },
        format="json",
    )

    assert response.status_code == 400
    assert response.json()["errors"] == {
        "user": [DOES_NOT_EXIST.format(pk_value=team.stranger.pk)]
    }


# Duplicate emails held by records the caller may not see.


def test_duplicate_of_a_hidden_record_answers_409_without_its_id(client_for, team):
    LeadFactory(owner=team.ann, email="ann@example.com")

    response = client_for(team.bob).post(
        "/api/v1/leads/", {"last_name": "Roe", "email": "ANN@example.com"}
    )

    assert response.status_code == 409
    assert response.json() == {
        "detail": DUPLICATE_HIDDEN_MESSAGE.format(model="lead", field="email"),
        "code": "duplicate",
    }


def test_duplicate_of_a_visible_and_a_hidden_record_names_the_visible_one(
    client_for, team
):
    LeadFactory(owner=team.ann, email="ann@example.com")
    visible = LeadFactory(owner=team.bob, email="ann@example.com")

    response = client_for(team.bob).post(
        "/api/v1/leads/", {"last_name": "Roe", "email": "ann@example.com"}
    )

    assert response.json() == {
        "detail": DUPLICATE_MESSAGE.format(model="lead", field="email"),
        "code": "duplicate",
        "existing_id": visible.pk,
    }


def test_bulk_duplicate_of_a_hidden_record_names_no_id(client_for, team):
    LeadFactory(owner=team.ann, email="ann@example.com")
    payload = [
        {"last_name": "Bob", "email": "bob@example.com"},
        {"last_name": "Ann", "email": "ann@example.com"},
    ]

    response = client_for(team.bob).post("/api/v1/leads/bulk/", payload)

    body = response.json()
    assert response.status_code == 409
    assert body["existing_ids"] == {}
    assert body["errors"] == {
        "1": {"email": [DUPLICATE_HIDDEN_MESSAGE.format(model="lead", field="email")]}
    }


# Bulk responses.


def test_bulk_linking_to_a_hidden_account_is_rejected_by_position(client_for, team):
    hidden = AccountFactory(owner=team.ann)
    payload = [{"last_name": "Doe"}, {"last_name": "Roe", "account": hidden.pk}]

    response = client_for(team.bob).post("/api/v1/contacts/bulk/", payload)

    assert response.status_code == 400
    assert response.json()["errors"] == {
        "1": {"account": [DOES_NOT_EXIST.format(pk_value=hidden.pk)]}
    }


def test_bulk_response_holds_the_records_it_made_for_the_caller(client_for, team):
    account = AccountFactory(owner=team.bob)
    payload = [{"last_name": "Doe", "account": account.pk}, {"last_name": "Roe"}]

    response = client_for(team.bob).post("/api/v1/contacts/bulk/", payload)

    assert response.status_code == 201
    assert [(row["owner"]["id"], row["account"]) for row in response.json()] == [
        (team.bob.pk, account.pk),
        (team.bob.pk, None),
    ]


# Links made by writes.


def test_deal_linked_to_a_hidden_account_is_rejected_as_if_it_did_not_exist(
    client_for, team
):
    hidden = AccountFactory(owner=team.ann)
    stage = Pipeline.get_default().stages.first()

    response = client_for(team.bob).post(
        "/api/v1/deals/",
        {"name": "Renewal", "stage": stage.pk, "account": hidden.pk},
        format="json",
    )

    assert response.status_code == 400
    assert response.json() == {
        "detail": "Invalid input.",
        "code": "invalid",
        "errors": {"account": [DOES_NOT_EXIST.format(pk_value=hidden.pk)]},
    }


def test_note_on_a_hidden_lead_is_rejected_as_if_it_did_not_exist(client_for, team):
    hidden = LeadFactory(owner=team.ann)

    response = client_for(team.bob).post(
        "/api/v1/notes/", {"body": "Called.", "lead": hidden.pk}, format="json"
    )

    assert response.status_code == 400
    assert response.json()["errors"] == {
        "lead": [DOES_NOT_EXIST.format(pk_value=hidden.pk)]
    }


def test_meeting_with_a_hidden_contact_is_rejected_as_if_it_did_not_exist(
    client_for, team
):
    hidden = ContactFactory(owner=team.ann)

    response = client_for(team.bob).post(
        "/api/v1/meetings/",
        {
            "subject": "Demo",
            "start": "2030-01-05T10:00:00Z",
            "end": "2030-01-05T11:00:00Z",
            "participant_contacts": [hidden.pk],
        },
        format="json",
    )

    assert response.status_code == 400
    assert response.json()["errors"] == {
        "participant_contacts": [DOES_NOT_EXIST.format(pk_value=hidden.pk)]
    }


def test_moving_a_deal_to_a_hidden_account_is_rejected_and_keeps_the_old_one(
    client_for, team
):
    deal = DealFactory(owner=team.bob)
    old_account = deal.account_id

    response = client_for(team.bob).patch(
        f"/api/v1/deals/{deal.pk}/",
        {"account": AccountFactory(owner=team.ann).pk},
        format="json",
    )

    deal.refresh_from_db()
    assert response.status_code == 400
    assert deal.account_id == old_account


def test_manager_links_a_record_to_one_of_their_reports_records(client_for, team):
    account = AccountFactory(owner=team.junior)

    response = client_for(team.manager).post(
        "/api/v1/contacts/", {"last_name": "Roe", "account": account.pk}
    )

    assert response.status_code == 201, response.content


def test_record_sent_back_unchanged_keeps_its_link_to_a_hidden_record(client_for, team):
    contact = ContactFactory(owner=team.bob, account=AccountFactory(owner=team.ann))
    client = client_for(team.bob)
    body = client.get(f"/api/v1/contacts/{contact.pk}/").json()

    response = client.put(f"/api/v1/contacts/{contact.pk}/", body, format="json")

    assert response.status_code == 200, response.content
    assert response.json()["account"] == contact.account_id


def test_filtering_by_a_hidden_account_answers_like_an_unknown_one(client_for, team):
    hidden = AccountFactory(owner=team.ann)

    response = client_for(team.bob).get(f"/api/v1/contacts/?account={hidden.pk}")

    assert response.status_code == 400
    assert response.json()["errors"] == {"account": [INVALID_CHOICE]}


# Tokens carry exactly their owner's visibility, at each request.

MEMBER_DEALS = {
    "bob": ("bob",),
    "ann": ("ann", "junior"),
    "manager": ("manager", "ann", "bob", "junior"),
    "stranger": ("stranger",),
    "viewer": ("manager", "ann", "bob", "junior", "stranger", "viewer"),
}


@pytest.mark.parametrize("member", list(MEMBER_DEALS))
def test_token_sees_exactly_what_its_owner_sees(client_for, team, deals, member):
    response = client_for(getattr(team, member)).get("/api/v1/deals/")

    assert ids(response) == deal_ids(deals, *MEMBER_DEALS[member])


@pytest.mark.parametrize("member", list(MEMBER_DEALS))
def test_signed_in_owner_sees_what_their_token_sees(client, team, deals, member):
    client.force_login(getattr(team, member))

    response = client.get("/api/v1/deals/")

    assert {row["id"] for row in response.json()["results"]} == deal_ids(
        deals, *MEMBER_DEALS[member]
    )


def test_token_sees_a_new_reports_records_at_the_next_request(client_for, team, deals):
    client = client_for(team.bob)
    client.get("/api/v1/deals/")
    team.stranger.manager = team.bob
    team.stranger.save()

    response = client.get("/api/v1/deals/")

    assert ids(response) == deal_ids(deals, "bob", "stranger")


def test_token_stops_seeing_a_former_reports_records(client_for, team, deals):
    client = client_for(team.ann)
    client.get("/api/v1/deals/")
    team.junior.manager = None
    team.junior.save()

    response = client.get("/api/v1/deals/")

    assert ids(response) == deal_ids(deals, "ann")


def test_token_stops_seeing_everything_when_its_owner_loses_view_all(
    client_for, team, deals
):
    client = client_for(team.viewer)
    client.get("/api/v1/deals/")
    team.viewer.user_permissions.remove(
        Permission.objects.get(codename="view_all_records")
    )

    response = client.get("/api/v1/deals/")

    assert ids(response) == deal_ids(deals, "viewer")


def test_deal_of_a_colleague_stays_hidden_from_a_token_with_every_scope(
    client_for, team
):
    deal = DealFactory(owner=team.ann)

    response = client_for(team.bob).get(f"/api/v1/deals/{deal.pk}/")

    assert response.status_code == 404
    assert Deal.objects.filter(pk=deal.pk).exists()


def test_html_form_shows_a_linked_hidden_account_by_id_only(client, team):
    secret = AccountFactory(owner=team.manager, name="Manager-only account")
    contact = ContactFactory(owner=team.ann, account=secret)
    client.force_login(team.ann)

    response = client.get(f"/api/v1/contacts/{contact.pk}/", HTTP_ACCEPT="text/html")

    content = response.content.decode()
    assert response.status_code == 200
    assert "Manager-only account" not in content
    assert f">#{secret.pk}<" in content.replace("\n", "").replace(" ", "")
