import datetime
from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone

from core.bulk import insert_rows
from core.formatting import date_range_text, date_short
from orgs.models import SchoolClass, SchoolYear
from orgs.selectors import school_year_current
from people.models import Enrollment, Student
from people.signals import placement_changed, students_placed


def _transfer_date_errors(*, on: datetime.date, to_class: SchoolClass) -> dict[str, str]:
    """A transfer happens within the current school year and not after today. A date far ahead would close
    the current placement in the future, and every later transfer must come after it: one mistyped year
    (31.12.9999) would make the student untransferable."""
    year = school_year_current()
    if year is None:
        return {"on": "Дата перевода: текущий учебный год не задан, переводить пока нельзя."}
    if to_class.school_year_id != year.pk:
        return {"to_class": f"Класс: переводить можно только в класс текущего, {year}, учебного года."}
    today = timezone.localdate()
    if on > today:
        return {"on": f"Дата перевода не может быть позже сегодняшнего дня ({date_short(today)})."}
    if not year.starts_on <= on <= year.ends_on:
        return {"on": f"Дата перевода должна быть в пределах {year} учебного года: {date_range_text(year.starts_on, year.ends_on)}."}
    return {}


@transaction.atomic
def student_transfer(*, student: Student, to_class: SchoolClass, on: datetime.date) -> Enrollment:
    """Move a student to another class (of the same or another school) from `on`, a date within the current
    school year and not after today. The history keeps both placements; the профминимум keeps the student's
    hours and judges them by the new school's level. Errors name the form field they belong to."""
    if isinstance(on, datetime.datetime):
        on = on.date()
    if errors := _transfer_date_errors(on=on, to_class=to_class):
        raise ValidationError(errors)
    student = Student.objects.select_for_update().get(pk=student.pk)
    if student.current_class_id == to_class.pk:
        raise ValidationError({"to_class": "Класс: обучающийся уже в этом классе."})
    current = student.enrollments.filter(ended_on__isnull=True).first()
    if current is not None:
        if on <= current.started_on:
            raise ValidationError(
                {"on": f"Дата перевода должна быть позже {date_short(current.started_on)} — даты зачисления в нынешний класс."}
            )
        current.ended_on = on - datetime.timedelta(days=1)
        current.save(update_fields=["ended_on"])
    enrollment = Enrollment.objects.create(student=student, school_class=to_class, started_on=on)
    student.current_class, student.current_school = to_class, to_class.school
    student.save(update_fields=["current_class", "current_school"])
    placement_changed.send(sender=Student, student=student, school_class=to_class, on=on)
    return enrollment


@transaction.atomic
def student_enroll(*, student: Student, school_class: SchoolClass, on: datetime.date) -> Enrollment:
    """Place a student who has no class now (a new one, or one who has come back) in `school_class` from `on`. The
    профминимум counts them there from that day (the signal a transfer sends)."""
    if isinstance(on, datetime.datetime):
        on = on.date()
    student = Student.objects.select_for_update().get(pk=student.pk)
    if student.enrollments.filter(ended_on__isnull=True).exists():
        raise ValidationError({"to_class": "Класс: обучающийся уже зачислен в класс — его переводят, а не зачисляют."})
    if student.enrollments.filter(school_class__school_year_id=school_class.school_year_id).exists():
        raise ValidationError(
            {"to_class": f"Класс: обучающийся уже был в классе {school_class.school_year} учебного года — его переводят."}
        )
    enrollment = Enrollment.objects.create(student=student, school_class=school_class, started_on=on)
    student.current_class, student.current_school = school_class, school_class.school
    student.save(update_fields=["current_class", "current_school"])
    placement_changed.send(sender=Student, student=student, school_class=school_class, on=on)
    return enrollment


# How many students one statement names: SQLite takes up to 32,766 parameters in a statement.
_CHUNK = 2000


@transaction.atomic
def students_enroll(*, school_year: SchoolYear, placements: Sequence[tuple[int, int, int]], on: datetime.date) -> int:
    """Place many students at once in classes of `school_year` from `on`: an import's new students, or the whole school
    moving to a new school year. `placements` are (student id, class id, the class's school id). Each student's open
    enrollment, if any (last year's class), ends the day before `on`; the new one begins on `on`; the student's
    current class and school follow. None of them may have had a class in `school_year` before. The domains hear of
    it once (`students_placed`): the профминимум adds them to its rollups in bulk rather than a student at a time.
    Returns the number of students placed."""
    placements = list(placements)
    if not placements:
        return 0
    ids = [student_id for student_id, _, _ in placements]
    if len(set(ids)) != len(ids):
        raise ValidationError("Один и тот же обучающийся зачисляется дважды.")
    for start in range(0, len(ids), _CHUNK):
        chunk = ids[start : start + _CHUNK]
        if Enrollment.objects.filter(student_id__in=chunk, school_class__school_year=school_year).exists():
            raise ValidationError(f"Часть обучающихся уже зачислена в классы {school_year} учебного года: их переводят, а не зачисляют.")
        if Enrollment.objects.filter(student_id__in=chunk, ended_on__isnull=True, started_on__gte=on).exists():
            raise ValidationError(
                f"Часть обучающихся зачислена в свои классы не раньше {date_short(on)}: новое зачисление должно начаться позже."
            )
        Enrollment.objects.filter(student_id__in=chunk, ended_on__isnull=True).update(ended_on=on - datetime.timedelta(days=1))
    insert_rows(Enrollment, ("student_id", "school_class_id", "started_on"), ((sid, class_id, on) for sid, class_id, _ in placements))
    table = connection.ops.quote_name(Student._meta.db_table)
    with connection.cursor() as cursor:
        cursor.executemany(
            f"UPDATE {table} SET current_class_id = %s, current_school_id = %s WHERE id = %s",
            [(class_id, school_id, sid) for sid, class_id, school_id in placements],
        )
    students_placed.send(sender=Student, school_year=school_year, student_ids=ids, on=on)
    return len(placements)


@transaction.atomic
def students_graduate(*, student_ids: Sequence[int], on: datetime.date) -> int:
    """Students who finished school (grade 11) or left it on `on`: their open enrollment ends that day and they have
    no class or school from then on. Their history stays (and their figures of the year they were in); privacy's
    retention counts its year from the end of their last class. Returns the number of students."""
    ids = sorted(set(student_ids))
    for start in range(0, len(ids), _CHUNK):
        chunk = ids[start : start + _CHUNK]
        if Enrollment.objects.filter(student_id__in=chunk, ended_on__isnull=True, started_on__gt=on).exists():
            raise ValidationError(f"Часть обучающихся зачислена в свои классы позже {date_short(on)}: выпустить их этим днём нельзя.")
        Enrollment.objects.filter(student_id__in=chunk, ended_on__isnull=True).update(ended_on=on)
        Student.objects.filter(pk__in=chunk).update(current_class=None, current_school=None)
    return len(ids)
