"""Zoho Calls, Events (our meetings), Tasks and Cases (our tickets).

An activity is about one record at most. A row naming several is linked to the
first of its contact, account and lead (``RELATED_COLUMNS``) that was imported:
the person the call or meeting was with before the company, and a converted
lead's contact before the lead. Potentials have no id in a Zoho export, so
POTENTIALID cannot be matched to a deal; the report says how many rows name one.

Tasks and Cases carry no id: theirs are made from the row (``content_ids``).
"""

from crm.importers.csvrows import (
    MISSING,
    ChoiceMap,
    RowError,
    parse_date,
    parse_datetime,
    parse_whole_number,
)
from crm.importers.records import ParsedRow
from crm.importers.zoho.common import (
    ACCOUNT_PREFIX,
    CALL_PREFIX,
    CASE_PREFIX,
    CONTACT_PREFIX,
    EVENT_PREFIX,
    LEAD_PREFIX,
    TASK_PREFIX,
    OwnerDirectory,
    content_ids,
    created_time,
    external_ids,
    records_import,
    required_datetime,
)
from crm.models import (
    RELATED_RECORD_FIELDS,
    Account,
    Call,
    Contact,
    Lead,
    Meeting,
    Priority,
    Task,
    Ticket,
)

# Column, related record field, prefix and model, in the order a link is chosen.
RELATED_COLUMNS = (
    ("CONTACTID", "contact", CONTACT_PREFIX, Contact),
    ("ACCOUNTID", "account", ACCOUNT_PREFIX, Account),
    ("LEADID", "lead", LEAD_PREFIX, Lead),
)
# Zoho writes 0 in an id column that names nothing.
NO_ID = frozenset({"", "0"})
# The cells that identify a row of a file without ids: see content_ids.
TASK_IDENTITY = ("Created Time", "Subject")
CASE_IDENTITY = ("Created Time", "Case Origin")

# Messages, filled in with str.format.
RECORD_NOT_IMPORTED = (
    "{record} {record_id} was not imported, so the {activity} is not linked to it"
)
POTENTIAL_LINKS_LEFT_OUT = (
    "rows naming a Potential (POTENTIALID): {count}; a Zoho export gives Potentials "
    "no id to match, so those links are left out"
)
ENDS_BEFORE_START = "End DateTime {end} is before Start DateTime {start}"

CALL_DIRECTIONS = ChoiceMap(Call.Direction, empty="")
CALL_PURPOSES = ChoiceMap(
    Call.Purpose,
    empty="",
    aliases={"Desk": Call.Purpose.SUPPORT},
    fallback=Call.Purpose.OTHER,
)
TASK_STATUSES = ChoiceMap(Task.Status, empty=Task.Status.NOT_STARTED)
PRIORITIES = ChoiceMap(
    Priority,
    empty=Priority.NORMAL,
    aliases={"Medium": Priority.NORMAL},
    fallback=Priority.NORMAL,
)
CASE_STATUSES = ChoiceMap(Ticket.Status, empty=Ticket.Status.NEW)
CASE_ORIGINS = ChoiceMap(Ticket.Origin, empty="", fallback=Ticket.Origin.OTHER)


class RelatedRecords:
    """The record an activity row is about, from its CONTACTID, ACCOUNTID, LEADID."""

    def __init__(self, table, activity):
        self.activity = activity
        self.columns = [item for item in RELATED_COLUMNS if item[0] in table.header]
        self.pks = {}
        for _, field, prefix, model in self.columns:
            ids = external_ids(model, prefix)
            self.pks[field] = {external_id: pk for external_id, (pk,) in ids.items()}

    def values(self, row):
        """``{"<field>_id": pk or None}`` for every kind of related record.

        Empty when the file has none of the columns, so that links made in the CRM
        stay; otherwise the row's link replaces any other, as one is allowed.
        """
        if not self.columns:
            return {}

        values = {f"{field}_id": None for field in RELATED_RECORD_FIELDS}
        for label, field, prefix, _ in self.columns:
            record_id = row.text(label)
            if record_id in NO_ID:
                continue
            pk = self.pks[field].get(prefix + record_id)
            if pk is None:
                row.note(
                    RECORD_NOT_IMPORTED.format(
                        record=field, record_id=record_id, activity=self.activity
                    )
                )
                continue
            values[f"{field}_id"] = pk
            break

        return values


def potential_links_remark(table, report):
    if "POTENTIALID" not in table.header:
        return

    count = sum(row.text("POTENTIALID") not in NO_ID for row in table.rows)
    if count:
        report.remark(POTENTIAL_LINKS_LEFT_OUT.format(count=count))


def calls_import(*, table, report, progress, export):
    owners = OwnerDirectory()
    related = RelatedRecords(table, "call")

    def parse_row(row):
        duration = row.parse("Call Duration (in seconds)", parse_whole_number)
        values = {
            "subject": row.required("Subject"),
            "owner_id": owners.resolve(row, "Call"),
            "direction": required_choice(row, "Call Type", CALL_DIRECTIONS),
            "start": required_datetime(row, "Call Start Time"),
            "duration": 0 if duration is None else duration,
            "purpose": row.choice("Call Purpose", CALL_PURPOSES),
            "result": row.text("Call Result"),
            "description": row.text("Description"),
            "created_at": created_time(row),
            **related.values(row),
        }
        return ParsedRow(CALL_PREFIX + row.required("TASKID"), values)

    records_import(
        table=table,
        report=report,
        progress=progress,
        model=Call,
        prefix=CALL_PREFIX,
        parse_row=parse_row,
    )
    potential_links_remark(table, report)


def required_choice(row, label, choices):
    row.required(label)
    return row.choice(label, choices)


def events_import(*, table, report, progress, export):
    owners = OwnerDirectory()
    related = RelatedRecords(table, "meeting")

    def parse_row(row):
        start = required_datetime(row, "Start DateTime")
        end = required_datetime(row, "End DateTime")
        if end < start:
            raise RowError(ENDS_BEFORE_START.format(end=end, start=start))

        values = {
            "subject": row.required("Subject"),
            "owner_id": owners.resolve(row, "Event"),
            "start": start,
            "end": end,
            "location": row.text("Venue"),
            "description": row.text("Description"),
            "created_at": created_time(row),
            **related.values(row),
        }
        return ParsedRow(EVENT_PREFIX + row.required("EVENTID"), values)

    records_import(
        table=table,
        report=report,
        progress=progress,
        model=Meeting,
        prefix=EVENT_PREFIX,
        parse_row=parse_row,
    )
    potential_links_remark(table, report)


def tasks_import(*, table, report, progress, export):
    owners = OwnerDirectory()
    related = RelatedRecords(table, "task")
    ids = content_ids(table, prefix=TASK_PREFIX, labels=TASK_IDENTITY)

    def parse_row(row):
        values = {
            "subject": row.required("Subject"),
            "owner_id": owners.resolve(row, "Task"),
            "due_date": row.parse("Due Date", parse_date),
            "status": row.choice("Status", TASK_STATUSES),
            "priority": row.choice("Priority", PRIORITIES),
            "description": row.text("Description"),
            "created_at": created_time(row),
            **related.values(row),
        }
        return ParsedRow(ids[row.line], values)

    records_import(
        table=table,
        report=report,
        progress=progress,
        model=Task,
        prefix=TASK_PREFIX,
        parse_row=parse_row,
    )
    potential_links_remark(table, report)


def cases_import(*, table, report, progress, export):
    """Cases become tickets; one closed has its last Modified Time as closing time.

    A case without a Subject is named by its origin and day: "Email case,
    15 Apr 2021".
    """
    owners = OwnerDirectory()
    ids = content_ids(table, prefix=CASE_PREFIX, labels=CASE_IDENTITY)

    def parse_row(row):
        created = created_time(row)
        status = row.choice("Status", CASE_STATUSES)
        origin = row.choice("Case Origin", CASE_ORIGINS)
        closed_at = None
        if status is MISSING:
            closed_at = MISSING
        elif status == Ticket.Status.CLOSED:
            closed_at = row.parse("Modified Time", parse_datetime)
        values = {
            "subject": row.text("Subject") or case_subject(origin, created),
            "owner_id": owners.resolve(row, "Case"),
            "status": status,
            "origin": origin,
            "priority": row.choice("Priority", PRIORITIES),
            "description": row.text("Description"),
            "created_at": created,
            "closed_at": closed_at,
        }
        return ParsedRow(ids[row.line], values)

    records_import(
        table=table,
        report=report,
        progress=progress,
        model=Ticket,
        prefix=CASE_PREFIX,
        parse_row=parse_row,
    )


def case_subject(origin, created):
    kind = f"{Ticket.Origin(origin).label} case" if origin else "Case"
    return f"{kind}, {created:%d %b %Y}" if created else kind
