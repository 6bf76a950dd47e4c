import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from core.formatting import date_range_text, date_short
from orgs.models import SchoolClass
from orgs.selectors import school_year_current
from people.models import Enrollment, Student
from people.signals import placement_changed


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
