"""Deal line items: the deal's amount follows them through every change."""

from decimal import Decimal
from unittest import mock

import pytest
from django.core.exceptions import ValidationError

from crm import services
from crm.models import Deal, DealLineItem
from crm.serializers.deals import (
    AMOUNT_FROM_LINE_ITEMS_MESSAGE,
    INACTIVE_PRODUCT_MESSAGE,
)
from crm.views.deals import DealViewSet
from tests.factories import DealFactory, DealLineItemFactory, ProductFactory


@pytest.fixture
def deal(user):
    return DealFactory(owner=user, amount=Decimal("999.00"))


def amount_of(deal):
    deal.refresh_from_db()
    return deal.amount


def test_line_items_amount_rounds_the_sum_half_up_to_cents():
    items = [
        DealLineItemFactory.build(
            deal=None,
            product=None,
            quantity=Decimal("3"),
            unit_price=Decimal("33.33"),
            discount_percent=Decimal("10"),
        ),
        DealLineItemFactory.build(
            deal=None,
            product=None,
            quantity=Decimal("1"),
            unit_price=Decimal("0.01"),
            discount_percent=Decimal("50"),
        ),
    ]

    # 89.991 + 0.005 = 89.996
    assert services.line_items_amount(items) == Decimal("90.00")


def test_line_items_amount_of_no_items_is_zero():
    assert services.line_items_amount([]) == Decimal("0.00")


def test_creating_a_line_item_sets_the_deal_amount(token_client, deal):
    product = ProductFactory(unit_price=Decimal("120.00"))

    response = token_client.post(
        "/api/v1/line-items/",
        {
            "deal": deal.pk,
            "product": product.pk,
            "quantity": "2",
            "discount_percent": "12.5",
        },
        format="json",
    )

    assert response.status_code == 201, response.content
    assert amount_of(deal) == Decimal("210.00")


def test_line_item_unit_price_defaults_to_the_product_price(token_client, deal):
    product = ProductFactory(unit_price=Decimal("42.00"))

    response = token_client.post(
        "/api/v1/line-items/",
        {"deal": deal.pk, "product": product.pk, "quantity": "1"},
        format="json",
    )

    assert response.json()["unit_price"] == "42.00"


def test_line_item_keeps_its_price_when_the_product_price_changes(token_client, deal):
    product = ProductFactory(unit_price=Decimal("42.00"))
    token_client.post(
        "/api/v1/line-items/",
        {"deal": deal.pk, "product": product.pk, "quantity": "1"},
        format="json",
    )

    token_client.patch(
        f"/api/v1/products/{product.pk}/", {"unit_price": "50.00"}, format="json"
    )

    assert DealLineItem.objects.get().unit_price == Decimal("42.00")


def test_updating_a_line_item_recomputes_the_deal_amount(token_client, deal):
    item = DealLineItemFactory(deal=deal, unit_price=Decimal("10.00"))
    services.deal_recompute_amount(deal=deal)

    response = token_client.patch(
        f"/api/v1/line-items/{item.pk}/", {"quantity": "5"}, format="json"
    )

    assert response.status_code == 200, response.content
    assert amount_of(deal) == Decimal("50.00")


def test_deleting_a_line_item_recomputes_the_deal_amount(token_client, deal):
    kept = DealLineItemFactory(deal=deal, unit_price=Decimal("10.00"))
    removed = DealLineItemFactory(deal=deal, unit_price=Decimal("30.00"))
    services.deal_recompute_amount(deal=deal)

    response = token_client.delete(f"/api/v1/line-items/{removed.pk}/")

    assert response.status_code == 204
    assert amount_of(deal) == kept.unit_price


def test_deleting_the_last_line_item_sets_the_amount_to_zero(token_client, deal):
    item = DealLineItemFactory(deal=deal)
    services.deal_recompute_amount(deal=deal)

    token_client.delete(f"/api/v1/line-items/{item.pk}/")

    assert amount_of(deal) == Decimal("0.00")


def test_moving_a_line_item_recomputes_both_deals(token_client, user, deal):
    other = DealFactory(owner=user)
    item = DealLineItemFactory(deal=deal, unit_price=Decimal("10.00"))
    services.deal_recompute_amount(deal=deal)

    token_client.patch(f"/api/v1/line-items/{item.pk}/", {"deal": other.pk})

    assert (amount_of(deal), amount_of(other)) == (Decimal("0.00"), Decimal("10.00"))


def test_line_item_for_an_inactive_product_is_rejected_with_400(token_client, deal):
    product = ProductFactory(active=False)

    response = token_client.post(
        "/api/v1/line-items/",
        {"deal": deal.pk, "product": product.pk, "quantity": "1"},
        format="json",
    )

    assert response.status_code == 400
    assert response.json()["errors"] == {"product": [INACTIVE_PRODUCT_MESSAGE]}


def test_line_item_with_zero_quantity_is_rejected_with_400(token_client, deal):
    response = token_client.post(
        "/api/v1/line-items/",
        {"deal": deal.pk, "product": ProductFactory().pk, "quantity": "0"},
        format="json",
    )

    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["quantity"]


def test_line_item_discount_over_100_percent_is_rejected_with_400(token_client, deal):
    response = token_client.post(
        "/api/v1/line-items/",
        {
            "deal": deal.pk,
            "product": ProductFactory().pk,
            "quantity": "1",
            "discount_percent": "100.01",
        },
        format="json",
    )

    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["discount_percent"]


def test_deal_amount_cannot_be_edited_while_it_has_line_items(token_client, deal):
    DealLineItemFactory(deal=deal)
    services.deal_recompute_amount(deal=deal)

    response = token_client.patch(
        f"/api/v1/deals/{deal.pk}/", {"amount": "1.00"}, format="json"
    )

    assert response.status_code == 400
    assert response.json()["errors"] == {"amount": [AMOUNT_FROM_LINE_ITEMS_MESSAGE]}


def test_deal_amount_can_be_edited_without_line_items(token_client, deal):
    response = token_client.patch(
        f"/api/v1/deals/{deal.pk}/", {"amount": "1.00"}, format="json"
    )

    assert response.status_code == 200
    assert amount_of(deal) == Decimal("1.00")


@pytest.mark.parametrize(
    "body",
    [{"name": "Renamed"}, {"name": "Renamed", "amount": "100.00"}],
    ids=["without-amount", "with-the-amount-read-before"],
)
def test_deal_update_keeps_an_amount_recomputed_after_the_deal_was_read(
    token_client, deal, body
):
    services.deal_line_item_create(
        deal=deal, product=ProductFactory(), quantity=1, unit_price=Decimal("100")
    )
    read = DealViewSet.get_object

    def read_then_add_a_line_item(view):
        loaded = read(view)
        services.deal_line_item_create(
            deal=Deal.objects.get(pk=loaded.pk),
            product=ProductFactory(),
            quantity=1,
            unit_price=Decimal("50"),
        )
        return loaded

    with mock.patch.object(DealViewSet, "get_object", read_then_add_a_line_item):
        response = token_client.patch(f"/api/v1/deals/{deal.pk}/", body, format="json")

    assert response.status_code == 200, response.content
    assert amount_of(deal) == Decimal("150.00")


def test_line_item_list_filters_by_deal(token_client, user, deal):
    mine = DealLineItemFactory(deal=deal)
    DealLineItemFactory(deal__owner=user)

    body = token_client.get(f"/api/v1/line-items/?deal={deal.pk}").json()

    assert [row["id"] for row in body["results"]] == [mine.pk]


def test_line_item_list_bad_deal_list_is_rejected_with_400_naming_it(token_client):
    response = token_client.get("/api/v1/line-items/?deal__in=1,x")

    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["deal__in"]


# Amounts a deal cannot hold.
HUGE_QUANTITY = "9999999999.99"
HUGE_UNIT_PRICE = "999999999999.99"


def too_large_message(amount):
    return services.DEAL_AMOUNT_TOO_LARGE_MESSAGE.format(amount=f"{amount:,}")


def test_line_item_making_the_deal_amount_too_large_is_refused_with_400(
    token_client, deal
):
    product = ProductFactory()

    response = token_client.post(
        "/api/v1/line-items/",
        {
            "deal": deal.pk,
            "product": product.pk,
            "quantity": HUGE_QUANTITY,
            "unit_price": HUGE_UNIT_PRICE,
        },
        format="json",
    )

    message = too_large_message(
        (Decimal(HUGE_QUANTITY) * Decimal(HUGE_UNIT_PRICE)).quantize(Decimal("0.01"))
    )
    assert response.status_code == 400
    assert response.json()["errors"] == {
        "quantity": [message],
        "unit_price": [message],
    }
    assert (DealLineItem.objects.count(), amount_of(deal)) == (0, Decimal("999.00"))


def test_line_item_change_making_the_deal_amount_too_large_keeps_the_item(
    token_client, deal
):
    item = DealLineItemFactory(
        deal=deal, quantity=Decimal("1"), unit_price=Decimal(HUGE_UNIT_PRICE)
    )
    services.deal_recompute_amount(deal=deal)

    response = token_client.patch(
        f"/api/v1/line-items/{item.pk}/", {"quantity": "2"}, format="json"
    )

    item.refresh_from_db()
    assert response.status_code == 400
    assert set(response.json()["errors"]) == {"quantity", "unit_price"}
    assert (item.quantity, amount_of(deal)) == (Decimal("1"), Decimal(HUGE_UNIT_PRICE))


def test_service_refuses_a_line_item_the_deal_amount_cannot_hold(deal):
    with pytest.raises(ValidationError) as raised:
        services.deal_line_item_create(
            deal=deal,
            product=ProductFactory(),
            quantity=Decimal(HUGE_QUANTITY),
            unit_price=Decimal(HUGE_UNIT_PRICE),
        )

    assert set(raised.value.message_dict) == {"quantity", "unit_price"}
    assert not DealLineItem.objects.exists()
