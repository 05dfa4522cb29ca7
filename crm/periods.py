"""Calendar periods shared by targets and the forecast: months and quarters."""

from datetime import date

from crm.models import Target

PeriodKind = Target.PeriodKind


def period_start_of(day, kind):
    """The first day of the month or quarter that contains ``day``."""
    if kind == PeriodKind.MONTH:
        return date(day.year, day.month, 1)
    if kind == PeriodKind.QUARTER:
        return date(day.year, (day.month - 1) // 3 * 3 + 1, 1)
    raise ValueError(f"Unknown period kind {kind!r}.")


def is_period_start(day, kind):
    return period_start_of(day, kind) == day


def period_label(start, kind):
    """``2017-03`` for a month, ``2017-Q1`` for a quarter."""
    if kind == PeriodKind.MONTH:
        return f"{start.year:04d}-{start.month:02d}"
    if kind == PeriodKind.QUARTER:
        return f"{start.year:04d}-Q{(start.month - 1) // 3 + 1}"
    raise ValueError(f"Unknown period kind {kind!r}.")
