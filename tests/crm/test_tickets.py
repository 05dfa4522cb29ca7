import datetime

from django.utils import timezone

from crm.models import Ticket
from tests.factories import AccountFactory, ContactFactory, TagFactory, TicketFactory


def test_ticket_create_defaults_to_new_with_normal_priority(token_client, user):
    contact = ContactFactory(owner=user)

    response = token_client.post(
        "/api/v1/tickets/",
        {"subject": "Cannot log in", "contact": contact.pk, "origin": "web"},
        format="json",
    )

    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["status"], body["priority"], body["closed_at"]) == (
        "new",
        "normal",
        None,
    )
    assert Ticket.objects.get().owner == user


def test_ticket_with_unknown_origin_is_rejected_with_400(token_client):
    response = token_client.post(
        "/api/v1/tickets/", {"subject": "X", "origin": "pigeon"}, format="json"
    )

    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["origin"]


def test_closing_a_ticket_records_when(token_client, user):
    ticket = TicketFactory(owner=user, status=Ticket.Status.OPEN)

    response = token_client.patch(
        f"/api/v1/tickets/{ticket.pk}/",
        {"status": "closed", "resolution": "Reset the password."},
        format="json",
    )

    assert response.status_code == 200
    ticket.refresh_from_db()
    assert timezone.now() - ticket.closed_at < datetime.timedelta(minutes=1)


def test_saving_a_closed_ticket_again_keeps_its_closing_time(token_client, user):
    closed_at = timezone.now() - datetime.timedelta(days=3)
    ticket = TicketFactory(owner=user, status=Ticket.Status.CLOSED, closed_at=closed_at)

    token_client.patch(
        f"/api/v1/tickets/{ticket.pk}/", {"status": "closed"}, format="json"
    )

    ticket.refresh_from_db()
    assert ticket.closed_at == closed_at


def test_reopening_a_ticket_clears_its_closing_time(token_client, user):
    ticket = TicketFactory(
        owner=user, status=Ticket.Status.CLOSED, closed_at=timezone.now()
    )

    token_client.patch(
        f"/api/v1/tickets/{ticket.pk}/", {"status": "open"}, format="json"
    )

    ticket.refresh_from_db()
    assert ticket.closed_at is None


def test_ticket_closed_at_cannot_be_written(token_client, user):
    ticket = TicketFactory(owner=user)

    token_client.patch(
        f"/api/v1/tickets/{ticket.pk}/",
        {"closed_at": "2020-01-01T00:00:00Z"},
        format="json",
    )

    ticket.refresh_from_db()
    assert ticket.closed_at is None


def test_ticket_delete_removes_it(token_client, user):
    ticket = TicketFactory(owner=user)

    response = token_client.delete(f"/api/v1/tickets/{ticket.pk}/")

    assert response.status_code == 204
    assert not Ticket.objects.exists()


def test_ticket_list_filters_by_status_list(token_client, user):
    TicketFactory(owner=user, status=Ticket.Status.CLOSED)
    escalated = TicketFactory(owner=user, status=Ticket.Status.ESCALATED)
    on_hold = TicketFactory(owner=user, status=Ticket.Status.ON_HOLD)

    body = token_client.get("/api/v1/tickets/?status__in=escalated,on_hold").json()

    assert {row["id"] for row in body["results"]} == {escalated.pk, on_hold.pk}


def test_ticket_list_unknown_status_is_rejected_with_400_naming_it(token_client):
    response = token_client.get("/api/v1/tickets/?status__in=open,lost")

    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["status__in"]


def test_ticket_list_filters_by_account(token_client, user):
    account = AccountFactory(owner=user)
    ticket = TicketFactory(owner=user, account=account)
    TicketFactory(owner=user)

    body = token_client.get(f"/api/v1/tickets/?account={account.pk}").json()

    assert [row["id"] for row in body["results"]] == [ticket.pk]


def test_ticket_list_filters_by_tag(token_client, user):
    urgent = TagFactory(name="Urgent")
    tagged = TicketFactory(owner=user)
    tagged.tags.add(urgent)
    TicketFactory(owner=user)

    body = token_client.get(f"/api/v1/tickets/?tags={urgent.pk}").json()

    assert [row["id"] for row in body["results"]] == [tagged.pk]


def test_ticket_list_filters_by_closing_time_range(token_client, user):
    TicketFactory(
        owner=user, status="closed", closed_at=timezone.now() - datetime.timedelta(30)
    )
    recent = TicketFactory(owner=user, status="closed", closed_at=timezone.now())

    since = (timezone.now() - datetime.timedelta(days=1)).date().isoformat()
    body = token_client.get(f"/api/v1/tickets/?closed_at__gte={since}").json()

    assert [row["id"] for row in body["results"]] == [recent.pk]
