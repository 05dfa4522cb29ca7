"""Every list and detail endpoint runs the same number of queries whatever the
page size: related rows come from select_related/prefetch_related."""

import datetime

import pytest
from django.utils import timezone

from tests.factories import (
    AccountFactory,
    CallFactory,
    ContactFactory,
    DealFactory,
    DealLineItemFactory,
    LeadFactory,
    MeetingFactory,
    NoteFactory,
    ProductFactory,
    TagFactory,
    TaskFactory,
    TicketFactory,
    UserFactory,
)

# Every request: the token (with its user), then the user's and groups' permissions.
AUTH = 3
# A paginated list: its count, then the page.
PAGE = 2
ROWS = 8
PAGE_SIZES = (2, 5)


@pytest.fixture
def crm_data(user):
    """ROWS records of every module, tagged, with participants and line items."""
    tags = TagFactory.create_batch(2)
    account = AccountFactory(owner=user)
    contact = ContactFactory(owner=user, account=account)
    deal = DealFactory(owner=user, account=account, contact=contact)
    for n in range(ROWS):
        for record in (
            AccountFactory(owner=user),
            ContactFactory(owner=user, account=account),
            LeadFactory(owner=user),
            DealFactory(owner=user, account=account, contact=contact),
            TicketFactory(owner=user, account=account, contact=contact),
        ):
            record.tags.set(tags)
        # Interleaved in time so that every timeline page holds every type.
        at = timezone.now() - datetime.timedelta(minutes=4 * n)
        NoteFactory(owner=user, deal=deal, created_at=at)
        TaskFactory(
            owner=user, deal=deal, created_at=at - datetime.timedelta(minutes=1)
        )
        CallFactory(
            owner=user, deal=deal, created_at=at - datetime.timedelta(minutes=2)
        )
        MeetingFactory(
            owner=user,
            deal=deal,
            created_at=at - datetime.timedelta(minutes=3),
            participant_users=[user],
            participant_contacts=[contact],
        )
        DealLineItemFactory(deal=deal, product=ProductFactory())
        TagFactory()
    return {"account": account, "contact": contact, "deal": deal}


@pytest.fixture
def warm_client(token_client):
    """A client whose token's first use (which records it) is already done."""
    token_client.get("/api/v1/")
    return token_client


# URL (formatted with crm_data) -> queries after AUTH, beyond the page itself.
LISTS = {
    "accounts/": PAGE + 1,  # tags
    "contacts/": PAGE + 1,
    "leads/": PAGE + 1,
    "deals/": PAGE + 1,
    "tickets/": PAGE + 1,
    "tasks/": PAGE,
    "calls/": PAGE,
    "meetings/": PAGE + 2,  # participating users, contacts
    "notes/": PAGE,
    "products/": PAGE,
    "tags/": PAGE,
    "line-items/": PAGE,
    # The parent record, then the listed module's page and tags.
    "accounts/{account.pk}/contacts/": 1 + PAGE + 1,
    "accounts/{account.pk}/deals/": 1 + PAGE + 1,
    "accounts/{account.pk}/tickets/": 1 + PAGE + 1,
    "contacts/{contact.pk}/deals/": 1 + PAGE + 1,
    "contacts/{contact.pk}/tickets/": 1 + PAGE + 1,
}
DETAILS = {
    "accounts/{account.pk}/": 2,  # the record, its tags
    "contacts/{contact.pk}/": 2,
    "deals/{deal.pk}/": 2,
}


@pytest.mark.parametrize("page_size", PAGE_SIZES)
@pytest.mark.parametrize("path", list(LISTS))
def test_list_runs_a_fixed_number_of_queries(
    warm_client, crm_data, django_assert_num_queries, path, page_size
):
    url = "/api/v1/" + path.format(**crm_data) + f"?page_size={page_size}"

    with django_assert_num_queries(AUTH + LISTS[path]):
        response = warm_client.get(url)

    assert response.status_code == 200
    assert len(response.json()["results"]) == page_size


@pytest.mark.parametrize("page_size", [4, 8])
def test_timeline_runs_a_fixed_number_of_queries(
    warm_client, crm_data, django_assert_num_queries, page_size
):
    url = f"/api/v1/deals/{crm_data['deal'].pk}/timeline/?page_size={page_size}"

    # The record, the page of rows, one load per entry type (meetings: +2).
    # Each page holds every type; a page with fewer types needs fewer loads.
    with django_assert_num_queries(AUTH + 1 + PAGE + 4 + 2):
        response = warm_client.get(url)

    assert len(response.json()["results"]) == page_size


def test_pipeline_list_runs_a_fixed_number_of_queries(
    warm_client, crm_data, django_assert_num_queries
):
    with django_assert_num_queries(AUTH + 2):  # pipelines, their stages
        warm_client.get("/api/v1/pipelines/")


@pytest.mark.parametrize(
    ("module", "make", "extra"),
    [
        ("leads", lambda user: LeadFactory(owner=user), 1),
        ("tickets", lambda user: TicketFactory(owner=user), 1),
        ("tasks", lambda user: TaskFactory(owner=user), 0),
        ("calls", lambda user: CallFactory(owner=user), 0),
        ("meetings", lambda user: MeetingFactory(owner=user), 2),
        ("notes", lambda user: NoteFactory(owner=user), 0),
        ("products", lambda user: ProductFactory(), 0),
        ("tags", lambda user: TagFactory(), 0),
        ("line-items", lambda user: DealLineItemFactory(deal__owner=user), 0),
    ],
)
def test_detail_runs_a_fixed_number_of_queries(
    warm_client, user, django_assert_num_queries, module, make, extra
):
    record = make(user)

    with django_assert_num_queries(AUTH + 1 + extra):
        response = warm_client.get(f"/api/v1/{module}/{record.pk}/")

    assert response.status_code == 200


@pytest.mark.parametrize("path", list(DETAILS))
def test_related_record_detail_runs_a_fixed_number_of_queries(
    warm_client, crm_data, django_assert_num_queries, path
):
    with django_assert_num_queries(AUTH + DETAILS[path]):
        warm_client.get("/api/v1/" + path.format(**crm_data))


@pytest.mark.parametrize("page_size", PAGE_SIZES)
def test_visibility_of_a_managers_team_adds_no_query_to_a_list(
    warm_client, user, django_assert_num_queries, page_size
):
    junior = UserFactory(manager=UserFactory(manager=user))
    DealFactory.create_batch(3, owner=junior)
    DealFactory.create_batch(3, owner=user)

    with django_assert_num_queries(AUTH + PAGE + 1):  # tags
        response = warm_client.get(f"/api/v1/deals/?page_size={page_size}")

    assert response.json()["count"] == 6


def test_visibility_of_a_managers_team_adds_no_query_to_the_forecast(
    warm_client, user, django_assert_num_queries
):
    report = UserFactory(manager=user)
    DealFactory.create_batch(3, owner=report, closing_date=datetime.date(2030, 1, 1))

    with django_assert_num_queries(AUTH + 2):  # deals, targets
        response = warm_client.get("/api/v1/forecast/?period=month")

    assert [row["owner"]["id"] for row in response.json()["results"]] == [report.pk]
