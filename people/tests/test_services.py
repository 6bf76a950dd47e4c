"""people.services.student_transfer: the dates a transfer may take are the service's rule, whoever calls it
(the transfer page, an import, the admin)."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from orgs.models import SchoolClass, SchoolYear
from people.models import Enrollment
from people.services import student_transfer


@pytest.fixture
def move(cast):
    """A student of A1 8 «А» and the class they may be moved to (A1 8 «Б»)."""
    target = SchoolClass.objects.create(school=cast.orgs["a1"], school_year=cast.year, grade=8, letter="Б")
    return cast.students["a1_8a_0"], target


def refused(student, target, on) -> dict[str, list[str]]:
    with pytest.raises(ValidationError) as caught:
        student_transfer(student=student, to_class=target, on=on)
    return caught.value.message_dict


def test_a_transfer_dated_today_moves_the_student_and_closes_the_old_placement(move, cast):
    student, target = move
    today = timezone.localdate()
    enrollment = student_transfer(student=student, to_class=target, on=today)
    student.refresh_from_db()
    assert (student.current_class, student.current_school) == (target, cast.orgs["a1"])
    assert enrollment.started_on == today
    closed = Enrollment.objects.get(student=student, school_class=cast.classes["a1_8a"])
    assert closed.ended_on == today - datetime.timedelta(days=1)


@pytest.mark.parametrize("on", [datetime.date(9999, 12, 31), datetime.date.max])
def test_a_far_date_is_refused_by_the_service_naming_the_field(move, on):
    """Issue 6, «Forms that keep their values»: 31.12.9999 was accepted, after which the student could never
    be transferred again (every later transfer must come after it)."""
    student, target = move
    errors = refused(student, target, on)
    assert list(errors) == ["on"]
    assert errors["on"][0].startswith("Дата перевода не может быть позже сегодняшнего дня")
    student.refresh_from_db()
    assert student.current_class_id != target.pk
    assert not Enrollment.objects.filter(student=student, ended_on__isnull=False).exists()


def test_tomorrow_is_refused(move):
    student, target = move
    errors = refused(student, target, timezone.localdate() + datetime.timedelta(days=1))
    assert "позже сегодняшнего дня" in errors["on"][0]


@pytest.mark.parametrize("on", [datetime.date(1, 1, 1), datetime.date(2000, 1, 1)])
def test_a_date_before_the_school_year_is_refused(move, cast, on):
    student, target = move
    errors = refused(student, target, on)
    assert errors == {
        "on": [
            f"Дата перевода должна быть в пределах {cast.year} учебного года: с 1 сентября {cast.year.starts_on.year} по 31 мая {cast.year.ends_on.year}."
        ]
    }


def test_the_first_day_of_the_year_is_refused_only_because_the_student_started_then(move, cast):
    student, target = move  # enrolled on the first day of the year
    errors = refused(student, target, cast.year.starts_on)
    assert "даты зачисления в нынешний класс" in errors["on"][0]


def test_a_class_of_another_school_year_is_refused_naming_the_class(move, cast):
    student, _ = move
    last_year = SchoolYear.objects.create(
        title="2000/2001", starts_on=datetime.date(2000, 9, 1), ends_on=datetime.date(2001, 5, 31), is_current=False
    )
    old_class = SchoolClass.objects.create(school=cast.orgs["a1"], school_year=last_year, grade=8, letter="В")
    errors = refused(student, old_class, timezone.localdate())
    assert list(errors) == ["to_class"]
    assert errors["to_class"][0].startswith("Класс: переводить можно только в класс текущего")


def test_moving_into_the_same_class_is_refused_naming_the_class(move, cast):
    student, _ = move
    errors = refused(student, cast.classes["a1_8a"], timezone.localdate())
    assert errors == {"to_class": ["Класс: обучающийся уже в этом классе."]}


def test_after_a_refused_far_date_the_student_can_still_be_transferred(move):
    student, target = move
    refused(student, target, datetime.date(9999, 12, 31))
    student_transfer(student=student, to_class=target, on=timezone.localdate())
    student.refresh_from_db()
    assert student.current_class == target
