"""Import a Zoho CRM export: a folder with one CSV per Zoho module.

Users, Accounts, Contacts, Leads, Campaigns, Potentials, Products, Calls, Events,
Tasks and Cases become our users, accounts, contacts, leads, campaigns, deals,
products, calls, meetings, tasks and tickets; every other module is reported as
skipped. Each record keeps its Zoho id in ``external_id`` (Tasks and Cases have
none: theirs is made from the row), so importing the same export again updates
records instead of duplicating them.
"""

import logging
from dataclasses import dataclass, field
from pathlib import Path

from django.db import DatabaseError, transaction

from crm.importers.csvrows import ImportFileError, csv_table_read
from crm.importers.records import ModuleReport
from crm.importers.zoho.activities import (
    calls_import,
    cases_import,
    events_import,
    tasks_import,
)
from crm.importers.zoho.people import (
    accounts_import,
    contacts_import,
    leads_import,
    users_import,
)
from crm.importers.zoho.sales import campaigns_import, deals_import, products_import
from crm.models import Pipeline

__all__ = ["ImportReport", "ZohoImportError", "zoho_import"]

logger = logging.getLogger(__name__)

# Import order: owners first, and every record after the records it links to.
MODULES = (
    "Users",
    "Accounts",
    "Contacts",
    "Leads",
    "Campaigns",
    "Potentials",
    "Products",
    "Calls",
    "Events",
    "Tasks",
    "Cases",
)

# Columns a module cannot be imported without; a tuple means one of them will do.
REQUIRED_COLUMNS = {
    "Users": ("USER_ID", "Email"),
    "Accounts": ("ACCOUNTID", "Account Name", ("Account Owner Id", "Account Owner")),
    "Contacts": ("CONTACTID", "Last Name", ("Contact Owner Id", "Contact Owner")),
    "Leads": ("LEADID", "Last Name", ("Lead Owner Id", "Lead Owner")),
    "Campaigns": ("CAMPAIGNID", "Campaign Name"),
    "Potentials": (
        "LEADID",
        "Potential Name",
        "Stage",
        ("Potential Owner Id", "Potential Owner"),
    ),
    "Products": (
        "PRODUCTID",
        "Product Name",
        ("Product Owner Id", "Product Owner"),
    ),
    "Calls": (
        "TASKID",
        "Subject",
        "Call Start Time",
        "Call Type",
        ("Call Owner Id", "Call Owner"),
    ),
    "Events": (
        "EVENTID",
        "Subject",
        "Start DateTime",
        "End DateTime",
        ("Event Owner Id", "Event Owner"),
    ),
    "Tasks": ("Subject", "Created Time", ("Task Owner Id", "Task Owner")),
    "Cases": ("Created Time", ("Case Owner Id", "Case Owner")),
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
                    table=tables[module],
                    report=module_report,
                    progress=progress,
                    export=tables,
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


# Each importer is given its module's table, its report, the progress wrapper and
# the whole export ({module: table}), for a module that draws on another's file.
IMPORTERS = {
    "Users": users_import,
    "Accounts": accounts_import,
    "Contacts": contacts_import,
    "Leads": leads_import,
    "Campaigns": campaigns_import,
    "Potentials": deals_import,
    "Products": products_import,
    "Calls": calls_import,
    "Events": events_import,
    "Tasks": tasks_import,
    "Cases": cases_import,
}
