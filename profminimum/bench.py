"""Bench cases of the профминимум (run by `manage.py bench` after the demo region is built).

The floor of each dashboard is the raw way: one GROUP BY over the ledger, which is what a dashboard would
cost without the rollups. The floor of a save is the plain insert of the marks and ledger lines alone.
"""

import datetime
import statistics
import time
from collections.abc import Iterable
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Count, Sum
from django.test import Client, override_settings
from django.utils import timezone

from core.bench import BenchRun, Measurement, bench_case, median_ms
from orgs.models import Organization, SchoolClass
from people.models import Enrollment, Person, Student
from profminimum.models import Activity, Attendance, HoursEntry
from profminimum.selectors import school_year_current
from profminimum.services import Mark, attendance_save

CLASS_SIZE = 30


def _client_for(username: str) -> Client:
    client = Client(raise_request_exception=True)
    client.force_login(get_user_model().objects.get(username=username))
    return client


def _ledger_group_by(**filters) -> None:
    year = school_year_current()
    list(
        HoursEntry.objects.filter(school_year=year, **filters)
        .values("student_id", "municipality_id")
        .annotate(hours=Sum("hours"))
        .values_list("student_id", "municipality_id", "hours")
    )


@bench_case
def dashboards(run: BenchRun) -> Iterable[Measurement]:
    with override_settings(DEMO_MODE=True):
        republic = _client_for("minobr")
        page = republic.get("/profminimum/")
        if page.status_code != 200:
            run.log(f"Внимание: /profminimum/ ответила {page.status_code}")
        yield Measurement(
            "profminimum.republic_dashboard", "ms", median_ms(lambda: republic.get("/profminimum/")),
            floor=median_ms(_ledger_group_by, repeat=5, warmup=1),
        )  # fmt: skip
        school = Organization.objects.filter(kind=Organization.Kind.SCHOOL).annotate(n=Count("students")).order_by("-n").first()
        url = f"/profminimum/schools/{school.pk}/"
        yield Measurement(
            "profminimum.school_dashboard", "ms", median_ms(lambda: republic.get(url)),
            floor=median_ms(lambda: _ledger_group_by(school_id=school.pk), repeat=5, warmup=1),
        )  # fmt: skip


@bench_case
def class_attendance_save(run: BenchRun) -> Iterable[Measurement]:
    """A teacher saves the marks of a class of 30 for a new lesson: attendance, ledger and every rollup."""
    year = school_year_current()
    school_class, students = _bench_class(year)
    direction = year.normative.directions.get(code="course")
    teacher = get_user_model().objects.get(username="klruk")

    def new_activity(index: int) -> Activity:
        starts_at = timezone.make_aware(datetime.datetime.combine(year.starts_on + datetime.timedelta(days=index % 200), datetime.time(15)))
        activity = Activity.objects.create(
            school_year=year, direction=direction, title=f"Замер {index}", starts_at=starts_at, duration_hours=Decimal("1"),
            school=school_class.school, organizer=school_class.school,
        )  # fmt: skip
        activity.classes.add(school_class)
        return activity

    marks = {student_id: Mark(present=i % 10 != 0) for i, student_id in enumerate(students)}
    timings, floor_timings = [], []
    for index in range(17):
        activity = new_activity(index)
        started = time.perf_counter()
        attendance_save(activity=activity, marks=marks, by=teacher)
        if index >= 2:
            timings.append((time.perf_counter() - started) * 1000)
    for index in range(17, 34):
        activity = new_activity(index)
        started = time.perf_counter()
        _plain_insert(activity, school_class, marks)
        if index >= 19:
            floor_timings.append((time.perf_counter() - started) * 1000)
    yield Measurement(
        "profminimum.class_attendance_save", "ms", round(statistics.median(timings), 1),
        floor=round(statistics.median(floor_timings), 1),
    )  # fmt: skip


def _plain_insert(activity: Activity, school_class: SchoolClass, marks: dict[int, Mark]) -> None:
    """The floor: the marks and ledger lines alone, no rollups."""
    with transaction.atomic():
        Attendance.objects.bulk_create(
            [
                Attendance(activity=activity, student_id=sid, present=m.present, credited_hours=Decimal("1") if m.present else 0,
                           school_id=school_class.school_id, school_class=school_class)
                for sid, m in marks.items()
            ]
        )  # fmt: skip
        HoursEntry.objects.bulk_create(
            [
                HoursEntry(student_id=sid, activity=activity, direction_id=activity.direction_id, school_year_id=activity.school_year_id,
                           school_id=school_class.school_id, school_class=school_class, municipality_id=school_class.school.municipality_id,
                           hours=Decimal("1"), reason=HoursEntry.Reason.ATTENDED, occurred_on=activity.starts_at.date())
                for sid, m in marks.items() if m.present
            ]
        )  # fmt: skip


def _bench_class(year) -> tuple[SchoolClass, list[int]]:
    """A class of exactly 30 in the first school (demo classes have 20–28): topped up with new invented pupils."""
    school_class = SchoolClass.objects.filter(school_year=year, grade=9).order_by("school_id", "letter").first()
    students = list(Student.objects.filter(current_class=school_class).order_by("pk").values_list("pk", flat=True))[:CLASS_SIZE]
    with transaction.atomic():
        for index in range(CLASS_SIZE - len(students)):
            person = Person.objects.create(
                last_name="Замеров", first_name=f"Ученик{index}", birth_date=datetime.date(year.starts_on.year - 15, 1, 1)
            )
            student = Student.objects.create(person=person, current_school=school_class.school, current_class=school_class)
            Enrollment.objects.create(student=student, school_class=school_class, started_on=year.starts_on)
            students.append(student.pk)
    return school_class, students
