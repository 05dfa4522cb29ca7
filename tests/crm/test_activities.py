"""Tasks, calls and meetings: CRUD, the one-related-record rule, and filters."""

import datetime

from crm.models import Call, Meeting, Task
from crm.serializers.activities import MEETING_ENDS_BEFORE_START_MESSAGE
from crm.serializers.records import RELATED_TO_MANY_MESSAGE
from tests.factories import (
    AccountFactory,
    CallFactory,
    ContactFactory,
    DealFactory,
    LeadFactory,
    MeetingFactory,
    TaskFactory,
    UserFactory,
)


def test_task_create_sets_owner_and_creator_to_the_caller(token_client, user):
    other = UserFactory()

    response = token_client.post(
        "/api/v1/tasks/", {"subject": "Send quote", "owner": other.pk}, format="json"
    )

    assert response.status_code == 201, response.content
    task = Task.objects.get()
    assert (task.owner, task.created_by) == (user, user)


def test_task_create_relates_it_to_a_deal(token_client, user):
    deal = DealFactory(owner=user)

    response = token_client.post(
        "/api/v1/tasks/", {"subject": "Send quote", "deal": deal.pk}, format="json"
    )

    assert response.status_code == 201, response.content
    assert Task.objects.get().deal == deal


def test_task_related_to_two_records_is_rejected_with_400(token_client, user):
    payload = {
        "subject": "X",
        "deal": DealFactory(owner=user).pk,
        "lead": LeadFactory(owner=user).pk,
    }

    response = token_client.post("/api/v1/tasks/", payload, format="json")

    assert response.status_code == 400
    message = RELATED_TO_MANY_MESSAGE.format(fields="lead, deal")
    assert response.json()["errors"] == {"non_field_errors": [message]}


def test_task_update_adding_a_second_record_is_rejected_with_400(token_client, user):
    task = TaskFactory(owner=user, lead=LeadFactory(owner=user))

    response = token_client.patch(
        f"/api/v1/tasks/{task.pk}/", {"deal": DealFactory(owner=user).pk}, format="json"
    )

    assert response.status_code == 400


def test_task_moves_to_another_record_when_the_old_one_is_cleared(token_client, user):
    task = TaskFactory(owner=user, lead=LeadFactory(owner=user))
    deal = DealFactory(owner=user)

    response = token_client.patch(
        f"/api/v1/tasks/{task.pk}/", {"lead": None, "deal": deal.pk}, format="json"
    )

    assert response.status_code == 200, response.content
    task.refresh_from_db()
    assert (task.lead, task.deal) == (None, deal)


def test_task_retrieve_shows_its_fields(token_client, user):
    task = TaskFactory(owner=user, status=Task.Status.IN_PROGRESS, priority="high")

    body = token_client.get(f"/api/v1/tasks/{task.pk}/").json()

    assert body["subject"] == task.subject
    assert (body["status"], body["priority"]) == ("in_progress", "high")
    assert body["owner"]["id"] == task.owner_id


def test_task_update_changes_its_status(token_client, user):
    task = TaskFactory(owner=user)

    response = token_client.patch(
        f"/api/v1/tasks/{task.pk}/", {"status": "completed"}, format="json"
    )

    assert response.status_code == 200
    task.refresh_from_db()
    assert task.status == Task.Status.COMPLETED


def test_task_delete_removes_it(token_client, user):
    task = TaskFactory(owner=user)

    response = token_client.delete(f"/api/v1/tasks/{task.pk}/")

    assert response.status_code == 204
    assert not Task.objects.exists()


def test_task_list_filters_by_status_list(token_client, user):
    TaskFactory(owner=user, status=Task.Status.COMPLETED)
    waiting = TaskFactory(owner=user, status=Task.Status.WAITING)
    started = TaskFactory(owner=user, status=Task.Status.IN_PROGRESS)

    body = token_client.get("/api/v1/tasks/?status__in=waiting,in_progress").json()

    assert {row["id"] for row in body["results"]} == {waiting.pk, started.pk}


def test_task_list_filters_by_due_date_range(token_client, user):
    TaskFactory(owner=user, due_date=datetime.date(2026, 1, 1))
    inside = TaskFactory(owner=user, due_date=datetime.date(2026, 2, 1))
    TaskFactory(owner=user, due_date=datetime.date(2026, 3, 1))

    body = token_client.get(
        "/api/v1/tasks/?due_date__gte=2026-01-15&due_date__lte=2026-02-15"
    ).json()

    assert [row["id"] for row in body["results"]] == [inside.pk]


def test_task_list_filters_by_related_account(token_client, user):
    account = AccountFactory(owner=user)
    mine = TaskFactory(owner=user, account=account)
    TaskFactory(owner=user, account=AccountFactory(owner=user))

    body = token_client.get(f"/api/v1/tasks/?account={account.pk}").json()

    assert [row["id"] for row in body["results"]] == [mine.pk]


def test_task_list_filters_by_owner(token_client, user, report):
    reports_task = TaskFactory(owner=report)
    TaskFactory(owner=user)

    body = token_client.get(f"/api/v1/tasks/?owner={report.pk}").json()

    assert [row["id"] for row in body["results"]] == [reports_task.pk]


def test_task_list_bad_due_date_is_rejected_with_400_naming_it(token_client):
    response = token_client.get("/api/v1/tasks/?due_date__gte=soon")

    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["due_date__gte"]


def test_task_list_unknown_ordering_field_is_ignored(token_client, user):
    TaskFactory(owner=user)

    response = token_client.get("/api/v1/tasks/?ordering=description")

    assert response.status_code == 200


def test_task_list_orders_by_due_date(token_client, user):
    late = TaskFactory(owner=user, due_date=datetime.date(2026, 3, 1))
    early = TaskFactory(owner=user, due_date=datetime.date(2026, 1, 1))

    body = token_client.get("/api/v1/tasks/?ordering=due_date").json()

    assert [row["id"] for row in body["results"]] == [early.pk, late.pk]


def test_call_create_stores_direction_and_duration(token_client, user):
    payload = {
        "subject": "Intro",
        "direction": "inbound",
        "start": "2026-01-05T10:00:00Z",
        "duration": 420,
        "purpose": "prospecting",
        "contact": ContactFactory(owner=user).pk,
    }

    response = token_client.post("/api/v1/calls/", payload, format="json")

    assert response.status_code == 201, response.content
    call = Call.objects.get()
    assert (call.direction, call.duration) == ("inbound", 420)


def test_call_with_unknown_direction_is_rejected_with_400(token_client):
    payload = {"subject": "X", "direction": "sideways", "start": "2026-01-05T10:00Z"}

    response = token_client.post("/api/v1/calls/", payload, format="json")

    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["direction"]


def test_call_list_filters_by_duration_range(token_client, user):
    CallFactory(owner=user, duration=30)
    long_call = CallFactory(owner=user, duration=900)

    body = token_client.get("/api/v1/calls/?duration__gte=600").json()

    assert [row["id"] for row in body["results"]] == [long_call.pk]


def test_call_list_filters_by_direction(token_client, user):
    inbound = CallFactory(owner=user, direction=Call.Direction.INBOUND)
    CallFactory(owner=user, direction=Call.Direction.OUTBOUND)

    body = token_client.get("/api/v1/calls/?direction=inbound").json()

    assert [row["id"] for row in body["results"]] == [inbound.pk]


def test_call_list_bad_purpose_is_rejected_with_400_naming_it(token_client):
    response = token_client.get("/api/v1/calls/?purpose__in=gossip")

    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["purpose__in"]


def test_meeting_create_records_user_and_contact_participants(token_client, user):
    contact = ContactFactory(owner=user)
    payload = {
        "subject": "Demo",
        "start": "2026-01-05T10:00:00Z",
        "end": "2026-01-05T11:00:00Z",
        "participant_users": [user.pk],
        "participant_contacts": [contact.pk],
    }

    response = token_client.post("/api/v1/meetings/", payload, format="json")

    assert response.status_code == 201, response.content
    meeting = Meeting.objects.get()
    assert list(meeting.participant_users.all()) == [user]
    assert list(meeting.participant_contacts.all()) == [contact]


def test_meeting_ending_before_it_starts_is_rejected_with_400(token_client):
    payload = {
        "subject": "Demo",
        "start": "2026-01-05T10:00:00Z",
        "end": "2026-01-05T09:00:00Z",
    }

    response = token_client.post("/api/v1/meetings/", payload, format="json")

    assert response.status_code == 400
    assert response.json()["errors"] == {"end": [MEETING_ENDS_BEFORE_START_MESSAGE]}


def test_meeting_update_moving_start_past_end_is_rejected_with_400(token_client, user):
    meeting = MeetingFactory(owner=user)
    later = meeting.end + datetime.timedelta(hours=1)

    response = token_client.patch(
        f"/api/v1/meetings/{meeting.pk}/", {"start": later.isoformat()}, format="json"
    )

    assert response.status_code == 400


def test_meeting_list_filters_by_participating_contact(token_client, user):
    contact = ContactFactory(owner=user)
    attended = MeetingFactory(owner=user, participant_contacts=[contact])
    MeetingFactory(owner=user)

    body = token_client.get(f"/api/v1/meetings/?participant_contact={contact.pk}")

    assert [row["id"] for row in body.json()["results"]] == [attended.pk]


def test_meeting_list_filters_by_participating_user(token_client, user):
    attendee = UserFactory()
    attended = MeetingFactory(owner=user, participant_users=[attendee])
    MeetingFactory(owner=user)

    body = token_client.get(f"/api/v1/meetings/?participant_user={attendee.pk}")

    assert [row["id"] for row in body.json()["results"]] == [attended.pk]


def test_meeting_list_searches_location(token_client, user):
    MeetingFactory(owner=user, location="Head office")
    there = MeetingFactory(owner=user, location="Customer site, Lyon")

    body = token_client.get("/api/v1/meetings/?search=lyon").json()

    assert [row["id"] for row in body["results"]] == [there.pk]
