"""The calendar of the monitoring: which forms are due in a school year, for which day, by when.

Coverage (item 4.8) is reported every month of the school year — twelve months from its first — as of the month's
last day, due by the fifth of the next month. The профминимум's self-analysis (item 5.5) is reported twice, as of
the end of December and of May, due ten days later. Both are data: the ministry moves a date or a deadline on the
periods page (monitoring.services.period_update); these are only the defaults a new year starts with.
"""

import datetime

from django.db import transaction

from monitoring.models import Period, month_end
from orgs.models import SchoolYear

COVERAGE_MONTHS = 12
COVERAGE_DUE_DAY = 5  # of the month after the one reported
PROFMINIMUM_MONTHS = (12, 5)  # December and May
PROFMINIMUM_DUE_DAYS = 10  # after the day the figures are for


def add_months(month: datetime.date, count: int) -> datetime.date:
    index = month.year * 12 + month.month - 1 + count
    return datetime.date(index // 12, index % 12 + 1, 1)


def month_key(month: datetime.date) -> int:
    """A month as the number yyyymm (the rollups' key)."""
    return month.year * 100 + month.month


def month_from_key(key: int) -> datetime.date:
    return datetime.date(key // 100, key % 100, 1)


def coverage_months(school_year: SchoolYear) -> list[datetime.date]:
    """The first days of the months the school year reports coverage for."""
    first = school_year.starts_on.replace(day=1)
    return [add_months(first, i) for i in range(COVERAGE_MONTHS)]


def profminimum_days(school_year: SchoolYear) -> list[datetime.date]:
    """The default days of the twice-yearly monitoring: the ends of the year's December and May."""
    days = []
    for month in coverage_months(school_year):
        if month.month in PROFMINIMUM_MONTHS and len(days) < len(PROFMINIMUM_MONTHS):
            days.append(month_end(month))
    return days


def default_periods(school_year: SchoolYear) -> list[Period]:
    periods = []
    for number, month in enumerate(coverage_months(school_year), 1):
        due = add_months(month, 1).replace(day=COVERAGE_DUE_DAY)
        periods.append(Period(school_year=school_year, kind=Period.Kind.COVERAGE, number=number, as_of=month_end(month), due_on=due))
    for number, day in enumerate(profminimum_days(school_year), 1):
        due = day + datetime.timedelta(days=PROFMINIMUM_DUE_DAYS)
        periods.append(Period(school_year=school_year, kind=Period.Kind.PROFMINIMUM, number=number, as_of=day, due_on=due))
    return periods


def periods_ensure(*, school_year: SchoolYear) -> None:
    """Create the school year's periods that do not exist yet (those that do keep the ministry's edits). Safe to
    call from several places at once: a period made by another is left as it is."""
    existing = set(Period.objects.filter(school_year=school_year).values_list("kind", "number"))
    missing = [p for p in default_periods(school_year) if (p.kind, p.number) not in existing]
    if missing:
        with transaction.atomic():
            Period.objects.bulk_create(missing, ignore_conflicts=True)


def periods_of(*, school_year: SchoolYear, kind: str) -> list[Period]:
    """The year's periods of one form, in order (made with their defaults the first time they are asked for)."""
    periods = list(Period.objects.filter(school_year=school_year, kind=kind).order_by("as_of", "number"))
    if not periods:
        periods_ensure(school_year=school_year)
        periods = list(Period.objects.filter(school_year=school_year, kind=kind).order_by("as_of", "number"))
    return periods


def coverage_period(*, month: datetime.date) -> Period | None:
    """The coverage period of a month (any school year)."""
    return Period.objects.filter(kind=Period.Kind.COVERAGE, as_of=month_end(month.replace(day=1))).select_related("school_year").first()


def latest_open(periods: list[Period], today: datetime.date) -> Period | None:
    """The last period whose form is open by today."""
    open_ = [p for p in periods if p.is_open(today)]
    return open_[-1] if open_ else None
