"""Reads for the home pages: where a student stands (on their own home and their parent's), and what needs
each role's attention now — levels waiting for approval, lessons not marked, students at risk.

Each read costs a handful of indexed queries whatever the size of the region: states and student counts
come from the rollups (`scope_compliance` and the rows built on it), never from the students table;
lessons not marked are counts over the activities of the few classes or schools asked about."""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Min
from django.shortcuts import get_object_or_404
from django.utils import timezone

from access.policy import Viewer, classes_visible, schools_visible, students_visible
from core import charts
from core.formatting import MONTHS_PREPOSITIONAL, count_text, hours_text, plural_form
from orgs.models import Municipality, Organization, SchoolClass, SchoolYear
from orgs.selectors import school_year_current
from people.models import ClassAssignment, Person, Student
from profminimum.compliance import Compliance, State, hours_behind_pace, hours_missing, missing_by_direction, year_fraction
from profminimum.models import Activity, Attendance, NormativeVersion, SchoolLevel
from profminimum.selectors.compliance import municipality_rows, school_rows, student_compliance

__all__ = [
    "Absence", "LevelCounts", "MonthAbsences", "MunicipalityFigures", "MunicipalityOverview", "RepublicOverview", "SchoolFigures", "StudentHomeSummary", "Unmarked",
    "class_teachers", "municipality_overview", "oldest_unmarked", "republic_overview", "school_level_of", "student_absences",
    "student_home_summary", "student_next_activity", "teacher_schedule_links", "unmarked_by_class", "unmarked_by_school",
]  # fmt: skip

ZERO = Decimal("0")


# --- where a student stands ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Absence:
    starts_at: datetime.datetime
    title: str
    excuse: str


@dataclass(frozen=True)
class MonthAbsences:
    """A month's missed activities: «в ноябре пропущено 2 занятия»."""

    month: datetime.date  # its first day
    absences: list[Absence]

    @property
    def text(self) -> str:
        month = MONTHS_PREPOSITIONAL[self.month.month - 1]
        if not self.absences:
            return f"В {month} пропусков нет"
        count = len(self.absences)
        return f"В {month} пропущено {count_text(count, 'занятие', 'занятия', 'занятий')}"


@dataclass(frozen=True)
class StudentHomeSummary:
    """Where a student stands today, for their own home page and their parent's: the state by the one rule
    (profminimum.compliance), hours against the level's minimum, what is still missing by direction, the
    next activity, and (for the parent) the recent absences."""

    student: Student
    school_year: SchoolYear | None
    state: str
    total_hours: Decimal
    min_hours: Decimal | None
    expected_hours: Decimal | None
    behind_hours: Decimal
    missing_hours: Decimal
    missing: list[tuple[str, Decimal]]  # (direction's name, hours still needed)
    next_activity: Activity | None
    absences: list[MonthAbsences] = field(default_factory=list)

    @property
    def state_label(self) -> str:
        return State.LABELS[self.state]

    @property
    def state_marker(self) -> str:
        return charts.state_marker(self.state)

    @property
    def total_text(self) -> str:
        return hours_text(self.total_hours)

    @property
    def min_text(self) -> str:
        return hours_text(self.min_hours) if self.min_hours is not None else ""

    @property
    def missing_lines(self) -> list[str]:
        """«Работа с родителями: ещё 2 часа»."""
        return [f"{name[:1].upper()}{name[1:]}: ещё {hours_text(hours)}" for name, hours in self.missing]


def student_home_summary(
    *, viewer: Viewer, student_pk: int, today: datetime.date, now: datetime.datetime | None = None, with_absences: bool = False
) -> StudentHomeSummary:
    """The summary of one student the viewer may see (a foreign student is a 404)."""
    now = now or timezone.now()
    year = school_year_current()
    if year is None:
        student = get_object_or_404(students_visible(viewer).select_related("person", "current_class", "current_school"), pk=student_pk)
        return StudentHomeSummary(student, None, State.NO_LEVEL, ZERO, None, None, ZERO, ZERO, [], None)
    compliance = student_compliance(viewer=viewer, student_pk=student_pk, school_year=year, on=today, with_entries=False)
    row = compliance.row
    total = row.hours.total_hours if row.hours is not None else ZERO
    fraction = year_fraction(year, today)
    return StudentHomeSummary(
        student=row.student,
        school_year=year,
        state=row.state,
        total_hours=total,
        min_hours=row.min_hours,
        expected_hours=row.expected,
        behind_hours=hours_behind_pace(hours=total, min_hours=row.min_hours, fraction=fraction),
        missing_hours=hours_missing(total, row.min_hours),
        missing=[(direction.name, hours) for direction, hours in missing_by_direction(compliance.by_direction)],
        next_activity=student_next_activity(student=row.student, now=now),
        absences=student_absences(student=row.student, today=today, now=now) if with_absences else [],
    )


def student_next_activity(*, student: Student, now: datetime.datetime) -> Activity | None:
    """The next activity of the student's class or chosen for them. Two indexed look-ups rather than one
    `… OR …` over both, which no index serves."""
    upcoming = (
        Activity.objects.filter(deleted_at__isnull=True, starts_at__gte=now)
        .select_related("direction", "course_lesson", "organizer")
        .order_by("starts_at", "pk")
    )
    candidates = [upcoming.filter(students=student).first()]
    if student.current_class_id:
        candidates.append(upcoming.filter(classes=student.current_class_id).first())
    return min((a for a in candidates if a is not None), key=lambda a: (a.starts_at, a.pk), default=None)


def student_absences(*, student: Student, today: datetime.date, now: datetime.datetime, months: int = 2) -> list[MonthAbsences]:
    """The activities the student missed this month and the month before, newest first, with the excuse."""
    first = today.replace(day=1)
    starts = [first]
    for _ in range(months - 1):
        starts.append((starts[-1] - datetime.timedelta(days=1)).replace(day=1))
    since = timezone.make_aware(datetime.datetime.combine(starts[-1], datetime.time.min))
    rows = (
        Attendance.objects.filter(student=student, present=False, activity__deleted_at__isnull=True, activity__starts_at__gte=since)
        .filter(activity__starts_at__lte=now)
        .select_related("activity")
        .order_by("-activity__starts_at", "-pk")
    )
    by_month: dict[datetime.date, list[Absence]] = {start: [] for start in starts}
    for attendance in rows:
        day = timezone.localtime(attendance.activity.starts_at).date()
        by_month.setdefault(day.replace(day=1), []).append(
            Absence(attendance.activity.starts_at, attendance.activity.title, attendance.excuse)
        )
    return [MonthAbsences(start, by_month[start]) for start in starts]


def teacher_schedule_links(*, viewer: Viewer) -> list[SchoolClass]:
    """The classes whose schedule the teacher keeps: their own this year."""
    return list(classes_visible(viewer).filter(pk__in=viewer.class_ids).select_related("school").order_by("grade", "letter"))


# --- lessons not marked -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Unmarked:
    """Activities that have begun and whose attendance nobody has saved yet."""

    count: int
    oldest: datetime.datetime

    @property
    def text(self) -> str:
        """«3 занятия не отмечены»."""
        return f"{count_text(self.count, 'занятие', 'занятия', 'занятий')} {plural_form(self.count, 'не отмечено', 'не отмечены', 'не отмечены')}"


def _unmarked(school_year: SchoolYear, now: datetime.datetime, school_ids):
    """Activities of these schools held in the year up to now and not marked. By the schools and the dates, not the
    year's id: so the planner reads the small index of unmarked activities (activity_unmarked) rather than every
    activity of the year (a municipality's home went from 80 ms to 2 on SQLite)."""
    start = timezone.make_aware(datetime.datetime.combine(school_year.starts_on, datetime.time()))
    return Activity.objects.filter(
        school_id__in=list(school_ids), marked_at__isnull=True, deleted_at__isnull=True, starts_at__gte=start, starts_at__lte=now
    )


def unmarked_by_class(*, school_year: SchoolYear, class_ids, now: datetime.datetime) -> dict[int, Unmarked]:
    """For each of these classes, its whole-class activities held and not marked: one grouped count."""
    class_ids = list(class_ids)
    school_ids = set(SchoolClass.objects.filter(pk__in=class_ids).values_list("school_id", flat=True))
    rows = (
        _unmarked(school_year, now, school_ids)
        .filter(classes__in=class_ids)
        .values("classes")
        .annotate(n=Count("pk"), oldest=Min("starts_at"))
        .values_list("classes", "n", "oldest")
    )
    return {class_id: Unmarked(n, oldest) for class_id, n, oldest in rows}


def oldest_unmarked(*, school_year: SchoolYear, class_id: int, now: datetime.datetime) -> Activity | None:
    school_ids = SchoolClass.objects.filter(pk=class_id).values_list("school_id", flat=True)
    return _unmarked(school_year, now, school_ids).filter(classes=class_id).order_by("starts_at", "pk").first()


def unmarked_by_school(*, school_year: SchoolYear, school_ids, now: datetime.datetime) -> dict[int, Unmarked]:
    """For each of these schools, the activities it runs that were held and not marked: one grouped count."""
    rows = (
        _unmarked(school_year, now, school_ids)
        .values("school_id")
        # COUNT(*), not COUNT(id): the count and the oldest day are then read from the partial index alone
        # (an index-only scan), not from every unmarked activity's row — 18,000 of them in the largest municipality
        # of the 250k region.
        .annotate(n=Count("*"), oldest=Min("starts_at"))
        .values_list("school_id", "n", "oldest")
    )
    return {school_id: Unmarked(n, oldest) for school_id, n, oldest in rows}


def class_teachers(*, class_ids) -> dict[int, list[Person]]:
    """The class teacher first, then the teacher-navigator, of each class."""
    teachers: dict[int, list[Person]] = {}
    for assignment in ClassAssignment.objects.filter(school_class_id__in=list(class_ids)).select_related("person").order_by("kind", "pk"):
        people = teachers.setdefault(assignment.school_class_id, [])
        if assignment.person not in people:
            people.append(assignment.person)
    return teachers


# --- territories: the ministry's and the municipality's homes -------------------------------------------


@dataclass(frozen=True)
class LevelCounts:
    """How far the schools are with their level for the year."""

    schools: int
    waiting: int  # chosen by the school, not yet approved
    decided: int  # approved or set by the ministry

    @property
    def without(self) -> int:
        return max(self.schools - self.waiting - self.decided, 0)


@dataclass(frozen=True)
class MunicipalityFigures:
    municipality: Municipality
    schools: int
    figures: Compliance


@dataclass(frozen=True)
class RepublicOverview:
    """The ministry's home: each municipality's schools and students (from the rollups), the schools'
    levels, and whether the year has its normative version."""

    rows: list[MunicipalityFigures]
    totals: Compliance
    levels: LevelCounts
    has_normative: bool

    @property
    def schools(self) -> int:
        return sum(row.schools for row in self.rows)


def _add(total: Compliance, figures: Compliance) -> None:
    total.students += figures.students
    total.total_hours += figures.total_hours
    for state, count in figures.by_state.items():
        total.by_state[state] += count


def republic_overview(*, viewer: Viewer, school_year: SchoolYear, on: datetime.date) -> RepublicOverview:
    rows = municipality_rows(viewer=viewer, school_year=school_year, on=on)
    schools = schools_visible(viewer).filter(is_active=True)
    # One grouped count gives each municipality's schools and (with those of no municipality) all of them.
    per_municipality = dict(schools.values("municipality_id").annotate(n=Count("pk")).values_list("municipality_id", "n"))
    statuses = dict(
        SchoolLevel.objects.filter(school_year=school_year, school__in=schools)
        .values("status")
        .annotate(n=Count("pk"))
        .values_list("status", "n")
    )
    totals = Compliance()
    for _, figures in rows:
        _add(totals, figures)
    levels = LevelCounts(
        schools=sum(per_municipality.values()),
        waiting=statuses.get(SchoolLevel.Status.CHOSEN, 0),
        decided=statuses.get(SchoolLevel.Status.APPROVED, 0) + statuses.get(SchoolLevel.Status.SET_BY_MINISTRY, 0),
    )
    return RepublicOverview(
        rows=[MunicipalityFigures(m, per_municipality.get(m.pk, 0), figures) for m, figures in rows],
        totals=totals,
        levels=levels,
        has_normative=NormativeVersion.objects.filter(school_year=school_year).exists(),
    )


@dataclass(frozen=True)
class SchoolFigures:
    school: Organization
    figures: Compliance
    level: SchoolLevel | None
    unmarked: Unmarked | None


@dataclass(frozen=True)
class MunicipalityOverview:
    municipality: Municipality
    rows: list[SchoolFigures]
    totals: Compliance

    @property
    def levels(self) -> LevelCounts:
        statuses = [row.level.status for row in self.rows if row.level is not None]
        waiting = statuses.count(SchoolLevel.Status.CHOSEN)
        return LevelCounts(schools=len(self.rows), waiting=waiting, decided=len(statuses) - waiting)


def municipality_overview(
    *, viewer: Viewer, school_year: SchoolYear, municipality: Municipality, on: datetime.date, now: datetime.datetime
) -> MunicipalityOverview:
    """The municipal coordinator's home: each school's students and states, its level and its lessons not
    marked. The cost is the municipality's schools, read from the rollups, not its students."""
    rows = school_rows(viewer=viewer, school_year=school_year, municipality=municipality, on=on)
    unmarked = unmarked_by_school(school_year=school_year, school_ids=[school.pk for school, _, _ in rows], now=now)
    totals = Compliance()
    for _, figures, _ in rows:
        _add(totals, figures)
    return MunicipalityOverview(
        municipality, [SchoolFigures(school, figures, level, unmarked.get(school.pk)) for school, figures, level in rows], totals
    )


def school_level_of(*, school: Organization, school_year: SchoolYear) -> SchoolLevel | None:
    return SchoolLevel.objects.filter(school=school, school_year=school_year).select_related("level").first()
