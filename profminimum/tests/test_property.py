"""After any random sequence of marks, corrections, deletions and transfers, every rollup equals what a
rebuild from the ledger gives, and the ledger adds up to every student's and every scope's hours."""

import datetime
from collections import defaultdict
from decimal import Decimal

from django.db import transaction
from django.db.models import Sum
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from people.models import Student
from people.services import student_transfer
from profminimum.models import (
    Activity,
    HoursEntry,
    HoursHistogram,
    ScopeDirectionHours,
    ScopeLessonsHeld,
    ScopeWeekHours,
    StudentYearHours,
)
from profminimum.rollups import rollups_rebuild
from profminimum.services import Mark, activity_delete, attendance_save

CLASS_KEYS = ["a1_8a", "a1_9a", "a2_8a", "a2_9a", "b1_8a", "b1_9a"]
DIRECTIONS = ["course", "upbringing", "parents", "lessons"]

create_op = st.tuples(st.just("create"), st.sampled_from(CLASS_KEYS), st.sampled_from(["0.5", "1", "1.5", "2", "4"]),
                      st.sampled_from(DIRECTIONS), st.integers(0, 30))  # fmt: skip
mark_op = st.tuples(st.just("mark"), st.integers(0, 50), st.lists(st.booleans(), min_size=3, max_size=3))
delete_op = st.tuples(st.just("delete"), st.integers(0, 50))
transfer_op = st.tuples(st.just("transfer"), st.integers(0, 17), st.sampled_from(CLASS_KEYS))
operations = st.lists(st.one_of(create_op, mark_op, mark_op, delete_op, transfer_op), min_size=1, max_size=14)


def snapshot(year_id):
    def rows(model, key_fields, value_field):
        return {
            tuple(str(v) for v in values[:-1]): Decimal(values[-1])
            for values in model.objects.filter(school_year_id=year_id).values_list(*key_fields, value_field)
            if values[-1]
        }

    students = {
        row.student_id: (row.school_id, row.school_class_id, row.municipality_id, row.level_id, row.total_hours,
                         {k: Decimal(v) for k, v in row.hours_by_direction.items() if Decimal(v)}, row.directions_met)
        for row in StudentYearHours.objects.filter(school_year_id=year_id)
    }  # fmt: skip
    return {
        "students": students,
        "histogram": rows(HoursHistogram, ("scope", "scope_id", "level_pk", "hours", "directions_met"), "students"),
        "directions": rows(ScopeDirectionHours, ("scope", "scope_id", "direction_id"), "hours"),
        "weeks": rows(ScopeWeekHours, ("scope", "scope_id", "week_start"), "hours"),
        "lessons": rows(ScopeLessonsHeld, ("scope", "scope_id"), "lessons"),
    }


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(ops=operations)
def test_rollups_always_equal_the_ledger(pm, ops):
    cast = pm.cast
    all_students = sorted(cast.students.values(), key=lambda s: s.pk)
    with transaction.atomic():
        activities: list[Activity] = []
        transfer_day = pm.year.starts_on + datetime.timedelta(days=30)
        for op in ops:
            if op[0] == "create":
                _, class_key, hours, direction, week = op
                activities.append(pm.activity(class_key, hours=hours, direction=direction, week=week))
            elif op[0] == "mark" and activities:
                activity = activities[op[1] % len(activities)]
                if activity.deleted_at is not None:
                    continue
                school_class = activity.classes.get()
                members = list(Student.objects.filter(current_class=school_class).order_by("pk")[:3])
                marks = {s.pk: Mark(present) for s, present in zip(members, op[2])}
                if marks:
                    attendance_save(activity=activity, marks=marks, by=None)
            elif op[0] == "delete" and activities:
                activity = activities[op[1] % len(activities)]
                activity_delete(activity=activity, by=None)
                activity.refresh_from_db()
            elif op[0] == "transfer":
                student = Student.objects.get(pk=all_students[op[1]].pk)
                target = cast.classes[op[2]]
                if student.current_class_id != target.pk:
                    transfer_day += datetime.timedelta(days=1)
                    student_transfer(student=student, to_class=target, on=transfer_day)

        incremental = snapshot(pm.year.pk)

        # The ledger adds up to every student's hours and to the republic's hours by direction.
        ledger_by_student = defaultdict(Decimal)
        for student_id, hours in HoursEntry.objects.values_list("student_id").annotate(h=Sum("hours")).values_list("student_id", "h"):
            ledger_by_student[student_id] = hours
        for student_id, row in incremental["students"].items():
            assert row[4] == ledger_by_student[student_id]
        ledger_by_direction = {
            str(d): h
            for d, h in HoursEntry.objects.values_list("direction_id").annotate(h=Sum("hours")).values_list("direction_id", "h")
            if h
        }
        republic = {key[2]: value for key, value in incremental["directions"].items() if key[0] == "republic"}
        assert republic == ledger_by_direction
        # Every student is counted once in each scope's histogram.
        assert sum(v for k, v in incremental["histogram"].items() if k[0] == "republic") == len(all_students)

        rollups_rebuild(school_year_id=pm.year.pk)
        assert snapshot(pm.year.pk) == incremental
        transaction.set_rollback(True)
