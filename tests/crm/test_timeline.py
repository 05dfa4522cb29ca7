"""A record's timeline: its notes, tasks, calls and meetings, newest first."""

import datetime

import pytest
from django.utils import timezone

from tests.factories import (
    AccountFactory,
    CallFactory,
    ContactFactory,
    DealFactory,
    LeadFactory,
    MeetingFactory,
    NoteFactory,
    TaskFactory,
    TicketFactory,
)
from tokens.permissions import MISSING_SCOPE_MESSAGE

RECORD_FACTORIES = {
    "leads": ("lead", LeadFactory),
    "contacts": ("contact", ContactFactory),
    "accounts": ("account", AccountFactory),
    "deals": ("deal", DealFactory),
    "tickets": ("ticket", TicketFactory),
}


def hours_ago(hours):
    return timezone.now() - datetime.timedelta(hours=hours)


@pytest.fixture
def deal_history(user):
    """A deal with one entry of each type, made at different times."""
    deal = DealFactory(owner=user)
    entries = [
        ("call", CallFactory(owner=user, deal=deal, created_at=hours_ago(4))),
        ("note", NoteFactory(owner=user, deal=deal, created_at=hours_ago(1))),
        ("meeting", MeetingFactory(owner=user, deal=deal, created_at=hours_ago(3))),
        ("task", TaskFactory(owner=user, deal=deal, created_at=hours_ago(2))),
    ]
    return deal, entries


def test_timeline_lists_notes_and_activities_newest_first(token_client, deal_history):
    deal, _ = deal_history

    body = token_client.get(f"/api/v1/deals/{deal.pk}/timeline/").json()

    assert [row["type"] for row in body["results"]] == [
        "note",
        "task",
        "meeting",
        "call",
    ]


def test_timeline_entry_holds_the_object_under_its_type(token_client, deal_history):
    deal, entries = deal_history
    note = dict(entries)["note"]

    entry = token_client.get(f"/api/v1/deals/{deal.pk}/timeline/").json()["results"][0]

    assert entry["id"] == note.pk
    assert entry["note"]["body"] == note.body
    assert (entry["task"], entry["call"], entry["meeting"]) == (None, None, None)


def test_timeline_pages_in_order(token_client, deal_history):
    deal, _ = deal_history
    url = f"/api/v1/deals/{deal.pk}/timeline/?page_size=3"

    first = token_client.get(url).json()
    second = token_client.get(first["next"]).json()

    assert first["count"] == 4
    assert [row["type"] for row in first["results"]] == ["note", "task", "meeting"]
    assert [row["type"] for row in second["results"]] == ["call"]


def test_timeline_leaves_out_other_records_entries(token_client, user):
    deal = DealFactory(owner=user)
    NoteFactory(owner=user, deal=DealFactory(owner=user))
    TaskFactory(owner=user, account=deal.account)

    body = token_client.get(f"/api/v1/deals/{deal.pk}/timeline/").json()

    assert body["count"] == 0


@pytest.mark.parametrize("module", list(RECORD_FACTORIES))
def test_timeline_exists_for_every_record_module(token_client, module, user):
    field, factory = RECORD_FACTORIES[module]
    record = factory(owner=user)
    note = NoteFactory(owner=user, **{field: record})

    body = token_client.get(f"/api/v1/{module}/{record.pk}/timeline/").json()

    assert [row["id"] for row in body["results"]] == [note.pk]


def test_timeline_of_an_unknown_record_answers_404(token_client):
    response = token_client.get("/api/v1/deals/999999/timeline/")

    assert response.status_code == 404


@pytest.mark.parametrize("missing", ["notes:read", "tasks:read", "calls:read"])
def test_timeline_without_an_entry_modules_scope_is_refused_with_403(
    scoped_client, user, missing
):
    scopes = ["deals:read", "notes:read", "tasks:read", "calls:read", "meetings:read"]
    client = scoped_client(user, [scope for scope in scopes if scope != missing])

    response = client.get(f"/api/v1/deals/{DealFactory(owner=user).pk}/timeline/")

    assert response.status_code == 403
    assert response.json()["detail"] == MISSING_SCOPE_MESSAGE.format(scope=missing)
