"""Reads of the профминимум: compliance of students and of every scope up to the republic, read from the
rollups (never from the ledger), each narrowed by the access policy."""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from access.policy import Viewer, classes_visible, municipalities_visible, schools_visible, students_visible
from core.formatting import hours_text
from orgs.models import Municipality, Organization, SchoolClass, SchoolYear
from orgs.selectors import school_year_current
from people.models import Student
from profminimum.models import (
    Activity,
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

# How far below the expected pace a student may be before «behind» becomes «at risk»: a tenth of the
# year's minimum (4 h at the basic level).
AT_RISK_SHARE = Decimal("0.1")


class State:
    MET = "met"
    ON_TRACK = "on_track"
    BEHIND = "behind"
    AT_RISK = "at_risk"
    NO_LEVEL = "no_level"

    ORDER = [MET, ON_TRACK, BEHIND, AT_RISK, NO_LEVEL]
    LABELS = {
        MET: "норма выполнена",
        ON_TRACK: "идёт по графику",
        BEHIND: "отстаёт",
        AT_RISK: "в зоне риска",
        NO_LEVEL: "уровень школы не выбран",
    }


def year_fraction(school_year: SchoolYear, today: datetime.date) -> Decimal:
    """The share of the school year gone by today, 0 before it starts and 1 after it ends."""
    if today <= school_year.starts_on:
        return Decimal("0")
    if today >= school_year.ends_on:
        return Decimal("1")
    return Decimal((today - school_year.starts_on).days) / Decimal((school_year.ends_on - school_year.starts_on).days)


def expected_hours(min_hours: Decimal, fraction: Decimal) -> Decimal:
    return (min_hours * fraction).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def compliance_state(*, hours: Decimal, min_hours: Decimal | None, directions_met: bool, fraction: Decimal) -> str:
    """met: the year's minimum (and every per-direction minimum) reached; on track: at or above the pace
    expected by today; behind: below it; at risk: more than a tenth of the minimum below it."""
    if min_hours is None:
        return State.NO_LEVEL
    if hours >= min_hours and directions_met:
        return State.MET
    expected = expected_hours(min_hours, fraction)
    if hours >= expected:
        return State.ON_TRACK
    if hours >= expected - min_hours * AT_RISK_SHARE:
        return State.BEHIND
    return State.AT_RISK


@dataclass
class Compliance:
    """The figures of one scope: students by state, hours by direction, lessons held."""

    students: int = 0
    by_state: dict[str, int] = field(default_factory=lambda: dict.fromkeys(State.ORDER, 0))
    total_hours: Decimal = ZERO
    hours_by_direction: dict[int, Decimal] = field(default_factory=dict)
    lessons_held: int = 0

    @property
    def average_hours(self) -> Decimal:
        return (self.total_hours / self.students).quantize(Decimal("0.1")) if self.students else ZERO

    def share(self, state: str) -> int:
        return round(100 * self.by_state[state] / self.students) if self.students else 0


def _level_minima(school_year: SchoolYear) -> dict[int, Decimal]:
    return dict(Level.objects.filter(normative__school_year=school_year).values_list("pk", "min_hours"))


def scope_compliance(*, school_year: SchoolYear, scope: str, scope_ids, today: datetime.date) -> dict[int, Compliance]:
    """Compliance of each scope id, from the rollups: the cost is the rows shown, not the ledger."""
    scope_ids = list(scope_ids)
    result = {scope_id: Compliance() for scope_id in scope_ids}
    minima = _level_minima(school_year)
    fraction = year_fraction(school_year, today)
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


def pace_series(*, school_year: SchoolYear, scope: str, scope_id: int, students: int, today: datetime.date) -> list[PacePoint]:
    """Average hours per student, cumulated week by week, beside the pace each level expects."""
    weekly = dict(ScopeWeekHours.objects.filter(school_year=school_year, scope=scope, scope_id=scope_id).values_list("week_start", "hours"))
    levels = list(Level.objects.filter(normative__school_year=school_year).order_by("min_hours"))
    points, running = [], ZERO
    week = week_start(school_year.starts_on)
    last = min(today, school_year.ends_on)
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


def municipality_rows(*, viewer: Viewer, school_year: SchoolYear, today: datetime.date) -> list[tuple[Municipality, Compliance]]:
    municipalities = list(municipalities_visible(viewer).order_by("kind", "name"))
    figures = scope_compliance(school_year=school_year, scope=Scope.MUNICIPALITY, scope_ids=[m.pk for m in municipalities], today=today)
    return [(m, figures[m.pk]) for m in municipalities]


def school_rows(
    *, viewer: Viewer, school_year: SchoolYear, municipality: Municipality, today: datetime.date
) -> list[tuple[Organization, Compliance, SchoolLevel | None]]:
    schools = list(schools_visible(viewer).filter(municipality=municipality, is_active=True).order_by("short_name"))
    figures = scope_compliance(school_year=school_year, scope=Scope.SCHOOL, scope_ids=[s.pk for s in schools], today=today)
    levels = {sl.school_id: sl for sl in SchoolLevel.objects.filter(school_year=school_year, school__in=schools).select_related("level")}
    return [(s, figures[s.pk], levels.get(s.pk)) for s in schools]


def class_rows(
    *, viewer: Viewer, school_year: SchoolYear, school: Organization, today: datetime.date
) -> list[tuple[SchoolClass, Compliance]]:
    classes = list(classes_visible(viewer).filter(school=school, school_year=school_year, grade__gte=6).order_by("grade", "letter"))
    figures = scope_compliance(school_year=school_year, scope=Scope.CLASS, scope_ids=[c.pk for c in classes], today=today)
    return [(c, figures[c.pk]) for c in classes]


@dataclass(frozen=True)
class StudentRow:
    student: Student
    hours: StudentYearHours | None
    state: str
    expected: Decimal | None
    min_hours: Decimal | None


def student_rows(*, viewer: Viewer, school_year: SchoolYear, school_class: SchoolClass, today: datetime.date) -> list[StudentRow]:
    students = list(
        students_visible(viewer).filter(current_class=school_class).select_related("person")
        .order_by("person__last_name", "person__first_name")
    )  # fmt: skip
    hours = {
        row.student_id: row
        for row in StudentYearHours.objects.filter(school_year=school_year, student__in=students).select_related("level")
    }
    fraction = year_fraction(school_year, today)
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


def student_compliance(*, viewer: Viewer, student_pk: int, school_year: SchoolYear, today: datetime.date) -> StudentCompliance:
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
    return StudentCompliance(_student_row(student, row, year_fraction(school_year, today)), by_direction, entries)


def class_activities(*, viewer: Viewer, school_class: SchoolClass) -> QuerySet[Activity]:
    """The class's activities (course lessons and others) in date order, without deleted ones."""
    get_object_or_404(classes_visible(viewer), pk=school_class.pk)
    return (
        Activity.objects.filter(classes=school_class, deleted_at__isnull=True)
        .select_related("direction", "course_lesson")
        .order_by("starts_at")
    )


def normative_for(school_year: SchoolYear) -> NormativeVersion | None:
    return NormativeVersion.objects.filter(school_year=school_year).first()


# --- dashboards: the objects a dashboard opens, its breadcrumbs, and where /profminimum/ leads ------------


def municipality_dashboard_get(*, viewer: Viewer, pk: int) -> Municipality:
    return get_object_or_404(municipalities_visible(viewer), pk=pk)


def school_dashboard_get(*, viewer: Viewer, pk: int) -> Organization:
    return get_object_or_404(schools_visible(viewer).select_related("municipality"), pk=pk)


def class_dashboard_get(*, viewer: Viewer, pk: int) -> SchoolClass:
    return get_object_or_404(classes_visible(viewer).select_related("school__municipality", "school_year"), pk=pk)


def school_level_get(*, school_year: SchoolYear, school: Organization) -> SchoolLevel | None:
    return SchoolLevel.objects.filter(school_year=school_year, school=school).select_related("level").first()


@dataclass(frozen=True)
class DashboardLinks:
    """Which levels above a page the viewer may open: only those are links in the breadcrumbs."""

    republic: bool
    municipality: bool = False
    school: bool = False
    school_class: bool = False


def dashboard_links(
    *, viewer: Viewer, municipality_id: int | None = None, school_id: int | None = None, class_id: int | None = None
) -> DashboardLinks:
    return DashboardLinks(
        republic=viewer.is_republic,
        municipality=bool(municipality_id) and municipalities_visible(viewer).filter(pk=municipality_id).exists(),
        school=bool(school_id) and schools_visible(viewer).filter(pk=school_id).exists(),
        school_class=bool(class_id) and classes_visible(viewer).filter(pk=class_id).exists(),
    )


# The widest scope first: where a person lands when their active role leads nowhere.
LANDING_ORDER = ["republic", "municipality", "school", "teacher", "parent", "student"]


def dashboard_landing(*, viewer: Viewer, kind: str) -> tuple[str, int] | None:
    """The dashboard /profminimum/ opens for the viewer: the level of their active role (`kind`, as in
    access.policy.landing_kind), else the widest level they have; None when they may see none."""
    for candidate in [kind] + [k for k in LANDING_ORDER if k != kind]:
        target = _landing_for(viewer, candidate)
        if target is not None:
            return target
    return None


def _landing_for(viewer: Viewer, kind: str) -> tuple[str, int] | None:
    if kind == "republic" and viewer.is_republic:
        return ("republic", 0)
    if kind == "municipality" and viewer.municipality_ids:
        return ("municipality", min(viewer.municipality_ids))
    if kind == "school" and (viewer.coordinated_school_ids or viewer.school_ids):
        return ("school", min(viewer.coordinated_school_ids or viewer.school_ids))
    if kind == "teacher" and viewer.class_ids:
        classes = list(
            classes_visible(viewer).filter(pk__in=viewer.class_ids)
            .order_by("school__short_name", "grade", "letter").values_list("pk", "school_id")
        )  # fmt: skip
        if not classes:
            return None
        if len(classes) > 1 and len({school_id for _, school_id in classes}) == 1:
            return ("school", classes[0][1])  # its table of classes lists exactly the teacher's classes
        return ("class", classes[0][0])
    if kind == "parent" and viewer.child_student_ids:
        child = (
            students_visible(viewer).filter(pk__in=viewer.child_student_ids)
            .order_by("person__birth_date", "pk").values_list("pk", flat=True).first()
        )  # fmt: skip
        return ("student", child) if child else None
    if kind == "student" and viewer.own_student_id:
        return ("student", viewer.own_student_id)
    return None


def student_siblings(*, viewer: Viewer) -> list[Student]:
    """A parent's children, for switching between their pages."""
    if not viewer.child_student_ids:
        return []
    return list(
        students_visible(viewer).filter(pk__in=viewer.child_student_ids).select_related("person")
        .order_by("person__birth_date", "pk")
    )  # fmt: skip


@dataclass(frozen=True)
class StudentHomeSummary:
    """Where a student stands, for their own home page and their parent's."""

    student: Student
    school_year: SchoolYear | None
    has_row: bool
    total_hours: Decimal
    min_hours: Decimal | None
    state: str

    @property
    def total_text(self) -> str:
        return hours_text(self.total_hours)

    @property
    def min_text(self) -> str:
        return hours_text(self.min_hours) if self.min_hours is not None else ""


def student_home_summary(*, viewer: Viewer, student_pk: int, today: datetime.date) -> StudentHomeSummary:
    student = get_object_or_404(students_visible(viewer).select_related("person"), pk=student_pk)
    year = school_year_current()
    row = None
    if year is not None:
        row = StudentYearHours.objects.filter(student=student, school_year=year).select_related("level").first()
    fraction = year_fraction(year, today) if year is not None else Decimal("0")
    student_row = _student_row(student, row, fraction)
    return StudentHomeSummary(student, year, row is not None, row.total_hours if row else ZERO, student_row.min_hours, student_row.state)


def teacher_schedule_links(*, viewer: Viewer) -> list[SchoolClass]:
    """The classes whose schedule the teacher keeps: their own this year."""
    return list(classes_visible(viewer).filter(pk__in=viewer.class_ids).select_related("school").order_by("grade", "letter"))
