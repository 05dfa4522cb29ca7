"""Zoho Potentials, which become deals."""

from collections import defaultdict

from crm.importers.csvrows import (
    ChoiceMap,
    RowError,
    parse_amount,
    parse_date,
)
from crm.importers.records import ParsedRow
from crm.importers.zoho.common import (
    CONTACT_PREFIX,
    DEAL_PREFIX,
    LEAD_PREFIX,
    LEAD_SOURCES,
    OwnerDirectory,
    created_time,
    external_ids,
    name_key,
    records_import,
)
from crm.models import Contact, Deal, Lead, Pipeline

# Messages, filled in with str.format.
LEAD_NOT_IMPORTED = "lead {lead_id} was not imported, so the deal is not linked to it"
SHARED_CONTACT_EMAIL = (
    "several contacts have the email {email}, so the deal is linked to none of them"
)
UNKNOWN_STAGE = "Stage {stage!r} is not a stage of the {pipeline} pipeline"

DEAL_TYPES = ChoiceMap(Deal.Type, empty="")


def deals_import(*, table, report, progress):
    owners = OwnerDirectory()
    pipeline = Pipeline.get_default()
    stages = {name_key(stage.name): stage for stage in pipeline.stages.all()}
    leads = external_ids(Lead, LEAD_PREFIX, "email")
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

    records_import(
        table=table,
        report=report,
        progress=progress,
        model=Deal,
        prefix=DEAL_PREFIX,
        parse_row=parse_row,
    )
