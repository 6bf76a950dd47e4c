"""Bench cases of the профминимум (run by `manage.py bench` after the demo region is built).

The floor of each dashboard is the raw way: one GROUP BY over the ledger, which is what a dashboard would
cost without the rollups. The floor of a save is the plain insert of the marks and ledger lines alone.
"""

import datetime
import multiprocessing
import statistics
import time
from collections.abc import Iterable
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import connections, transaction
from django.db.models import Count, Sum
from django.test import Client, override_settings
from django.utils import timezone

from core.bench import BenchRun, Measurement, bench_case, median_ms, run_in_fresh_django
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


def _pending_writes(count: int) -> None:
    """Marks of `count` new lessons in as many schools: their deltas wait for the fold, as they would between
    two runs of the periodic job, so that the dashboards are timed with pending rows to add up."""
    year = school_year_current()
    direction = year.normative.directions.get(code="lessons")
    day = timezone.localdate() - datetime.timedelta(days=1)
    starts_at = timezone.make_aware(datetime.datetime.combine(day, datetime.time(10)))
    for school_class in SchoolClass.objects.filter(school_year=year, grade=7).order_by("school_id").distinct()[:count]:
        students = list(Student.objects.filter(current_class=school_class).values_list("pk", flat=True))
        if not students:
            continue
        activity = Activity.objects.create(
            school_year=year, direction=direction, title="Замер: урок", starts_at=starts_at, duration_hours=Decimal("1"),
            school=school_class.school, organizer=school_class.school,
        )  # fmt: skip
        activity.classes.add(school_class)
        attendance_save(activity=activity, marks={sid: Mark(present=True) for sid in students}, by=None)


def _past_day(year) -> datetime.date:
    """A date in the past that the dashboards are asked about: two weeks ago, inside the school year, so that a
    read adds a checkpoint and about two weeks of changes."""
    return max(year.starts_on, min(timezone.localdate() - datetime.timedelta(days=14), year.ends_on))


@bench_case
def dashboards(run: BenchRun) -> Iterable[Measurement]:
    year = school_year_current()
    _pending_writes(20)
    with override_settings(DEMO_MODE=True):
        republic = _client_for("minobr")
        page = republic.get("/profminimum/")
        if page.status_code != 200:
            run.log(f"Внимание: /profminimum/ ответила {page.status_code}")
        yield Measurement(
            "profminimum.republic_dashboard", "ms", median_ms(lambda: republic.get("/profminimum/")),
            floor=median_ms(_ledger_group_by, repeat=5, warmup=1),
        )  # fmt: skip
        past = _past_day(year)
        url = f"/profminimum/?on={past.isoformat()}"
        if republic.get(url).status_code != 200:
            run.log(f"Внимание: {url} ответила ошибкой")
        yield Measurement(
            "profminimum.republic_dashboard_past", "ms", median_ms(lambda: republic.get(url)),
            floor=median_ms(lambda: _ledger_group_by(occurred_on__lte=past), repeat=5, warmup=1),
        )  # fmt: skip
        school = Organization.objects.filter(kind=Organization.Kind.SCHOOL).annotate(n=Count("students")).order_by("-n").first()
        url = f"/profminimum/schools/{school.pk}/"
        yield Measurement(
            "profminimum.school_dashboard", "ms", median_ms(lambda: republic.get(url)),
            floor=median_ms(lambda: _ledger_group_by(school_id=school.pk), repeat=5, warmup=1),
        )  # fmt: skip
        largest = (
            Organization.objects.filter(kind=Organization.Kind.SCHOOL)
            .values("municipality_id")
            .annotate(n=Count("pk"))
            .order_by("-n")
            .first()
        )
        municipality_id = largest["municipality_id"]
        url = f"/profminimum/municipalities/{municipality_id}/"
        page = republic.get(url)
        yield Measurement(
            "profminimum.municipality_dashboard", "ms", median_ms(lambda: republic.get(url)),
            floor=median_ms(lambda: _ledger_group_by(municipality_id=municipality_id), repeat=5, warmup=1),
        )  # fmt: skip
        yield Measurement("profminimum.municipality_dashboard_html", "KB", round(len(page.content) / 1024, 1))
        compressed = republic.get(url, headers={"Accept-Encoding": "gzip"})
        yield Measurement("profminimum.municipality_dashboard_gzip", "KB", round(len(compressed.content) / 1024, 1))


@bench_case
def class_schedule(run: BenchRun) -> Iterable[Measurement]:
    """The class teacher opens the schedule of their class (the Thursday morning page)."""
    with override_settings(DEMO_MODE=True):
        teacher = _client_for("klruk")
        school_class = SchoolClass.objects.filter(assignments__person__user__username="klruk").first()
        url = f"/profminimum/classes/{school_class.pk}/schedule/"
        if teacher.get(url).status_code != 200:
            run.log(f"Внимание: {url} ответила ошибкой")
        floor = median_ms(
            lambda: list(Activity.objects.filter(classes=school_class, deleted_at__isnull=True).order_by("starts_at").values_list("pk"))
        )
        yield Measurement("profminimum.class_schedule", "ms", median_ms(lambda: teacher.get(url)), floor=floor)


@bench_case
def class_attendance_save(run: BenchRun) -> Iterable[Measurement]:
    """A teacher saves the marks of a class of 30 for this week's lesson: attendance, ledger and every rollup.
    The second line is a lesson of the year's first weeks marked late, whose hours change every later day's
    figures and every checkpoint since."""
    year = school_year_current()
    school_class, students = _bench_class(year)
    direction = year.normative.directions.get(code="course")
    teacher = get_user_model().objects.get(username="klruk")
    recent = max(year.starts_on, timezone.localdate() - datetime.timedelta(days=1))

    def new_activity(index: int, day: datetime.date | None = None) -> Activity:
        starts_at = timezone.make_aware(datetime.datetime.combine(day or recent, datetime.time(8 + index % 10)))
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
    late = []
    for index in range(34, 46):
        activity = new_activity(index, year.starts_on + datetime.timedelta(days=7 + index % 20))
        started = time.perf_counter()
        attendance_save(activity=activity, marks=marks, by=teacher)
        if index >= 36:
            late.append((time.perf_counter() - started) * 1000)
    yield Measurement("profminimum.class_attendance_save_late", "ms", round(statistics.median(late), 1))


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


CONCURRENT_TEACHERS = 16
CONCURRENT_TITLE = "Замер: одновременное сохранение"
SAVES_EACH = 8


def _teacher_saves(activity_ids: list[int], presence: dict[int, bool], barrier, results) -> None:
    """One teacher's process, started fresh (spawn) as an application server's worker is: Django set up, a warm
    connection, then the saves timed once every teacher is ready."""
    timings, errors, span = [], [], (0.0, 0.0)
    try:
        by_pk = Activity.objects.in_bulk(activity_ids)
        activities = [by_pk[pk] for pk in activity_ids]
        marks = {student_id: Mark(present=present) for student_id, present in presence.items()}
        attendance_save(activity=activities[0], marks=marks, by=None)
        barrier.wait()
        first = time.time()  # the wall clock, comparable between the processes
        for activity in activities[1:]:
            started = time.perf_counter()
            attendance_save(activity=activity, marks=marks, by=None)
            timings.append((time.perf_counter() - started) * 1000)
        span = (first, time.time())
    except Exception as error:  # reported, not raised: one failed save must not hide the figures
        errors.append(repr(error))
        barrier.abort()
    finally:
        connections.close_all()
        results.put((timings, errors, span))


@bench_case
def attendance_save_concurrent(run: BenchRun) -> Iterable[Measurement]:
    """Sixteen teachers of different schools of one municipality (their totals collide in the municipality
    and the republic) save a class's marks at the same moment, several times each. The median is the p95 of
    one save's time; the line also gives the saves per second of all of them together."""
    year = school_year_current()
    largest = (
        Organization.objects.filter(kind=Organization.Kind.SCHOOL).values("municipality_id").annotate(n=Count("pk")).order_by("-n").first()
    )
    # Classes this case has not marked before (on a reused bench database): a class marked by every earlier run
    # carries their entries, and its students' ledgers would grow with each run, as no real class's do.
    marked_before = set(
        Activity.objects.filter(title__startswith=CONCURRENT_TITLE, school_year=year).values_list("classes", flat=True).distinct()
    )
    classes = []
    for school in Organization.objects.filter(kind=Organization.Kind.SCHOOL, municipality_id=largest["municipality_id"]).order_by("pk"):
        school_class = SchoolClass.objects.filter(school=school, school_year=year, grade=9).exclude(pk__in=marked_before).first()
        if school_class is not None and Student.objects.filter(current_class=school_class).exists():
            classes.append(school_class)
        if len(classes) == CONCURRENT_TEACHERS:
            break
    if len(classes) < CONCURRENT_TEACHERS:
        run.log(
            f"Внимание: нетронутых классов для одновременного сохранения {len(classes)} из {CONCURRENT_TEACHERS}; пересоздайте базу замера"
        )
    direction = year.normative.directions.get(code="upbringing")
    day = timezone.localdate() - datetime.timedelta(days=2)
    work = []
    for index, school_class in enumerate(classes):
        students = list(Student.objects.filter(current_class=school_class).values_list("pk", flat=True))
        activities = []
        for n in range(SAVES_EACH + 1):
            activity = Activity.objects.create(
                school_year=year, direction=direction, title=f"{CONCURRENT_TITLE} {index}-{n}",
                starts_at=timezone.make_aware(datetime.datetime.combine(day, datetime.time(9 + n % 8))), duration_hours=Decimal("1"),
                school=school_class.school, organizer=school_class.school,
            )  # fmt: skip
            activity.classes.add(school_class)
            activities.append(activity)
        work.append(([a.pk for a in activities], {sid: i % 7 != 0 for i, sid in enumerate(students)}))

    # One process per teacher, as the application servers' workers are: threads of one process would queue on
    # Python's lock, not on the database, and measure the wrong thing. Spawned, not forked: a child forked from
    # the bench inherits its whole heap (migrations, every case's data) and spends its first saves copying it
    # page by page as the collector walks it — a tail of seconds that no application server has.
    context = multiprocessing.get_context("spawn")
    barrier = context.Barrier(len(work))
    results = context.Queue()
    connections.close_all()
    processes = [
        context.Process(target=run_in_fresh_django, args=("profminimum.bench._teacher_saves", activity_ids, presence, barrier, results))
        for activity_ids, presence in work
    ]
    for process in processes:
        process.start()
    timings: list[float] = []
    errors: list[str] = []
    spans: list[tuple[float, float]] = []
    for _ in processes:
        saved, failed, span = results.get(timeout=600)
        timings.extend(saved)
        errors.extend(failed)
        if span[1]:
            spans.append(span)
    for process in processes:
        process.join()
    # From the moment every teacher was ready (the barrier) to the last save: not the processes' start-up.
    wall = max(end for _, end in spans) - min(start for start, _ in spans) if spans else 0.0
    if errors:
        run.log(f"Внимание: ошибки одновременного сохранения: {errors[:3]}")
    if len(timings) < 2:
        return
    p95 = statistics.quantiles(timings, n=20)[18]
    yield Measurement(
        "profminimum.attendance_save_concurrent", "ms", round(p95, 1),
        extra={"teachers": len(work), "saves": len(timings), "saves_per_second": round(len(timings) / wall, 1) if wall else 0.0,
               "median_ms": round(statistics.median(timings), 1), "errors": len(errors)},
    )  # fmt: skip
