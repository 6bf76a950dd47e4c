"""Coverage (item 4.8) on hand-made data: unique students ÷ students of grades 6–11, as of a month's last day, per
school → municipality → republic. The cast: schools A1, A2 (municipality A) and B1 (municipality B), each with
8 «А» and 9 «А» of three students: 18 students of grades 6–11, six per school."""

import datetime
from decimal import Decimal

from monitoring import selectors
from monitoring.coverage import Counts, coverage_by_school, school_coverage
from monitoring.models import CoverageFigure, RollupDue, Scope
from monitoring.periods import month_key
from monitoring.rollups import coverage_recompute, rollups_maintain
from orgs.models import SchoolClass
from people.models import Enrollment, Student
from people.signals import placement_changed


def _figure(month, scope, scope_id):
    row = CoverageFigure.objects.get(month=month, scope=scope, scope_id=scope_id)
    return Counts(row.students, row.covered, row.enrolments)


def test_a_student_in_three_programmes_counts_once(mon):
    """The finding of the issue: coverage computed on hand-made data counts a student in three programmes once."""
    cast = mon.cast
    for programme in ("robotics", "chess", "theatre"):
        mon.enrol("a1_8a_0", programme)
    mon.enrol("a1_8a_1", "robotics")
    month = mon.year.starts_on.replace(day=1)
    last_day = datetime.date(month.year, month.month, 30)

    assert school_coverage(school_id=cast.orgs["a1"].pk, day=last_day) == Counts(students=6, covered=2, enrolments=4)

    coverage_recompute(month=month)
    a1, a, b = cast.orgs["a1"].pk, cast.municipalities["a"].pk, cast.municipalities["b"].pk
    assert _figure(month, Scope.SCHOOL, a1) == Counts(6, 2, 4)
    assert _figure(month, Scope.MUNICIPALITY, a) == Counts(12, 2, 4)  # A1 and A2
    assert _figure(month, Scope.MUNICIPALITY, b) == Counts(6, 0, 0)
    assert _figure(month, Scope.REPUBLIC, 0) == Counts(18, 2, 4)

    summary = selectors.coverage(scope=Scope.SCHOOL, scope_id=a1, month=month)
    assert (summary.students, summary.covered) == (6, 2)
    assert summary.percent == Decimal("33.3")  # 2 ÷ 6 × 100
    assert selectors.coverage(scope=Scope.REPUBLIC, scope_id=0, month=month).percent == Decimal("11.1")  # 2 ÷ 18


def test_coverage_is_as_of_the_last_day_of_the_month(mon):
    """An enrolment that ended before the month's last day, or starts after it, does not count; one that starts on the
    last day does; a student who moved during the month counts where they were on its last day."""
    cast = mon.cast
    start = mon.year.starts_on  # 1 September
    september_30 = start.replace(day=30)
    mon.enrol("a1_8a_0", "robotics", starts_on=start, ends_on=start.replace(day=29))  # ended the day before
    mon.enrol("a1_8a_1", "chess", starts_on=september_30)  # from the last day
    mon.enrol("a1_8a_2", "theatre", starts_on=start.replace(month=10, day=1))  # from October
    mon.enrol("a1_9a_0", "chess", starts_on=start)  # moves to B1 on 15 September

    mover = cast.students["a1_9a_0"]
    Enrollment.objects.filter(student=mover).update(ended_on=start.replace(day=14))
    Enrollment.objects.create(student=mover, school_class=cast.classes["b1_9a"], started_on=start.replace(day=15))
    Student.objects.filter(pk=mover.pk).update(current_school=cast.orgs["b1"], current_class=cast.classes["b1_9a"])

    by_school = coverage_by_school(day=september_30)
    assert by_school[cast.orgs["a1"].pk] == Counts(students=5, covered=1, enrolments=1)  # only the one from the 30th
    assert by_school[cast.orgs["b1"].pk] == Counts(students=7, covered=1, enrolments=1)  # the one who moved in
    october_31 = start.replace(month=10, day=31)
    assert coverage_by_school(day=october_31)[cast.orgs["a1"].pk] == Counts(5, 2, 2)
    assert coverage_by_school(day=start.replace(day=14))[cast.orgs["a1"].pk] == Counts(6, 2, 2)  # before the move


def test_students_outside_grades_6_to_11_are_not_counted(mon):
    cast = mon.cast
    fifth = SchoolClass.objects.create(school=cast.orgs["a1"], school_year=mon.year, grade=5, letter="А")
    young = Student.objects.create(person=cast.students["a1_8a_0"].person.__class__.objects.create(last_name="Пятиклассник", first_name="Ос"),
                                   current_school=cast.orgs["a1"], current_class=fifth)  # fmt: skip
    Enrollment.objects.create(student=young, school_class=fifth, started_on=mon.year.starts_on)
    mon.cast.students["young"] = young
    mon.enrol("young", "chess")
    assert school_coverage(school_id=cast.orgs["a1"].pk, day=mon.year.starts_on.replace(day=30)) == Counts(6, 0, 0)


def test_writers_leave_notes_and_the_job_recomputes_only_what_changed(mon):
    cast = mon.cast
    month = mon.year.starts_on.replace(day=1)
    rollups_maintain(today=month.replace(day=30))  # the month's rows exist (no one enrolled yet)
    assert _figure(month, Scope.REPUBLIC, 0) == Counts(18, 0, 0)

    mon.enrol("b1_8a_0", "robotics")
    notes = set(RollupDue.objects.filter(kind="coverage").values_list("key", "school_id"))
    assert (month_key(month), cast.orgs["b1"].pk) in notes
    rollups_maintain(today=month.replace(day=30))
    assert not RollupDue.objects.exists()
    assert _figure(month, Scope.SCHOOL, cast.orgs["b1"].pk) == Counts(6, 1, 1)
    assert _figure(month, Scope.MUNICIPALITY, cast.municipalities["b"].pk) == Counts(6, 1, 1)
    assert _figure(month, Scope.REPUBLIC, 0) == Counts(18, 1, 1)

    # The enrolled student moves to A1 on the year's second day: both schools are recomputed, the totals follow.
    mover = cast.students["b1_8a_0"]
    moved_on = mon.year.starts_on + datetime.timedelta(days=1)
    Enrollment.objects.filter(student=mover).update(ended_on=mon.year.starts_on)
    Enrollment.objects.create(student=mover, school_class=cast.classes["a1_8a"], started_on=moved_on)
    placement_changed.send(sender=Student, student=mover, school_class=cast.classes["a1_8a"], on=moved_on)
    assert {school for _, school in RollupDue.objects.values_list("key", "school_id")} == {cast.orgs["a1"].pk, cast.orgs["b1"].pk}
    rollups_maintain(today=month.replace(day=30))
    assert _figure(month, Scope.SCHOOL, cast.orgs["a1"].pk) == Counts(7, 1, 1)
    assert _figure(month, Scope.SCHOOL, cast.orgs["b1"].pk) == Counts(5, 0, 0)
    assert _figure(month, Scope.MUNICIPALITY, cast.municipalities["a"].pk) == Counts(13, 1, 1)
    assert _figure(month, Scope.REPUBLIC, 0) == Counts(18, 1, 1)
