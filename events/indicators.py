"""The «Билет в будущее» indicators of seed item 4.2, per school, municipality and the republic, for any period:

- students covered by professional trials — distinct students with a trial in the period (TrialRecord: marked at
  the host here, or imported from the federal platform's export, counted alike);
- trial sites — distinct sites where those trials were held;
- trajectory recommendations — students with a confirmed trajectory that has a backup. The trajectories belong to
  the guidance app, which sits above this one: it registers its counter here (`trajectory_counter_register`), and
  until it has, the figure is shown as not available rather than as zero;
- students who passed the platform's online diagnostics — imported from its export into the diagnostics app, a
  sibling of this one: guidance registers diagnostics' counter here (`ticket_diagnostics_counter_register`), and
  until then the figure is not available either.

A student's trial counts where the student was on the day of the trial, so the figures of a past period do not
move when students change schools."""

import datetime
from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Count, QuerySet

from events.models import TrialRecord
from orgs.models import Municipality, Organization

# fn(*, date_from, date_to) -> {school id: students with a confirmed trajectory with a backup in the period}
TrajectoryCounter = Callable[..., dict[int, int]]
_trajectory_counter: list[TrajectoryCounter] = []


def trajectory_counter_register(counter: TrajectoryCounter) -> TrajectoryCounter:
    """The guidance app tells the indicators how many students have a confirmed trajectory with a backup, per school."""
    _trajectory_counter[:] = [counter]
    return counter


_ticket_diagnostics_counter: list[TrajectoryCounter] = []


def ticket_diagnostics_counter_register(counter: TrajectoryCounter) -> TrajectoryCounter:
    """An app above this one tells the indicators how many students passed the platform's diagnostics, per school."""
    _ticket_diagnostics_counter[:] = [counter]
    return counter


def ticket_diagnostics_counts(*, date_from: datetime.date, date_to: datetime.date) -> dict[int, int] | None:
    if not _ticket_diagnostics_counter:
        return None
    return _ticket_diagnostics_counter[0](date_from=date_from, date_to=date_to)


def trajectory_counts(*, date_from: datetime.date, date_to: datetime.date) -> dict[int, int] | None:
    if not _trajectory_counter:
        return None
    return _trajectory_counter[0](date_from=date_from, date_to=date_to)


@dataclass
class IndicatorRow:
    label: str
    url: str
    students: int  # covered by trials
    sites: int
    trials: int
    trajectories: int | None  # None: not available yet
    diagnostics: int | None = None  # passed the platform's diagnostics; None: not available


def _records(date_from: datetime.date, date_to: datetime.date) -> QuerySet[TrialRecord]:
    return TrialRecord.objects.filter(held_on__gte=date_from, held_on__lte=date_to)


def _figures(records: QuerySet[TrialRecord], group: str | None) -> dict:
    aggregate = {"students": Count("student_id", distinct=True), "sites": Count("site_key", distinct=True), "trials": Count("pk")}
    if group is None:
        return records.aggregate(**aggregate)
    return {row[group]: row for row in records.values(group).annotate(**aggregate)}


def _trajectories(counts: dict[int, int] | None, school_ids) -> int | None:
    if counts is None:
        return None
    return sum(counts.get(pk, 0) for pk in school_ids)


@dataclass
class Indicators:
    title: str
    rows: list[IndicatorRow]
    total: IndicatorRow
    row_label: str


def republic_indicators(*, date_from: datetime.date, date_to: datetime.date, url_for: Callable[[str, int], str]) -> Indicators:
    records = _records(date_from, date_to)
    by_municipality = _figures(records, "municipality_id")
    counts = trajectory_counts(date_from=date_from, date_to=date_to)
    passed = ticket_diagnostics_counts(date_from=date_from, date_to=date_to)
    schools = Organization.objects.filter(kind=Organization.Kind.SCHOOL).values_list("pk", "municipality_id")
    schools_of: dict[int, list[int]] = {}
    for pk, municipality_id in schools:
        schools_of.setdefault(municipality_id, []).append(pk)
    rows = []
    for municipality in Municipality.objects.order_by("kind", "name"):
        figures = by_municipality.get(municipality.pk, {})
        rows.append(
            IndicatorRow(
                municipality.name, url_for("municipality", municipality.pk), figures.get("students", 0), figures.get("sites", 0),
                figures.get("trials", 0), _trajectories(counts, schools_of.get(municipality.pk, [])),
                _trajectories(passed, schools_of.get(municipality.pk, [])),
            )
        )  # fmt: skip
    total = _figures(records, None)
    return Indicators(
        "Республика Северная Осетия-Алания",
        rows,
        IndicatorRow(
            "Республика",
            "",
            total["students"],
            total["sites"],
            total["trials"],
            None if counts is None else sum(counts.values()),
            None if passed is None else sum(passed.values()),
        ),
        "Муниципалитет",
    )


def municipality_indicators(
    *, municipality: Municipality, date_from: datetime.date, date_to: datetime.date, url_for: Callable[[str, int], str]
) -> Indicators:
    records = _records(date_from, date_to).filter(municipality=municipality)
    by_school = _figures(records, "school_id")
    counts = trajectory_counts(date_from=date_from, date_to=date_to)
    passed = ticket_diagnostics_counts(date_from=date_from, date_to=date_to)
    schools = list(Organization.objects.filter(kind=Organization.Kind.SCHOOL, municipality=municipality).order_by("short_name"))
    rows = [
        IndicatorRow(
            school.short_name, url_for("school", school.pk), by_school.get(school.pk, {}).get("students", 0),
            by_school.get(school.pk, {}).get("sites", 0), by_school.get(school.pk, {}).get("trials", 0), _trajectories(counts, [school.pk]),
            _trajectories(passed, [school.pk]),
        )
        for school in schools
    ]  # fmt: skip
    total = _figures(records, None)
    return Indicators(
        municipality.name,
        rows,
        IndicatorRow(
            municipality.name,
            "",
            total["students"],
            total["sites"],
            total["trials"],
            _trajectories(counts, [s.pk for s in schools]),
            _trajectories(passed, [s.pk for s in schools]),
        ),
        "Школа",
    )


def school_indicators(*, school: Organization, date_from: datetime.date, date_to: datetime.date) -> Indicators:
    records = _records(date_from, date_to).filter(school=school)
    total = _figures(records, None)
    counts = trajectory_counts(date_from=date_from, date_to=date_to)
    passed = ticket_diagnostics_counts(date_from=date_from, date_to=date_to)
    row = IndicatorRow(
        school.short_name, "", total["students"], total["sites"], total["trials"], _trajectories(counts, [school.pk]),
        _trajectories(passed, [school.pk]),
    )  # fmt: skip
    return Indicators(school.short_name, [], row, "Школа")
