"""What the Zoho modules share: record id prefixes, owners, and the import step."""

import hashlib
import json
from collections import Counter, defaultdict

from crm.importers.csvrows import (
    EMPTY_CELL,
    MISSING,
    ChoiceMap,
    RowError,
    parse_datetime,
)
from crm.importers.records import records_sync, rows_parse
from crm.models import LeadSource, User

USER_PREFIX = "zoho:"
ACCOUNT_PREFIX = "zoho-account:"
CONTACT_PREFIX = "zoho-contact:"
LEAD_PREFIX = "zoho-lead:"
# Potentials have no id of their own, but each one comes from exactly one converted
# lead; "lead-" keeps these ids apart from real Potential ids a fuller export has.
DEAL_PREFIX = "zoho-deal:lead-"
CAMPAIGN_PREFIX = "zoho-campaign:"
PRODUCT_PREFIX = "zoho-product:"
CALL_PREFIX = "zoho-call:"
EVENT_PREFIX = "zoho-event:"
# Tasks and Cases come without ids; theirs are made from the row, see content_ids.
TASK_PREFIX = "zoho-task:"
CASE_PREFIX = "zoho-case:"
# Hex digits of the row hash in a made-up id: 64 bits, so that two different rows
# of one file sharing a hash is not a practical concern.
CONTENT_ID_DIGITS = 16

# Messages, filled in with str.format.
UNKNOWN_OWNER_ID = "{label} {owner_id!r} is not a Zoho user"
UNKNOWN_OWNER = "{label} {name!r} is not a Zoho user"
AMBIGUOUS_OWNER = "{label} {name!r} names several users"

LEAD_SOURCES = ChoiceMap(
    LeadSource,
    empty="",
    aliases={"Sales Mail Alias": LeadSource.SALES_EMAIL_ALIAS},
    fallback=LeadSource.OTHER,
)


class OwnerDirectory:
    """Find the user a Zoho "<X> Owner Id" or "<X> Owner" (full name) cell names."""

    def __init__(self):
        self.by_external_id = {}
        self.by_name = defaultdict(set)
        self.names = {}
        users = User.objects.filter(external_id__startswith=USER_PREFIX).only(
            "pk", "external_id", "first_name", "last_name"
        )
        for user in users:
            self.by_external_id[user.external_id] = user.pk
            self.by_name[name_key(user.get_full_name())].add(user.pk)
            self.names[user.pk] = name_key(user.get_full_name())

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


def created_time(row):
    # A record with no Created Time keeps the time it was first imported.
    return row.parse("Created Time", parse_datetime) or MISSING


def records_import(*, table, report, progress, model, prefix, parse_row):
    records = rows_parse(
        table=table, report=report, parse_row=parse_row, model=model, progress=progress
    )
    records_sync(model=model, prefix=prefix, records=records, report=report)


def required_datetime(row, label):
    value = row.parse(label, parse_datetime)
    if not value:
        raise RowError(EMPTY_CELL.format(label=label))
    return value


def content_ids(table, *, prefix, labels):
    """``{line: external id}`` for the rows of a file that gives them no id.

    The id hashes the cells under ``labels``, chosen among those that do not change
    once a record exists (Created Time is read as a time, so its format does not
    matter), then adds "-n" for the n-th row with those cells. The same rows give
    the same ids on every import, and a row whose status or owner changed updates
    its record. Malformed rows count too, so fixing one keeps the later rows' ids.
    """
    occurrences = Counter()
    ids = {}
    for row in table.rows:
        key = json.dumps([identity_text(row, label) for label in labels])
        digest = hashlib.sha256(key.encode()).hexdigest()[:CONTENT_ID_DIGITS]
        occurrences[digest] += 1
        ids[row.line] = f"{prefix}{digest}-{occurrences[digest]}"
    return ids


def identity_text(row, label):
    text = row.text(label) or ""
    if label != "Created Time":
        return text
    try:
        parsed = parse_datetime(text)
    except RowError:
        return text
    return parsed.isoformat() if parsed else ""
