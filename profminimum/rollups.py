"""Rollups: what every dashboard reads, kept current on write, as of today and as of any past date.

The facts are the ledger (HoursEntry: hours by student, direction and the activity's day), the enrollments
(a student's class from a date) and the history of each school's level (SchoolLevelChange). From them every
student has a *timeline*: from the day they are placed, on each day something changes for them — hours
credited for an activity held that day, a transfer, a new level of their school — a new state (placement,
level, total hours, per-direction minima met). A scope's histogram as of a date counts its students by that
state; a student's *transitions* move them from one histogram bucket to another on the day it happens.

A write that moves hours (a mark, a correction, a deleted activity, a transfer, a school's new level) locks
the students it touches, computes their timelines before and after from the facts, and appends the
difference as new rows (see the models: nothing shared is updated, so concurrent writers never wait on a
republic total). `rollups_rebuild` computes everything from the facts: the repair tool and the oracle the
tests compare the incremental rows with. `rollups_fold` adds up pending rows; `rollups_checkpoint` stores
the histogram as of a past month's end so that a read of any date adds at most a month of changes.
"""

import datetime
import functools
import json
import random
import time
from bisect import bisect_right
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import NamedTuple

from django.db import IntegrityError, OperationalError, connection, transaction
from django.db.models import Sum
from django.utils import timezone

from core.bulk import insert_rows
from people.models import Enrollment
from profminimum.models import (
    ROLLUP_MODELS,
    Activity,
    CheckpointDay,
    DirectionMinimum,
    HistogramChange,
    HistogramCheckpoint,
    HoursEntry,
    HoursHistogram,
    SchoolLevel,
    SchoolLevelChange,
    Scope,
    ScopeDayHours,
    ScopeDayLessons,
    StudentYearHours,
)

ZERO = Decimal("0")
TENTH = Decimal("0.1")
# PostgreSQL advisory lock keys: writers share the first, a checkpoint or a rebuild takes it alone (so that
# a writer either sees the new checkpoint and adds to it, or has committed before it is computed); the
# second keeps two folds of one year from working on the same rows.
_WRITE_LOCK = 0x50524F46  # "PROF"
_FOLD_LOCK = 0x464F4C44  # "FOLD"


def hours_key(value) -> Decimal:
    return (value if isinstance(value, Decimal) else Decimal(value)).quantize(TENTH)


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


def tenths(hours) -> int:
    """Hours as a whole number of tenths: timelines add integers, not decimals (a rebuild adds millions)."""
    return int((Decimal(str(hours)) * 10).to_integral_value())


def from_tenths(value: int) -> Decimal:
    return Decimal(value).scaleb(-1).quantize(TENTH)


class LevelRules:
    """Minima of the levels of one normative version, loaded once per write."""

    def __init__(self, school_year_id: int):
        self._minima: dict[int, list[tuple[int, int]]] = defaultdict(list)  # level -> [(direction, tenths)]
        for level_id, direction_id, minimum in DirectionMinimum.objects.filter(level__normative__school_year_id=school_year_id).values_list(
            "level_id", "direction_id", "min_hours"
        ):
            self._minima[level_id].append((direction_id, tenths(minimum)))

    def directions_met(self, level_id: int | None, running: dict[int, int]) -> bool:
        """Whether the per-direction minima of the level are reached by hours (in tenths) by direction id."""
        if not level_id:
            return True
        minima = self._minima.get(level_id)
        if not minima:
            return True
        return all(running.get(direction_id, 0) >= minimum for direction_id, minimum in minima)


# --- the facts of some students, and their timelines --------------------------------------------------------


class State(NamedTuple):
    """A student's state from a day on: where they are, the level they are judged by (0: none), their hours
    (in tenths) and whether the per-direction minima are met."""

    school_id: int
    class_id: int
    municipality_id: int
    level_id: int
    tenths: int
    met: bool

    @property
    def placement(self) -> Placement:
        return Placement(self.school_id, self.class_id, self.municipality_id)

    @property
    def total(self) -> Decimal:
        return from_tenths(self.tenths)

    def bucket_keys(self) -> tuple[tuple, tuple, tuple, tuple]:
        level, hours, met = self.level_id, self.tenths, self.met
        return (
            (Scope.CLASS, self.class_id, level, hours, met),
            (Scope.SCHOOL, self.school_id, level, hours, met),
            (Scope.MUNICIPALITY, self.municipality_id, level, hours, met),
            (Scope.REPUBLIC, 0, level, hours, met),
        )


@dataclass
class Facts:
    """Everything the timelines of a set of students need, loaded in a few queries."""

    school_year_id: int
    starts_on: datetime.date
    rules: LevelRules
    # student -> [(started_on, class, school, municipality)] in order
    enrollments: dict[int, list[tuple[datetime.date, int, int, int]]] = field(default_factory=dict)
    # school -> [(effective_on, level_id or 0)] in order
    levels: dict[int, list[tuple[datetime.date, int]]] = field(default_factory=dict)
    # student -> {day: {direction_id: tenths}}
    hours: dict[int, dict[datetime.date, dict[int, int]]] = field(default_factory=dict)
    # Timelines computed so far; a change of the facts (add_hours) forgets the student's.
    _timelines: dict[int, list] = field(default_factory=dict, repr=False, compare=False)
    _running: dict[int, dict] = field(default_factory=dict, repr=False, compare=False)  # the hours by direction at the end

    def copy(self) -> "Facts":
        """A copy that can be changed without changing this one (the facts after a write, beside those before)."""
        return Facts(
            self.school_year_id, self.starts_on, self.rules,
            {sid: list(rows) for sid, rows in self.enrollments.items()},
            {school: list(rows) for school, rows in self.levels.items()},
            {sid: {day: dict(v) for day, v in days.items()} for sid, days in self.hours.items()},
        )  # fmt: skip

    def add_hours(self, student_id: int, day: datetime.date, direction_id: int, hours) -> None:
        """Hours (a Decimal) credited or reversed on a day."""
        self.add_tenths(student_id, day, direction_id, tenths(hours))

    def add_tenths(self, student_id: int, day: datetime.date, direction_id: int, value: int) -> None:
        self._timelines.pop(student_id, None)
        self._running.pop(student_id, None)
        by_day = self.hours.setdefault(student_id, {}).setdefault(day, {})
        by_day[direction_id] = by_day.get(direction_id, 0) + value

    def level_on(self, school_id: int, day: datetime.date) -> int:
        level = 0
        for effective_on, level_id in self.levels.get(school_id, ()):
            if effective_on > day:
                break
            level = level_id
        return level

    def timeline(self, student_id: int) -> list[tuple[datetime.date, State]]:
        """The student's states, each with the day it starts; empty when the student is placed nowhere."""
        cached = self._timelines.get(student_id)
        if cached is None:
            cached = self._timelines[student_id] = self._timeline(student_id)
        return cached

    def _timeline(self, student_id: int) -> list[tuple[datetime.date, State]]:
        enrollments = self.enrollments.get(student_id)
        if not enrollments:
            return []
        first_day = enrollments[0][0]
        hours_days = self.hours.get(student_id, {})
        days = set(hours_days)
        level_changes = {}
        for start, _, school_id, _ in enrollments:
            days.add(start)
            changes = self.levels.get(school_id)
            if changes:
                level_changes[school_id] = changes
                days.update(d for d, _ in changes)
        directions_met = self.rules.directions_met
        running: dict[int, int] = {}
        self._running[student_id] = running
        total = 0
        steps: list[tuple[datetime.date, State]] = []
        placement_index = 0
        last_state = None
        for day in sorted(days):
            by_direction = hours_days.get(day)
            if by_direction:
                for direction_id, value in by_direction.items():
                    running[direction_id] = running.get(direction_id, 0) + value
                    total += value
            if day < first_day:
                continue
            while placement_index + 1 < len(enrollments) and enrollments[placement_index + 1][0] <= day:
                placement_index += 1
            _, class_id, school_id, municipality_id = enrollments[placement_index]
            level_id = 0
            for effective_on, level in level_changes.get(school_id, ()):
                if effective_on > day:
                    break
                level_id = level
            state = State(school_id, class_id, municipality_id, level_id, total, directions_met(level_id, running))
            if state != last_state:
                steps.append((day, state))
                last_state = state
        return steps

    def hours_by_direction(self, student_id: int, until: datetime.date | None = None) -> dict[str, Decimal]:
        """The student's hours by direction (id as text, as StudentYearHours keeps them), up to a day."""
        if until is None and student_id in self._timelines and student_id in self._running:
            return {str(k): from_tenths(v) for k, v in self._running[student_id].items() if v}
        result: dict[int, int] = {}
        for day, by_direction in self.hours.get(student_id, {}).items():
            if until is not None and day > until:
                continue
            for direction_id, value in by_direction.items():
                result[direction_id] = result.get(direction_id, 0) + value
        return {str(k): from_tenths(v) for k, v in result.items() if v}

    def state_on(self, student_id: int, day: datetime.date) -> State | None:
        """The student's state at the end of `day`: None before they are placed."""
        steps = self.timeline(student_id)
        index = bisect_right([d for d, _ in steps], day) - 1
        return steps[index][1] if index >= 0 else None


def facts_load(*, school_year, student_ids: Iterable[int], extra_school_ids: Iterable[int] = ()) -> Facts:
    """The enrollments, level histories and ledger of these students in the year (three or four queries)."""
    student_ids = list(student_ids)
    facts = Facts(school_year.pk, school_year.starts_on, LevelRules(school_year.pk))
    schools = set(extra_school_ids)
    # Filtered by student only, the year checked here: a filter on the year lets SQLite start from every class
    # of the year and read all their enrollments.
    for student_id, year_id, started_on, class_id, school_id, municipality_id in (
        Enrollment.objects.filter(student_id__in=student_ids)
        .order_by("student_id", "started_on", "pk")
        .values_list(
            "student_id",
            "school_class__school_year_id",
            "started_on",
            "school_class_id",
            "school_class__school_id",
            "school_class__school__municipality_id",
        )
    ):
        if year_id != school_year.pk:
            continue
        rows = facts.enrollments.setdefault(student_id, [])
        start = max(started_on, school_year.starts_on)
        if rows and rows[-1][0] >= start:
            rows[-1] = (start, class_id, school_id, municipality_id)  # a later enrollment from the same day replaces
        else:
            rows.append((start, class_id, school_id, municipality_id))
        schools.add(school_id)
    _load_levels(facts, school_year, schools)
    if student_ids:
        _ledger_into(facts, school_year.pk, student_ids=student_ids)
    return facts


def _load_levels(facts: Facts, school_year, school_ids) -> None:
    rows = SchoolLevelChange.objects.filter(school_year_id=school_year.pk).order_by("school_id", "effective_on", "pk")
    if school_ids is not None:
        rows = rows.filter(school_id__in=list(school_ids))
    for school_id, effective_on, level_id in rows.values_list("school_id", "effective_on", "level_id"):
        changes = facts.levels.setdefault(school_id, [])
        day = max(effective_on, school_year.starts_on)
        if changes and changes[-1][0] == day:
            changes[-1] = (day, level_id or 0)
        else:
            changes.append((day, level_id or 0))


# --- deltas ---------------------------------------------------------------------------------------------------


@dataclass
class RollupDelta:
    """What one write adds to every rollup; applied once, as appended rows, inside the writer's transaction.

    The histogram's moves are counted per class and added up into the school, the municipality and the
    republic when the rows are written: a class belongs to one school, so a student's move in any scope is the
    move of their class's key mapped upward, and a quarter of the counting does."""

    school_year_id: int
    # Hours in these keys are tenths (an int), as in the timelines; rows get them back as decimals.
    class_histogram: Counter = field(default_factory=Counter)  # (class, level, tenths, met) -> students
    class_changes: Counter = field(default_factory=Counter)  # (class, day, level, tenths, met) -> students
    classes: dict = field(default_factory=dict)  # class -> (school, municipality)
    day_hours: Counter = field(default_factory=Counter)  # (scope, scope_id, direction_id, day) -> hours
    lessons: Counter = field(default_factory=Counter)  # (scope, scope_id, day) -> lessons

    def _scopes(self, counter: Counter) -> Counter:
        """Class keys expanded to the four scopes: (scope, scope_id, *rest of the key)."""
        result: Counter = Counter()
        classes = self.classes
        for key, value in counter.items():
            if not value:
                continue
            class_id, rest = key[0], key[1:]
            school_id, municipality_id = classes[class_id]
            result[(Scope.CLASS, class_id, *rest)] += value
            result[(Scope.SCHOOL, school_id, *rest)] += value
            result[(Scope.MUNICIPALITY, municipality_id, *rest)] += value
            result[(Scope.REPUBLIC, 0, *rest)] += value
        return result

    @property
    def histogram(self) -> Counter:  # (scope, scope_id, level, tenths, met) -> students
        return self._scopes(self.class_histogram)

    @property
    def changes(self) -> Counter:  # (scope, scope_id, day, level, tenths, met) -> students
        return self._scopes(self.class_changes)

    def _final(self, state: State, sign: int) -> None:
        self.classes[state.class_id] = (state.school_id, state.municipality_id)
        self.class_histogram[(state.class_id, state.level_id, state.tenths, state.met)] += sign

    def timeline(self, steps: list[tuple[datetime.date, State]], sign: int) -> None:
        """Add (+1) or take away (-1) a student's whole timeline: their transitions and their current bucket."""
        self._transitions(steps, None, sign)
        if steps:
            self._final(steps[-1][1], sign)

    def _transitions(self, steps: list[tuple[datetime.date, State]], start: State | None, sign: int) -> None:
        """The moves between buckets along `steps`, from the state `start` (None: not counted before)."""
        changes, classes = self.class_changes, self.classes
        previous = None
        if start is not None:
            previous = (start.class_id, start.level_id, start.tenths, start.met)
            classes[start.class_id] = (start.school_id, start.municipality_id)
        for day, state in steps:
            key = (state.class_id, state.level_id, state.tenths, state.met)
            if key == previous:
                continue
            if previous is not None:
                changes[(previous[0], day, previous[1], previous[2], previous[3])] -= sign
            changes[(key[0], day, key[1], key[2], key[3])] += sign
            classes[state.class_id] = (state.school_id, state.municipality_id)
            previous = key

    def timeline_change(self, before: list, after: list) -> None:
        """Move a student from one timeline to another: only the steps after their common beginning count."""
        if before == after:
            return
        common = 0
        while common < len(before) and common < len(after) and before[common] == after[common]:
            common += 1
        start = before[common - 1][1] if common else None
        self._transitions(before[common:], start, -1)
        self._transitions(after[common:], start, +1)
        final_before = before[-1][1] if before else None
        final_after = after[-1][1] if after else None
        if final_before != final_after:
            if final_before is not None:
                self._final(final_before, -1)
            if final_after is not None:
                self._final(final_after, +1)

    def hours_delivered(self, placement: Placement, direction_id: int, day: datetime.date, hours: Decimal) -> None:
        for scope, scope_id in placement.scopes():
            self.day_hours[(scope, scope_id, direction_id, day)] += hours

    def lesson_held(self, placement: Placement, day: datetime.date, sign: int) -> None:
        for scope, scope_id in placement.scopes():
            self.lessons[(scope, scope_id, day)] += sign

    def apply(self) -> None:
        """Append the deltas (and their effect on every existing checkpoint) as pending rows."""
        year = self.school_year_id
        _append(HoursHistogram, year, _with_decimal_hours(self.histogram, 3))
        changes = {key: value for key, value in self.changes.items() if value}
        _append(HistogramChange, year, _with_decimal_hours(changes, 4))
        if changes:
            checkpoint = Counter()
            earliest = min(key[2] for key in changes)
            for day in CheckpointDay.objects.filter(school_year_id=year, day__gte=earliest).values_list("day", flat=True):
                for key, value in changes.items():
                    if key[2] <= day:
                        checkpoint[(key[0], key[1], day, *key[3:])] += value
            _append(HistogramCheckpoint, year, _with_decimal_hours(checkpoint, 4))
        _append(ScopeDayHours, year, self.day_hours)
        _append(ScopeDayLessons, year, self.lessons)


def _with_decimal_hours(deltas, position: int) -> dict:
    """Keys with their tenths of hours (at `position`) as the decimal hours the rows hold."""
    result: dict = {}
    for key, value in deltas.items():
        if value:
            key = (*key[:position], from_tenths(key[position]), *key[position + 1 :])
            result[key] = result.get(key, 0) + value
    return result


def _append(model, school_year_id: int, deltas) -> None:
    _insert(model, school_year_id, deltas, pending=True)


def _insert(model, school_year_id: int, deltas, *, pending: bool) -> None:
    """Plain rows straight to the driver (COPY on PostgreSQL): building a model instance and compiling SQL per
    row would cost more than the write it records."""
    rows = [(school_year_id, pending, *key, value) for key, value in deltas.items() if value]
    if rows:
        insert_rows(model, ("school_year_id", "pending", *model.KEY, model.VALUE), rows)


# --- writers: locks and retries ---------------------------------------------------------------------------------

RETRIED_PGCODES = {"40P01", "40001"}  # deadlock detected, serialization failure


def rollup_writer(service):
    """Run a write that moves hours in its own transaction: on PostgreSQL share the rollups' write lock (a
    checkpoint or a rebuild waits for it), and run it again when it lost a race — two writers creating the
    same student's row, a deadlock, a serialization failure — rather than show a teacher an error."""

    @functools.wraps(service)
    def wrapper(*args, **kwargs):
        attempts = 5
        for attempt in range(attempts):
            try:
                with transaction.atomic():
                    writers_lock_shared()
                    return service(*args, **kwargs)
            except (IntegrityError, OperationalError) as error:
                # Inside a caller's transaction the attempt was a savepoint: rolled back, it can run again too.
                if not _retriable(error) or attempt == attempts - 1:
                    raise
                time.sleep(random.uniform(0.005, 0.05) * (attempt + 1))
        raise AssertionError("unreachable")

    return wrapper


def _retriable(error: Exception) -> bool:
    if isinstance(error, IntegrityError):
        return True
    cause = getattr(error, "__cause__", None)
    return getattr(cause, "sqlstate", None) in RETRIED_PGCODES or "database is locked" in str(error)


def writers_lock_shared() -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock_shared(%s)", [_WRITE_LOCK])


def _writers_lock_exclusive() -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_WRITE_LOCK])
            # The application's connections end a transaction left idle for a minute (settings.DB_OPTIONS); a
            # rebuild computes a region's year in Python between its statements, minutes at 250,000 students.
            cursor.execute("SET LOCAL idle_in_transaction_session_timeout = 0")


def year_rows_lock(*, school_year_id: int, student_ids) -> dict[int, StudentYearHours]:
    """Lock the students' rows of the year, in id order (so two writers never wait on each other in a circle)."""
    return {
        row.student_id: row
        for row in StudentYearHours.objects.select_for_update()
        .filter(school_year_id=school_year_id, student_id__in=list(student_ids))
        .order_by("student_id")
    }


def students_update(
    *, school_year, facts_before: Facts, facts_after: Facts, student_ids, rows: dict[int, StudentYearHours], delta: RollupDelta
) -> None:
    """Move each student from their old timeline to the new one, and keep their year row current: created for a
    student placed this year who has none yet, removed for one no longer placed."""
    to_create, to_update, to_delete = [], [], []
    for student_id in student_ids:
        before = facts_before.timeline(student_id) if student_id in rows else []
        after = facts_after.timeline(student_id)
        delta.timeline_change(before, after)
        row = rows.get(student_id)
        if not after:
            if row is not None:
                to_delete.append(row.pk)
            continue
        state = after[-1][1]
        values = {
            "school_id": state.placement.school_id, "class_id": state.placement.class_id, "municipality_id": state.placement.municipality_id,
            "level_id": state.level_id or None, "total_hours": state.total, "directions_met": state.met,
            "hours_by_direction": {k: str(v) for k, v in facts_after.hours_by_direction(student_id).items()},
        }  # fmt: skip
        if row is None:
            to_create.append(_year_row(student_id, school_year.pk, values))
        else:
            _fill_year_row(row, values)
            to_update.append(row)
    if to_create:
        StudentYearHours.objects.bulk_create(to_create)
    if to_update:
        _year_rows_update(to_update)
    if to_delete:
        StudentYearHours.objects.filter(pk__in=to_delete).delete()


def _year_rows_update(rows: list[StudentYearHours]) -> None:
    """One UPDATE per row through executemany: Django's bulk_update builds a CASE per field and row, which for a
    class of thirty costs more than the rest of the save."""
    table = connection.ops.quote_name(StudentYearHours._meta.db_table)
    fields = ["school", "school_class", "municipality", "level", "total_hours", "hours_by_direction", "directions_met"]
    columns = [StudentYearHours._meta.get_field(name) for name in fields]
    assignments = ", ".join(f"{connection.ops.quote_name(field.column)} = %s" for field in columns)
    values = [[*(field.get_db_prep_save(getattr(row, field.attname), connection) for field in columns), row.pk] for row in rows]
    with connection.cursor() as cursor:
        cursor.executemany(f"UPDATE {table} SET {assignments} WHERE id = %s", values)


def _year_row(student_id: int, school_year_id: int, values: dict) -> StudentYearHours:
    row = StudentYearHours(student_id=student_id, school_year_id=school_year_id)
    _fill_year_row(row, values)
    return row


def _fill_year_row(row: StudentYearHours, values: dict) -> None:
    row.school_id, row.school_class_id, row.municipality_id = values["school_id"], values["class_id"], values["municipality_id"]
    row.level_id, row.total_hours, row.directions_met = values["level_id"], values["total_hours"], values["directions_met"]
    row.hours_by_direction = values["hours_by_direction"]


def level_history_ensure(*, school_year, exclude_school_id: int | None = None) -> int:
    """Give every school level of the year without a history its first entry (from the day it was chosen, or
    the year's start): levels written before the history existed, or in bulk by a data generator."""
    have = set(SchoolLevelChange.objects.filter(school_year_id=school_year.pk).values_list("school_id", flat=True).distinct())
    if exclude_school_id is not None:
        have.add(exclude_school_id)
    missing = [
        SchoolLevelChange(
            school_id=school_id,
            school_year_id=school_year.pk,
            level_id=level_id,
            effective_on=max(school_year.starts_on, timezone.localtime(chosen_at).date() if chosen_at else school_year.starts_on),
        )
        for school_id, level_id, chosen_at in SchoolLevel.objects.filter(school_year_id=school_year.pk).values_list(
            "school_id", "level_id", "chosen_at"
        )
        if school_id not in have
    ]
    SchoolLevelChange.objects.bulk_create(missing, batch_size=1000)
    return len(missing)


# --- the rebuild: everything from the facts -----------------------------------------------------------------------


@dataclass
class Rebuilt:
    """What a rebuild computes: the year rows and every rollup, as sums by key."""

    students: dict[int, dict]
    delta: RollupDelta
    checkpoints: Counter  # (scope, scope_id, day, level, tenths, met) -> students
    changes: Counter  # the delta's changes expanded to the scopes, once


def rollups_compute(*, school_year) -> Rebuilt:
    """Compute every rollup of a year from the facts, without writing."""
    level_history_ensure(school_year=school_year)
    facts = Facts(school_year.pk, school_year.starts_on, LevelRules(school_year.pk))
    for student_id, started_on, class_id, school_id, municipality_id in (
        Enrollment.objects.filter(school_class__school_year_id=school_year.pk)
        .order_by("student_id", "started_on", "pk")
        .values_list("student_id", "started_on", "school_class_id", "school_class__school_id", "school_class__school__municipality_id")
        .iterator(chunk_size=20_000)
    ):
        rows = facts.enrollments.setdefault(student_id, [])
        start = max(started_on, school_year.starts_on)
        if rows and rows[-1][0] >= start:
            rows[-1] = (start, class_id, school_id, municipality_id)
        else:
            rows.append((start, class_id, school_id, municipality_id))
    _load_levels(facts, school_year, None)
    _ledger_into(facts, school_year.pk)

    delta = RollupDelta(school_year.pk)
    students: dict[int, dict] = {}
    for student_id in facts.enrollments:
        steps = facts.timeline(student_id)
        if not steps:
            continue
        delta.timeline(steps, +1)
        state = steps[-1][1]
        students[student_id] = {
            "school_id": state.placement.school_id, "class_id": state.placement.class_id, "municipality_id": state.placement.municipality_id,
            "level_id": state.level_id or None, "total_hours": state.total, "directions_met": state.met,
            "hours_by_direction": {k: str(v) for k, v in facts.hours_by_direction(student_id).items()},
        }  # fmt: skip

    for school_id, class_id, municipality_id, direction_id, day, hours in (
        HoursEntry.objects.filter(school_year_id=school_year.pk)
        .values_list("school_id", "school_class_id", "municipality_id", "direction_id", "occurred_on")
        .annotate(hours=Sum("hours"))
        .values_list("school_id", "school_class_id", "municipality_id", "direction_id", "occurred_on", "hours")
    ):
        if hours:
            delta.hours_delivered(Placement(school_id, class_id, municipality_id), direction_id, day, hours)

    for class_id, school_id, municipality_id, starts_at in Activity.objects.filter(
        school_year_id=school_year.pk, course_lesson__isnull=False, marked_at__isnull=False, deleted_at__isnull=True
    ).values_list("classes__id", "classes__school_id", "classes__school__municipality_id", "starts_at"):
        if class_id is not None:
            delta.lesson_held(Placement(school_id, class_id, municipality_id), timezone.localtime(starts_at).date(), +1)

    days = sorted(CheckpointDay.objects.filter(school_year_id=school_year.pk).values_list("day", flat=True))
    checkpoints = delta._scopes(_class_checkpoints(delta.class_changes, days))
    return Rebuilt(students, delta, checkpoints, delta.changes)


def _ledger_into(facts: Facts, school_year_id: int, *, student_ids: list[int] | None = None) -> None:
    """Add the year's ledger (of these students, or all) to the facts as tenths of hours, in one pass over the lines
    in student order: read with a plain cursor, because converting 600,000 decimals through the ORM and adding them
    one call at a time costs more than the rest of a rebuild (and, for a class, than the rest of a save)."""
    table = connection.ops.quote_name(HoursEntry._meta.db_table)
    hours_of = facts.hours
    current, student_days = None, None
    sql = f"SELECT student_id, occurred_on, direction_id, hours FROM {table} WHERE school_year_id = %s"
    params: list = [school_year_id]
    if student_ids is not None:
        sql += f" AND student_id IN ({', '.join(['%s'] * len(student_ids))})"
        params.extend(student_ids)
    with connection.cursor() as cursor:
        cursor.execute(sql + " ORDER BY student_id", params)
        while rows := cursor.fetchmany(50_000):
            for student_id, day, direction_id, hours in rows:
                if student_id != current:
                    current, student_days = student_id, hours_of.setdefault(student_id, {})
                if isinstance(day, str):  # a driver that gives the text of the date
                    day = datetime.date.fromisoformat(day)
                value = round(hours * 10) if isinstance(hours, float | int) else int((hours * 10).to_integral_value())
                by_direction = student_days.get(day)
                if by_direction is None:
                    student_days[day] = {direction_id: value}
                else:
                    by_direction[direction_id] = by_direction.get(direction_id, 0) + value


def _class_checkpoints(class_changes: Counter, days: list[datetime.date]) -> Counter:
    """The histogram of each class as of the end of each day (class, day, level, tenths, met): the class's
    changes up to it, added up."""
    result: Counter = Counter()
    if not days:
        return result
    running: Counter = Counter()
    ordered = sorted(((key[1], key) for key, value in class_changes.items() if value), key=lambda item: item[0])
    index = 0
    for day in days:
        while index < len(ordered) and ordered[index][0] <= day:
            key = ordered[index][1]
            running[(key[0], *key[2:])] += class_changes[key]
            index += 1
        for key, value in running.items():
            if value:
                result[(key[0], day, *key[1:])] = value
    return result


@transaction.atomic
def rollups_rebuild(*, school_year_id: int) -> None:
    """Recompute every rollup of a school year from the ledger, the enrollments and the level history."""
    from orgs.models import SchoolYear

    _writers_lock_exclusive()
    school_year = SchoolYear.objects.get(pk=school_year_id)
    # The checkpoints of every month that is over, as the periodic job would have stored them.
    for day in month_ends(school_year, timezone.localdate()):
        CheckpointDay.objects.get_or_create(school_year=school_year, day=day)
    rebuilt = rollups_compute(school_year=school_year)
    StudentYearHours.objects.filter(school_year_id=school_year_id).delete()
    for model in ROLLUP_MODELS:
        model.objects.filter(school_year_id=school_year_id).delete()
    insert_rows(
        StudentYearHours,
        ("student_id", "school_year_id", "school_id", "school_class_id", "municipality_id", "level_id", "total_hours",
         "hours_by_direction", "directions_met"),
        (
            (sid, school_year_id, v["school_id"], v["class_id"], v["municipality_id"], v["level_id"], v["total_hours"],
             json.dumps(v["hours_by_direction"]), v["directions_met"])
            for sid, v in rebuilt.students.items()
        ),
    )  # fmt: skip
    for model, deltas in _rebuilt_rows(rebuilt):
        _insert_folded(model, school_year_id, deltas)


def _rebuilt_rows(rebuilt: "Rebuilt") -> list[tuple]:
    """Each rollup table with its rows as sums by key, hours as decimals."""
    return [
        (HoursHistogram, _with_decimal_hours(rebuilt.delta.histogram, 3)),
        (HistogramChange, _with_decimal_hours(rebuilt.changes, 4)),
        (HistogramCheckpoint, _with_decimal_hours(rebuilt.checkpoints, 4)),
        (ScopeDayHours, {k: v for k, v in rebuilt.delta.day_hours.items() if v}),
        (ScopeDayLessons, {k: v for k, v in rebuilt.delta.lessons.items() if v}),
    ]


def _insert_folded(model, school_year_id: int, deltas) -> None:
    _insert(model, school_year_id, deltas, pending=False)


def rollups_difference(*, school_year_id: int) -> dict[str, list]:
    """What the stored rollups differ by from a rebuild, without writing (for `rollups_rebuild --check` and the
    tests): {table: [(key, stored, rebuilt), ...]}, empty when they agree."""
    from orgs.models import SchoolYear

    school_year = SchoolYear.objects.get(pk=school_year_id)
    with transaction.atomic():
        rebuilt = rollups_compute(school_year=school_year)
        transaction.set_rollback(True)  # the level history it may have filled in is the rebuild's to write
    differences: dict[str, list] = {}
    for model, expected in _rebuilt_rows(rebuilt):
        stored = rollup_sums(model, school_year_id)
        expected = _normalised(expected, model)
        wrong = [
            (key, stored.get(key), expected.get(key))
            for key in sorted(set(stored) | set(expected), key=str)
            if stored.get(key) != expected.get(key)
        ]
        if wrong:
            differences[model.__name__] = wrong
    stored_students = {
        row.student_id: (row.school_id, row.school_class_id, row.municipality_id, row.level_id, row.total_hours, row.directions_met,
                         {k: Decimal(v) for k, v in row.hours_by_direction.items()})
        for row in StudentYearHours.objects.filter(school_year_id=school_year_id)
    }  # fmt: skip
    expected_students = {
        sid: (v["school_id"], v["class_id"], v["municipality_id"], v["level_id"], v["total_hours"], v["directions_met"],
              {k: Decimal(h) for k, h in v["hours_by_direction"].items()})
        for sid, v in rebuilt.students.items()
    }  # fmt: skip
    wrong_students = [
        (sid, stored_students.get(sid), expected_students.get(sid))
        for sid in sorted(set(stored_students) | set(expected_students))
        if stored_students.get(sid) != expected_students.get(sid)
    ]
    if wrong_students:
        differences["StudentYearHours"] = wrong_students
    return differences


def _normalised(deltas: dict, model) -> dict:
    result = {}
    for key, value in deltas.items():
        key = tuple(hours_key(part) if model.KEY[i] == "hours" and model.VALUE != "hours" else part for i, part in enumerate(key))
        if model.VALUE == "hours":
            value = Decimal(str(value))
        result[key] = result.get(key, 0) + value
    return {k: v for k, v in result.items() if v}


def rollup_sums(model, school_year_id: int) -> dict[tuple, object]:
    """The rows of a rollup added up by key (folded or not): what every read sees."""
    sums: dict[tuple, object] = {}
    for values in model.objects.filter(school_year_id=school_year_id).values_list(*model.KEY, model.VALUE).iterator(chunk_size=20_000):
        key = tuple(hours_key(part) if model.KEY[i] == "hours" and model.VALUE != "hours" else part for i, part in enumerate(values[:-1]))
        sums[key] = sums.get(key, 0) + values[-1]
    return {k: v for k, v in sums.items() if v}


# --- folding and checkpoints (the periodic job) ---------------------------------------------------------------


def rollups_fold(*, school_year_id: int) -> int:
    """Replace the rows of every pending key by their sum, table by table. Reads are right before and after;
    this only keeps the tables small. Returns how many rows it removed. Safe beside writers: it removes only
    rows it has read (a writer's newer row stays pending for the next fold), and on PostgreSQL a second fold
    of the same year skips rather than waits."""
    removed = 0
    for model in ROLLUP_MODELS:
        with transaction.atomic():
            if connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    cursor.execute("SELECT pg_try_advisory_xact_lock(%s, %s)", [_FOLD_LOCK, school_year_id])
                    if not cursor.fetchone()[0]:
                        return removed
            removed += _fold_table(model, school_year_id)
    return removed


def _fold_table(model, school_year_id: int) -> int:
    table = connection.ops.quote_name(model._meta.db_table)
    columns = [model._meta.get_field(name).column for name in model.KEY]  # get_field knows a foreign key by its attname too
    keys = ", ".join(connection.ops.quote_name(c) for c in columns)
    value = connection.ops.quote_name(model._meta.get_field(model.VALUE).column)
    year = connection.ops.quote_name(model._meta.get_field("school_year").column)
    joined = " AND ".join(f"r.{connection.ops.quote_name(c)} = k.{connection.ops.quote_name(c)}" for c in columns)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # One statement, one snapshot: exactly the rows deleted are the rows summed.
            cursor.execute(
                f"WITH k AS (SELECT DISTINCT {keys} FROM {table} WHERE pending AND {year} = %s), "
                f"gone AS (DELETE FROM {table} r USING k WHERE r.{year} = %s AND {joined} "
                f"RETURNING {', '.join('r.' + connection.ops.quote_name(c) for c in columns)}, r.{value}), "
                f"ins AS (INSERT INTO {table} ({year}, {keys}, {value}, pending) "
                f"SELECT %s, {keys}, SUM({value}), false FROM gone GROUP BY {keys} HAVING SUM({value}) <> 0 RETURNING 1) "
                f"SELECT (SELECT COUNT(*) FROM gone) - (SELECT COUNT(*) FROM ins)",
                [school_year_id, school_year_id, school_year_id],
            )
            return cursor.fetchone()[0]
        # SQLite: writers are serialised (IMMEDIATE transactions), so two statements in this one transaction see
        # the same rows.
        cursor.execute(
            f"DELETE FROM {table} AS r WHERE r.{year} = %s AND EXISTS (SELECT 1 FROM {table} k WHERE k.pending AND k.{year} = %s AND {joined}) "
            f"RETURNING {keys}, {value}",
            [school_year_id, school_year_id],
        )
        sums: dict[tuple, object] = {}
        deleted = 0
        hours_at = model.KEY.index("hours") if "hours" in model.KEY else None
        for row in cursor.fetchall():
            deleted += 1
            key = tuple(hours_key(str(part)) if i == hours_at else part for i, part in enumerate(row[:-1]))
            sums[key] = sums.get(key, 0) + (Decimal(str(row[-1])) if model.VALUE == "hours" else row[-1])
    kept = {key: v for key, v in sums.items() if v}
    model.objects.bulk_create(
        [model(school_year_id=school_year_id, pending=False, **dict(zip(model.KEY, key)), **{model.VALUE: v}) for key, v in kept.items()],
        batch_size=1000,
    )
    return deleted - len(kept)


def month_ends(school_year, before: datetime.date) -> list[datetime.date]:
    """The last days of the months of the school year that are over before `before`."""
    days = []
    day = school_year.starts_on
    while True:
        next_month = (day.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)
        end = next_month - datetime.timedelta(days=1)
        if end >= before or end > school_year.ends_on:
            return days
        days.append(end)
        day = next_month


def rollups_checkpoint(*, school_year, day: datetime.date) -> bool:
    """Store the histogram as of the end of `day` for every scope: the previous checkpoint plus the changes
    since. Writers wait for it (it holds the rollups' write lock alone), so none can miss it. False when it
    exists already."""
    with transaction.atomic():
        _writers_lock_exclusive()
        if CheckpointDay.objects.filter(school_year=school_year, day=day).exists():
            return False
        previous = CheckpointDay.objects.filter(school_year=school_year, day__lt=day).order_by("-day").values_list("day", flat=True).first()
        sums: Counter = Counter()
        if previous is not None:
            for *key, students in HistogramCheckpoint.objects.filter(school_year=school_year, day=previous).values_list(
                "scope", "scope_id", "level_pk", "hours", "directions_met", "students"
            ):
                sums[(key[0], key[1], day, key[2], hours_key(key[3]), key[4])] += students
        changes = HistogramChange.objects.filter(school_year=school_year, day__lte=day)
        if previous is not None:
            changes = changes.filter(day__gt=previous)
        for scope, scope_id, level_pk, hours, met, students in changes.values_list(
            "scope", "scope_id", "level_pk", "hours", "directions_met", "students"
        ).iterator(chunk_size=20_000):
            sums[(scope, scope_id, day, level_pk, hours_key(hours), met)] += students
        _insert_folded(HistogramCheckpoint, school_year.pk, sums)
        CheckpointDay.objects.create(school_year=school_year, day=day)
    return True


def rollups_maintain(*, school_year, today: datetime.date | None = None) -> dict[str, int]:
    """The periodic job: the checkpoints of months that are over, then the fold."""
    today = today or timezone.localdate()
    made = sum(rollups_checkpoint(school_year=school_year, day=day) for day in month_ends(school_year, today))
    return {"checkpoints": made, "folded": rollups_fold(school_year_id=school_year.pk)}
