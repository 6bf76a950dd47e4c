"""Rollups kept current on write, so that reading a dashboard costs the rows it shows, not the ledger.

Every write that moves hours collects its effects in a `RollupDelta` and applies it once, inside the
caller's transaction. `rollups_rebuild` recomputes everything from the ledger and the enrollments: the
repair tool, and the oracle the tests compare the incremental rollups with.
"""

import datetime
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction
from django.db.models import Sum

from people.models import Enrollment
from profminimum.models import (
    Activity,
    DirectionMinimum,
    HoursEntry,
    HoursHistogram,
    SchoolLevel,
    Scope,
    ScopeDirectionHours,
    ScopeLessonsHeld,
    ScopeWeekHours,
    StudentYearHours,
)

ZERO = Decimal("0")


def hours_key(value) -> Decimal:
    return Decimal(value).quantize(Decimal("0.1"))


def week_start(day: datetime.date) -> datetime.date:
    return day - datetime.timedelta(days=day.weekday())


@dataclass(frozen=True)
class Placement:
    school_id: int
    class_id: int
    municipality_id: int

    def scopes(self) -> list[tuple[str, int]]:
        return [
            (Scope.CLASS, self.class_id),
            (Scope.SCHOOL, self.school_id),
            (Scope.MUNICIPALITY, self.municipality_id),
            (Scope.REPUBLIC, 0),
        ]


def placement_of(row) -> Placement:
    """The placement stored on a StudentYearHours, Attendance-like or HoursEntry row."""
    return Placement(row.school_id, row.school_class_id, row.municipality_id)


class LevelRules:
    """Minima of the levels of one normative version, loaded once per write."""

    def __init__(self, school_year_id: int):
        self._direction_minima: dict[int, dict[str, Decimal]] = defaultdict(dict)
        for level_id, direction_id, minimum in DirectionMinimum.objects.filter(level__normative__school_year_id=school_year_id).values_list(
            "level_id", "direction_id", "min_hours"
        ):
            self._direction_minima[level_id][str(direction_id)] = minimum

    def directions_met(self, level_id: int | None, hours_by_direction: dict[str, str | float]) -> bool:
        if level_id is None:
            return True
        return all(Decimal(str(hours_by_direction.get(d, 0))) >= m for d, m in self._direction_minima[level_id].items())


@dataclass
class RollupDelta:
    school_year_id: int
    histogram: Counter = field(default_factory=Counter)  # (scope, scope_id, level_id, hours, met) -> students
    direction_hours: Counter = field(default_factory=Counter)  # (scope, scope_id, direction_id) -> hours
    week_hours: Counter = field(default_factory=Counter)  # (scope, scope_id, week_start) -> hours
    lessons: Counter = field(default_factory=Counter)  # (scope, scope_id) -> lessons

    # --- collecting ---

    def student_bucket(self, row: StudentYearHours, sign: int) -> None:
        """Add (+1) or remove (-1) a student's histogram bucket in every scope of their placement."""
        for scope, scope_id in placement_of(row).scopes():
            self.histogram[(scope, scope_id, row.level_id or 0, hours_key(row.total_hours), row.directions_met)] += sign

    def hours_delivered(self, placement: Placement, direction_id: int, day: datetime.date, hours: Decimal) -> None:
        monday = week_start(day)
        for scope, scope_id in placement.scopes():
            self.direction_hours[(scope, scope_id, direction_id)] += hours
            self.week_hours[(scope, scope_id, monday)] += hours

    def lesson_held(self, placement: Placement, sign: int) -> None:
        for scope, scope_id in placement.scopes():
            self.lessons[(scope, scope_id)] += sign

    # --- applying ---

    def apply(self) -> None:
        _apply_counter(
            HoursHistogram, self.school_year_id, self.histogram,
            key_fields=("scope", "scope_id", "level_pk", "hours", "directions_met"), value_field="students",
        )  # fmt: skip
        _apply_counter(
            ScopeDirectionHours, self.school_year_id, self.direction_hours,
            key_fields=("scope", "scope_id", "direction_id"), value_field="hours",
        )  # fmt: skip
        _apply_counter(
            ScopeWeekHours, self.school_year_id, self.week_hours,
            key_fields=("scope", "scope_id", "week_start"), value_field="hours",
        )  # fmt: skip
        _apply_counter(ScopeLessonsHeld, self.school_year_id, self.lessons, key_fields=("scope", "scope_id"), value_field="lessons")


def _apply_counter(model, school_year_id: int, deltas: Counter, *, key_fields: tuple[str, ...], value_field: str) -> None:
    """Add the deltas to the rows with these keys: lock the existing rows, update them in one statement,
    create the missing ones. A concurrent creator of the same key makes ours fail on the unique
    constraint; the service's transaction is then retried (see services.retry_on_conflict)."""
    deltas = {key: value for key, value in deltas.items() if value}
    if not deltas:
        return
    scope_ids = {key[1] for key in deltas}
    scopes = {key[0] for key in deltas}
    existing_rows = model.objects.select_for_update().filter(school_year_id=school_year_id, scope__in=scopes, scope_id__in=scope_ids)
    if "hours" in key_fields:
        existing_rows = existing_rows.filter(hours__in={key[3] for key in deltas})
    existing = {}
    for row in existing_rows:
        key = tuple(getattr(row, name) for name in key_fields)
        if "hours" in key_fields:
            key = (*key[:3], hours_key(key[3]), *key[4:])
        existing[key] = row
    to_update, to_create = [], []
    for key, delta in deltas.items():
        row = existing.get(key)
        if row is None:
            to_create.append(model(school_year_id=school_year_id, **dict(zip(key_fields, key)), **{value_field: delta}))
        else:
            setattr(row, value_field, getattr(row, value_field) + delta)
            to_update.append(row)
    if to_update:
        model.objects.bulk_update(to_update, [value_field], batch_size=500)
        emptied = [row.pk for row in to_update if not getattr(row, value_field)]
        if emptied:  # keep the tables as small as what they describe
            model.objects.filter(pk__in=emptied).delete()
    if to_create:
        model.objects.bulk_create(to_create, batch_size=500)


def school_levels(school_year_id: int, school_ids) -> dict[int, int]:
    return dict(SchoolLevel.objects.filter(school_year_id=school_year_id, school_id__in=school_ids).values_list("school_id", "level_id"))


@transaction.atomic
def rollups_rebuild(*, school_year_id: int) -> None:
    """Recompute every rollup of a school year from the ledger, the enrollments and the activities."""
    for model in (StudentYearHours, HoursHistogram, ScopeDirectionHours, ScopeWeekHours, ScopeLessonsHeld):
        model.objects.filter(school_year_id=school_year_id).delete()

    # Placement: the student's open enrollment in this year, else their last one in it.
    placements: dict[int, tuple[int, int, int]] = {}
    for student_id, class_id, school_id, municipality_id in (
        Enrollment.objects.filter(school_class__school_year_id=school_year_id)
        .order_by("started_on", "pk")
        .values_list("student_id", "school_class_id", "school_class__school_id", "school_class__school__municipality_id")
    ):
        placements[student_id] = (class_id, school_id, municipality_id)
    levels = school_levels(school_year_id, {school_id for _, school_id, _ in placements.values()})
    rules = LevelRules(school_year_id)

    by_direction: dict[int, dict[str, Decimal]] = defaultdict(dict)
    for student_id, direction_id, hours in (
        HoursEntry.objects.filter(school_year_id=school_year_id)
        .values_list("student_id", "direction_id")
        .annotate(hours=Sum("hours"))
        .values_list("student_id", "direction_id", "hours")
    ):
        if hours:
            by_direction[student_id][str(direction_id)] = hours

    delta = RollupDelta(school_year_id)
    rows = []
    for student_id, (class_id, school_id, municipality_id) in placements.items():
        directions = by_direction.get(student_id, {})
        level_id = levels.get(school_id)
        row = StudentYearHours(
            student_id=student_id, school_year_id=school_year_id, school_id=school_id, school_class_id=class_id,
            municipality_id=municipality_id, level_id=level_id, total_hours=sum(directions.values(), ZERO),
            hours_by_direction={d: str(h) for d, h in directions.items()},
            directions_met=rules.directions_met(level_id, directions),
        )  # fmt: skip
        rows.append(row)
        delta.student_bucket(row, +1)
    StudentYearHours.objects.bulk_create(rows, batch_size=2000)

    for school_id, class_id, municipality_id, direction_id, day, hours in (
        HoursEntry.objects.filter(school_year_id=school_year_id)
        .values_list("school_id", "school_class_id", "municipality_id", "direction_id", "occurred_on")
        .annotate(hours=Sum("hours"))
        .values_list("school_id", "school_class_id", "municipality_id", "direction_id", "occurred_on", "hours")
    ):
        delta.hours_delivered(Placement(school_id, class_id, municipality_id), direction_id, day, hours)

    for class_id, school_id, municipality_id in Activity.objects.filter(
        school_year_id=school_year_id, course_lesson__isnull=False, marked_at__isnull=False, deleted_at__isnull=True
    ).values_list("classes__id", "school_id", "school__municipality_id"):
        delta.lesson_held(Placement(school_id, class_id, municipality_id), +1)
    _create_all(delta)


def _create_all(delta: RollupDelta) -> None:
    """A rebuild starts from empty tables: plain inserts of the non-zero rows."""
    year = delta.school_year_id
    HoursHistogram.objects.bulk_create(
        [
            HoursHistogram(school_year_id=year, scope=s, scope_id=i, level_pk=l, hours=h, directions_met=m, students=n)
            for (s, i, l, h, m), n in delta.histogram.items() if n
        ],
        batch_size=2000,
    )  # fmt: skip
    ScopeDirectionHours.objects.bulk_create(
        [ScopeDirectionHours(school_year_id=year, scope=s, scope_id=i, direction_id=d, hours=h) for (s, i, d), h in delta.direction_hours.items() if h],
        batch_size=2000,
    )  # fmt: skip
    ScopeWeekHours.objects.bulk_create(
        [ScopeWeekHours(school_year_id=year, scope=s, scope_id=i, week_start=w, hours=h) for (s, i, w), h in delta.week_hours.items() if h],
        batch_size=2000,
    )  # fmt: skip
    ScopeLessonsHeld.objects.bulk_create(
        [ScopeLessonsHeld(school_year_id=year, scope=s, scope_id=i, lessons=n) for (s, i), n in delta.lessons.items() if n],
        batch_size=2000,
    )  # fmt: skip
