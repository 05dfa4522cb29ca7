import datetime

from django.utils import timezone

from crm.models import Ticket
from tests.factories import AccountFactory, ContactFactory, TagFactory, TicketFactory


def test_ticket_create_defaults_to_new_with_normal_priority(token_client, user):
    contact = ContactFactory()

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


def test_closing_a_ticket_records_when(token_client):
    ticket = TicketFactory(status=Ticket.Status.OPEN)

    response = token_client.patch(
        f"/api/v1/tickets/{ticket.pk}/",
        {"status": "closed", "resolution": "Reset the password."},
        format="json",
    )

    assert response.status_code == 200
    ticket.refresh_from_db()
    assert timezone.now() - ticket.closed_at < datetime.timedelta(minutes=1)


def test_saving_a_closed_ticket_again_keeps_its_closing_time(token_client):
    closed_at = timezone.now() - datetime.timedelta(days=3)
    ticket = TicketFactory(status=Ticket.Status.CLOSED, closed_at=closed_at)

    token_client.patch(
        f"/api/v1/tickets/{ticket.pk}/", {"status": "closed"}, format="json"
    )

    ticket.refresh_from_db()
    assert ticket.closed_at == closed_at


def test_reopening_a_ticket_clears_its_closing_time(token_client):
    ticket = TicketFactory(status=Ticket.Status.CLOSED, closed_at=timezone.now())

    token_client.patch(
        f"/api/v1/tickets/{ticket.pk}/", {"status": "open"}, format="json"
    )

    ticket.refresh_from_db()
    assert ticket.closed_at is None


def test_ticket_closed_at_cannot_be_written(token_client):
    ticket = TicketFactory()

    token_client.patch(
        f"/api/v1/tickets/{ticket.pk}/",
        {"closed_at": "2020-01-01T00:00:00Z"},
        format="json",
    )

    ticket.refresh_from_db()
    assert ticket.closed_at is None


def test_ticket_delete_removes_it(token_client):
    ticket = TicketFactory()

    response = token_client.delete(f"/api/v1/tickets/{ticket.pk}/")

    assert response.status_code == 204
    assert not Ticket.objects.exists()


def test_ticket_list_filters_by_status_list(token_client):
    TicketFactory(status=Ticket.Status.CLOSED)
    escalated = TicketFactory(status=Ticket.Status.ESCALATED)
    on_hold = TicketFactory(status=Ticket.Status.ON_HOLD)

    body = token_client.get("/api/v1/tickets/?status__in=escalated,on_hold").json()

    assert {row["id"] for row in body["results"]} == {escalated.pk, on_hold.pk}


def test_ticket_list_unknown_status_is_rejected_with_400_naming_it(token_client):
    response = token_client.get("/api/v1/tickets/?status__in=open,lost")

    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["status__in"]


def test_ticket_list_filters_by_account(token_client):
    account = AccountFactory()
    ticket = TicketFactory(account=account)
    TicketFactory()

    body = token_client.get(f"/api/v1/tickets/?account={account.pk}").json()

    assert [row["id"] for row in body["results"]] == [ticket.pk]


def test_ticket_list_filters_by_tag(token_client):
    urgent = TagFactory(name="Urgent")
    tagged = TicketFactory()
    tagged.tags.add(urgent)
    TicketFactory()

    body = token_client.get(f"/api/v1/tickets/?tags={urgent.pk}").json()

    assert [row["id"] for row in body["results"]] == [tagged.pk]


def test_ticket_list_filters_by_closing_time_range(token_client):
    TicketFactory(status="closed", closed_at=timezone.now() - datetime.timedelta(30))
    recent = TicketFactory(status="closed", closed_at=timezone.now())

    since = (timezone.now() - datetime.timedelta(days=1)).date().isoformat()
    body = token_client.get(f"/api/v1/tickets/?closed_at__gte={since}").json()

    assert [row["id"] for row in body["results"]] == [recent.pk]
