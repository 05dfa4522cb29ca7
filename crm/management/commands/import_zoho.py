"""``manage.py import_zoho FOLDER``: bring a Zoho CRM export into the CRM."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from crm.importers.zoho import ZohoImportError, zoho_import

SUMMARY_COLUMNS = ("created", "updated", "unchanged", "skipped")


class Command(BaseCommand):
    help = (
        "Import a Zoho CRM export: a folder with one CSV per Zoho module. Users, "
        "Accounts, Contacts, Leads, Campaigns, Potentials, Products, Calls, Events, "
        "Tasks and Cases are imported; other modules are reported as skipped. "
        "Importing the same folder again changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("folder", type=Path, help="Folder holding the Zoho CSVs.")

    def handle(self, *args, folder, **options):
        progress = progress_bar if self.stdout.isatty() else None
        try:
            report = zoho_import(folder=folder, progress=progress)
        except ZohoImportError as error:
            raise CommandError(str(error)) from error

        for module_report in report.modules:
            for issue in module_report.issues:
                self.stdout.write(str(issue), self.style.WARNING)
        for module_report in report.modules:
            for remark in module_report.remarks:
                self.stdout.write(remark, self.style.WARNING)
        if report.skipped_modules:
            self.stdout.write(
                "Skipped modules (not imported yet): "
                + ", ".join(report.skipped_modules)
            )
        self.stdout.write(summary_table(report.modules))


def progress_bar(rows, *, description, total):
    return tqdm(rows, desc=description, total=total, unit="row", leave=False)


def summary_table(module_reports):
    header = ("module", *SUMMARY_COLUMNS)
    lines = [f"{header[0]:<12}" + "".join(f"{label:>11}" for label in header[1:])]
    for report in module_reports:
        counts = "".join(f"{getattr(report, name):>11}" for name in SUMMARY_COLUMNS)
        lines.append(f"{report.module:<12}{counts}")
    return "\n".join(lines)
