"""people.services.student_enroll, students_enroll and students_graduate: placing students who have no class now,
many at once (an import, a new school year), and ending the school of those who finished it."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from orgs.models import SchoolClass, SchoolYear
from people.models import Enrollment, Person, Student
from people.services import student_enroll, students_enroll, students_graduate
from people.signals import students_placed


def newcomer(name: str = "Новикова") -> Student:
    return Student.objects.create(person=Person.objects.create(last_name=name, first_name="Нина"))


def test_a_newcomer_is_enrolled_in_a_class_from_the_given_day(cast):
    student = newcomer()
    school_class = cast.classes["a1_8a"]
    enrollment = student_enroll(student=student, school_class=school_class, on=cast.year.starts_on)
    student.refresh_from_db()
    assert (enrollment.started_on, enrollment.ended_on) == (cast.year.starts_on, None)
    assert (student.current_class, student.current_school) == (school_class, cast.orgs["a1"])


def test_a_student_who_has_a_class_is_transferred_not_enrolled(cast):
    with pytest.raises(ValidationError) as caught:
        student_enroll(student=cast.students["a1_8a_0"], school_class=cast.classes["a1_9a"], on=cast.year.starts_on)
    assert "его переводят, а не зачисляют" in str(caught.value)


def test_many_students_are_placed_at_once_and_the_domains_hear_of_it_once(cast):
    heard = []

    def listener(**kwargs):
        heard.append(sorted(kwargs["student_ids"]))

    students_placed.connect(listener)
    try:
        students = [newcomer(f"Новикова{i}") for i in range(3)]
        target = cast.classes["b1_9a"]
        placed = students_enroll(
            school_year=cast.year, placements=[(s.pk, target.pk, target.school_id) for s in students], on=cast.year.starts_on
        )
    finally:
        students_placed.disconnect(listener)
    assert placed == 3 and heard == [sorted(s.pk for s in students)]
    assert set(Student.objects.filter(current_class=target).values_list("pk", flat=True)) >= {s.pk for s in students}
    assert Enrollment.objects.filter(student__in=students, school_class=target, started_on=cast.year.starts_on).count() == 3


def test_a_new_school_year_ends_last_years_class_the_day_before(cast):
    student = cast.students["a1_8a_0"]
    next_year = SchoolYear.objects.create(
        title="следующий",
        starts_on=cast.year.ends_on + datetime.timedelta(days=93),
        ends_on=cast.year.ends_on + datetime.timedelta(days=365),
    )
    grade_9 = SchoolClass.objects.create(school=cast.orgs["a1"], school_year=next_year, grade=9, letter="А")
    students_enroll(school_year=next_year, placements=[(student.pk, grade_9.pk, grade_9.school_id)], on=next_year.starts_on)
    history = list(Enrollment.objects.filter(student=student).order_by("started_on").values_list("school_class_id", "ended_on"))
    assert history == [(cast.classes["a1_8a"].pk, next_year.starts_on - datetime.timedelta(days=1)), (grade_9.pk, None)]


def test_a_student_placed_in_the_year_already_or_named_twice_is_refused(cast):
    student = cast.students["a1_8a_0"]
    target = cast.classes["a1_9a"]
    with pytest.raises(ValidationError, match="уже зачислена в классы"):
        students_enroll(school_year=cast.year, placements=[(student.pk, target.pk, target.school_id)], on=cast.year.starts_on)
    other = newcomer()
    with pytest.raises(ValidationError, match="зачисляется дважды"):
        students_enroll(school_year=cast.year, placements=[(other.pk, target.pk, target.school_id)] * 2, on=cast.year.starts_on)
    assert not Enrollment.objects.filter(student=other).exists()


def test_graduates_keep_their_history_and_have_no_class_from_then_on(cast):
    students = [cast.students["a1_9a_0"], cast.students["a1_9a_1"]]
    on = cast.year.ends_on
    assert students_graduate(student_ids=[s.pk for s in students], on=on) == 2
    for student in students:
        student.refresh_from_db()
        assert (student.current_class, student.current_school) == (None, None)
        assert Enrollment.objects.get(student=student).ended_on == on
