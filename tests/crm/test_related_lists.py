"""Related lists: an account's contacts, deals and tickets; a contact's deals and
tickets. Each needs the listed module's read scope too."""

import pytest

from tests.factories import (
    AccountFactory,
    ContactFactory,
    DealFactory,
    TicketFactory,
)
from tokens.permissions import MISSING_SCOPE_MESSAGE


def ids(response):
    return [row["id"] for row in response.json()["results"]]


def test_account_contacts_lists_only_that_accounts_contacts(token_client, user):
    account = AccountFactory(owner=user)
    contact = ContactFactory(owner=user, account=account)
    ContactFactory(owner=user)

    response = token_client.get(f"/api/v1/accounts/{account.pk}/contacts/")

    assert response.status_code == 200
    assert ids(response) == [contact.pk]


def test_account_deals_lists_only_that_accounts_deals(token_client, user):
    account = AccountFactory(owner=user)
    deal = DealFactory(owner=user, account=account)
    DealFactory(owner=user)

    response = token_client.get(f"/api/v1/accounts/{account.pk}/deals/")

    assert ids(response) == [deal.pk]


def test_account_tickets_lists_only_that_accounts_tickets(token_client, user):
    account = AccountFactory(owner=user)
    ticket = TicketFactory(owner=user, account=account)
    TicketFactory(owner=user)

    response = token_client.get(f"/api/v1/accounts/{account.pk}/tickets/")

    assert ids(response) == [ticket.pk]


def test_contact_deals_lists_only_that_contacts_deals(token_client, user):
    contact = ContactFactory(owner=user)
    deal = DealFactory(owner=user, contact=contact)
    DealFactory(owner=user, account=contact.account)

    response = token_client.get(f"/api/v1/contacts/{contact.pk}/deals/")

    assert ids(response) == [deal.pk]


def test_contact_tickets_lists_only_that_contacts_tickets(token_client, user):
    contact = ContactFactory(owner=user)
    ticket = TicketFactory(owner=user, contact=contact)
    TicketFactory(owner=user)

    response = token_client.get(f"/api/v1/contacts/{contact.pk}/tickets/")

    assert ids(response) == [ticket.pk]


def test_related_list_applies_the_listed_modules_filters(token_client, user):
    account = AccountFactory(owner=user)
    TicketFactory(owner=user, account=account, status="closed")
    open_ticket = TicketFactory(owner=user, account=account, status="open")

    response = token_client.get(
        f"/api/v1/accounts/{account.pk}/tickets/?status__in=new,open"
    )

    assert ids(response) == [open_ticket.pk]


def test_related_list_bad_filter_value_is_rejected_with_400_naming_it(
    token_client, user
):
    account = AccountFactory(owner=user)

    response = token_client.get(f"/api/v1/accounts/{account.pk}/deals/?amount__gte=x")

    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["amount__gte"]


def test_related_list_is_paginated(token_client, user):
    account = AccountFactory(owner=user)
    DealFactory.create_batch(3, account=account, owner=user)

    body = token_client.get(f"/api/v1/accounts/{account.pk}/deals/?page_size=2").json()

    assert (body["count"], len(body["results"])) == (3, 2)
    assert body["next"] is not None


def test_related_list_of_an_unknown_account_answers_404(token_client):
    response = token_client.get("/api/v1/accounts/999999/deals/")

    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


@pytest.mark.parametrize(
    ("path", "missing"),
    [
        ("accounts/{account}/contacts/", "contacts:read"),
        ("accounts/{account}/deals/", "deals:read"),
        ("accounts/{account}/tickets/", "tickets:read"),
        ("contacts/{contact}/deals/", "deals:read"),
        ("contacts/{contact}/tickets/", "tickets:read"),
    ],
)
def test_related_list_without_the_listed_modules_scope_is_refused_with_403(
    scoped_client, user, path, missing
):
    contact = ContactFactory(owner=user)
    own_scope = path.split("/")[0] + ":read"
    client = scoped_client(user, [own_scope])
    url = "/api/v1/" + path.format(account=contact.account_id, contact=contact.pk)

    response = client.get(url)

    assert response.status_code == 403
    assert response.json()["detail"] == MISSING_SCOPE_MESSAGE.format(scope=missing)


def test_related_list_without_the_records_own_scope_is_refused_with_403(
    scoped_client, user
):
    client = scoped_client(user, ["deals:read"])

    response = client.get(f"/api/v1/accounts/{AccountFactory(owner=user).pk}/deals/")

    assert response.status_code == 403
    assert response.json()["detail"] == MISSING_SCOPE_MESSAGE.format(
        scope="accounts:read"
    )


def test_related_list_with_both_scopes_is_allowed(scoped_client, user):
    client = scoped_client(user, ["accounts:read", "deals:read"])

    response = client.get(f"/api/v1/accounts/{AccountFactory(owner=user).pk}/deals/")

    assert response.status_code == 200
