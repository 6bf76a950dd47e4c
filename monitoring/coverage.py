"""Additional-education coverage from the platform's data, as of a day (item 4.8).

Coverage = students enrolled in at least one programme ÷ all students of grades 6–11 × 100. Both are read as they
were on the day: a student counts for the school whose class of grades 6–11 they were in that day (their class
history: an enrollment that started by the day and had not ended before it), and as covered when an enrolment in
a programme of theirs runs that day. A student in three programmes is one covered student and three enrolments.

These functions count; monitoring.rollups keeps the counts of every month for every scope, and a school's form
takes its own school's figures straight from here.
"""

import datetime
from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Q

from monitoring.models import ProgrammeEnrolment
from people.models import Enrollment

GRADES = (6, 11)


@dataclass(frozen=True)
class Counts:
    students: int = 0
    covered: int = 0
    enrolments: int = 0

    def __add__(self, other: "Counts") -> "Counts":
        return Counts(self.students + other.students, self.covered + other.covered, self.enrolments + other.enrolments)


def _placed_on(day: datetime.date) -> Q:
    """Enrollments in a class of grades 6–11 on the day."""
    return (
        Q(started_on__lte=day)
        & (Q(ended_on__isnull=True) | Q(ended_on__gte=day))
        & Q(school_class__grade__gte=GRADES[0], school_class__grade__lte=GRADES[1])
    )


def enrolments_on(day: datetime.date):
    """Enrolments in programmes that run on the day."""
    return ProgrammeEnrolment.objects.filter(starts_on__lte=day).filter(Q(ends_on__isnull=True) | Q(ends_on__gte=day))


def coverage_by_school(*, day: datetime.date, school_ids=None) -> dict[int, Counts]:
    """{school id: Counts} as of the day, for the given schools (every school with students when None)."""
    placed = Enrollment.objects.filter(_placed_on(day))
    if school_ids is not None:
        placed = placed.filter(school_class__school_id__in=list(school_ids))
    in_programme = enrolments_on(day).filter(student_id=OuterRef("student_id"))
    result: dict[int, Counts] = {}
    for school_id, students, covered in (
        placed.values("school_class__school_id")
        .annotate(students=Count("student_id", distinct=True), covered=Count("student_id", distinct=True, filter=Q(Exists(in_programme))))
        .values_list("school_class__school_id", "students", "covered")
    ):
        result[school_id] = Counts(students, covered)
    # Each enrolment of a placed student counts for the school the student was in (the same placement rule). One
    # filter() over the student's enrollments, so that every condition is on the same enrollment row.
    placement = (
        Q(student__enrollments__started_on__lte=day)
        & (Q(student__enrollments__ended_on__isnull=True) | Q(student__enrollments__ended_on__gte=day))
        & Q(student__enrollments__school_class__grade__gte=GRADES[0], student__enrollments__school_class__grade__lte=GRADES[1])
    )
    if school_ids is not None:
        placement &= Q(student__enrollments__school_class__school_id__in=list(school_ids))
    places = enrolments_on(day).filter(placement)
    for school_id, enrolments in (
        places.values("student__enrollments__school_class__school_id")
        .annotate(n=Count("pk", distinct=True))
        .values_list("student__enrollments__school_class__school_id", "n")
    ):
        counts = result.get(school_id, Counts())
        result[school_id] = Counts(counts.students, counts.covered, enrolments)
    return result


def school_coverage(*, school_id: int, day: datetime.date) -> Counts:
    return coverage_by_school(day=day, school_ids=[school_id]).get(school_id, Counts())
