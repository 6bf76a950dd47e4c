"""The профминимум of the demo region: normative versions, each school's level with the school's order, the
course schedule and a plausible history of activities and attendance up to today. Like the region,
deterministic for a seed.

Everything goes straight into the tables in bulk, class by class in one pass (the services would take minutes
for half a million marks), then `rollups_rebuild` computes every rollup from the ledger — the same function
that repairs a live database. Activities fall on school days only: the course on Thursdays as the service
schedules it, everything else on a weekday outside the region's holidays.
"""

import datetime
import io
import random
import time
import zipfile
from collections import defaultdict
from collections.abc import Callable
from decimal import Decimal
from xml.sax.saxutils import escape

from django.core.files.base import ContentFile
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from core.bulk import PrimaryKeys, insert_model_rows
from core.formatting import count_text, date_short, hours_text, thousands
from orgs.models import Organization, SchoolClass, SchoolYear
from people.models import Role, StaffMembership, Student
from profminimum.models import (
    Activity,
    Attendance,
    CourseLesson,
    Direction,
    DirectionMinimum,
    HoursEntry,
    Level,
    NormativeVersion,
    SchoolLevel,
)
from profminimum.normative import normative_version_copy, normative_version_create_default
from profminimum.rollups import rollups_rebuild
from profminimum.services import LESSON_TIME, thursdays

LEVEL_WEIGHTS = {Level.Code.BASIC: 60, Level.Code.MAIN: 30, Level.Code.ADVANCED: 10}
# Most schools' choice is approved; some wait for the ministry; a few have not chosen yet.
STATUS_WEIGHTS = {SchoolLevel.Status.APPROVED: 80, SchoolLevel.Status.CHOSEN: 12, None: 3, SchoolLevel.Status.SET_BY_MINISTRY: 5}
ADVANCED_DIRECTION_MINIMA = {Direction.Code.COURSE: Decimal("25"), Direction.Code.PARENTS: Decimal("2")}
LEVEL_IN_PREPOSITIONAL = {Level.Code.BASIC: "базовом", Level.Code.MAIN: "основном", Level.Code.ADVANCED: "продвинутом"}
FLUSH_ACTIVITIES = 2_000  # marked activities held in memory before their marks go in
PROGRESS_STEPS = 6  # progress lines while the history goes in
EXCUSES = ("болел(а)", "семейные обстоятельства", "соревнования", "")
ATTENDED = HoursEntry.Reason.ATTENDED.value

ACTIVITY_FIELDS = (
    "id", "school_year_id", "direction_id", "title", "starts_at", "duration_hours", "school_id", "organizer_id", "place",
    "course_lesson_id", "created_at", "marked_at",
)  # fmt: skip
CLASS_LINK_FIELDS = ("activity_id", "schoolclass_id")


def build_profminimum_demo(*, seed: int, today: datetime.date | None = None, stdout=None) -> dict[str, int | float]:
    """Build the профминимум of the demo region (the region must exist); return the counts and, under
    "rollups_seconds", how long the final rebuild of the rollups took."""
    started = time.perf_counter()
    today = today or timezone.localdate()
    rng = random.Random(seed * 7919 + 17)

    def say(line: str) -> None:
        if stdout is not None:
            stdout.write(line + "\n")
            stdout.flush()

    current = SchoolYear.objects.get(is_current=True)
    previous = SchoolYear.objects.filter(starts_on__lt=current.starts_on).order_by("-starts_on").first()

    # Every reference is made by this generator: checking each on insert (SQLite, where a connection outside a
    # transaction may switch the checks off) costs more than the insert; the tests build under the checks.
    with connection.constraint_checks_disabled(), transaction.atomic():
        _skip_reference_checks()
        version = _normative_versions(current=current, previous=previous)
        statuses = _school_levels(rng=rng, school_year=current, version=version, today=today)
        schools = Organization.objects.filter(kind=Organization.Kind.SCHOOL).count()
        say(
            f"Уровни профминимума: школ с уровнем — {thousands(sum(statuses.values()))} из {thousands(schools)}, "
            f"ждут утверждения министерства — {thousands(statuses[SchoolLevel.Status.CHOSEN])}"
        )
        history = _History(rng=rng, school_year=current, version=version, today=today, say=say)
        history.build()
        say("Пересчитываю сводные показатели профминимума…")
        rebuild_started = time.perf_counter()
        rollups_rebuild(school_year_id=current.pk)
        rollups_seconds = time.perf_counter() - rebuild_started
        say(f"Сводные показатели пересчитаны за {_seconds(rollups_seconds)}")
    say(f"Профминимум демо-региона готов за {_seconds(time.perf_counter() - started)}")
    return {
        "lessons": history.lessons, "activities": history.other_activities, "marks": history.marks,
        "rollups_seconds": round(rollups_seconds, 1),
    }  # fmt: skip


def _seconds(value: float) -> str:
    return f"{value:.1f} с".replace(".", ",")


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


# --- each school's level, with the school's order as a real document --------------------------------------------


def _school_levels(*, rng: random.Random, school_year: SchoolYear, version: NormativeVersion, today: datetime.date) -> dict[str, int]:
    """A level for most schools. Every school that chose its level has its order — number, date and the
    document itself, stored like an upload — as the platform requires of a coordinator's choice; a level the
    ministry set has no school order."""
    levels = {level.code: level for level in version.levels.all()}
    tz = timezone.get_current_timezone()
    chosen_on = min(school_year.starts_on - datetime.timedelta(days=20), today)
    chosen_at = datetime.datetime.combine(chosen_on, datetime.time(11), tzinfo=tz)
    decided_at = min(chosen_at + datetime.timedelta(days=10), timezone.now())
    # The first coordinator of each school (the later rows of a school overwrite, so they come first).
    coordinators = {
        school_id: " ".join(part for part in names if part)
        for school_id, *names in StaffMembership.objects.filter(role=Role.SCHOOL_COORDINATOR, organization__kind=Organization.Kind.SCHOOL)
        .order_by("organization_id", "-person_id")
        .values_list("organization_id", "person__last_name", "person__first_name", "person__middle_name")
    }
    rows, counts = [], defaultdict(int)
    for school in Organization.objects.filter(kind=Organization.Kind.SCHOOL).order_by("pk"):
        status = rng.choices(list(STATUS_WEIGHTS), weights=list(STATUS_WEIGHTS.values()))[0]
        if status is None:
            continue
        code = rng.choices(list(LEVEL_WEIGHTS), weights=list(LEVEL_WEIGHTS.values()))[0]
        school_level = SchoolLevel(
            school=school, school_year=school_year, level=levels[code], status=status, chosen_at=chosen_at,
            decided_at=decided_at if status != SchoolLevel.Status.CHOSEN else None,
        )  # fmt: skip
        if status != SchoolLevel.Status.SET_BY_MINISTRY:
            school_level.order_number = f"{rng.randint(10, 180)}-од"
            school_level.order_date = chosen_on - datetime.timedelta(days=rng.randint(0, 12))
            document = order_document(school=school, school_level=school_level, coordinator=coordinators.get(school.pk, ""))
            # A rebuilt demo replaces its earlier documents instead of piling up renamed copies beside them.
            storage = school_level.order_file.storage
            storage.delete(school_level.order_file.field.generate_filename(school_level, "order.docx"))
            school_level.order_file.save("order.docx", ContentFile(document), save=False)
        rows.append(school_level)
        counts[status] += 1
    SchoolLevel.objects.bulk_create(rows)
    return counts


def order_document(*, school: Organization, school_level: SchoolLevel, coordinator: str) -> bytes:
    """A school's order on its level as a small DOCX (one of the formats a coordinator may upload), in
    Russian; marked as invented, like everything in the demo region."""
    level = school_level.level
    year = school_level.school_year
    basis = (
        "В соответствии с методическими рекомендациями по реализации профориентационного минимума и нормативной "
        "версией профминимума Министерства образования и науки Республики Северная Осетия-Алания"
    )
    level_item = (
        f"1. Реализовывать в {year} учебном году профориентационный минимум для обучающихся 6–11 классов на "
        f"{LEVEL_IN_PREPOSITIONAL[level.code]} уровне — не менее {hours_text(level.min_hours)} в год на обучающегося."
    )
    coordinator_item = (
        f"2. Школьный координатор профориентационного минимума — {coordinator or 'заместитель директора по воспитательной работе'}."
    )
    marks_item = "3. Классным руководителям и педагогам-навигаторам отмечать посещаемость занятий в Профнавигаторе в день занятия."
    paragraphs = [
        (school.name, "center", False),
        ("ПРИКАЗ", "center", True),
        (f"{date_short(school_level.order_date)}{' ' * 8}№ {school_level.order_number}", "left", False),
        (f"О реализации профориентационного минимума в {year} учебном году", "left", True),
        (basis, "both", False),
        ("ПРИКАЗЫВАЮ:", "left", True),
        (level_item, "both", False),
        (coordinator_item, "both", False),
        (marks_item, "both", False),
        ("4. Контроль за исполнением приказа оставляю за собой.", "both", False),
        ("Директор" + " " * 40 + "________________", "left", False),
        ("Документ вымышлен: он создан для демонстрационного региона Профнавигатора.", "left", False),
    ]
    body = "".join(
        f'<w:p><w:pPr><w:jc w:val="{align}"/></w:pPr><w:r>{"<w:rPr><w:b/></w:rPr>" if bold else ""}'
        f'<w:t xml:space="preserve">{escape(text)}</w:t></w:r></w:p>'
        for text, align, bold in paragraphs
    )
    document = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
        f"<w:body>{body}<w:sectPr/></w:body></w:document>"
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", _CONTENT_TYPES)
        archive.writestr("_rels/.rels", _PACKAGE_RELATIONS)
        archive.writestr("word/document.xml", document)
    return buffer.getvalue()


_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/word/document.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
    "</Types>"
)
_PACKAGE_RELATIONS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
    'Target="word/document.xml"/>'
    "</Relationships>"
)


# --- school days ------------------------------------------------------------------------------------------------


class SchoolCalendar:
    """The days pupils are at school in a year: Monday to Friday, outside the holidays of the normative version."""

    def __init__(self, *, school_year: SchoolYear, holidays: list[tuple[datetime.date, datetime.date]]):
        self.starts_on, self.ends_on = school_year.starts_on, school_year.ends_on
        self.days_off = {start + datetime.timedelta(days=offset) for start, end in holidays for offset in range((end - start).days + 1)}

    def is_school_day(self, day: datetime.date) -> bool:
        return self.starts_on <= day <= self.ends_on and day.weekday() < 5 and day not in self.days_off

    def school_day(self, day: datetime.date) -> datetime.date:
        """The day itself if it is a school day, else the next one (the one before, at the end of the year)."""
        day = max(day, self.starts_on)
        for step in (1, -1):
            candidate = day
            while self.starts_on <= candidate <= self.ends_on:
                if self.is_school_day(candidate):
                    return candidate
                candidate += datetime.timedelta(days=step)
        raise ValueError(f"В учебном году {self.starts_on}–{self.ends_on} нет ни одного учебного дня.")


# --- the year's activities and their marks, class by class ------------------------------------------------------


class _History:
    """Every activity of every class 6–11 (the course and the rest), with marks for those held before today.
    Schools differ: most mark every lesson and most pupils come; a few schools lag behind with their marks, so
    the dashboards have something to point at."""

    def __init__(self, *, rng: random.Random, school_year: SchoolYear, version: NormativeVersion, today: datetime.date,
                 say: Callable[[str], None]):  # fmt: skip
        self.rng, self.school_year, self.version, self.say = rng, school_year, version, say
        self.tz = timezone.get_current_timezone()
        self.held_before = datetime.datetime.combine(today, datetime.time(0), tzinfo=self.tz)
        holidays = list(version.holidays.values_list("starts_on", "ends_on"))
        self.calendar = SchoolCalendar(school_year=school_year, holidays=holidays)
        self.course_days = thursdays(school_year=school_year, holidays=holidays, count=version.course_lessons.count())
        self.directions = {d.code: d.pk for d in version.directions.all()}
        self.ids = PrimaryKeys()
        # Values go to the driver already in the database's form, once per activity rather than once per mark.
        # SQLite's driver adapts a Decimal by a Python call for every value; the text of the number is stored alike.
        self.db_datetime, self.db_date = connection.ops.adapt_datetimefield_value, connection.ops.adapt_datefield_value
        self.db_hours = str if connection.vendor == "sqlite" else Decimal
        # The year's activities were planned before it began; each was marked on its own day, after it was held.
        planned_at = datetime.datetime.combine(school_year.starts_on - datetime.timedelta(days=7), datetime.time(9), tzinfo=self.tz)
        self.db_planned_at = self.db_datetime(min(planned_at, timezone.now()))
        self.lessons = self.other_activities = self.marks = 0
        self._reset()

    def _reset(self) -> None:
        self.activity_rows: list[tuple] = []
        self.link_rows: list[tuple] = []
        self.marked_rows: list[tuple] = []
        self.absent_rows: list[tuple] = []

    def build(self) -> None:
        classes = list(SchoolClass.objects.filter(school_year=self.school_year, grade__gte=6, grade__lte=11).order_by("pk"))
        members: dict[int, list[int]] = defaultdict(list)
        for student_id, class_id in Student.objects.filter(current_class__in=classes).order_by("pk").values_list("pk", "current_class_id"):
            members[class_id].append(student_id)
        municipality_of = dict(Organization.objects.filter(kind=Organization.Kind.SCHOOL).values_list("pk", "municipality_id"))
        school_ids = sorted({c.school_id for c in classes})
        diligence = {school_id: self.rng.choice([0.97, 0.95, 0.93, 0.9, 0.85, 0.6, 0.35]) for school_id in school_ids}
        attendance_rate = {school_id: self.rng.uniform(0.86, 0.97) for school_id in school_ids}
        colleges = list(
            Organization.objects.filter(kind__in=[Organization.Kind.COLLEGE, Organization.Kind.UNIVERSITY])
            .order_by("pk")
            .values_list("pk", "short_name")
        ) or [(None, "колледж")]
        employers = list(Organization.objects.filter(kind=Organization.Kind.EMPLOYER).order_by("pk").values_list("pk", "short_name")) or [
            (None, "предприятие")
        ]  # fmt: skip
        course = [
            (lesson.pk, f"«Россия — мои горизонты»: {lesson.topic}", day)
            for lesson, day in zip(CourseLesson.objects.filter(normative=self.version).order_by("number"), self.course_days)
        ]
        self.say(
            f"Мероприятия и отметки посещаемости: {count_text(len(classes), 'класс', 'класса', 'классов')}, занятия курса — по четвергам вне каникул"
        )
        self.marks_table = _MarksTables()
        step = max(1, -(-len(classes) // PROGRESS_STEPS))
        for index, school_class in enumerate(classes, 1):
            activities = [
                (None, "course", title, datetime.datetime.combine(day, LESSON_TIME, tzinfo=self.tz), "1", "", lesson_id)
                for lesson_id, title, day in course
            ]
            activities += self._other_activities(school_class, colleges=colleges, employers=employers)
            school_id = school_class.school_id
            context = (school_class.pk, school_id, municipality_of[school_id], members.get(school_class.pk, []))
            for activity in activities:
                self._add(activity, context, diligence[school_id], attendance_rate[school_id])
            if len(self.marked_rows) >= FLUSH_ACTIVITIES:
                self._flush()
            if index % step == 0 or index == len(classes):
                self._flush()
                self.say(f"Отметки посещаемости: {thousands(self.marks)} (классов готово: {thousands(index)} из {thousands(len(classes))})")
        self.marks_table.drop()
        self.ids.sync_sequences()

    def _other_activities(self, school_class: SchoolClass, *, colleges, employers) -> list[tuple]:
        """Besides the course: career lessons, an open day and an excursion, parents' meetings, profile electives;
        each on a school day. Each is (organizer, direction code, title, start, hours, place, course lesson)."""
        rng, year = self.rng, self.school_year

        def on(day: datetime.date, hour: int | None = None) -> datetime.datetime:
            return datetime.datetime.combine(self.calendar.school_day(day), datetime.time(hour or rng.choice([10, 12, 15])), tzinfo=self.tz)

        months = [(year.starts_on.replace(day=1) + datetime.timedelta(days=31 * i)).replace(day=1) for i in range(9)]
        activities = [
            (
                None,
                "lessons",
                "Урок с профориентационным содержанием",
                on(month + datetime.timedelta(days=rng.randint(8, 20))),
                "1",
                "",
                None,
            )
            for month in months
        ]
        college_id, college = rng.choice(colleges)
        employer_id, employer = rng.choice(employers)
        activities += [
            (college_id, "upbringing", f"День открытых дверей: {college}", on(months[1] + datetime.timedelta(days=rng.randint(1, 25))), "2",
             "", None),
            (employer_id, "upbringing", f"Экскурсия на предприятие {employer}", on(months[3] + datetime.timedelta(days=rng.randint(1, 20))),
             "2", "", None),
            (None, "parents", "Родительское собрание «Как помочь ребёнку выбрать профессию»",
             on(months[1] + datetime.timedelta(days=rng.randint(1, 25)), 18), "1", "", None),
            (None, "parents", "Родительское собрание по итогам профпроб", on(months[6] + datetime.timedelta(days=rng.randint(1, 20)), 18),
             "1", "", None),
        ]  # fmt: skip
        if school_class.kind != SchoolClass.Kind.GENERAL:
            title = f"Элективный курс ({school_class.profile or 'предпрофильная подготовка'})"
            activities += [
                (None, "profile_classes", title, on(year.starts_on + datetime.timedelta(weeks=week, days=1)), "1", "", None)
                for week in range(0, 34, 2)
            ]
        return activities

    def _add(self, activity: tuple, context: tuple, diligence: float, attendance_rate: float) -> None:
        """One activity of a class. If it was held and marked, who was absent is drawn here; the marks
        themselves (one per pupil of the class) and the ledger's credits are made by the database."""
        organizer_id, direction, title, starts_at, hours, place, course_lesson_id = activity
        class_id, school_id, municipality_id, students = context
        hours = self.db_hours(Decimal(hours))
        marked = starts_at < self.held_before and self.rng.random() <= diligence
        db_marked_at = self.db_datetime(starts_at + datetime.timedelta(hours=2)) if marked else None
        activity_id = self.ids.take(Activity)
        direction_id = self.directions[direction]
        self.activity_rows.append(
            (activity_id, self.school_year.pk, direction_id, title, self.db_datetime(starts_at), hours, school_id,
             organizer_id or school_id, place, course_lesson_id, self.db_planned_at, db_marked_at)
        )  # fmt: skip
        self.link_rows.append((activity_id, class_id))
        if course_lesson_id is None:
            self.other_activities += 1
        else:
            self.lessons += 1
        if not marked:
            return
        day = self.db_date(timezone.localtime(starts_at, self.tz).date())
        self.marked_rows.append((activity_id, class_id, school_id, municipality_id, direction_id, hours, day, db_marked_at))
        random, choice = self.rng.random, self.rng.choice
        self.absent_rows.extend((activity_id, student_id, choice(EXCUSES)) for student_id in students if random() >= attendance_rate)
        self.marks += len(students)

    def _flush(self) -> None:
        insert_model_rows(Activity, ACTIVITY_FIELDS, self.activity_rows)
        insert_model_rows(Activity.classes.through, CLASS_LINK_FIELDS, self.link_rows)
        self.marks_table.insert(self.marked_rows, self.absent_rows, school_year_id=self.school_year.pk)
        self._reset()


class _MarksTables:
    """Two temporary tables — the marked activities and the absences — from which one INSERT … SELECT makes a
    mark for every pupil of the class and another the ledger's credit for every pupil present. The database
    does in a second what binding 1.3 million rows from Python would take several to do."""

    MARKED = "demo_marked_activity"
    ABSENT = "demo_absence"

    def __init__(self):
        self.quote = connection.ops.quote_name
        with connection.cursor() as cursor:
            cursor.execute(
                f"CREATE TEMPORARY TABLE {self.MARKED} (activity_id bigint PRIMARY KEY, class_id bigint, school_id bigint, "
                "municipality_id bigint, direction_id bigint, hours numeric(5, 1), occurred_on date, marked_at timestamp with time zone)"
            )
            cursor.execute(f"CREATE TEMPORARY TABLE {self.ABSENT} (activity_id bigint, student_id bigint, excuse varchar(200))")
            cursor.execute(f"CREATE INDEX {self.ABSENT}_key ON {self.ABSENT} (activity_id, student_id)")

    def insert(self, marked: list[tuple], absent: list[tuple], *, school_year_id: int) -> None:
        if not marked:
            return
        self._rows(self.MARKED, ("activity_id", "class_id", "school_id", "municipality_id", "direction_id", "hours", "occurred_on",
                                 "marked_at"), marked)  # fmt: skip
        self._rows(self.ABSENT, ("activity_id", "student_id", "excuse"), absent)
        q = self.quote
        attendance, entry, student = Attendance._meta.db_table, HoursEntry._meta.db_table, Student._meta.db_table
        pupils = (
            f"FROM {self.MARKED} m JOIN {q(student)} s ON s.{q('current_class_id')} = m.class_id "
            f"LEFT JOIN {self.ABSENT} a ON a.activity_id = m.activity_id AND a.student_id = s.{q('id')}"
        )
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {q(attendance)} ({q('activity_id')}, {q('student_id')}, {q('present')}, {q('excuse')}, "
                f"{q('credited_hours')}, {q('school_id')}, {q('school_class_id')}, {q('marked_at')}) "
                f"SELECT m.activity_id, s.{q('id')}, a.student_id IS NULL, COALESCE(a.excuse, ''), "
                f"CASE WHEN a.student_id IS NULL THEN m.hours ELSE 0 END, m.school_id, m.class_id, m.marked_at {pupils} "
                f"ORDER BY m.activity_id, s.{q('id')}"
            )
            cursor.execute(
                f"INSERT INTO {q(entry)} ({q('student_id')}, {q('activity_id')}, {q('direction_id')}, {q('school_year_id')}, "
                f"{q('school_id')}, {q('school_class_id')}, {q('municipality_id')}, {q('hours')}, {q('reason')}, {q('occurred_on')}, "
                f"{q('created_at')}) "
                f"SELECT s.{q('id')}, m.activity_id, m.direction_id, %s, m.school_id, m.class_id, m.municipality_id, m.hours, %s, "
                f"m.occurred_on, m.marked_at {pupils} WHERE a.student_id IS NULL ORDER BY m.activity_id, s.{q('id')}",
                [school_year_id, ATTENDED],
            )
            cursor.execute(f"DELETE FROM {self.MARKED}")
            cursor.execute(f"DELETE FROM {self.ABSENT}")

    def _rows(self, table: str, columns: tuple[str, ...], rows: list[tuple]) -> None:
        if not rows:
            return
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                with cursor.cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(row)
            else:
                cursor.executemany(f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join(['%s'] * len(columns))})", rows)

    def drop(self) -> None:
        with connection.cursor() as cursor:
            cursor.execute(f"DROP TABLE {self.ABSENT}")
            cursor.execute(f"DROP TABLE {self.MARKED}")
