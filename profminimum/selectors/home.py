"""Reads for the home pages: where a student stands, the teacher's classes."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.shortcuts import get_object_or_404

from access.policy import Viewer, classes_visible, students_visible
from core.formatting import hours_text
from orgs.models import SchoolClass, SchoolYear
from orgs.selectors import school_year_current
from people.models import Student
from profminimum.compliance import year_fraction
from profminimum.models import (
    StudentYearHours,
)
from profminimum.rollups import ZERO
from profminimum.selectors.compliance import _student_row


@dataclass(frozen=True)
class StudentHomeSummary:
    """Where a student stands, for their own home page and their parent's."""

    student: Student
    school_year: SchoolYear | None
    has_row: bool
    total_hours: Decimal
    min_hours: Decimal | None
    state: str

    @property
    def total_text(self) -> str:
        return hours_text(self.total_hours)

    @property
    def min_text(self) -> str:
        return hours_text(self.min_hours) if self.min_hours is not None else ""


def student_home_summary(*, viewer: Viewer, student_pk: int, today: datetime.date) -> StudentHomeSummary:
    student = get_object_or_404(students_visible(viewer).select_related("person"), pk=student_pk)
    year = school_year_current()
    row = None
    if year is not None:
        row = StudentYearHours.objects.filter(student=student, school_year=year).select_related("level").first()
    fraction = year_fraction(year, today) if year is not None else Decimal("0")
    student_row = _student_row(student, row, fraction)
    return StudentHomeSummary(student, year, row is not None, row.total_hours if row else ZERO, student_row.min_hours, student_row.state)


def teacher_schedule_links(*, viewer: Viewer) -> list[SchoolClass]:
    """The classes whose schedule the teacher keeps: their own this year."""
    return list(classes_visible(viewer).filter(pk__in=viewer.class_ids).select_related("school").order_by("grade", "letter"))
