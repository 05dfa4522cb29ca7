"""Reads that span several models or need more than a queryset filter."""

from django.db.models import CharField, Value
from django.db.models.functions import Lower

from crm.models import Call, Meeting, Note, Task

# Timeline entry type -> the model it comes from, and how to load it for display.
TIMELINE_SOURCES = {
    "note": Note.objects.select_related("owner", "created_by"),
    "task": Task.objects.select_related("owner", "created_by"),
    "call": Call.objects.select_related("owner", "created_by"),
    "meeting": Meeting.objects.select_related("owner", "created_by").prefetch_related(
        "participant_users", "participant_contacts"
    ),
}
TIMELINE_TYPES = tuple(TIMELINE_SOURCES)


def record_find_by_value(*, model, field, values, exclude_pk=None):
    """Records of ``model`` whose ``field`` equals one of ``values``, ignoring case.

    Returns ``{lowercased value: pk}``, with the oldest record for each value.
    """
    wanted = {value.lower() for value in values if value}
    if not wanted:
        return {}
    matches = (
        model.objects.annotate(lowered=Lower(field))
        .filter(lowered__in=wanted)
        .exclude(pk=exclude_pk)
        .order_by("-pk")
        .values_list("lowered", "pk")
    )
    return dict(matches)


def record_timeline(*, record):
    """Notes and activities about ``record``, newest first.

    Returns a queryset of ``{"type", "id", "created_at"}`` rows, one SQL query
    however it is sliced; ``timeline_entries_load`` turns a page of rows into
    entries carrying their objects.
    """
    field = record._meta.model_name
    rows = [
        source.model.objects.filter(**{field: record})
        .order_by()
        .annotate(type=Value(entry_type, output_field=CharField()))
        .values("type", "id", "created_at")
        for entry_type, source in TIMELINE_SOURCES.items()
    ]
    return rows[0].union(*rows[1:], all=True).order_by("-created_at", "-type", "-id")


def timeline_entries_load(rows):
    """The rows as entries ``{"type", "id", "created_at", "note", "task", ...}``:
    the key named by ``type`` holds the object, the other types' keys None.

    One query per entry type present in the rows (plus the meetings' participants).
    """
    wanted = {}
    for row in rows:
        wanted.setdefault(row["type"], []).append(row["id"])
    loaded = {
        entry_type: TIMELINE_SOURCES[entry_type].in_bulk(ids)
        for entry_type, ids in wanted.items()
    }
    empty = dict.fromkeys(TIMELINE_TYPES)
    return [
        {**row, **empty, row["type"]: loaded[row["type"]][row["id"]]}
        for row in rows
        if row["id"] in loaded[row["type"]]
    ]
