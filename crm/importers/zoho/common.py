"""What the Zoho modules share: record id prefixes, owners, and the import step."""

from collections import defaultdict

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


def created_time(row):
    # A record with no Created Time keeps the time it was first imported.
    return row.parse("Created Time", parse_datetime) or MISSING


def records_import(*, table, report, progress, model, prefix, parse_row):
    records = rows_parse(
        table=table, report=report, parse_row=parse_row, model=model, progress=progress
    )
    records_sync(model=model, prefix=prefix, records=records, report=report)
