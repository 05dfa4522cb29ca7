"""Zoho Campaigns, Potentials (our deals) and Products."""

from collections import Counter, defaultdict
from decimal import Decimal

from crm.importers.csvrows import (
    ChoiceMap,
    RowError,
    parse_amount,
    parse_date,
    parse_yes_no,
)
from crm.importers.records import ParsedRow, records_sync, rows_parse
from crm.importers.zoho.common import (
    CAMPAIGN_PREFIX,
    CONTACT_PREFIX,
    DEAL_PREFIX,
    LEAD_PREFIX,
    LEAD_SOURCES,
    PRODUCT_PREFIX,
    OwnerDirectory,
    created_time,
    external_ids,
    name_key,
    records_import,
)
from crm.models import Campaign, Contact, Deal, Lead, Pipeline, Product

# Messages, filled in with str.format.
NO_CAMPAIGN_OWNER = (
    "the file has no Campaign Owner and no deal of Potentials.csv names this "
    "campaign, so it has no owner"
)
ENDS_BEFORE_START = "End Date {end} is before Start Date {start}"
LEAD_NOT_IMPORTED = "lead {lead_id} was not imported, so the deal is not linked to it"
CAMPAIGN_NOT_IMPORTED = (
    "campaign {campaign_id} was not imported, so the deal is not linked to it"
)
NO_CAMPAIGNS = (
    "deals name campaigns (Campaign Id) but no campaign was imported, so no deal "
    "is linked to one"
)
CODE_TAKEN = "Product Code {code!r} belongs to another product"
REPEATED_CODE = "Product Code {code!r} is also the code on line {line}"
SHARED_CONTACT_EMAIL = (
    "several contacts have the email {email}, so the deal is linked to none of them"
)
UNKNOWN_STAGE = "Stage {stage!r} is not a stage of the {pipeline} pipeline"
AMOUNT_FROM_LINE_ITEMS = (
    "{count} deals keep the amount of their line items rather than the Amount "
    "of the file"
)

DEAL_TYPES = ChoiceMap(Deal.Type, empty="")
CAMPAIGN_TYPES = ChoiceMap(
    Campaign.Type,
    empty="",
    aliases={"Others": Campaign.Type.OTHER},
    fallback=Campaign.Type.OTHER,
)
CAMPAIGN_STATUSES = ChoiceMap(Campaign.Status, empty=Campaign.Status.PLANNING)


def campaigns_import(*, table, report, progress, export):
    """Campaigns; when the file names no owner, the owner of most of its deals."""
    owners = OwnerDirectory()
    has_owner = any(
        label in table.header for label in ("Campaign Owner Id", "Campaign Owner")
    )
    deal_owners = {} if has_owner else campaign_deal_owners(export.get("Potentials"))

    def parse_row(row):
        campaign_id = row.required("CAMPAIGNID")
        if has_owner:
            owner_pk = owners.resolve(row, "Campaign")
        elif campaign_id in deal_owners:
            owner_pk = deal_owners[campaign_id]
        else:
            raise RowError(NO_CAMPAIGN_OWNER)
        start = row.parse("Start Date", parse_date)
        end = row.parse("End Date", parse_date)
        if start and end and end < start:
            raise RowError(ENDS_BEFORE_START.format(end=end, start=start))

        values = {
            "name": row.required("Campaign Name"),
            "owner_id": owner_pk,
            "campaign_type": row.choice("Type", CAMPAIGN_TYPES),
            "status": row.choice("Status", CAMPAIGN_STATUSES),
            "start_date": start,
            "end_date": end,
            "expected_revenue": row.parse("Expected Revenue", parse_amount),
            "budgeted_cost": row.parse("Budgeted Cost", parse_amount),
            "actual_cost": row.parse("Actual Cost", parse_amount),
            "description": row.text("Description"),
            "created_at": created_time(row),
        }
        return ParsedRow(CAMPAIGN_PREFIX + campaign_id, values)

    records_import(
        table=table,
        report=report,
        progress=progress,
        model=Campaign,
        prefix=CAMPAIGN_PREFIX,
        parse_row=parse_row,
    )


def campaign_deal_owners(deals_table):
    """{Zoho campaign id: pk of the user owning most of its deals}.

    A tie goes to the name that sorts first; rows naming no known owner are left
    out of the count.
    """
    if deals_table is None or "Campaign Id" not in deals_table.header:
        return {}
    owners = OwnerDirectory()
    tallies = defaultdict(Counter)
    for row in deals_table.rows:
        campaign_id = row.text("Campaign Id")
        if row.problem or not campaign_id:
            continue
        try:
            tallies[campaign_id][owners.resolve(row, "Potential")] += 1
        except RowError:
            continue

    return {
        campaign_id: min(tally, key=lambda pk: (-tally[pk], owners.names[pk], pk))
        for campaign_id, tally in tallies.items()
    }


def deals_import(*, table, report, progress, export):
    owners = OwnerDirectory()
    pipeline = Pipeline.get_default()
    stages = {name_key(stage.name): stage for stage in pipeline.stages.all()}
    leads = external_ids(Lead, LEAD_PREFIX, "email")
    campaigns = external_ids(Campaign, CAMPAIGN_PREFIX)
    if not campaigns and any(row.text("Campaign Id") for row in table.rows):
        report.remark(NO_CAMPAIGNS)
    contacts_by_email = defaultdict(list)
    for _, (pk, email, account_pk) in external_ids(
        Contact, CONTACT_PREFIX, "email", "account_id"
    ).items():
        if email:
            contacts_by_email[email.lower()].append((pk, account_pk))

    def parse_row(row):
        lead_id = row.required("LEADID")
        stage = stages.get(name_key(row.required("Stage")))
        if stage is None:
            raise RowError(
                UNKNOWN_STAGE.format(stage=row.text("Stage"), pipeline=pipeline.name)
            )
        values = {
            "name": row.required("Potential Name"),
            "owner_id": owners.resolve(row, "Potential"),
            "created_at": created_time(row),
            "closing_date": row.parse("Closing Date", parse_date),
            "amount": row.parse("Amount", parse_amount),
            "pipeline_id": pipeline.pk,
            "stage_id": stage.pk,
            # Zoho's Probability column does not follow the stage; the stage's does.
            "probability": stage.probability,
            "deal_type": row.choice("Type", DEAL_TYPES),
            "lead_source": row.choice("Lead Source", LEAD_SOURCES),
        }
        values.update(campaign_link(row, campaigns))
        lead = leads.get(LEAD_PREFIX + lead_id)
        if lead is None:
            row.note(LEAD_NOT_IMPORTED.format(lead_id=lead_id))
            return ParsedRow(DEAL_PREFIX + lead_id, values)

        lead_pk, lead_email = lead
        values["lead_id"] = lead_pk
        # Converting a lead makes a contact with its email, and the deal belongs to
        # that contact and to the contact's account.
        contacts = contacts_by_email.get((lead_email or "").lower(), [])
        if len(contacts) == 1:
            contact_pk, account_pk = contacts[0]
            values["contact_id"] = contact_pk
            if account_pk is not None:
                values["account_id"] = account_pk
        elif len(contacts) > 1:
            row.note(SHARED_CONTACT_EMAIL.format(email=lead_email))
        return ParsedRow(DEAL_PREFIX + lead_id, values)

    records = rows_parse(
        table=table, report=report, parse_row=parse_row, model=Deal, progress=progress
    )
    kept = amounts_keep_line_items(records)
    if kept:
        report.remark(AMOUNT_FROM_LINE_ITEMS.format(count=kept))
    records_sync(model=Deal, prefix=DEAL_PREFIX, records=records, report=report)


def amounts_keep_line_items(records):
    """Drop the file's amount of each deal that has line items; return how many.

    A deal with line items has the amount they add up to, so an amount from the
    export would leave the deal disagreeing with its own items.
    """
    with_items = set(
        Deal.objects.filter(
            external_id__startswith=DEAL_PREFIX, line_items__isnull=False
        )
        .values_list("external_id", flat=True)
        .distinct()
    )
    kept = 0
    for external_id, values in records.items():
        if external_id in with_items and "amount" in values:
            del values["amount"]
            kept += 1
    return kept


def campaign_link(row, campaigns):
    """``{"campaign_id": pk}``, or nothing when the link should stay as it is."""
    campaign_id = row.text("Campaign Id")
    if campaign_id == "":
        return {"campaign_id": None}
    if not campaign_id or not campaigns:
        return {}
    campaign = campaigns.get(CAMPAIGN_PREFIX + campaign_id)
    if campaign is None:
        row.note(CAMPAIGN_NOT_IMPORTED.format(campaign_id=campaign_id))
        return {}
    return {"campaign_id": campaign[0]}


def products_import(*, table, report, progress, export):
    """Products; one without a Product Code gets ``ZOHO-<PRODUCTID>``.

    A code must be unique, ignoring case: a row repeating an earlier row's code,
    or one another product already has, is skipped.
    """
    owners = OwnerDirectory()
    holders = {
        code.lower(): external_id
        for code, external_id in Product.objects.values_list("code", "external_id")
    }
    first_lines = {}

    def parse_row(row):
        product_id = row.required("PRODUCTID")
        external_id = PRODUCT_PREFIX + product_id
        code = row.text("Product Code") or f"ZOHO-{product_id}"
        if holders.get(code.lower(), external_id) != external_id:
            raise RowError(CODE_TAKEN.format(code=code))
        first_line = first_lines.setdefault(code.lower(), row.line)
        if first_line != row.line:
            raise RowError(REPEATED_CODE.format(code=code, line=first_line))

        unit_price = row.parse("Unit Price", parse_amount)
        values = {
            "name": row.required("Product Name"),
            "code": code,
            "owner_id": owners.resolve(row, "Product"),
            "active": row.parse("Product Active", parse_yes_no),
            "manufacturer": row.text("Product Manufacturer"),
            "category": row.text("Product Category"),
            # Without a Unit Price a product is priced 0 until someone prices it.
            "unit_price": Decimal(0) if unit_price is None else unit_price,
            "cost": row.parse("Cost", parse_amount),
            "taxable": row.parse("Taxable", parse_yes_no),
            "description": row.text("Description"),
            "created_at": created_time(row),
        }
        return ParsedRow(external_id, values)

    records_import(
        table=table,
        report=report,
        progress=progress,
        model=Product,
        prefix=PRODUCT_PREFIX,
        parse_row=parse_row,
    )
