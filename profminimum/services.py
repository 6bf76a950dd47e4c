"""Writes of the профминимум. Every write that moves hours goes through the ledger and the rollups in one
transaction: a mark, a correction, a deleted activity, a transfer, a changed school level."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from core.bulk import insert_model_rows
from core.formatting import date_short, date_text, day_text
from orgs.models import SchoolClass, SchoolYear
from people.models import Enrollment, Student
from profminimum.models import (
    Activity,
    Attendance,
    AttendanceCorrection,
    HoursEntry,
    SchoolLevel,
    SchoolLevelChange,
)
from profminimum.rollups import (
    ZERO,
    Placement,
    RollupDelta,
    facts_load,
    level_history_ensure,
    rollup_writer,
    students_update,
    year_rows_lock,
)

# --- attendance ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Mark:
    present: bool
    excuse: str = ""


@dataclass(frozen=True)
class AttendanceResult:
    marked: int
    changed: int
    hours_delta: Decimal


def _facts_with(facts, entries: list[HoursEntry]):
    after = facts.copy()
    for entry in entries:
        after.add_hours(entry.student_id, entry.occurred_on, entry.direction_id, entry.hours)
    return after


@rollup_writer
def attendance_save(*, activity: Activity, marks: dict[int, Mark], by) -> AttendanceResult:
    """Save the marks of an activity for these students in one go. New marks credit the activity's hours
    to those present; changed marks are kept as corrections and move exactly the difference. An activity
    that has not happened yet cannot be marked."""
    activity = Activity.objects.select_for_update(of=("self",)).select_related("school_year").get(pk=activity.pk)
    if activity.deleted_at is not None:
        raise ValidationError("Мероприятие удалено: отмечать посещаемость нельзя.")
    day = timezone.localtime(activity.starts_at).date()
    if day > timezone.localdate():
        raise ValidationError(f"Мероприятие ещё не состоялось ({day_text(day)}): посещаемость отмечается в день проведения или позже.")
    school_year = activity.school_year
    student_ids = sorted(marks)
    existing = {
        a.student_id: a
        for a in Attendance.objects.select_for_update(of=("self",))
        .filter(activity=activity, student_id__in=student_ids)
        .select_related("school")
        .order_by("student_id")
    }
    rows = year_rows_lock(school_year_id=school_year.pk, student_ids=student_ids)
    facts = facts_load(school_year=school_year, student_ids=student_ids)
    unplaced = [sid for sid in student_ids if sid not in facts.enrollments and sid not in existing]
    if unplaced:
        raise ValidationError(f"Обучающиеся не числятся в классе этого учебного года: {len(unplaced)}.")
    delta = RollupDelta(school_year.pk)
    new_attendances, changed_attendances, corrections, entries = [], [], [], []
    hours_total = ZERO
    for student_id in student_ids:
        mark = marks[student_id]
        excuse = "" if mark.present else mark.excuse.strip()[:200]
        credit = activity.duration_hours if mark.present else ZERO
        attendance = existing.get(student_id)
        if attendance is None:
            # The hours belong to the class the student was in on the day of the activity, for good.
            state = facts.state_on(student_id, day) or facts.state_on(student_id, school_year.ends_on)
            placement = state.placement
            attendance = Attendance(
                activity=activity, student_id=student_id, present=mark.present, excuse=excuse, credited_hours=credit,
                school_id=placement.school_id, school_class_id=placement.class_id, marked_by=by,
            )  # fmt: skip
            new_attendances.append(attendance)
            change, reason = credit, HoursEntry.Reason.ATTENDED
        else:
            if attendance.present == mark.present and attendance.excuse == excuse:
                continue
            corrections.append(
                AttendanceCorrection(
                    attendance=attendance,
                    was_present=attendance.present,
                    now_present=mark.present,
                    was_excuse=attendance.excuse,
                    now_excuse=excuse,
                    changed_by=by,
                )
            )
            change, reason = credit - attendance.credited_hours, HoursEntry.Reason.CORRECTED
            attendance.present, attendance.excuse, attendance.credited_hours, attendance.marked_by = mark.present, excuse, credit, by
            changed_attendances.append(attendance)
            placement = Placement(attendance.school_id, attendance.school_class_id, attendance.school.municipality_id)
        if change:
            hours_total += change
            entries.append(_entry(activity, student_id, placement, change, reason, day, by))
            delta.hours_delivered(placement, activity.direction_id, day, change)

    _attendances_insert(new_attendances)
    if changed_attendances:
        Attendance.objects.bulk_update(changed_attendances, ["present", "excuse", "credited_hours", "marked_by", "marked_at"])
        AttendanceCorrection.objects.bulk_create(corrections)
    _entries_insert(entries)
    moved = sorted({entry.student_id for entry in entries})
    students_update(
        school_year=school_year, facts_before=facts, facts_after=_facts_with(facts, entries), student_ids=moved, rows=rows, delta=delta
    )
    if activity.marked_at is None:
        # Only the one column: save() would rewrite the search text too, and the row is already locked above.
        activity.marked_at = timezone.now()
        Activity.objects.filter(pk=activity.pk).update(marked_at=activity.marked_at)
        if activity.course_lesson_id:
            for school_class in activity.classes.select_related("school"):
                delta.lesson_held(Placement(school_class.school_id, school_class.pk, school_class.school.municipality_id), day, +1)
    delta.apply()
    return AttendanceResult(marked=len(new_attendances), changed=len(changed_attendances), hours_delta=hours_total)


def _attendances_insert(attendances: list[Attendance]) -> None:
    """New marks as plain rows (their ids are never needed here): a class's save stays a few round trips."""
    insert_model_rows(
        Attendance,
        ("activity_id", "student_id", "present", "excuse", "credited_hours", "school_id", "school_class_id", "marked_by_id"),
        [
            (a.activity_id, a.student_id, a.present, a.excuse, a.credited_hours, a.school_id, a.school_class_id, a.marked_by_id)
            for a in attendances
        ],
    )


def _entries_insert(entries: list[HoursEntry]) -> None:
    insert_model_rows(
        HoursEntry,
        ("student_id", "activity_id", "direction_id", "school_year_id", "school_id", "school_class_id", "municipality_id", "hours",
         "reason", "occurred_on", "created_by_id"),
        [
            (e.student_id, e.activity_id, e.direction_id, e.school_year_id, e.school_id, e.school_class_id, e.municipality_id, e.hours,
             e.reason, e.occurred_on, e.created_by_id)
            for e in entries
        ],
    )  # fmt: skip


def _entry(activity, student_id, placement: Placement, hours, reason, day, by) -> HoursEntry:
    return HoursEntry(
        student_id=student_id, activity=activity, direction_id=activity.direction_id, school_year_id=activity.school_year_id,
        school_id=placement.school_id, school_class_id=placement.class_id, municipality_id=placement.municipality_id,
        hours=hours, reason=reason, occurred_on=day, created_by=by,
    )  # fmt: skip


@rollup_writer
def activity_delete(*, activity: Activity, by) -> Decimal:
    """Delete an activity: it stays in the history, and every hour it credited is reversed."""
    activity = Activity.objects.select_for_update(of=("self",)).select_related("school_year").get(pk=activity.pk)
    if activity.deleted_at is not None:
        return ZERO
    school_year = activity.school_year
    delta = RollupDelta(school_year.pk)
    credited = list(
        Attendance.objects.select_for_update(of=("self",))
        .filter(activity=activity, credited_hours__gt=0)
        .select_related("school")
        .order_by("student_id")
    )
    student_ids = [a.student_id for a in credited]
    rows = year_rows_lock(school_year_id=school_year.pk, student_ids=student_ids)
    facts = facts_load(school_year=school_year, student_ids=student_ids)
    day = timezone.localtime(activity.starts_at).date()
    entries, reversed_total = [], ZERO
    for attendance in credited:
        change = -attendance.credited_hours
        placement = Placement(attendance.school_id, attendance.school_class_id, attendance.school.municipality_id)
        entries.append(_entry(activity, attendance.student_id, placement, change, HoursEntry.Reason.ACTIVITY_DELETED, day, by))
        delta.hours_delivered(placement, activity.direction_id, day, change)
        attendance.credited_hours = ZERO
        reversed_total += change
    Attendance.objects.bulk_update(credited, ["credited_hours"])
    _entries_insert(entries)
    students_update(
        school_year=school_year,
        facts_before=facts,
        facts_after=_facts_with(facts, entries),
        student_ids=student_ids,
        rows=rows,
        delta=delta,
    )
    if activity.marked_at is not None and activity.course_lesson_id:
        for school_class in activity.classes.select_related("school"):
            delta.lesson_held(Placement(school_class.school_id, school_class.pk, school_class.school.municipality_id), day, -1)
    activity.deleted_at, activity.deleted_by = timezone.now(), by
    activity.save(update_fields=["deleted_at", "deleted_by"])
    delta.apply()
    return -reversed_total


# --- placement and level changes --------------------------------------------------------------------------


@rollup_writer
def student_placement_changed(*, student: Student, school_year: SchoolYear, school_class: SchoolClass, on: datetime.date) -> None:
    """After a transfer from `on`: the student keeps their hours; from that day they count in the new class and
    are judged by the new school's level (before it, where they were)."""
    rows = year_rows_lock(school_year_id=school_year.pk, student_ids=[student.pk])
    after = facts_load(school_year=school_year, student_ids=[student.pk])
    before = after.copy()
    enrollments = [
        e for e in before.enrollments.get(student.pk, []) if not (e[0] == max(on, school_year.starts_on) and e[1] == school_class.pk)
    ]
    if enrollments:
        before.enrollments[student.pk] = enrollments
    else:
        before.enrollments.pop(student.pk, None)
    delta = RollupDelta(school_year.pk)
    students_update(school_year=school_year, facts_before=before, facts_after=after, student_ids=[student.pk], rows=rows, delta=delta)
    delta.apply()


@rollup_writer
def school_level_set(
    *, school, school_year: SchoolYear, level, status: str, by, order_file=None, order_number: str = "", order_date=None
) -> SchoolLevel:
    """Choose (school coordinator), approve or set (ministry) the school's level. A new level is in force from
    today (from the year's start if the year has not begun): the school's students are judged by it from then
    on, and by the old one before."""
    if level.normative.school_year_id != school_year.pk:
        raise ValidationError({"level": "Уровень относится к другому учебному году."})
    now = timezone.now()
    school_level, _ = SchoolLevel.objects.select_for_update().get_or_create(
        school=school, school_year=school_year, defaults={"level": level, "status": status}
    )
    school_level.level, school_level.status = level, status
    if status == SchoolLevel.Status.CHOSEN:
        # A new choice waits for a new decision: the old approval no longer stands behind it.
        school_level.chosen_by, school_level.chosen_at = by, now
        school_level.decided_by, school_level.decided_at = None, None
    else:
        school_level.decided_by, school_level.decided_at = by, now
    if order_file is not None:
        school_level.order_file = order_file
    if order_number:
        school_level.order_number = order_number
    if order_date:
        school_level.order_date = order_date
    school_level.full_clean(exclude=["order_file"])
    school_level.save()
    _level_in_force(school_id=school.pk, school_year=school_year, level_id=level.pk)
    return school_level


def _level_in_force(*, school_id: int, school_year: SchoolYear, level_id: int | None) -> None:
    """Record the level in force from today and move the school's students (all who were in it this year)."""
    # Other schools' levels written without a history get theirs; this school's change is written below (its
    # level row is already saved, so ensuring it here would record the new level as if it had always been).
    level_history_ensure(school_year=school_year, exclude_school_id=school_id)
    today = min(max(timezone.localdate(), school_year.starts_on), school_year.ends_on)
    current = SchoolLevelChange.objects.filter(school_id=school_id, school_year=school_year).order_by("-effective_on", "-pk").first()
    if current is not None and current.level_id == level_id:
        return
    student_ids = sorted(
        set(
            Enrollment.objects.filter(school_class__school_id=school_id, school_class__school_year=school_year).values_list(
                "student_id", flat=True
            )
        )
    )
    rows = year_rows_lock(school_year_id=school_year.pk, student_ids=student_ids)
    before = facts_load(school_year=school_year, student_ids=student_ids, extra_school_ids=[school_id])
    SchoolLevelChange.objects.create(school_id=school_id, school_year=school_year, level_id=level_id, effective_on=today)
    after = before.copy()
    changes = [c for c in after.levels.get(school_id, []) if c[0] != today]
    after.levels[school_id] = sorted([*changes, (today, level_id or 0)])
    delta = RollupDelta(school_year.pk)
    students_update(school_year=school_year, facts_before=before, facts_after=after, student_ids=student_ids, rows=rows, delta=delta)
    delta.apply()


# --- the course schedule ------------------------------------------------------------------------------------


def thursdays(*, school_year: SchoolYear, holidays: list[tuple[datetime.date, datetime.date]], count: int) -> list[datetime.date]:
    """The first `count` Thursdays of the school year outside the holidays."""
    day = school_year.starts_on + datetime.timedelta(days=(3 - school_year.starts_on.weekday()) % 7)
    dates = []
    while len(dates) < count and day <= school_year.ends_on:
        if not any(start <= day <= end for start, end in holidays):
            dates.append(day)
        day += datetime.timedelta(days=7)
    return dates


LESSON_TIME = datetime.time(14, 0)


@transaction.atomic
def course_schedule_generate(*, school_year: SchoolYear, schools=None, by=None) -> int:
    """Put the lessons of «Россия — мои горизонты» into every class 6–11 of the year: one a week on
    Thursdays outside the region's holidays, each with its topic from the programme. Classes that already
    have their lessons are left as they are. Returns the number of lessons created."""
    normative = school_year.normative
    lessons = list(normative.course_lessons.order_by("number"))
    direction = normative.directions.get(code="course")
    holidays = list(normative.holidays.values_list("starts_on", "ends_on"))
    dates = thursdays(school_year=school_year, holidays=holidays, count=len(lessons))
    classes = SchoolClass.objects.filter(school_year=school_year, grade__gte=6, grade__lte=11)
    if schools is not None:
        classes = classes.filter(school__in=schools)
    scheduled = set(
        Activity.classes.through.objects.filter(activity__course_lesson__normative=normative, schoolclass__in=classes).values_list(
            "schoolclass_id", flat=True
        )
    )
    classes = [c for c in classes.only("pk", "school_id") if c.pk not in scheduled]
    tz = timezone.get_current_timezone()
    created = 0
    for batch_start in range(0, len(classes), 200):
        batch = classes[batch_start : batch_start + 200]
        activities = [
            Activity(
                school_year=school_year,
                direction=direction,
                title=f"«Россия — мои горизонты»: {lesson.topic}",
                starts_at=datetime.datetime.combine(day, LESSON_TIME, tzinfo=tz),
                duration_hours=Decimal("1"),
                school_id=school_class.school_id,
                organizer_id=school_class.school_id,
                course_lesson=lesson,
                created_by=by,
            )
            for school_class in batch
            for lesson, day in zip(lessons, dates)
        ]
        for activity in activities:
            activity.search_text = activity.build_search_text()  # bulk_create skips save(), which fills it
        Activity.objects.bulk_create(activities)
        per_class = len(dates)
        Activity.classes.through.objects.bulk_create(
            [
                Activity.classes.through(activity_id=activity.pk, schoolclass_id=batch[index // per_class].pk)
                for index, activity in enumerate(activities)
            ]
        )
        created += len(activities)
    return created


@transaction.atomic
def activity_move(*, activity: Activity, starts_at: datetime.datetime, by) -> Activity:
    """Move a lesson to another day or time. A lesson already marked has happened: correct or delete it instead."""
    activity = Activity.objects.select_for_update().get(pk=activity.pk)
    if activity.marked_at is not None:
        raise ValidationError("Посещаемость этого занятия уже отмечена — перенести его нельзя. Исправьте отметки или удалите занятие.")
    school_year = activity.school_year
    local_day = timezone.localtime(starts_at).date()
    if not school_year.starts_on <= local_day <= school_year.ends_on:
        raise ValidationError(
            f"Дата должна быть в пределах учебного года {school_year} ({date_short(school_year.starts_on)}–{date_short(school_year.ends_on)})."
        )
    activity.starts_at = starts_at
    activity.save(update_fields=["starts_at"])
    return activity


# --- creating activities ------------------------------------------------------------------------------------


@transaction.atomic
def activity_create(
    *, school, school_year: SchoolYear, direction, title: str, starts_at: datetime.datetime, duration_hours: Decimal,
    organizer=None, place: str = "", classes=(), students=(), by,
) -> Activity:  # fmt: skip
    """A career-guidance activity of a school for whole classes and/or chosen students. Everything is checked
    before anything is written; the errors are Russian and keyed by the field they are about."""
    classes, students = list(classes), list(students)
    activity = Activity(
        school_year=school_year, direction=direction, title=(title or "").strip(), starts_at=starts_at,
        duration_hours=duration_hours, school=school, organizer=organizer, place=(place or "").strip(), created_by=by,
    )  # fmt: skip
    errors: dict[str, list[str]] = {}
    try:
        activity.full_clean(exclude=["course_lesson", "created_by", "marked_at", "deleted_at", "deleted_by"])
    except ValidationError as error:
        errors.update({name: list(messages) for name, messages in error.message_dict.items()})

    def add(name: str, message: str) -> None:
        errors.setdefault(name, []).append(message)

    if direction is not None and direction.normative.school_year_id != school_year.pk:
        add("direction", "Направление относится к нормативной версии другого учебного года.")
    if starts_at is not None:
        day = timezone.localtime(starts_at).date()
        if not school_year.starts_on <= day <= school_year.ends_on:
            add(
                "starts_at",
                f"Дата должна быть в пределах учебного года {school_year} ({date_short(school_year.starts_on)}–{date_short(school_year.ends_on)}).",
            )
    foreign_classes = [c for c in classes if c.school_id != school.pk or c.school_year_id != school_year.pk]
    if foreign_classes:
        add("classes", f"Классы не относятся к этой школе в {school_year} учебном году: {', '.join(c.name for c in foreign_classes)}.")
    foreign_students = [s for s in students if s.current_school_id != school.pk]
    if foreign_students:
        add("students", f"Обучающиеся не учатся в этой школе: {len(foreign_students)}.")
    if not classes and not students:
        add("classes", "Выберите хотя бы один класс целиком или отдельных обучающихся.")
    if errors:
        raise ValidationError(errors)
    activity.save()
    activity.classes.set(classes)
    activity.students.set(students)
    return activity


# --- a school's level: the coordinator's choice with its order, the ministry's approval ------------------------


@transaction.atomic
def school_level_choose(
    *, school, school_year: SchoolYear, level, order_file=None, order_number: str, order_date: datetime.date, by
) -> SchoolLevel:
    """The school coordinator chooses the level and attaches the school's order (checked by its content:
    PDF, DOC or DOCX up to 10 MB). The choice waits for the ministry's approval. A level the ministry set
    itself is the ministry's to change. A new order replaces the old one, whose file is removed once the
    transaction has committed."""
    from profminimum.uploads import order_document_check

    today = timezone.localdate()
    if school_year.ends_on < today:
        raise ValidationError(f"{school_year} учебный год закончился {date_text(school_year.ends_on)}: уровень на него уже не выбирают.")
    current = SchoolLevel.objects.select_for_update().filter(school=school, school_year=school_year).first()
    errors: dict[str, list[str]] = {}
    if current is not None and current.status == SchoolLevel.Status.SET_BY_MINISTRY:
        raise ValidationError("Уровень школы установлен министерством: изменить его может только министерство.")
    if order_file is None and (current is None or not current.order_file):
        errors["order_file"] = ["Приложите приказ школы о выборе уровня (PDF, DOC или DOCX, до 10 МБ)."]
    order_number = (order_number or "").strip()
    if not order_number:
        errors["order_number"] = ["Укажите номер приказа школы."]
    elif len(order_number) > 50:
        errors["order_number"] = ["Номер приказа — не длиннее 50 символов."]
    if order_date is None:
        errors["order_date"] = ["Укажите дату приказа школы."]
    elif order_date > today:
        errors["order_date"] = ["Дата приказа не может быть позже сегодняшнего дня."]
    elif order_date < (earliest := order_date_earliest(school_year)):
        errors["order_date"] = [
            (
                f"Дата приказа — не раньше {date_short(earliest)}: приказ о выборе уровня на {school_year} учебный год "
                "издают не раньше чем за год до его начала."
            )
        ]
    if order_file is not None:
        try:
            kind = order_document_check(order_file)
        except ValidationError as error:
            errors["order_file"] = error.messages
        else:
            # The stored name carries the extension of what the content is, not of what the name claimed.
            order_file.name = f"order.{kind.extension}"
    if errors:
        raise ValidationError(errors)
    old_name = current.order_file.name if current is not None and current.order_file and order_file is not None else ""
    school_level = school_level_set(
        school=school, school_year=school_year, level=level, status=SchoolLevel.Status.CHOSEN, by=by,
        order_file=order_file, order_number=order_number, order_date=order_date,
    )  # fmt: skip
    if old_name and old_name != school_level.order_file.name:
        storage = school_level.order_file.storage
        transaction.on_commit(lambda: storage.delete(old_name))
    return school_level


def order_date_earliest(school_year: SchoolYear) -> datetime.date:
    """The earliest date of a school's order choosing the level: a year before the school year starts."""
    start = school_year.starts_on
    return start.replace(year=start.year - 1, day=min(start.day, 28) if start.month == 2 else start.day)


@transaction.atomic
def school_level_approve(*, school_level: SchoolLevel, level_id: int | None = None, by) -> SchoolLevel:
    """The ministry approves the level a school chose. `level_id` is the level the approver saw: if the
    school changed its choice in the meantime, nothing is approved."""
    current = SchoolLevel.objects.select_for_update(of=("self",)).select_related("level", "school", "school_year").get(pk=school_level.pk)
    if current.status != SchoolLevel.Status.CHOSEN:
        raise ValidationError(f"Уровень школы «{current.school}» уже {current.get_status_display()}.")
    if level_id is not None and current.level_id != level_id:
        raise ValidationError(f"Школа «{current.school}» изменила выбор уровня: обновите страницу и проверьте его.")
    return school_level_set(
        school=current.school, school_year=current.school_year, level=current.level, status=SchoolLevel.Status.APPROVED, by=by
    )


def on_placement_changed(*, student: Student, school_class: SchoolClass, on: datetime.date, **_signal) -> None:
    """people.signals.placement_changed: the student keeps their hours, judged by the new school's level."""
    student_placement_changed(student=student, school_year=school_class.school_year, school_class=school_class, on=on)


@rollup_writer
def students_placed_update(*, school_year: SchoolYear, student_ids, on: datetime.date) -> None:
    """Many students placed in the year for the first time (an import, the changeover to a new year): before, they
    had no timeline in it; after, the one their enrollments give. A few thousand at a time, each batch in one
    pass over the facts."""
    student_ids = sorted(set(student_ids))
    for start in range(0, len(student_ids), 2000):
        chunk = student_ids[start : start + 2000]
        rows = year_rows_lock(school_year_id=school_year.pk, student_ids=chunk)
        after = facts_load(school_year=school_year, student_ids=chunk)
        before = after.copy()
        for student_id in chunk:
            before.enrollments.pop(student_id, None)
        delta = RollupDelta(school_year.pk)
        students_update(school_year=school_year, facts_before=before, facts_after=after, student_ids=chunk, rows=rows, delta=delta)
        delta.apply()


def on_students_placed(*, school_year: SchoolYear, student_ids, on: datetime.date, **_signal) -> None:
    """people.signals.students_placed: the students count from `on` in their new classes."""
    students_placed_update(school_year=school_year, student_ids=student_ids, on=on)


def on_school_municipality_changed(*, school, municipality, **_signal) -> None:
    """orgs.signals.school_municipality_changed: the school, its students and its hours count in the new
    municipality for the whole current school year (the network keeps no history of a school's municipality).
    The year's ledger lines of the school are attributed to it too — else the municipalities' hours and their
    student counts would disagree — and the year's rollups are rebuilt from the facts. Past years keep the
    figures they were closed with."""
    from orgs.selectors import school_year_current
    from profminimum.rollups import rollups_rebuild

    school_year = school_year_current()
    if school_year is None:
        return
    HoursEntry.objects.filter(school_year=school_year, school=school).update(municipality=municipality)
    rollups_rebuild(school_year_id=school_year.pk)


# --- the one crediting service ---------------------------------------------------------------------------------


CREDIT_TIME = datetime.time(12, 0)


@rollup_writer
def hours_credit(
    *, source_key: str, title: str, direction, hours: Decimal, day: datetime.date, student_ids, organizer=None, school=None, by=None
) -> Activity:
    """Credit hours for work done outside a school's schedule — a completed diagnostic, an attended offer of a
    partner — through the same ledger, rollups and dates as a lesson: the work is an activity (found by its
    `source_key`, made the first time) for the chosen students, each marked present. A day still to come, a
    student not placed in that year, or a source already recorded with other hours or direction is refused.
    Calling it again for the same students changes nothing; other students are added."""
    from profminimum.selectors import normative_for

    student_ids = sorted(set(student_ids))
    source_key = (source_key or "").strip()
    if not source_key or len(source_key) > 100:
        raise ValidationError("Нужен ключ источника зачёта (до 100 символов).")
    school_year = SchoolYear.objects.filter(starts_on__lte=day, ends_on__gte=day).order_by("-starts_on").first()
    if school_year is None or normative_for(school_year) is None:
        raise ValidationError(f"На {date_short(day)} нет учебного года с нормативной версией профминимума: часы зачесть нельзя.")
    if direction.normative.school_year_id != school_year.pk:
        raise ValidationError({"direction": "Направление относится к нормативной версии другого учебного года."})
    activity = Activity.objects.select_for_update(of=("self",)).filter(source_key=source_key).first()
    if activity is None:
        activity = Activity(
            school_year=school_year, direction=direction, title=(title or "").strip()[:300] or "Зачёт часов",
            starts_at=timezone.make_aware(datetime.datetime.combine(day, CREDIT_TIME)), duration_hours=hours,
            school=school, organizer=organizer, created_by=by, source_key=source_key,
        )  # fmt: skip
        activity.full_clean(exclude=["course_lesson", "created_by", "marked_at", "deleted_at", "deleted_by", "search_text"])
        activity.save()
    elif activity.duration_hours != hours or activity.direction_id != direction.pk or activity.deleted_at is not None:
        raise ValidationError("Этот источник уже зачтён с другими часами или направлением; исправьте его, а не зачитывайте заново.")
    activity.students.add(*student_ids)
    attendance_save(activity=activity, marks={sid: Mark(present=True) for sid in student_ids}, by=by)
    return activity


@rollup_writer
def hours_withdraw(*, source_key: str, student_ids, reason: str, by=None) -> Decimal:
    """Take back the hours a source credited to these students (a result found unreliable, an attendance
    cancelled): recorded as corrections, the rollups follow. Returns the hours taken back."""
    activity = Activity.objects.select_for_update(of=("self",)).filter(source_key=source_key, deleted_at__isnull=True).first()
    if activity is None:
        return ZERO
    credited = set(
        Attendance.objects.filter(activity=activity, student_id__in=list(student_ids), present=True).values_list("student_id", flat=True)
    )
    if not credited:
        return ZERO
    result = attendance_save(activity=activity, marks={sid: Mark(present=False, excuse=(reason or "")[:200]) for sid in credited}, by=by)
    return -result.hours_delta
