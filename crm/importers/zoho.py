"""Import a Zoho CRM export: a folder with one CSV per Zoho module.

Users, Accounts, Contacts, Leads and Potentials become our users, accounts,
contacts, leads and deals; every other module is reported as skipped. Each record
keeps its Zoho id in ``external_id``, so importing the same export again updates
records instead of duplicating them.
"""

import logging
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from django.contrib.auth.hashers import make_password
from django.db import DatabaseError, transaction
from django.db.models.functions import Lower

from crm.importers.csvrows import (
    EMPTY_CELL,
    MISSING,
    ChoiceMap,
    ImportFileError,
    RowError,
    csv_table_read,
    parse_amount,
    parse_date,
    parse_datetime,
    parse_email,
)
from crm.importers.records import (
    ModuleReport,
    ParsedRow,
    records_save,
    records_sync,
    rows_parse,
)
from crm.models import Account, Contact, Deal, Lead, LeadSource, Pipeline, User

logger = logging.getLogger(__name__)

USER_PREFIX = "zoho:"
ACCOUNT_PREFIX = "zoho-account:"
CONTACT_PREFIX = "zoho-contact:"
LEAD_PREFIX = "zoho-lead:"
# Potentials have no id of their own, but each one comes from exactly one converted
# lead; "lead-" keeps these ids apart from real Potential ids a fuller export has.
DEAL_PREFIX = "zoho-deal:lead-"

# Import order: owners first, and every record after the records it links to.
MODULES = ("Users", "Accounts", "Contacts", "Leads", "Potentials")

# Columns a module cannot be imported without; a tuple means one of them will do.
REQUIRED_COLUMNS = {
    "Users": ("USER_ID", "Email"),
    "Accounts": ("ACCOUNTID", "Account Name", ("Account Owner Id", "Account Owner")),
    "Contacts": ("CONTACTID", "Last Name", ("Contact Owner Id", "Contact Owner")),
    "Leads": ("LEADID", "Last Name", ("Lead Owner Id", "Lead Owner")),
    "Potentials": (
        "LEADID",
        "Potential Name",
        "Stage",
        ("Potential Owner Id", "Potential Owner"),
    ),
}

# Messages, filled in with str.format.
NO_FOLDER = "There is no folder {folder}."
NOT_A_FOLDER = "{folder} is not a folder."
NO_ZOHO_CSV = "{folder} holds no Zoho CSV to import{found}; expected any of {expected}."
TWO_FILES = "{folder} has two files for {module}: {first} and {second}."
MISSING_COLUMN = "{file} has no column {wanted}."
NO_PIPELINE = "There is no pipeline for the Potentials; run the migrations first."
MODULE_FAILED = (
    "Importing {file} failed and was rolled back ({error}). "
    "Modules already saved: {saved}."
)
UNKNOWN_OWNER_ID = "{label} {owner_id!r} is not a Zoho user"
UNKNOWN_OWNER = "{label} {name!r} is not a Zoho user"
AMBIGUOUS_OWNER = "{label} {name!r} names several users"
REPEATED_EMAIL = "{email} is also the email on line {line}"
USERNAME_TAKEN = "{username} is the username of another user"
ACCOUNT_NOT_IMPORTED = (
    "account {account_id} was not imported, so the contact is not linked to it"
)
LEAD_NOT_IMPORTED = "lead {lead_id} was not imported, so the deal is not linked to it"
SHARED_CONTACT_EMAIL = (
    "several contacts have the email {email}, so the deal is linked to none of them"
)
UNKNOWN_STAGE = "Stage {stage!r} is not a stage of the {pipeline} pipeline"

LEAD_SOURCES = ChoiceMap(
    LeadSource,
    empty="",
    aliases={"Sales Mail Alias": LeadSource.SALES_EMAIL_ALIAS},
    fallback=LeadSource.OTHER,
)
LEAD_STATUSES = ChoiceMap(Lead.Status, empty=Lead.Status.NOT_CONTACTED)
ACCOUNT_TYPES = ChoiceMap(
    Account.Type, empty=Account.Type.PROSPECT, fallback=Account.Type.OTHER
)
DEAL_TYPES = ChoiceMap(Deal.Type, empty="")


class ZohoImportError(Exception):
    """The export cannot be imported; the message says why and what was kept."""


@dataclass
class ImportReport:
    """The outcome of one import: a report per module, and the modules left out."""

    modules: list = field(default_factory=list)
    skipped_modules: list = field(default_factory=list)

    def module(self, name):
        return next((item for item in self.modules if item.module == name), None)


def zoho_import(*, folder, progress=None):
    """Import the Zoho CSVs in ``folder`` and return an ImportReport.

    Raises ZohoImportError before anything is written when the folder is missing,
    holds no module we import, or a file cannot be read. Each module is written in
    its own transaction: a module that fails is rolled back whole and the import
    stops with ZohoImportError, keeping the modules before it.
    """
    folder = Path(folder)
    progress = progress or no_progress
    paths, skipped_modules = zoho_files_find(folder=folder)
    tables = {}
    for module, path in paths.items():
        try:
            tables[module] = csv_table_read(path)
        except ImportFileError as error:
            raise ZohoImportError(str(error)) from None
        columns_check(module=module, table=tables[module])
    if "Potentials" in tables and Pipeline.get_default() is None:
        raise ZohoImportError(NO_PIPELINE)

    report = ImportReport(skipped_modules=skipped_modules)
    for module in MODULES:
        if module not in tables:
            continue
        module_report = ModuleReport(module=module, file=tables[module].name)
        try:
            with transaction.atomic():
                IMPORTERS[module](
                    table=tables[module], report=module_report, progress=progress
                )
        except DatabaseError as error:
            logger.error(
                "zoho_import_failed",
                extra={"zoho_module": module, "error_class": type(error).__name__},
            )
            saved = ", ".join(item.module for item in report.modules) or "none"
            raise ZohoImportError(
                MODULE_FAILED.format(file=tables[module].name, error=error, saved=saved)
            ) from error
        report.modules.append(module_report)
        logger.info(
            "zoho_module_imported",
            extra={
                "zoho_module": module,
                "records_created": module_report.created,
                "records_updated": module_report.updated,
                "records_unchanged": module_report.unchanged,
                "rows_skipped": module_report.skipped,
            },
        )
    return report


def no_progress(rows, *, description, total):
    return rows


def zoho_files_find(*, folder):
    """Return ``({module: path}, [names of the other CSVs])`` for a folder."""
    if not folder.exists():
        raise ZohoImportError(NO_FOLDER.format(folder=folder))
    if not folder.is_dir():
        raise ZohoImportError(NOT_A_FOLDER.format(folder=folder))
    modules = {module.casefold(): module for module in MODULES}
    paths = {}
    skipped = []
    for path in sorted(folder.iterdir()):
        if not path.is_file() or path.suffix.lower() != ".csv":
            continue
        module = modules.get(path.stem.casefold())
        if module is None:
            skipped.append(path.stem)
        elif module in paths:
            raise ZohoImportError(
                TWO_FILES.format(
                    folder=folder,
                    module=module,
                    first=paths[module].name,
                    second=path.name,
                )
            )
        else:
            paths[module] = path

    if not paths:
        expected = ", ".join(f"{module}.csv" for module in MODULES)
        found = f" (it has {', '.join(skipped)})" if skipped else ""
        raise ZohoImportError(
            NO_ZOHO_CSV.format(folder=folder, found=found, expected=expected)
        )
    return paths, skipped


def columns_check(*, module, table):
    for required in REQUIRED_COLUMNS[module]:
        alternatives = required if isinstance(required, tuple) else (required,)
        if not any(label in table.header for label in alternatives):
            wanted = " or ".join(repr(label) for label in alternatives)
            raise ZohoImportError(MISSING_COLUMN.format(file=table.name, wanted=wanted))


class OwnerDirectory:
    """Find the user a Zoho "<X> Owner Id" or "<X> Owner" (full name) cell names."""

    def __init__(self):
        self.by_external_id = {}
        self.by_name = defaultdict(set)
        users = User.objects.filter(external_id__startswith=USER_PREFIX).only(
            "pk", "external_id", "first_name", "last_name"
        )
        for user in users:
            self.by_external_id[user.external_id] = user.pk
            self.by_name[name_key(user.get_full_name())].add(user.pk)

    def resolve(self, row, prefix):
        """The owner's primary key; RowError when the row names no known owner."""
        id_label = f"{prefix} Owner Id"
        name_label = f"{prefix} Owner"
        owner_id = row.text(id_label)
        name = row.text(name_label)
        if owner_id:
            user_pk = self.by_external_id.get(USER_PREFIX + owner_id)
            if user_pk is None:
                raise RowError(
                    UNKNOWN_OWNER_ID.format(label=id_label, owner_id=owner_id)
                )
            return user_pk
        if not name:
            raise RowError(EMPTY_CELL.format(label=name_label))
        matches = self.by_name.get(name_key(name), set())
        if not matches:
            raise RowError(UNKNOWN_OWNER.format(label=name_label, name=name))
        if len(matches) > 1:
            raise RowError(AMBIGUOUS_OWNER.format(label=name_label, name=name))
        return next(iter(matches))


def name_key(name):
    return " ".join(name.split()).casefold()


def external_ids(model, prefix, *fields):
    """``{external_id: (pk, *fields)}`` for the records imported with ``prefix``."""
    rows = model.objects.filter(external_id__startswith=prefix).values_list(
        "external_id", "pk", *fields
    )
    return {external_id: rest for external_id, *rest in rows}


def users_import(*, table, report, progress):
    existing = {
        user.external_id: user
        for user in User.objects.filter(external_id__startswith=USER_PREFIX)
    }
    emails = {row.text("Email").lower() for row in table.rows if row.text("Email")}
    holders = {
        user.username.lower(): user
        for user in User.objects.annotate(lowered=Lower("username")).filter(
            lowered__in=emails
        )
    }
    matched = {}
    first_lines = {}

    def parse_row(row):
        external_id = USER_PREFIX + row.required("USER_ID")
        email = row.parse("Email", parse_email)
        if not email:
            raise RowError(EMPTY_CELL.format(label="Email"))
        username = email.lower()
        first_line = first_lines.setdefault(username, row.line)
        if first_line != row.line:
            raise RowError(REPEATED_EMAIL.format(email=username, line=first_line))

        user = existing.get(external_id)
        holder = holders.get(username)
        if holder is not None and (
            (user is not None and holder.pk != user.pk)
            or holder.external_id not in ("", external_id)
        ):
            raise RowError(USERNAME_TAKEN.format(username=username))
        # A Zoho user who already signed up here keeps that account, which takes
        # the Zoho id, rather than getting a second one.
        if user or holder:
            matched[external_id] = user or holder
        return ParsedRow(
            external_id,
            {
                "external_id": external_id,
                "username": username,
                "email": email,
                "first_name": row.text("First Name"),
                # Zoho exports may carry the full name here; it is kept as written.
                "last_name": row.text("Last Name"),
            },
        )

    records = rows_parse(
        table=table, report=report, parse_row=parse_row, model=User, progress=progress
    )
    records_save(
        model=User,
        existing=matched,
        records=records,
        report=report,
        on_create=user_prepare,
    )


def user_prepare(user):
    # Imported users sign in after setting a password through a reset.
    user.password = make_password(None)


def accounts_import(*, table, report, progress):
    owners = OwnerDirectory()

    def parse_row(row):
        return ParsedRow(
            ACCOUNT_PREFIX + row.required("ACCOUNTID"),
            {
                "name": row.required("Account Name"),
                "owner_id": owners.resolve(row, "Account"),
                "account_type": row.choice("Account Type", ACCOUNT_TYPES),
                "industry": row.text("Industry"),
                "website": row.text("Website"),
                "phone": row.text("Phone"),
            },
        )

    records_import(
        table=table,
        report=report,
        progress=progress,
        model=Account,
        prefix=ACCOUNT_PREFIX,
        parse_row=parse_row,
    )


def contacts_import(*, table, report, progress):
    owners = OwnerDirectory()
    accounts = external_ids(Account, ACCOUNT_PREFIX)

    def parse_row(row):
        values = person_values(row, owners=owners, prefix="Contact")
        account_id = row.text("Account Id")
        if account_id:
            account = accounts.get(ACCOUNT_PREFIX + account_id)
            if account is None:
                row.note(ACCOUNT_NOT_IMPORTED.format(account_id=account_id))
            else:
                values["account_id"] = account[0]
        elif account_id == "":
            values["account_id"] = None
        return ParsedRow(CONTACT_PREFIX + row.required("CONTACTID"), values)

    records_import(
        table=table,
        report=report,
        progress=progress,
        model=Contact,
        prefix=CONTACT_PREFIX,
        parse_row=parse_row,
    )


def leads_import(*, table, report, progress):
    owners = OwnerDirectory()

    def parse_row(row):
        values = person_values(row, owners=owners, prefix="Lead")
        values.update(
            {
                "company": row.text("Company"),
                "website": row.text("Website"),
                "industry": row.text("Industry"),
                "status": row.choice("Lead Status", LEAD_STATUSES),
            }
        )
        return ParsedRow(LEAD_PREFIX + row.required("LEADID"), values)

    records_import(
        table=table,
        report=report,
        progress=progress,
        model=Lead,
        prefix=LEAD_PREFIX,
        parse_row=parse_row,
    )


def person_values(row, *, owners, prefix):
    """Values contacts and leads share, with the owner named by ``<prefix> Owner``."""
    return {
        "last_name": row.required("Last Name"),
        "first_name": row.text("First Name"),
        "owner_id": owners.resolve(row, prefix),
        "email": row.parse("Email", parse_email),
        "phone": row.text("Phone"),
        "mobile": row.text("Mobile"),
        "lead_source": row.choice("Lead Source", LEAD_SOURCES),
        "created_at": created_time(row),
    }


def created_time(row):
    # A record with no Created Time keeps the time it was first imported.
    return row.parse("Created Time", parse_datetime) or MISSING


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


def records_import(*, table, report, progress, model, prefix, parse_row):
    records = rows_parse(
        table=table, report=report, parse_row=parse_row, model=model, progress=progress
    )
    records_sync(model=model, prefix=prefix, records=records, report=report)


IMPORTERS = {
    "Users": users_import,
    "Accounts": accounts_import,
    "Contacts": contacts_import,
    "Leads": leads_import,
    "Potentials": deals_import,
}
