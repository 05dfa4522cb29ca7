"""Writes that must keep several rows consistent.

A deal with line items has the amount they add up to; every change to a line
item goes through the functions here, which recompute it in the same
transaction. Converting a lead makes its contact, account and deal, and marks
the lead, in one transaction.
"""

import logging
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from crm.models import Account, Contact, Deal, DealLineItem, Lead

logger = logging.getLogger(__name__)

CENT = Decimal("0.01")
AMOUNT_FIELD = Deal._meta.get_field("amount")
# The largest amount the deal's column holds: 999,999,999,999.99.
DEAL_AMOUNT_MAX = Decimal(10) ** (
    AMOUNT_FIELD.max_digits - AMOUNT_FIELD.decimal_places
) - Decimal(1).scaleb(-AMOUNT_FIELD.decimal_places)
DEAL_AMOUNT_TOO_LARGE_MESSAGE = (
    "The deal's amount would be {amount}, more than the largest amount a deal "
    f"holds ({DEAL_AMOUNT_MAX:,}); lower the quantity or the unit price."
)


def line_items_amount(line_items):
    """The sum of the items' quantity × unit price less discount, rounded to cents."""
    total = sum((item.total for item in line_items), Decimal("0"))
    return total.quantize(CENT, rounding=ROUND_HALF_UP)


@transaction.atomic
def deal_recompute_amount(*, deal):
    """Store the amount the deal's line items add up to, and return it.

    A deal whose last line item was removed gets an amount of zero. The deal row
    is locked first, so concurrent changes to its items apply one after another.
    An amount beyond what the deal holds raises ``ValidationError`` naming the
    line item's quantity and unit price, and the transaction stores nothing.
    """
    Deal.objects.select_for_update().filter(pk=deal.pk).values_list("pk").get()
    line_items = DealLineItem.objects.filter(deal_id=deal.pk).only(
        "quantity", "unit_price", "discount_percent"
    )
    amount = line_items_amount(line_items)
    if amount > DEAL_AMOUNT_MAX:
        message = DEAL_AMOUNT_TOO_LARGE_MESSAGE.format(amount=f"{amount:,}")
        raise ValidationError({"quantity": message, "unit_price": message})

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
    amount of the deal it was on before (``previous_deal_id``) if it moved.

    Both deals are locked in the order of their pks first, so that two items
    moving in opposite directions cannot deadlock.
    """
    deal_ids = sorted({line_item.deal_id, previous_deal_id} - {None})
    for deal_id in deal_ids:
        Deal.objects.select_for_update().filter(pk=deal_id).values_list("pk").get()
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


LEAD_WITHOUT_COMPANY_MESSAGE = (
    "This lead has no company to name a new account after; name an existing account."
)
# Lead fields copied to the contact, and to a new account, when a lead is converted.
ADDRESS_FIELDS = ("street", "city", "state", "postal_code", "country")
CONTACT_FIELDS_FROM_LEAD = (
    "first_name",
    "last_name",
    "title",
    "email",
    "phone",
    "mobile",
    "lead_source",
    "description",
    *ADDRESS_FIELDS,
)
ACCOUNT_FIELDS_FROM_LEAD = ("website", "industry", "phone", *ADDRESS_FIELDS)


class LeadAlreadyConverted(Exception):
    """The lead was converted before; it cannot be converted again."""


@dataclass(frozen=True)
class LeadConversion:
    """What a lead became."""

    lead: Lead
    contact: Contact
    account: Account
    deal: Deal | None
    account_created: bool


def lead_lock_unconverted(*, lead):
    """Lock ``lead``'s row until the surrounding transaction ends, so that no
    conversion can start meanwhile; raises ``LeadAlreadyConverted`` when the lead
    has been converted, even after ``lead`` was loaded."""
    locked = Lead.objects.select_for_update().only("converted_at").get(pk=lead.pk)
    if locked.is_converted:
        raise LeadAlreadyConverted(lead.pk)


@transaction.atomic
def lead_convert(*, lead, user, account=None, deal=None):
    """Turn ``lead`` into a contact at ``account``, or at a new account named after
    the lead's company, and, when ``deal`` (name, stage, and optionally amount and
    closing_date) is given, a deal for them. Returns a ``LeadConversion``.

    The new records belong to the lead's owner and are created by ``user``. The
    lead row is locked first, so of two simultaneous conversions one succeeds and
    the other raises ``LeadAlreadyConverted``; a lead without a company and no
    ``account`` raises ``ValidationError``.
    """
    lead = Lead.objects.select_for_update().get(pk=lead.pk)
    if lead.is_converted:
        raise LeadAlreadyConverted(lead.pk)
    company = lead.company.strip()
    if account is None and not company:
        raise ValidationError({"account": LEAD_WITHOUT_COMPANY_MESSAGE})

    authorship = {"owner_id": lead.owner_id, "created_by": user}
    account_created = account is None
    if account_created:
        account = Account.objects.create(
            name=company,
            **{field: getattr(lead, field) for field in ACCOUNT_FIELDS_FROM_LEAD},
            **authorship,
        )
    contact = Contact.objects.create(
        account=account,
        **{field: getattr(lead, field) for field in CONTACT_FIELDS_FROM_LEAD},
        **authorship,
    )
    contact.tags.set(lead.tags.all())
    new_deal = None
    if deal is not None:
        stage = deal["stage"]
        new_deal = Deal.objects.create(
            name=deal["name"],
            amount=deal.get("amount"),
            closing_date=deal.get("closing_date"),
            pipeline_id=stage.pipeline_id,
            stage=stage,
            probability=stage.probability,
            account=account,
            contact=contact,
            lead=lead,
            lead_source=lead.lead_source,
            **authorship,
        )

    lead.converted_at = timezone.now()
    lead.converted_by = user
    lead.converted_contact = contact
    lead.converted_account = account
    lead.converted_deal = new_deal
    lead.save(
        update_fields=[
            "converted_at",
            "converted_by",
            "converted_contact",
            "converted_account",
            "converted_deal",
            "modified_at",
        ]
    )
    logger.info(
        "lead_converted",
        extra={
            "lead_id": lead.pk,
            "user_id": user.pk,
            "contact_id": contact.pk,
            "account_id": account.pk,
            "account_created": account_created,
            "deal_id": getattr(new_deal, "pk", None),
        },
    )
    return LeadConversion(
        lead=lead,
        contact=contact,
        account=account,
        deal=new_deal,
        account_created=account_created,
    )
