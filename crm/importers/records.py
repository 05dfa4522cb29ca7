"""What an import reports, and the batched writes every importer shares."""

from dataclasses import dataclass, field

from django.utils import timezone

from crm.importers.csvrows import MISSING, RowError

BATCH_SIZE = 500

# Report messages, filled in with str.format.
REPEATED_ID = "same id as line {line}"
TOO_LONG = "{label} is longer than {max_length} characters"


@dataclass(frozen=True)
class Issue:
    """A row that was skipped, or imported with a caveat, and why."""

    file: str
    line: int
    message: str
    skipped: bool

    def __str__(self):
        outcome = "row skipped" if self.skipped else "row imported"
        return f"{self.file} line {self.line}: {self.message}; {outcome}"


@dataclass
class ModuleReport:
    """Counts and issues for one imported file, and remarks about the whole file."""

    module: str
    file: str
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: int = 0
    issues: list = field(default_factory=list)
    remarks: list = field(default_factory=list)

    def skip(self, line, message):
        self.skipped += 1
        self.issues.append(Issue(self.file, line, message, skipped=True))

    def note(self, line, message):
        self.issues.append(Issue(self.file, line, message, skipped=False))

    def remark(self, message):
        """Record something true of many rows, said once rather than per line."""
        self.remarks.append(f"{self.file}: {message}")


@dataclass(frozen=True)
class ParsedRow:
    external_id: str
    values: dict


def rows_parse(*, table, report, parse_row, model, progress):
    """Return ``{external_id: values}`` for the rows ``parse_row`` accepts.

    ``parse_row(row)`` returns a ParsedRow or raises RowError. Rejected rows, rows
    repeating an external id and values too long for their column are reported as
    skipped; notes a row collected are reported for the rows that are kept.
    """
    records = {}
    first_lines = {}
    for row in progress(table.rows, description=report.module, total=len(table.rows)):
        try:
            if row.problem:
                raise RowError(row.problem)
            parsed = parse_row(row)
            values = {
                name: value
                for name, value in parsed.values.items()
                if value is not MISSING
            }
            values_check_length(model, {"external_id": parsed.external_id, **values})
        except RowError as error:
            report.skip(row.line, str(error))
            continue
        if parsed.external_id in records:
            first_line = first_lines[parsed.external_id]
            report.skip(row.line, REPEATED_ID.format(line=first_line))
            continue

        records[parsed.external_id] = values
        first_lines[parsed.external_id] = row.line
        for message in row.notes:
            report.note(row.line, message)
    return records


def values_check_length(model, values):
    """Raise RowError when a text value is longer than its column allows."""
    for name, value in values.items():
        max_length = getattr(model._meta.get_field(name), "max_length", None)
        if isinstance(value, str) and max_length and len(value) > max_length:
            label = model._meta.get_field(name).verbose_name
            raise RowError(TOO_LONG.format(label=label, max_length=max_length))


def records_by_external_id(model, prefix):
    """``{external_id: instance}`` for the records imported with ``prefix``."""
    # One query by prefix, not an IN list, whose length SQLite limits.
    return {
        record.external_id: record
        for record in model.objects.filter(external_id__startswith=prefix)
    }


def records_sync(*, model, prefix, records, report, on_create=None):
    """``records_save`` against the records already imported with ``prefix``."""
    records_save(
        model=model,
        existing=records_by_external_id(model, prefix),
        records=records,
        report=report,
        on_create=on_create,
    )


def records_save(*, model, existing, records, report, on_create=None):
    """Create the records not in ``existing``; update those whose values differ.

    ``records`` maps an external id to field values by attribute name, ``existing``
    maps an external id to the stored instance. Only the fields given are compared
    and written. ``on_create(instance)`` prepares each new instance. The counts
    ``report.created``, ``updated`` and ``unchanged`` grow by what was done. Writes
    go in batches: the caller holds the transaction.
    """
    auto_now = [
        item.name
        for item in model._meta.concrete_fields
        if getattr(item, "auto_now", False)
    ]
    now = timezone.now()
    new = []
    changed = []
    changed_fields = set()
    for external_id, values in records.items():
        instance = existing.get(external_id)
        if instance is None:
            instance = model(**values)
            instance.external_id = external_id
            if on_create:
                on_create(instance)
            new.append(instance)
            continue
        differing = [
            name for name, value in values.items() if getattr(instance, name) != value
        ]
        if not differing:
            report.unchanged += 1
            continue
        for name in differing:
            setattr(instance, name, values[name])
        for name in auto_now:
            setattr(instance, name, now)
        changed.append(instance)
        changed_fields.update(model._meta.get_field(name).name for name in differing)

    model.objects.bulk_create(new, batch_size=BATCH_SIZE)
    if changed:
        model.objects.bulk_update(
            changed, sorted(changed_fields | set(auto_now)), batch_size=BATCH_SIZE
        )
    report.created += len(new)
    report.updated += len(changed)
