"""Reads that span several models: timelines, duplicate lookups, the forecast."""

from collections import defaultdict
from decimal import ROUND_HALF_EVEN, Decimal

from django.db.models import (
    CharField,
    Count,
    DecimalField,
    Exists,
    F,
    OuterRef,
    Q,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce, Lower, TruncMonth, TruncQuarter

from crm.models import Call, Meeting, Note, Stage, Target, Task
from crm.periods import PeriodKind, period_label

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


def record_find_by_value(*, model, field, values, user, exclude_pk=None):
    """Records of ``model`` whose ``field`` equals one of ``values``, ignoring case.

    Returns ``{lowercased value: pk}``: for each value the oldest record ``user``
    may see, or None when every such record is one they may not see. One query.
    """
    wanted = {value.lower() for value in values if value}
    if not wanted:
        return {}
    visible = model.objects.visible_to(user).filter(pk=OuterRef("pk"))
    matches = (
        model.objects.annotate(lowered=Lower(field), visible=Exists(visible))
        .filter(lowered__in=wanted)
        .exclude(pk=exclude_pk)
        # The last row per value wins: a visible one over hidden ones, then the
        # oldest.
        .order_by("visible", "-pk")
        .values_list("lowered", "pk", "visible")
    )
    return {lowered: pk if visible else None for lowered, pk, visible in matches}


def record_timeline(*, record, user):
    """Notes and activities about ``record`` that ``user`` may see, newest first.

    Returns a queryset of ``{"type", "id", "created_at"}`` rows, one SQL query
    however it is sliced; ``timeline_entries_load`` turns a page of rows into
    entries carrying their objects.
    """
    field = record._meta.model_name
    rows = [
        source.model.objects.visible_to(user)
        .filter(**{field: record})
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


Category = Stage.ForecastCategory

OPEN_CATEGORIES = (Category.PIPELINE, Category.BEST_CASE, Category.COMMIT)
# Best case is cumulative: it counts commit deals as well as best-case ones.
BEST_CASE_CATEGORIES = (Category.BEST_CASE, Category.COMMIT)

TRUNCATE = {PeriodKind.MONTH: TruncMonth, PeriodKind.QUARTER: TruncQuarter}
MONEY = DecimalField(max_digits=18, decimal_places=2)
# amount (2 places) times a whole percentage: exact with 2 places in the database.
AMOUNT_TIMES_PERCENT = DecimalField(max_digits=20, decimal_places=2)
CENT = Decimal("0.01")
RATIO = Decimal("0.0001")

BUCKETS = {
    "open": Q(stage__forecast_category__in=OPEN_CATEGORIES),
    "best_case": Q(stage__forecast_category__in=BEST_CASE_CATEGORIES),
    "commit": Q(stage__forecast_category=Category.COMMIT),
    "closed_won": Q(stage__forecast_category=Category.CLOSED_WON),
    "closed_lost": Q(stage__forecast_category=Category.CLOSED_LOST),
}


def _amount_sum(condition):
    return Coalesce(
        Sum("amount", filter=condition), Value(Decimal("0")), output_field=MONEY
    )


def forecast_rows(
    *, deals, period, date_from=None, date_to=None, owners=None, pipeline=None
):
    """Deal figures per period, owner and pipeline, from each deal's closing date.

    ``deals`` is the queryset to roll up (the deals the caller may see); deals
    without a closing date are left out. Returns a list of dicts ordered by
    period, owner and pipeline, one per group that has deals. Runs two queries.
    """
    if period not in TRUNCATE:
        raise ValueError(f"Unknown period kind {period!r}.")

    deals = deals.filter(closing_date__isnull=False)
    if date_from is not None:
        deals = deals.filter(closing_date__gte=date_from)
    if date_to is not None:
        deals = deals.filter(closing_date__lte=date_to)
    if owners:
        deals = deals.filter(owner_id__in=owners)
    if pipeline is not None:
        deals = deals.filter(pipeline_id=pipeline)

    aggregates = {}
    for bucket, condition in BUCKETS.items():
        aggregates[f"{bucket}_amount"] = _amount_sum(condition)
        aggregates[f"{bucket}_count"] = Count("id", filter=condition)
    # Summing amount x percent, then dividing once, keeps the figure exact on
    # every backend (SQLite would divide integers per deal and truncate).
    aggregates["weighted_percent_amount"] = Coalesce(
        Sum(
            F("amount") * F("probability"),
            filter=BUCKETS["open"],
            output_field=AMOUNT_TIMES_PERCENT,
        ),
        Value(Decimal("0")),
        output_field=AMOUNT_TIMES_PERCENT,
    )
    grouped = (
        deals.annotate(period_start=TRUNCATE[period]("closing_date"))
        .values(
            "period_start",
            "owner_id",
            "owner__username",
            "owner__first_name",
            "owner__last_name",
            "pipeline_id",
            "pipeline__name",
        )
        .annotate(**aggregates)
        .order_by(
            "period_start",
            "owner__first_name",
            "owner__last_name",
            "owner_id",
            "pipeline__name",
            "pipeline_id",
        )
    )
    groups = list(grouped)
    targets = _targets_by_owner_and_start(groups, period)

    won_by_owner_and_start = defaultdict(Decimal)
    for group in groups:
        key = (group["owner_id"], group["period_start"])
        won_by_owner_and_start[key] += _cents(group["closed_won_amount"])

    return [_row(group, period, targets, won_by_owner_and_start) for group in groups]


def _targets_by_owner_and_start(groups, period):
    if not groups:
        return {}
    targets = Target.objects.filter(
        period_kind=period,
        user_id__in={group["owner_id"] for group in groups},
        period_start__in={group["period_start"] for group in groups},
    ).values_list("user_id", "period_start", "amount")
    return {(user_id, start): amount for user_id, start, amount in targets}


def _cents(amount):
    # SQLite hands sums back through floats; cents are what the data holds.
    return Decimal(amount).quantize(CENT, rounding=ROUND_HALF_EVEN)


def _row(group, period, targets, won_by_owner_and_start):
    key = (group["owner_id"], group["period_start"])
    target = targets.get(key)
    attainment = None
    if target:
        attainment = (won_by_owner_and_start[key] / target).quantize(
            RATIO, rounding=ROUND_HALF_EVEN
        )
    name = f"{group['owner__first_name']} {group['owner__last_name']}".strip()
    row = {
        "period": {
            "start": group["period_start"],
            "label": period_label(group["period_start"], period),
        },
        "owner": {"id": group["owner_id"], "name": name or group["owner__username"]},
        "pipeline": {"id": group["pipeline_id"], "name": group["pipeline__name"]},
        "weighted_amount": _cents(group["weighted_percent_amount"] / 100),
        "target": target,
        "attainment": attainment,
    }
    for bucket in BUCKETS:
        row[f"{bucket}_amount"] = _cents(group[f"{bucket}_amount"])
        row[f"{bucket}_count"] = group[f"{bucket}_count"]
    return row
