"""Hand-computed cases: each figure below was worked out on paper from the cast (3 students a class)."""

import datetime
from decimal import Decimal

from django.db.models import Sum
from django.utils import timezone

from people.models import Enrollment, Student
from profminimum.models import AttendanceCorrection, HoursEntry, Scope, StudentYearHours
from profminimum.selectors import State, scope_compliance
from profminimum.services import Mark, activity_delete, attendance_save, student_placement_changed

D = Decimal


def hours_of(student) -> Decimal:
    return StudentYearHours.objects.get(student=student).total_hours


def figures(pm, scope, scope_id, on=None):
    """The scope's figures as of a date (today unless given)."""
    return scope_compliance(school_year=pm.year, scope=scope, scope_ids=[scope_id], on=on or timezone.localdate())[scope_id]


def direction_hours(pm, scope, scope_id, code="course") -> Decimal:
    return figures(pm, scope, scope_id).hours_by_direction.get(pm.directions[code].pk, D("0"))


def all_scopes(pm, class_key):
    school_class = pm.cast.classes[class_key]
    return [
        (Scope.CLASS, school_class.pk),
        (Scope.SCHOOL, school_class.school_id),
        (Scope.MUNICIPALITY, school_class.school.municipality_id),
        (Scope.REPUBLIC, 0),
    ]


def test_thursday_lesson_with_two_absent_moves_every_level_by_exactly_the_present_hours(pm):
    cast = pm.cast
    lesson = pm.activity("a1_8a", hours="1")
    present, absent1, absent2 = (cast.students[f"a1_8a_{i}"] for i in range(3))
    before = {scope: direction_hours(pm, *scope) for scope in all_scopes(pm, "a1_8a")}

    result = attendance_save(
        activity=lesson,
        marks={present.pk: Mark(True), absent1.pk: Mark(False, "болел"), absent2.pk: Mark(False)},
        by=cast.user("class_teacher_a1"),
    )

    assert result.marked == 3 and result.hours_delta == D("1")
    assert hours_of(present) == D("1") and hours_of(absent1) == D("0") and hours_of(absent2) == D("0")
    for scope in all_scopes(pm, "a1_8a"):
        assert direction_hours(pm, *scope) - before[scope] == D("1"), scope
        assert figures(pm, *scope).lessons_held == 1
    # The other school of the municipality is untouched.
    assert direction_hours(pm, Scope.SCHOOL, cast.orgs["a2"].pk) == D("0")


def test_saving_the_same_marks_twice_credits_once(pm):
    cast = pm.cast
    lesson = pm.activity("a1_8a")
    marks = {cast.students[f"a1_8a_{i}"].pk: Mark(True) for i in range(3)}
    attendance_save(activity=lesson, marks=marks, by=None)
    second = attendance_save(activity=lesson, marks=marks, by=None)
    assert second.changed == 0 and second.hours_delta == D("0")
    assert HoursEntry.objects.filter(activity=lesson).count() == 3
    assert direction_hours(pm, Scope.REPUBLIC, 0) == D("3")
    assert figures(pm, Scope.REPUBLIC, 0).lessons_held == 1


def test_39_and_a_half_of_40_is_not_met(pm):
    cast = pm.cast
    student = cast.students["a1_8a_0"]  # a1 is at the basic level: 40 h
    attendance_save(activity=pm.activity("a1_8a", hours="39.5", direction="upbringing"), marks={student.pk: Mark(True)}, by=None)
    end_of_year = pm.year.ends_on
    assert figures(pm, Scope.CLASS, cast.classes["a1_8a"].pk, end_of_year).by_state[State.MET] == 0
    attendance_save(activity=pm.activity("a1_8a", hours="0.5", week=1), marks={student.pk: Mark(True)}, by=None)
    assert hours_of(student) == D("40")
    assert figures(pm, Scope.CLASS, cast.classes["a1_8a"].pk, end_of_year).by_state[State.MET] == 1


def test_a_corrected_absence_reverses_exactly_what_was_credited(pm):
    cast = pm.cast
    student = cast.students["a1_8a_2"]
    lesson = pm.activity("a1_8a", hours="1.5")
    attendance_save(activity=lesson, marks={student.pk: Mark(True)}, by=cast.user("class_teacher_a1"))
    assert hours_of(student) == D("1.5")

    attendance_save(activity=lesson, marks={student.pk: Mark(False, "справка")}, by=cast.user("coordinator_a1"))
    assert hours_of(student) == D("0")
    assert list(HoursEntry.objects.filter(student=student).order_by("pk").values_list("hours", "reason")) == [
        (D("1.5"), "attended"),
        (D("-1.5"), "corrected"),
    ]
    correction = AttendanceCorrection.objects.get()
    assert (correction.was_present, correction.now_present, correction.now_excuse) == (True, False, "справка")
    assert correction.changed_by == cast.user("coordinator_a1")
    assert direction_hours(pm, Scope.REPUBLIC, 0) == D("0")


def test_a_deleted_activity_reverses_its_hours_everywhere(pm):
    cast = pm.cast
    kept = pm.activity("a1_8a", hours="2", direction="upbringing", week=0)
    deleted = pm.activity("a1_8a", hours="1", direction="course", week=1)
    marks = {cast.students[f"a1_8a_{i}"].pk: Mark(True) for i in range(3)}
    attendance_save(activity=kept, marks=marks, by=None)
    attendance_save(activity=deleted, marks=marks, by=None)
    assert figures(pm, Scope.SCHOOL, cast.orgs["a1"].pk).total_hours == D("9")

    assert activity_delete(activity=deleted, by=cast.user("coordinator_a1")) == D("3")

    assert figures(pm, Scope.SCHOOL, cast.orgs["a1"].pk).total_hours == D("6")
    assert direction_hours(pm, Scope.REPUBLIC, 0, "course") == D("0")
    assert direction_hours(pm, Scope.REPUBLIC, 0, "upbringing") == D("6")
    assert figures(pm, Scope.REPUBLIC, 0).lessons_held == 0  # only the course lesson counted, and it is gone
    assert HoursEntry.objects.aggregate(total=Sum("hours"))["total"] == D("6")


def test_a_transfer_keeps_the_hours_and_is_judged_by_the_new_school(pm):
    cast = pm.cast
    student = cast.students["a1_8a_0"]
    attendance_save(activity=pm.activity("a1_8a", hours="45", direction="upbringing"), marks={student.pk: Mark(True)}, by=None)
    end = pm.year.ends_on
    assert figures(pm, Scope.SCHOOL, cast.orgs["a1"].pk, end).by_state[State.MET] == 1  # 45 ≥ 40 (basic)

    # Moves to a2 (main level, 60 h) in the same municipality.
    new_class = cast.classes["a2_8a"]
    on = max(pm.thursday(0).date() + datetime.timedelta(days=1), timezone.localdate() - datetime.timedelta(days=1))
    Enrollment.objects.filter(student=student, ended_on__isnull=True).update(ended_on=on - datetime.timedelta(days=1))
    Enrollment.objects.create(student=student, school_class=new_class, started_on=on)
    Student.objects.filter(pk=student.pk).update(current_class=new_class, current_school=new_class.school)
    student_placement_changed(student=student, school_year=pm.year, school_class=new_class, on=on)

    assert hours_of(student) == D("45")
    a1, a2 = figures(pm, Scope.SCHOOL, cast.orgs["a1"].pk, end), figures(pm, Scope.SCHOOL, cast.orgs["a2"].pk, end)
    assert a1.students == 5 and a1.by_state[State.MET] == 0
    assert a2.students == 7 and a2.by_state[State.MET] == 0 and a2.by_state[State.AT_RISK] == 7  # 45 < 60 − 6 at year end
    # The hours stay where they were delivered; the republic sees them once.
    assert direction_hours(pm, Scope.SCHOOL, cast.orgs["a1"].pk, "upbringing") == D("45")
    assert direction_hours(pm, Scope.SCHOOL, cast.orgs["a2"].pk, "upbringing") == D("0")
    assert direction_hours(pm, Scope.REPUBLIC, 0, "upbringing") == D("45")
    assert figures(pm, Scope.MUNICIPALITY, cast.municipalities["a"].pk, end).students == 12


def test_states_follow_the_pace_of_the_year(pm):
    cast = pm.cast
    year = pm.year
    # Half-way through the year a basic-level (40 h) student is expected to have ~20 h.
    midyear = year.starts_on + (year.ends_on - year.starts_on) / 2
    on_track, behind, at_risk = (cast.students[f"a1_8a_{i}"] for i in range(3))
    attendance_save(activity=pm.activity("a1_8a", hours="21", direction="upbringing"), marks={on_track.pk: Mark(True)}, by=None)
    attendance_save(activity=pm.activity("a1_8a", hours="17", direction="lessons", week=1), marks={behind.pk: Mark(True)}, by=None)
    attendance_save(activity=pm.activity("a1_8a", hours="10", direction="parents", week=2), marks={at_risk.pk: Mark(True)}, by=None)
    result = figures(pm, Scope.CLASS, cast.classes["a1_8a"].pk, midyear)
    assert result.by_state == {State.MET: 0, State.ON_TRACK: 1, State.BEHIND: 1, State.AT_RISK: 1, State.NO_LEVEL: 0}
