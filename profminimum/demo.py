"""The профминимум of the demo region: normative versions, each school's level, the course schedule and
a plausible history of activities and attendance up to today. Like the region, deterministic for a seed.

History goes straight into the ledger in bulk (the services would take minutes for half a million marks),
then `rollups_rebuild` computes every rollup from it — the same function that repairs a live database.
"""

import datetime
import random
import time
from collections import defaultdict
from decimal import Decimal

from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from core.bulk import insert_rows
from orgs.models import Organization, SchoolClass, SchoolYear
from people.models import Student
from profminimum.models import (
    Activity,
    Attendance,
    Direction,
    DirectionMinimum,
    HoursEntry,
    Level,
    NormativeVersion,
    SchoolLevel,
)
from profminimum.normative import normative_version_copy, normative_version_create_default
from profminimum.rollups import rollups_rebuild
from profminimum.services import course_schedule_generate

BATCH = 5000
LEVEL_WEIGHTS = {Level.Code.BASIC: 60, Level.Code.MAIN: 30, Level.Code.ADVANCED: 10}
# Most schools' choice is approved; some wait for the ministry; a few have not chosen yet.
STATUS_WEIGHTS = {SchoolLevel.Status.APPROVED: 80, SchoolLevel.Status.CHOSEN: 12, None: 3, SchoolLevel.Status.SET_BY_MINISTRY: 5}
ADVANCED_DIRECTION_MINIMA = {Direction.Code.COURSE: Decimal("25"), Direction.Code.PARENTS: Decimal("2")}


def build_profminimum_demo(*, seed: int, today: datetime.date | None = None, stdout=None) -> dict[str, int]:
    started = time.perf_counter()
    today = today or timezone.localdate()
    rng = random.Random(seed * 7919 + 17)
    say = (lambda line: stdout.write(line)) if stdout else (lambda line: None)
    current = SchoolYear.objects.get(is_current=True)
    previous = SchoolYear.objects.filter(starts_on__lt=current.starts_on).order_by("-starts_on").first()

    with transaction.atomic():
        _skip_reference_checks()
        version = _normative_versions(current=current, previous=previous)
        levels = {level.code: level for level in version.levels.all()}
        directions = {d.code: d for d in version.directions.all()}
        statuses = _school_levels(rng=rng, school_year=current, levels=levels)
        say(f"Уровни профминимума: {sum(statuses.values())} школ выбрали уровень")
        lessons = course_schedule_generate(school_year=current)
        say(f"Занятия курса «Россия — мои горизонты»: {lessons}")
        extra = _other_activities(rng=rng, school_year=current, directions=directions)
        say(f"Другие мероприятия: {extra}")
        marks = _attendance_history(rng=rng, school_year=current, today=today)
        say(f"Отметки посещаемости: {marks}")
        rollups_rebuild(school_year_id=current.pk)
    say(f"Профминимум демо-региона готов за {time.perf_counter() - started:.1f} с".replace(".", ","))
    return {"lessons": lessons, "activities": extra, "marks": marks}


def _skip_reference_checks() -> None:
    """On PostgreSQL, foreign keys are checked at commit, one trigger per row: for a million pupils' history
    (tens of millions of rows, every reference made by this generator) that is longer than the insert itself.
    A superuser may switch the checks off for this transaction; anyone else keeps them."""
    if connection.vendor != "postgresql":
        return
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SET LOCAL session_replication_role = replica")
    except DatabaseError:
        pass


def _normative_versions(*, current: SchoolYear, previous: SchoolYear | None) -> NormativeVersion:
    if previous is not None:
        last = normative_version_create_default(school_year=previous)
        version = normative_version_copy(source=last, school_year=current)
    else:
        version = normative_version_create_default(school_year=current)
    advanced = version.levels.get(code=Level.Code.ADVANCED)
    DirectionMinimum.objects.bulk_create(
        [
            DirectionMinimum(level=advanced, direction=version.directions.get(code=code), min_hours=hours)
            for code, hours in ADVANCED_DIRECTION_MINIMA.items()
        ]
    )
    return version


def _school_levels(*, rng: random.Random, school_year: SchoolYear, levels: dict[str, Level]) -> dict[str, int]:
    chosen_at = timezone.make_aware(datetime.datetime.combine(school_year.starts_on - datetime.timedelta(days=20), datetime.time(11)))
    rows, counts = [], defaultdict(int)
    for school_id in Organization.objects.filter(kind=Organization.Kind.SCHOOL).order_by("pk").values_list("pk", flat=True):
        status = rng.choices(list(STATUS_WEIGHTS), weights=list(STATUS_WEIGHTS.values()))[0]
        if status is None:
            continue
        code = rng.choices(list(LEVEL_WEIGHTS), weights=list(LEVEL_WEIGHTS.values()))[0]
        decided = status != SchoolLevel.Status.CHOSEN
        rows.append(
            SchoolLevel(
                school_id=school_id,
                school_year=school_year,
                level=levels[code],
                status=status,
                order_number=f"{rng.randint(10, 180)}-од" if status != SchoolLevel.Status.SET_BY_MINISTRY else "",
                order_date=school_year.starts_on - datetime.timedelta(days=rng.randint(15, 40)),
                chosen_at=chosen_at,
                decided_at=chosen_at + datetime.timedelta(days=10) if decided else None,
            )
        )
        counts[status] += 1
    SchoolLevel.objects.bulk_create(rows, batch_size=BATCH)
    return counts


def _class_members() -> dict[int, list[int]]:
    members: dict[int, list[int]] = defaultdict(list)
    for student_id, class_id in Student.objects.filter(current_class__isnull=False).values_list("pk", "current_class_id").order_by("pk"):
        members[class_id].append(student_id)
    return members


def _other_activities(*, rng: random.Random, school_year: SchoolYear, directions: dict[str, Direction]) -> int:
    """Besides the course: career lessons, excursions and open days, parents' meetings, profile electives."""
    tz = timezone.get_current_timezone()
    colleges = list(
        Organization.objects.filter(kind__in=[Organization.Kind.COLLEGE, Organization.Kind.UNIVERSITY]).values_list("pk", "short_name")
    ) or [(None, "колледж")]
    employers = list(Organization.objects.filter(kind=Organization.Kind.EMPLOYER).values_list("pk", "short_name")) or [
        (None, "предприятие")
    ]
    activities, class_links = [], []

    def add(school_class, direction, title, day, hours, organizer_id=None, place=""):
        starts_at = datetime.datetime.combine(day, datetime.time(rng.choice([10, 12, 15])), tzinfo=tz)
        activities.append(
            Activity(
                school_year=school_year,
                direction=directions[direction],
                title=title,
                starts_at=starts_at,
                duration_hours=Decimal(hours),
                school_id=school_class.school_id,
                organizer_id=organizer_id or school_class.school_id,
                place=place,
            )
        )
        class_links.append(school_class.pk)

    months = [(school_year.starts_on.replace(day=1) + datetime.timedelta(days=31 * i)).replace(day=1) for i in range(9)]
    for school_class in SchoolClass.objects.filter(school_year=school_year, grade__gte=6).order_by("pk"):
        for month in months:
            add(school_class, "lessons", "Урок с профориентационным содержанием", month + datetime.timedelta(days=rng.randint(8, 20)), "1")
        college_id, college = rng.choice(colleges)
        employer_id, employer = rng.choice(employers)
        add(
            school_class,
            "upbringing",
            f"День открытых дверей: {college}",
            months[1] + datetime.timedelta(days=rng.randint(1, 25)),
            "2",
            college_id,
        )
        add(
            school_class,
            "upbringing",
            f"Экскурсия на предприятие {employer}",
            months[3] + datetime.timedelta(days=rng.randint(1, 20)),
            "2",
            employer_id,
        )
        add(
            school_class,
            "parents",
            "Родительское собрание «Как помочь ребёнку выбрать профессию»",
            months[1] + datetime.timedelta(days=rng.randint(1, 25)),
            "1",
        )
        add(
            school_class,
            "parents",
            "Родительское собрание по итогам профпроб",
            months[6] + datetime.timedelta(days=rng.randint(1, 20)),
            "1",
        )
        if school_class.kind != SchoolClass.Kind.GENERAL:
            for week in range(0, 34, 2):
                add(school_class, "profile_classes", f"Элективный курс ({school_class.profile or 'предпрофильная подготовка'})",
                    school_year.starts_on + datetime.timedelta(weeks=week, days=1), "1")  # fmt: skip
        if len(activities) >= BATCH:
            _insert_activities(activities, class_links)
            activities, class_links = [], []
    _insert_activities(activities, class_links)
    return Activity.objects.filter(school_year=school_year, course_lesson__isnull=True).count()


def _insert_activities(activities: list[Activity], class_links: list[int]) -> None:
    created = Activity.objects.bulk_create(activities, batch_size=BATCH)
    Activity.classes.through.objects.bulk_create(
        [Activity.classes.through(activity_id=a.pk, schoolclass_id=c) for a, c in zip(created, class_links)], batch_size=BATCH
    )


def _attendance_history(*, rng: random.Random, school_year: SchoolYear, today: datetime.date) -> int:
    """Marks for every activity held before today. Schools differ: most mark every lesson and most pupils
    come; a few schools lag behind with their marks, so the dashboards have something to point at."""
    members = _class_members()
    school_of_class = dict(SchoolClass.objects.filter(school_year=school_year).values_list("pk", "school_id"))
    municipality_of_school = dict(Organization.objects.filter(kind=Organization.Kind.SCHOOL).values_list("pk", "municipality_id"))
    diligence = {school_id: rng.choice([0.97, 0.95, 0.93, 0.9, 0.85, 0.6, 0.35]) for school_id in sorted(set(school_of_class.values()))}
    attendance_rate = {school_id: rng.uniform(0.86, 0.97) for school_id in diligence}
    until = timezone.make_aware(datetime.datetime.combine(today, datetime.time(0)))
    held = (
        Activity.objects.filter(school_year=school_year, starts_at__lt=until, deleted_at__isnull=True)
        .values_list("pk", "starts_at", "duration_hours", "direction_id", "classes__id")
        .order_by("pk")
    )
    now = timezone.now()
    attendances, entries, marked_ids, total = [], [], [], 0
    excuses = ["болел(а)", "семейные обстоятельства", "соревнования", ""]
    for activity_id, starts_at, hours, direction_id, class_id in held.iterator(chunk_size=BATCH):
        school_id = school_of_class.get(class_id)
        if school_id is None or rng.random() > diligence[school_id]:
            continue
        day = timezone.localtime(starts_at).date()
        municipality_id = municipality_of_school[school_id]
        marked_ids.append(activity_id)
        for student_id in members.get(class_id, []):
            present = rng.random() < attendance_rate[school_id]
            attendances.append(
                (activity_id, student_id, present, "" if present else rng.choice(excuses), hours if present else Decimal("0"),
                 school_id, class_id, now)
            )  # fmt: skip
            if present:
                entries.append(
                    (student_id, activity_id, direction_id, school_year.pk, school_id, class_id, municipality_id, hours,
                     HoursEntry.Reason.ATTENDED.value, day, now)
                )  # fmt: skip
        if len(attendances) >= BATCH * 4:
            total += _flush(attendances, entries, marked_ids, now)
            attendances, entries, marked_ids = [], [], []
    total += _flush(attendances, entries, marked_ids, now)
    return total


ATTENDANCE_FIELDS = ("activity_id", "student_id", "present", "excuse", "credited_hours", "school_id", "school_class_id", "marked_at")
ENTRY_FIELDS = (
    "student_id", "activity_id", "direction_id", "school_year_id", "school_id", "school_class_id", "municipality_id",
    "hours", "reason", "occurred_on", "created_at",
)  # fmt: skip


def _flush(attendances: list[tuple], entries: list[tuple], marked_ids: list[int], now) -> int:
    insert_rows(Attendance, ATTENDANCE_FIELDS, attendances)
    insert_rows(HoursEntry, ENTRY_FIELDS, entries)
    for start in range(0, len(marked_ids), 900):
        Activity.objects.filter(pk__in=marked_ids[start : start + 900]).update(marked_at=now)
    return len(attendances)
