"""Compliance of students and of every scope up to the republic, read from the rollups (never from the
ledger), each narrowed by the access policy."""

import datetime
from collections import Counter, defaultdict
from dataclasses import dataclass
from decimal import Decimal
from itertools import chain

from django.db.models import Sum
from django.shortcuts import get_object_or_404
from django.utils import timezone

from access.policy import Viewer, classes_visible, municipalities_visible, schools_visible, students_visible
from core.request_cache import memo
from orgs.models import Municipality, Organization, SchoolClass, SchoolYear
from people.models import Enrollment, Student
from profminimum.compliance import Compliance, compliance_state, expected_hours, year_fraction
from profminimum.models import (
    CheckpointDay,
    Direction,
    HistogramChange,
    HistogramCheckpoint,
    HoursEntry,
    HoursHistogram,
    Level,
    NormativeVersion,
    SchoolLevel,
    Scope,
    ScopeDayHours,
    ScopeDayLessons,
    StudentYearHours,
)
from profminimum.rollups import ZERO, facts_load, hours_key, week_start


def _level_minima(school_year: SchoolYear) -> dict[int, Decimal]:
    return {pk: level.min_hours for pk, level in _levels(school_year).items()}


def is_current(on: datetime.date) -> bool:
    """Figures for today or later are the current rollups; earlier dates are read from the dated ones."""
    return on >= timezone.localdate()


def histogram_as_of(*, school_year: SchoolYear, scope: str, scope_ids, on: datetime.date, within=None) -> dict[int, Counter]:
    """Students of each scope by (level, hours, per-direction minima met) as of the end of `on`: the current
    histogram for today, else the last checkpoint before the date plus the changes since, up to it. `within`:
    the same ids as a subquery, for the SQL (see scope_compliance)."""
    scope_ids = list(scope_ids)
    if within is None:
        # A scope's page reads its own histogram twice (its states, then its hours' distribution): once per request.
        key = ("histogram", school_year.pk, scope, tuple(scope_ids), on)
        return memo(key, lambda: _histogram_read(school_year=school_year, scope=scope, scope_ids=scope_ids, on=on, within=None))
    return _histogram_read(school_year=school_year, scope=scope, scope_ids=scope_ids, on=on, within=within)


def _histogram_read(*, school_year: SchoolYear, scope: str, scope_ids: list[int], on: datetime.date, within) -> dict[int, Counter]:
    result: dict[int, Counter] = {scope_id: Counter() for scope_id in scope_ids}
    if within is not None:
        scope_ids = within
    if is_current(on):
        rows = HoursHistogram.objects.filter(school_year=school_year, scope=scope, scope_id__in=scope_ids).values_list(
            "scope_id", "level_pk", "hours", "directions_met", "students"
        )
    else:
        checkpoint = (
            CheckpointDay.objects.filter(school_year=school_year, day__lte=on).order_by("-day").values_list("day", flat=True).first()
        )
        changes = HistogramChange.objects.filter(school_year=school_year, scope=scope, scope_id__in=scope_ids, day__lte=on)
        if checkpoint is not None:
            changes = changes.filter(day__gt=checkpoint)
            base = HistogramCheckpoint.objects.filter(school_year=school_year, day=checkpoint, scope=scope, scope_id__in=scope_ids)
            rows = chain(
                base.values_list("scope_id", "level_pk", "hours", "directions_met", "students"),
                changes.values_list("scope_id", "level_pk", "hours", "directions_met", "students"),
            )
        else:
            rows = changes.values_list("scope_id", "level_pk", "hours", "directions_met", "students")
    for scope_id, level_id, hours, met, students in rows:
        if scope_id in result:
            result[scope_id][(level_id, hours_key(hours), met)] += students
    return result


def scope_compliance(
    *, school_year: SchoolYear, scope: str, scope_ids, on: datetime.date, with_directions: bool = True, within=None
) -> dict[int, Compliance]:
    """Compliance of each scope id as of the end of `on`, from the rollups: the cost is the rows shown, not
    the ledger. Students are counted where they were on that date, judged by their school's level then.

    `with_directions=False` leaves `hours_by_direction` empty: the tables of many rows (445 schools of the
    largest municipality at 250,000 students) show no hours by direction, and summing every row's days by
    direction was the dearest query of their page.

    `within`: a subquery of the same ids (`….values("pk")`), put in the SQL instead of hundreds of literal ids,
    which the driver quotes one by one (3 ms a query for 445 schools); rows outside `scope_ids` are ignored."""
    scope_ids = list(scope_ids)
    result = {scope_id: Compliance() for scope_id in scope_ids}
    sql_ids = scope_ids if within is None else within
    minima = _level_minima(school_year)
    fraction = year_fraction(school_year, on)
    states: dict[tuple, str] = {}  # the same (level, hours, met) recurs in many scopes: judge each once
    for scope_id, buckets in histogram_as_of(school_year=school_year, scope=scope, scope_ids=scope_ids, on=on, within=within).items():
        figures = result[scope_id]
        for key, students in buckets.items():
            if not students:
                continue
            level_id, hours, met = key
            state = states.get(key)
            if state is None:
                state = states[key] = compliance_state(hours=hours, min_hours=minima.get(level_id), directions_met=met, fraction=fraction)
            figures.by_state[state] += students
            figures.students += students
            figures.total_hours += hours * students
    if with_directions:
        for scope_id, direction_id, hours in (
            ScopeDayHours.objects.filter(school_year=school_year, scope=scope, scope_id__in=sql_ids, day__lte=on)
            .values_list("scope_id", "direction_id")
            .annotate(total=Sum("hours"))
            .values_list("scope_id", "direction_id", "total")
        ):
            if hours and scope_id in result:
                result[scope_id].hours_by_direction[direction_id] = hours
    for scope_id, lessons in (
        ScopeDayLessons.objects.filter(school_year=school_year, scope=scope, scope_id__in=sql_ids, day__lte=on)
        .values_list("scope_id")
        .annotate(total=Sum("lessons"))
        .values_list("scope_id", "total")
    ):
        if scope_id in result:
            result[scope_id].lessons_held = lessons or 0
    return result


def hours_distribution(
    *, school_year: SchoolYear, scope: str, scope_id: int, on: datetime.date | None = None, bin_hours: int = 10
) -> list[tuple[str, int]]:
    """How many students have 0–9, 10–19, … hours as of the date: bars of the distribution chart."""
    on = on or timezone.localdate()
    bins: dict[int, int] = defaultdict(int)
    for (_, hours, _), students in histogram_as_of(school_year=school_year, scope=scope, scope_ids=[scope_id], on=on)[scope_id].items():
        if students:
            bins[int(hours // bin_hours)] += students
    if not bins:
        return []
    return [(f"{b * bin_hours}–{b * bin_hours + bin_hours - 1}", bins.get(b, 0)) for b in range(max(bins) + 1)]


@dataclass(frozen=True)
class PacePoint:
    week: datetime.date
    average_hours: Decimal
    expected_by_level: dict[str, Decimal]


def pace_series_pair(
    *, school_year: SchoolYear, scope: str, scope_id: int, students: int, on: datetime.date
) -> tuple[list[PacePoint], list[PacePoint]]:
    """The whole year's pace and the pace up to the date, from one read of the scope's days (a page draws both)."""
    last_day = max(on, school_year.ends_on)
    daily = list(
        ScopeDayHours.objects.filter(school_year=school_year, scope=scope, scope_id=scope_id, day__lte=last_day)
        .values_list("day")
        .annotate(total=Sum("hours"))
        .values_list("day", "total")
    )
    levels = sorted(_levels(school_year).values(), key=lambda level: (level.min_hours, level.pk))
    return (
        _pace_points(school_year, daily, levels, students, school_year.ends_on),
        _pace_points(school_year, daily, levels, students, on),
    )


def _pace_points(school_year: SchoolYear, daily, levels, students: int, on: datetime.date) -> list[PacePoint]:
    weekly: dict[datetime.date, Decimal] = defaultdict(Decimal)
    for day, hours in daily:
        if day <= on:
            weekly[week_start(day)] += hours or ZERO
    points, running = [], ZERO
    week = week_start(school_year.starts_on)
    last = min(on, school_year.ends_on)
    while week <= last:
        running += weekly.get(week, ZERO)
        fraction = year_fraction(school_year, min(week + datetime.timedelta(days=6), school_year.ends_on))
        average = (running / students).quantize(Decimal("0.1")) if students else ZERO
        points.append(PacePoint(week, average, {lvl.get_code_display(): expected_hours(lvl.min_hours, fraction) for lvl in levels}))
        week += datetime.timedelta(days=7)
    return points


def direction_list(*, school_year: SchoolYear) -> list[Direction]:
    # A new list per call (callers may sort or extend it); the read itself once per request.
    return list(
        memo(
            ("directions", school_year.pk), lambda: list(Direction.objects.filter(normative__school_year=school_year).order_by("position"))
        )
    )


# --- per scope, with the policy ---------------------------------------------------------------------------


def municipality_rows(*, viewer: Viewer, school_year: SchoolYear, on: datetime.date) -> list[tuple[Municipality, Compliance]]:
    municipalities = list(municipalities_visible(viewer).order_by("kind", "name"))
    figures = scope_compliance(
        school_year=school_year, scope=Scope.MUNICIPALITY, scope_ids=[m.pk for m in municipalities], on=on, with_directions=False
    )
    return [(m, figures[m.pk]) for m in municipalities]


def school_rows(
    *, viewer: Viewer, school_year: SchoolYear, municipality: Municipality, on: datetime.date
) -> list[tuple[Organization, Compliance, SchoolLevel | None]]:
    # Only what a row shows: the largest municipality has 445 schools, and whole rows cost a third of the list.
    visible = schools_visible(viewer).filter(municipality=municipality, is_active=True)
    schools = list(visible.only("pk", "short_name", "municipality_id", "kind").order_by("short_name"))
    figures = scope_compliance(
        school_year=school_year, scope=Scope.SCHOOL, scope_ids=[s.pk for s in schools], on=on, with_directions=False,
        within=visible.values("pk"),
    )  # fmt: skip
    # The year's few levels once, each school's choice with only what a row shows (445 whole rows with their
    # level joined cost as much as the figures).
    year_levels = _levels(school_year)
    levels = {}
    for school_level in SchoolLevel.objects.filter(school_year=school_year, school__in=visible.values("pk")).only(
        "pk", "school_id", "school_year_id", "level_id", "status"
    ):
        if school_level.level_id in year_levels:  # always, but a stray level is read rather than lost
            school_level.level = year_levels[school_level.level_id]
        levels[school_level.school_id] = school_level
    return [(s, figures[s.pk], levels.get(s.pk)) for s in schools]


def class_rows(*, viewer: Viewer, school_year: SchoolYear, school: Organization, on: datetime.date) -> list[tuple[SchoolClass, Compliance]]:
    classes = list(classes_visible(viewer).filter(school=school, school_year=school_year, grade__gte=6).order_by("grade", "letter"))
    figures = scope_compliance(school_year=school_year, scope=Scope.CLASS, scope_ids=[c.pk for c in classes], on=on, with_directions=False)
    return [(c, figures[c.pk]) for c in classes]


@dataclass(frozen=True)
class HoursAsOf:
    """A student's hours as of a date: the total, by direction (direction id as text) and the level judged by."""

    total_hours: Decimal
    hours_by_direction: dict[str, Decimal]
    level: Level | None
    directions_met: bool

    @property
    def level_id(self) -> int | None:
        return self.level.pk if self.level is not None else None


@dataclass(frozen=True)
class StudentRow:
    student: Student
    hours: HoursAsOf | None
    state: str
    expected: Decimal | None
    min_hours: Decimal | None


def _student_row(student: Student, hours: HoursAsOf | None, fraction: Decimal) -> StudentRow:
    min_hours = hours.level.min_hours if hours is not None and hours.level is not None else None
    state = compliance_state(
        hours=hours.total_hours if hours else ZERO,
        min_hours=min_hours,
        directions_met=hours.directions_met if hours else True,
        fraction=fraction,
    )
    return StudentRow(student, hours, state, expected_hours(min_hours, fraction) if min_hours is not None else None, min_hours)


def _hours_as_of(facts, student_id: int, on: datetime.date, levels: dict[int, Level]) -> HoursAsOf | None:
    state = facts.state_on(student_id, on)
    if state is None:
        return None
    return HoursAsOf(state.total, facts.hours_by_direction(student_id, until=on), levels.get(state.level_id), state.met)


def _levels(school_year: SchoolYear) -> dict[int, Level]:
    return dict(
        memo(("levels", school_year.pk), lambda: {level.pk: level for level in Level.objects.filter(normative__school_year=school_year)})
    )


def student_rows(*, viewer: Viewer, school_year: SchoolYear, school_class: SchoolClass, on: datetime.date) -> list[StudentRow]:
    """The students who were in the class on the date (those the viewer may see), with their hours then."""
    if is_current(on):
        return _current_student_rows(viewer=viewer, school_year=school_year, school_class=school_class, on=on)
    member_ids = Enrollment.objects.filter(school_class=school_class).values_list("student_id", flat=True)
    candidates = {s.pk: s for s in students_visible(viewer).filter(pk__in=member_ids).select_related("person")}
    facts = facts_load(school_year=school_year, student_ids=candidates)
    levels = _levels(school_year)
    fraction = year_fraction(school_year, on)
    rows = []
    for student_id, student in candidates.items():
        state = facts.state_on(student_id, on)
        if state is None or state.placement.class_id != school_class.pk:
            continue
        rows.append(_student_row(student, _hours_as_of(facts, student_id, on, levels), fraction))
    rows.sort(key=lambda r: (r.student.person.last_name, r.student.person.first_name, r.student.person.middle_name, r.student.pk))
    return rows


def _current_student_rows(*, viewer: Viewer, school_year: SchoolYear, school_class: SchoolClass, on: datetime.date) -> list[StudentRow]:
    """Today's class list from the students' year rows, which hold each one's state as of now (the end of their
    timeline): what a past date computes from the facts, without computing it."""
    year_rows = {
        row.student_id: row
        for row in StudentYearHours.objects.filter(school_year=school_year, school_class=school_class).select_related("level")
    }
    students = students_visible(viewer).filter(pk__in=list(year_rows)).select_related("person")
    fraction = year_fraction(school_year, on)
    rows = []
    for student in students:
        row = year_rows[student.pk]
        by_direction = {key: Decimal(value) for key, value in row.hours_by_direction.items()}
        rows.append(_student_row(student, HoursAsOf(row.total_hours, by_direction, row.level, row.directions_met), fraction))
    rows.sort(key=lambda r: (r.student.person.last_name, r.student.person.first_name, r.student.person.middle_name, r.student.pk))
    return rows


@dataclass(frozen=True)
class StudentCompliance:
    row: StudentRow
    by_direction: list[tuple[Direction, Decimal, Decimal | None]]
    entries: list[HoursEntry]


def student_compliance(
    *, viewer: Viewer, student_pk: int, school_year: SchoolYear, on: datetime.date, with_entries: bool = True
) -> StudentCompliance:
    """One student's hours by direction against the minima as of the date, and the ledger lines behind them
    (`with_entries=False`: none, for a home page that shows only the figures). Today's figures are the
    student's year row, as the class list reads them; a past date is computed from the facts."""
    student = get_object_or_404(students_visible(viewer).select_related("person", "current_class", "current_school"), pk=student_pk)
    if is_current(on):
        year_row = StudentYearHours.objects.filter(school_year=school_year, student=student).select_related("level").first()
        hours = None
        if year_row is not None:
            by_direction = {key: Decimal(value) for key, value in year_row.hours_by_direction.items()}
            hours = HoursAsOf(year_row.total_hours, by_direction, year_row.level, year_row.directions_met)
    else:
        facts = facts_load(school_year=school_year, student_ids=[student.pk])
        hours = _hours_as_of(facts, student.pk, on, _levels(school_year))
    minima = {}
    if hours is not None and hours.level is not None:
        minima = dict(hours.level.direction_minima.values_list("direction_id", "min_hours"))
    by_direction = [
        (direction, (hours.hours_by_direction if hours else {}).get(str(direction.pk), ZERO), minima.get(direction.pk))
        for direction in direction_list(school_year=school_year)
    ]
    entries = []
    if with_entries:
        entries = list(
            HoursEntry.objects.filter(student=student, school_year=school_year, occurred_on__lte=on)
            .select_related("activity", "direction", "school", "school_class")
            .order_by("-occurred_on", "-pk")
        )
    return StudentCompliance(_student_row(student, hours, year_fraction(school_year, on)), by_direction, entries)


def normative_for(school_year: SchoolYear) -> NormativeVersion | None:
    return NormativeVersion.objects.filter(school_year=school_year).first()
