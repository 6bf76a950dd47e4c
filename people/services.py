import datetime

from django.core.exceptions import ValidationError
from django.db import transaction

from core.formatting import date_short
from orgs.models import SchoolClass
from people.models import Enrollment, Student
from people.signals import placement_changed


@transaction.atomic
def student_transfer(*, student: Student, to_class: SchoolClass, on: datetime.date) -> Enrollment:
    """Move a student to another class (of the same or another school) from `on`. The history keeps both
    placements; the профминимум keeps the student's hours and judges them by the new school's level."""
    student = Student.objects.select_for_update().get(pk=student.pk)
    if student.current_class_id == to_class.pk:
        raise ValidationError("Обучающийся уже в этом классе.")
    current = student.enrollments.filter(ended_on__isnull=True).first()
    if current is not None:
        if on <= current.started_on:
            raise ValidationError(f"Дата перевода должна быть позже {date_short(current.started_on)} — даты зачисления в нынешний класс.")
        current.ended_on = on - datetime.timedelta(days=1)
        current.save(update_fields=["ended_on"])
    enrollment = Enrollment.objects.create(student=student, school_class=to_class, started_on=on)
    student.current_class, student.current_school = to_class, to_class.school
    student.save(update_fields=["current_class", "current_school"])
    placement_changed.send(sender=Student, student=student, school_class=to_class, on=on)
    return enrollment
