import re
from decimal import Decimal
from unittest import mock

from django.db import connection
from django.test.utils import CaptureQueriesContext

from config.exceptions import CONFLICT_MESSAGE, STILL_REFERRED_TO_MESSAGE
from crm import services
from crm.models import Deal, Product, Tag
from crm.serializers import TagSerializer
from crm.serializers.products import CODE_TAKEN_MESSAGE
from crm.serializers.tags import DUPLICATE_TAG_MESSAGE
from tests.factories import (
    DealFactory,
    DealLineItemFactory,
    LeadFactory,
    ProductFactory,
    TagFactory,
)


def test_product_create_stores_prices(token_client, user):
    payload = {
        "name": "Widget",
        "code": "W-1",
        "unit_price": "19.90",
        "cost": "7.50",
        "taxable": True,
        "category": "Hardware",
    }

    response = token_client.post("/api/v1/products/", payload, format="json")

    assert response.status_code == 201, response.content
    product = Product.objects.get()
    assert (product.unit_price, product.cost, product.owner) == (
        Decimal("19.90"),
        Decimal("7.50"),
        user,
    )


def test_product_with_a_taken_code_is_rejected_with_400(token_client):
    ProductFactory(code="W-1")

    response = token_client.post(
        "/api/v1/products/", {"name": "Other", "code": "W-1"}, format="json"
    )

    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["code"]


def test_product_with_negative_price_is_rejected_with_400(token_client):
    response = token_client.post(
        "/api/v1/products/",
        {"name": "Widget", "code": "W-1", "unit_price": "-1"},
        format="json",
    )

    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["unit_price"]


def test_product_update_deactivates_it(token_client):
    product = ProductFactory()

    token_client.patch(
        f"/api/v1/products/{product.pk}/", {"active": False}, format="json"
    )

    product.refresh_from_db()
    assert product.active is False


def test_product_delete_removes_it(token_client):
    product = ProductFactory()

    response = token_client.delete(f"/api/v1/products/{product.pk}/")

    assert response.status_code == 204
    assert not Product.objects.exists()


def test_deleting_a_product_on_line_items_answers_409_naming_them(token_client):
    product = ProductFactory()
    DealLineItemFactory(product=product)
    DealLineItemFactory(product=product)

    response = token_client.delete(f"/api/v1/products/{product.pk}/")

    assert response.status_code == 409
    assert response.json() == {
        "detail": STILL_REFERRED_TO_MESSAGE.format(count=2, things="deal line items"),
        "code": "conflict",
    }
    assert Product.objects.filter(pk=product.pk).exists()


def test_tag_name_taken_by_a_concurrent_request_answers_409(token_client):
    TagFactory(name="VIP")

    # As when another request stores the name between the check and the insert.
    with mock.patch.object(TagSerializer, "validate_name", lambda self, name: name):
        response = token_client.post("/api/v1/tags/", {"name": "vip"}, format="json")

    assert response.status_code == 409
    assert response.json() == {"detail": CONFLICT_MESSAGE, "code": "conflict"}


def test_moving_a_line_item_locks_both_deals_in_pk_order(user):
    first, second = DealFactory(owner=user), DealFactory(owner=user)
    item = DealLineItemFactory(deal=first)

    with CaptureQueriesContext(connection) as queries:
        services.deal_line_item_update(line_item=item, deal=second)

    table = Deal._meta.db_table
    read_deal_ids = [
        int(re.search(rf'"{table}"\."id" = (\d+)', query["sql"]).group(1))
        for query in queries
        if query["sql"].startswith(f'SELECT "{table}"."id" AS "pk" FROM')
    ]
    assert read_deal_ids[:2] == [first.pk, second.pk]


def test_product_list_filters_by_price_range(token_client):
    ProductFactory(unit_price=Decimal("5"))
    mid = ProductFactory(unit_price=Decimal("50"))
    ProductFactory(unit_price=Decimal("500"))

    body = token_client.get(
        "/api/v1/products/?unit_price__gte=10&unit_price__lte=100"
    ).json()

    assert [row["id"] for row in body["results"]] == [mid.pk]


def test_product_list_filters_by_active(token_client):
    ProductFactory(active=False)
    sold = ProductFactory(active=True)

    body = token_client.get("/api/v1/products/?active=true").json()

    assert [row["id"] for row in body["results"]] == [sold.pk]


def test_product_list_bad_price_is_rejected_with_400_naming_it(token_client):
    response = token_client.get("/api/v1/products/?unit_price__gte=cheap")

    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["unit_price__gte"]


def test_tag_create_stores_name_and_colour(token_client):
    response = token_client.post(
        "/api/v1/tags/", {"name": "VIP", "colour": "#ff8800"}, format="json"
    )

    assert response.status_code == 201, response.content
    assert Tag.objects.filter(name="VIP", colour="#ff8800").exists()


def test_tag_name_taken_in_another_case_is_rejected_with_400(token_client):
    TagFactory(name="VIP")

    response = token_client.post("/api/v1/tags/", {"name": "vip"}, format="json")

    assert response.status_code == 400
    assert response.json()["errors"] == {"name": [DUPLICATE_TAG_MESSAGE]}


def test_tag_rename_to_its_own_name_in_another_case_is_allowed(token_client):
    tag = TagFactory(name="vip")

    response = token_client.patch(f"/api/v1/tags/{tag.pk}/", {"name": "VIP"})

    assert response.status_code == 200


def test_tag_with_a_malformed_colour_is_rejected_with_400(token_client):
    response = token_client.post(
        "/api/v1/tags/", {"name": "VIP", "colour": "orange"}, format="json"
    )

    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["colour"]


def test_tag_delete_removes_it(token_client):
    tag = TagFactory()

    response = token_client.delete(f"/api/v1/tags/{tag.pk}/")

    assert response.status_code == 204
    assert not Tag.objects.exists()


def test_lead_update_sets_its_tags(token_client, user):
    lead = LeadFactory(owner=user)
    hot, vip = TagFactory(), TagFactory()

    response = token_client.patch(
        f"/api/v1/leads/{lead.pk}/", {"tags": [hot.pk, vip.pk]}, format="json"
    )

    assert response.status_code == 200, response.content
    assert set(lead.tags.all()) == {hot, vip}


def test_lead_list_filters_by_any_of_several_tags(token_client, user):
    hot, vip = TagFactory(), TagFactory()
    both = LeadFactory(owner=user)
    both.tags.add(hot, vip)
    only_vip = LeadFactory(owner=user)
    only_vip.tags.add(vip)
    LeadFactory(owner=user)

    body = token_client.get(f"/api/v1/leads/?tags={hot.pk}&tags={vip.pk}").json()

    assert {row["id"] for row in body["results"]} == {both.pk, only_vip.pk}
    assert body["count"] == 2


def test_lead_list_unknown_tag_is_rejected_with_400_naming_it(token_client):
    response = token_client.get("/api/v1/leads/?tags=999")

    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["tags"]


def test_a_product_code_differing_only_in_case_is_taken(token_client):
    ProductFactory(code="PC-X")

    response = token_client.post(
        "/api/v1/products/", {"name": "Other", "code": "pc-x", "unit_price": "1.00"}
    )

    assert response.status_code == 400
    assert response.json()["errors"] == {"code": [CODE_TAKEN_MESSAGE]}


def test_a_bulk_list_repeating_a_code_answers_400_at_that_position(token_client):
    items = [
        {"name": "First", "code": "AB-1", "unit_price": "1.00"},
        {"name": "Second", "code": "ab-1", "unit_price": "1.00"},
    ]

    response = token_client.post("/api/v1/products/bulk/", items, format="json")

    assert response.status_code == 400
    assert response.json()["errors"] == {
        "1": {"code": ["Repeats the code of the record at position 0."]}
    }
    assert not Product.objects.filter(code__iexact="ab-1").exists()
