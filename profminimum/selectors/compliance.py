"""Compliance of students and of every scope up to the republic, read from the rollups (never from the
ledger), each narrowed by the access policy."""

import datetime
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.shortcuts import get_object_or_404

from access.policy import Viewer, classes_visible, municipalities_visible, schools_visible, students_visible
from orgs.models import Municipality, Organization, SchoolClass, SchoolYear
from people.models import Student
from profminimum.compliance import Compliance, compliance_state, expected_hours, year_fraction
from profminimum.models import (
    Direction,
    HoursEntry,
    HoursHistogram,
    Level,
    NormativeVersion,
    SchoolLevel,
    Scope,
    ScopeDirectionHours,
    ScopeLessonsHeld,
    ScopeWeekHours,
    StudentYearHours,
)
from profminimum.rollups import ZERO, week_start


def _level_minima(school_year: SchoolYear) -> dict[int, Decimal]:
    return dict(Level.objects.filter(normative__school_year=school_year).values_list("pk", "min_hours"))


def scope_compliance(*, school_year: SchoolYear, scope: str, scope_ids, on: datetime.date) -> dict[int, Compliance]:
    """Compliance of each scope id, from the rollups: the cost is the rows shown, not the ledger."""
    scope_ids = list(scope_ids)
    result = {scope_id: Compliance() for scope_id in scope_ids}
    minima = _level_minima(school_year)
    fraction = year_fraction(school_year, on)
    for scope_id, level_id, hours, met, students in HoursHistogram.objects.filter(
        school_year=school_year, scope=scope, scope_id__in=scope_ids, students__gt=0
    ).values_list("scope_id", "level_pk", "hours", "directions_met", "students"):
        figures = result[scope_id]
        state = compliance_state(hours=hours, min_hours=minima.get(level_id), directions_met=met, fraction=fraction)
        figures.by_state[state] += students
        figures.students += students
        figures.total_hours += hours * students
    for scope_id, direction_id, hours in ScopeDirectionHours.objects.filter(
        school_year=school_year, scope=scope, scope_id__in=scope_ids
    ).values_list("scope_id", "direction_id", "hours"):
        result[scope_id].hours_by_direction[direction_id] = hours
    for scope_id, lessons in ScopeLessonsHeld.objects.filter(school_year=school_year, scope=scope, scope_id__in=scope_ids).values_list(
        "scope_id", "lessons"
    ):
        result[scope_id].lessons_held = lessons
    return result


def hours_distribution(*, school_year: SchoolYear, scope: str, scope_id: int, bin_hours: int = 10) -> list[tuple[str, int]]:
    """How many students have 0–9, 10–19, … hours: bars of the distribution chart."""
    bins: dict[int, int] = defaultdict(int)
    for hours, students in HoursHistogram.objects.filter(
        school_year=school_year, scope=scope, scope_id=scope_id, students__gt=0
    ).values_list("hours", "students"):
        bins[int(hours // bin_hours)] += students
    if not bins:
        return []
    return [(f"{b * bin_hours}–{b * bin_hours + bin_hours - 1}", bins.get(b, 0)) for b in range(max(bins) + 1)]


@dataclass(frozen=True)
class PacePoint:
    week: datetime.date
    average_hours: Decimal
    expected_by_level: dict[str, Decimal]


def pace_series(*, school_year: SchoolYear, scope: str, scope_id: int, students: int, on: datetime.date) -> list[PacePoint]:
    """Average hours per student, cumulated week by week, beside the pace each level expects."""
    weekly = dict(ScopeWeekHours.objects.filter(school_year=school_year, scope=scope, scope_id=scope_id).values_list("week_start", "hours"))
    levels = list(Level.objects.filter(normative__school_year=school_year).order_by("min_hours"))
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
    return list(Direction.objects.filter(normative__school_year=school_year).order_by("position"))


# --- per scope, with the policy ---------------------------------------------------------------------------


def municipality_rows(*, viewer: Viewer, school_year: SchoolYear, on: datetime.date) -> list[tuple[Municipality, Compliance]]:
    municipalities = list(municipalities_visible(viewer).order_by("kind", "name"))
    figures = scope_compliance(school_year=school_year, scope=Scope.MUNICIPALITY, scope_ids=[m.pk for m in municipalities], on=on)
    return [(m, figures[m.pk]) for m in municipalities]


def school_rows(
    *, viewer: Viewer, school_year: SchoolYear, municipality: Municipality, on: datetime.date
) -> list[tuple[Organization, Compliance, SchoolLevel | None]]:
    schools = list(schools_visible(viewer).filter(municipality=municipality, is_active=True).order_by("short_name"))
    figures = scope_compliance(school_year=school_year, scope=Scope.SCHOOL, scope_ids=[s.pk for s in schools], on=on)
    levels = {sl.school_id: sl for sl in SchoolLevel.objects.filter(school_year=school_year, school__in=schools).select_related("level")}
    return [(s, figures[s.pk], levels.get(s.pk)) for s in schools]


def class_rows(
    *, viewer: Viewer, school_year: SchoolYear, school: Organization, on: datetime.date
) -> list[tuple[SchoolClass, Compliance]]:
    classes = list(classes_visible(viewer).filter(school=school, school_year=school_year, grade__gte=6).order_by("grade", "letter"))
    figures = scope_compliance(school_year=school_year, scope=Scope.CLASS, scope_ids=[c.pk for c in classes], on=on)
    return [(c, figures[c.pk]) for c in classes]


@dataclass(frozen=True)
class StudentRow:
    student: Student
    hours: StudentYearHours | None
    state: str
    expected: Decimal | None
    min_hours: Decimal | None


def student_rows(*, viewer: Viewer, school_year: SchoolYear, school_class: SchoolClass, on: datetime.date) -> list[StudentRow]:
    students = list(
        students_visible(viewer).filter(current_class=school_class).select_related("person")
        .order_by("person__last_name", "person__first_name")
    )  # fmt: skip
    hours = {
        row.student_id: row
        for row in StudentYearHours.objects.filter(school_year=school_year, student__in=students).select_related("level")
    }
    fraction = year_fraction(school_year, on)
    rows = []
    for student in students:
        row = hours.get(student.pk)
        rows.append(_student_row(student, row, fraction))
    return rows


def _student_row(student: Student, row: StudentYearHours | None, fraction: Decimal) -> StudentRow:
    min_hours = row.level.min_hours if row is not None and row.level_id else None
    state = compliance_state(
        hours=row.total_hours if row else ZERO, min_hours=min_hours, directions_met=row.directions_met if row else True, fraction=fraction
    )
    return StudentRow(student, row, state, expected_hours(min_hours, fraction) if min_hours is not None else None, min_hours)


@dataclass(frozen=True)
class StudentCompliance:
    row: StudentRow
    by_direction: list[tuple[Direction, Decimal, Decimal | None]]
    entries: list[HoursEntry]


def student_compliance(*, viewer: Viewer, student_pk: int, school_year: SchoolYear, on: datetime.date) -> StudentCompliance:
    """One student's hours by direction against the minima, and the ledger lines behind them."""
    student = get_object_or_404(students_visible(viewer).select_related("person", "current_class", "current_school"), pk=student_pk)
    row = StudentYearHours.objects.filter(school_year=school_year, student=student).select_related("level").first()
    minima = {}
    if row is not None and row.level_id:
        minima = dict(row.level.direction_minima.values_list("direction_id", "min_hours"))
    by_direction = [
        (direction, Decimal((row.hours_by_direction if row else {}).get(str(direction.pk), "0")), minima.get(direction.pk))
        for direction in direction_list(school_year=school_year)
    ]
    entries = list(
        HoursEntry.objects.filter(student=student, school_year=school_year)
        .select_related("activity", "direction", "school", "school_class")
        .order_by("-occurred_on", "-pk")
    )
    return StudentCompliance(_student_row(student, row, year_fraction(school_year, on)), by_direction, entries)


def normative_for(school_year: SchoolYear) -> NormativeVersion | None:
    return NormativeVersion.objects.filter(school_year=school_year).first()
