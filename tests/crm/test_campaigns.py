from datetime import date
from decimal import Decimal

from crm.models import Campaign
from crm.serializers.campaigns import ENDS_BEFORE_START_MESSAGE
from tests.factories import CampaignFactory, DealFactory


def test_campaign_create_stores_dates_and_money(token_client, user):
    payload = {
        "name": "Spring trade show",
        "campaign_type": "trade_show",
        "status": "planning",
        "start_date": "2026-04-01",
        "end_date": "2026-04-03",
        "expected_revenue": "50000.00",
        "budgeted_cost": "8000.00",
    }

    response = token_client.post("/api/v1/campaigns/", payload, format="json")

    assert response.status_code == 201, response.content
    campaign = Campaign.objects.get()
    assert (
        campaign.campaign_type,
        campaign.start_date,
        campaign.end_date,
        campaign.expected_revenue,
        campaign.budgeted_cost,
        campaign.actual_cost,
        campaign.owner,
    ) == (
        Campaign.Type.TRADE_SHOW,
        date(2026, 4, 1),
        date(2026, 4, 3),
        Decimal("50000.00"),
        Decimal("8000.00"),
        None,
        user,
    )


def test_campaign_ending_before_it_starts_is_rejected_with_400(token_client):
    response = token_client.post(
        "/api/v1/campaigns/",
        {"name": "Backwards", "start_date": "2026-04-03", "end_date": "2026-04-01"},
        format="json",
    )

    assert response.status_code == 400
    assert response.json()["errors"] == {"end_date": [ENDS_BEFORE_START_MESSAGE]}


def test_campaign_update_moving_the_start_past_the_end_is_rejected_with_400(
    token_client,
):
    campaign = CampaignFactory(start_date=date(2026, 3, 1), end_date=date(2026, 3, 31))

    response = token_client.patch(
        f"/api/v1/campaigns/{campaign.pk}/",
        {"start_date": "2026-04-01"},
        format="json",
    )

    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["end_date"]


def test_campaign_with_a_negative_cost_is_rejected_with_400(token_client):
    response = token_client.post(
        "/api/v1/campaigns/",
        {"name": "Refund", "actual_cost": "-1"},
        format="json",
    )

    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["actual_cost"]


def test_campaign_list_filters_by_status_and_type(token_client):
    wanted = CampaignFactory(
        status=Campaign.Status.ACTIVE, campaign_type=Campaign.Type.EMAIL
    )
    CampaignFactory(status=Campaign.Status.COMPLETE, campaign_type=Campaign.Type.EMAIL)
    CampaignFactory(status=Campaign.Status.ACTIVE, campaign_type=Campaign.Type.WEBINAR)

    body = token_client.get(
        "/api/v1/campaigns/?status=active&campaign_type__in=email,direct_mail"
    ).json()

    assert [row["id"] for row in body["results"]] == [wanted.pk]


def test_campaign_list_refuses_an_unknown_status_with_400(token_client):
    response = token_client.get("/api/v1/campaigns/?status__in=active,dormant")

    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["status__in"]


def test_campaign_deals_lists_the_deals_it_brought(token_client, user):
    campaign = CampaignFactory(owner=user)
    brought = DealFactory(owner=user, campaign=campaign)
    DealFactory(owner=user)

    body = token_client.get(f"/api/v1/campaigns/{campaign.pk}/deals/").json()

    assert [row["id"] for row in body["results"]] == [brought.pk]


def test_deal_is_linked_to_a_campaign_through_the_api(token_client, user):
    campaign = CampaignFactory(owner=user)
    deal = DealFactory(owner=user)

    response = token_client.patch(
        f"/api/v1/deals/{deal.pk}/", {"campaign": campaign.pk}, format="json"
    )

    assert response.status_code == 200, response.content
    assert response.json()["campaign"] == campaign.pk


def test_deal_list_filters_by_campaign(token_client, user):
    campaign = CampaignFactory(owner=user)
    brought = DealFactory(owner=user, campaign=campaign)
    DealFactory(owner=user)

    body = token_client.get(f"/api/v1/deals/?campaign={campaign.pk}").json()

    assert [row["id"] for row in body["results"]] == [brought.pk]


def test_deleting_a_campaign_keeps_its_deals(token_client, user):
    campaign = CampaignFactory(owner=user)
    deal = DealFactory(owner=user, campaign=campaign)

    response = token_client.delete(f"/api/v1/campaigns/{campaign.pk}/")

    assert response.status_code == 204
    deal.refresh_from_db()
    assert deal.campaign is None
