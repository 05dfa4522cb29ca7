"""Zoho Users, Accounts, Contacts and Leads."""

from collections import defaultdict

from django.contrib.auth.hashers import make_password
from django.db.models.functions import Lower

from crm.importers.csvrows import EMPTY_CELL, ChoiceMap, RowError, parse_email
from crm.importers.records import ParsedRow, records_save, rows_parse
from crm.importers.zoho.common import (
    ACCOUNT_PREFIX,
    CONTACT_PREFIX,
    LEAD_PREFIX,
    LEAD_SOURCES,
    USER_PREFIX,
    OwnerDirectory,
    created_time,
    external_ids,
    records_import,
)
from crm.models import Account, Contact, Lead, User

# Messages, filled in with str.format.
REPEATED_EMAIL = "{email} is also the email on line {line}"
USERNAME_TAKEN = "{username} is the username of another user"
EMAIL_USED_BY_RECORD = "email already used by {record} {pk}"
EMAIL_USED_BY_LINE = "email already used by line {line}"
ACCOUNT_NOT_IMPORTED = (
    "account {account_id} was not imported, so the contact is not linked to it"
)

LEAD_STATUSES = ChoiceMap(Lead.Status, empty=Lead.Status.NOT_CONTACTED)
ACCOUNT_TYPES = ChoiceMap(
    Account.Type, empty=Account.Type.PROSPECT, fallback=Account.Type.OTHER
)


def users_import(*, table, report, progress, export):
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


def accounts_import(*, table, report, progress, export):
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


def contacts_import(*, table, report, progress, export):
    owners = OwnerDirectory()
    accounts = external_ids(Account, ACCOUNT_PREFIX)

    emails = EmailRegister(Contact)

    def parse_row(row):
        external_id = CONTACT_PREFIX + row.required("CONTACTID")
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
        emails.claim(row, values["email"], external_id)
        return ParsedRow(external_id, values)

    records_import(
        table=table,
        report=report,
        progress=progress,
        model=Contact,
        prefix=CONTACT_PREFIX,
        parse_row=parse_row,
    )


def leads_import(*, table, report, progress, export):
    owners = OwnerDirectory()

    emails = EmailRegister(Lead)

    def parse_row(row):
        external_id = LEAD_PREFIX + row.required("LEADID")
        values = person_values(row, owners=owners, prefix="Lead")
        values.update(
            {
                "company": row.text("Company"),
                "website": row.text("Website"),
                "industry": row.text("Industry"),
                "status": row.choice("Lead Status", LEAD_STATUSES),
            }
        )
        emails.claim(row, values["email"], external_id)
        return ParsedRow(external_id, values)

    records_import(
        table=table,
        report=report,
        progress=progress,
        model=Lead,
        prefix=LEAD_PREFIX,
        parse_row=parse_row,
    )


class EmailRegister:
    """The emails of one module, ignoring case, as the API keeps them unique.

    ``claim`` raises RowError when another record of the module, or an earlier
    row of the file, already has the row's email; the record the row imports
    does not count against it.
    """

    def __init__(self, model):
        self.record_name = model._meta.verbose_name
        self.holders = defaultdict(list)
        self.first_lines = {}
        stored = model.objects.exclude(email="").values_list(
            "email", "pk", "external_id"
        )
        for email, pk, external_id in stored:
            self.holders[email.casefold()].append((pk, external_id))

    def claim(self, row, email, external_id):
        if not email:
            return
        key = email.casefold()
        others = [pk for pk, held_by in self.holders[key] if held_by != external_id]
        if others:
            raise RowError(
                EMAIL_USED_BY_RECORD.format(record=self.record_name, pk=min(others))
            )
        # A row repeating an earlier row's id is reported as a repeated id.
        first_line, first_id = self.first_lines.setdefault(key, (row.line, external_id))
        if first_line != row.line and first_id != external_id:
            raise RowError(EMAIL_USED_BY_LINE.format(line=first_line))


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
