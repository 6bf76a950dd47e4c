"""Many teachers saving at once (issue «Scale», point 5): on PostgreSQL, sixteen savers in parallel threads —
teachers of different schools whose totals meet in the municipality and the republic, and two teachers of one
class marking two lessons of it — finish without an error, and every rollup equals a rebuild from the ledger.

Found with it: a save locked the school year's row with its activity (select_related under FOR UPDATE locks the
joined rows too), so every save of the region waited for the one before; and only the students' own rows may
serialise two saves (without that lock the pair of one class leaves the rollups wrong)."""

import datetime
import threading
from decimal import Decimal

import pytest
from django.db import connection
from django.utils import timezone

from conftest import build_cast
from orgs.models import SchoolClass
from people.models import Enrollment, Person, Student
from profminimum.models import Activity, HoursEntry, StudentYearHours
from profminimum.rollups import rollups_difference, rollups_fold, rollups_rebuild
from profminimum.services import Mark, attendance_save
from profminimum.tests.conftest import Profminimum

SAVERS = 16


@pytest.mark.django_db(transaction=True)
def test_sixteen_teachers_saving_at_once_leave_every_rollup_equal_to_a_rebuild():
    if connection.vendor != "postgresql":
        pytest.skip("concurrent writers are a PostgreSQL matter: SQLite runs one writer at a time")
    pm = Profminimum(build_cast())
    year = pm.year
    day = max(year.starts_on, timezone.localdate() - datetime.timedelta(days=1))
    starts_at = timezone.make_aware(datetime.datetime.combine(day, datetime.time(10)))
    direction = pm.directions["upbringing"]
    # Eight more classes in each of the two schools of Город Альфа, five pupils each.
    classes = []
    for key in ("a1", "a2"):
        school = pm.cast.orgs[key]
        for letter in "БВГДЕЖЗИ":
            school_class = SchoolClass.objects.create(school=school, school_year=year, grade=7, letter=letter)
            for n in range(5):
                person = Person.objects.create(
                    last_name=f"Параллельный{letter}{n}", first_name="Ученик", birth_date=datetime.date(2013, 1, 1)
                )
                student = Student.objects.create(person=person, current_school=school, current_class=school_class)
                Enrollment.objects.create(student=student, school_class=school_class, started_on=year.starts_on)
            classes.append(school_class)
    rollups_rebuild(school_year_id=year.pk)
    work = []
    for school_class in classes[: SAVERS - 2]:
        activity = Activity.objects.create(
            school_year=year, direction=direction, title="Одновременно", starts_at=starts_at, duration_hours=Decimal("2"),
            school=school_class.school, organizer=school_class.school,
        )  # fmt: skip
        activity.classes.add(school_class)
        students = list(Student.objects.filter(current_class=school_class).values_list("pk", flat=True))
        work.append((activity, {sid: Mark(present=i % 2 == 0) for i, sid in enumerate(students)}))
    # Two teachers of one class mark two different lessons of it at the same moment (the class teacher her
    # lesson, the navigator an excursion): the same students' rows, each saver's own activity.
    members = list(Student.objects.filter(current_class=classes[-1]).values_list("pk", flat=True))
    for title, hours in (("Классный час", "1"), ("Экскурсия", "3")):
        activity = Activity.objects.create(
            school_year=year, direction=direction, title=title, starts_at=starts_at, duration_hours=Decimal(hours),
            school=classes[-1].school, organizer=classes[-1].school,
        )  # fmt: skip
        activity.classes.add(classes[-1])
        work.append((activity, {sid: Mark(present=True) for sid in members}))

    barrier = threading.Barrier(len(work))
    errors: list[str] = []

    def save(activity, marks):
        try:
            barrier.wait()
            attendance_save(activity=activity, marks=marks, by=None)
        except Exception as error:  # collected: the assertion below names them
            errors.append(repr(error))
        finally:
            connection.close()

    threads = [threading.Thread(target=save, args=item) for item in work]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert rollups_difference(school_year_id=year.pk) == {}

    # Then, round after round, only the two of one class, so that their saves overlap for certain.
    for round_number in range(6):
        pair = []
        for title in ("Урок", "Встреча"):
            activity = Activity.objects.create(
                school_year=year, direction=direction, title=f"{title} {round_number}", starts_at=starts_at,
                duration_hours=Decimal("1"), school=classes[0].school, organizer=classes[0].school,
            )  # fmt: skip
            activity.classes.add(classes[0])
            pair.append(
                (
                    activity,
                    {sid: Mark(present=True) for sid in Student.objects.filter(current_class=classes[0]).values_list("pk", flat=True)},
                )
            )
        barrier = threading.Barrier(2)
        threads = [threading.Thread(target=save, args=item) for item in pair]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    assert errors == []
    assert rollups_difference(school_year_id=year.pk) == {}
    rollups_fold(school_year_id=year.pk)
    assert rollups_difference(school_year_id=year.pk) == {}
    # 14 classes × 3 of 5 present × 2 h, the last class's 5 pupils at both lessons: 5 × (1 + 3) h, and the first
    # class's 5 at twelve lessons of 1 h.
    total = sum(HoursEntry.objects.values_list("hours", flat=True))
    assert total == Decimal(14 * 3 * 2 + 5 * 4 + 5 * 12)
    assert sum(StudentYearHours.objects.values_list("total_hours", flat=True)) == total
