"""Writes that must keep several rows consistent.

A deal with line items has the amount they add up to; every change to a line
item goes through the functions here, which recompute it in the same
transaction.
"""

import logging
from decimal import ROUND_HALF_UP, Decimal

from django.db import transaction
from django.utils import timezone

from crm.models import Deal, DealLineItem

logger = logging.getLogger(__name__)

CENT = Decimal("0.01")


def line_items_amount(line_items):
    """The sum of the items' quantity × unit price less discount, rounded to cents."""
    total = sum((item.total for item in line_items), Decimal("0"))
    return total.quantize(CENT, rounding=ROUND_HALF_UP)


@transaction.atomic
def deal_recompute_amount(*, deal):
    """Store the amount the deal's line items add up to, and return it.

    A deal whose last line item was removed gets an amount of zero. The deal row
    is locked first, so concurrent changes to its items apply one after another.
    """
    Deal.objects.select_for_update().filter(pk=deal.pk).values_list("pk").get()
    line_items = DealLineItem.objects.filter(deal_id=deal.pk).only(
        "quantity", "unit_price", "discount_percent"
    )
    amount = line_items_amount(line_items)

    Deal.objects.filter(pk=deal.pk).update(amount=amount, modified_at=timezone.now())
    deal.amount = amount
    logger.info(
        "deal_amount_recomputed", extra={"deal_id": deal.pk, "amount": str(amount)}
    )
    return amount


def deal_line_item_create(
    *, deal, product, quantity, unit_price=None, discount_percent=Decimal("0")
):
    """Add a product to a deal; the unit price defaults to the product's price."""
    line_item = DealLineItem(
        deal=deal,
        product=product,
        quantity=quantity,
        unit_price=product.unit_price if unit_price is None else unit_price,
        discount_percent=discount_percent,
    )
    return deal_line_item_save(line_item=line_item)


def deal_line_item_update(*, line_item, **changes):
    """Change a line item's fields; moving it to another deal updates both deals."""
    previous_deal_id = line_item.deal_id
    for field, value in changes.items():
        setattr(line_item, field, value)
    return deal_line_item_save(line_item=line_item, previous_deal_id=previous_deal_id)


@transaction.atomic
def deal_line_item_save(*, line_item, previous_deal_id=None):
    """Save a new or changed line item, then recompute its deal's amount, and the
    amount of the deal it was on before (``previous_deal_id``) if it moved."""
    line_item.save()

    deal_recompute_amount(deal=line_item.deal)
    if previous_deal_id not in (None, line_item.deal_id):
        deal_recompute_amount(deal=Deal(pk=previous_deal_id))
    return line_item


@transaction.atomic
def deal_line_item_delete(*, line_item):
    deal = line_item.deal
    line_item.delete()
    deal_recompute_amount(deal=deal)


@transaction.atomic
def deal_line_items_delete(*, line_items):
    """Delete a queryset of line items and recompute each deal they were on."""
    deal_ids = sorted(set(line_items.values_list("deal_id", flat=True)))
    line_items.delete()
    for deal_id in deal_ids:
        deal_recompute_amount(deal=Deal(pk=deal_id))
