"""Families made by hand: a student of a chosen age in 8 «А» of school A1, with an account, and a parent with an
account whose link the school confirmed (or not)."""

import datetime
from dataclasses import dataclass

import pytest
from django.utils import timezone

from accounts.models import User
from conftest import PASSWORD
from people.models import Enrollment, ParentLink, Person, Student
from privacy.models import ParentConfirmation
from privacy.policy import birthday


@dataclass
class Family:
    student: Student
    student_user: User
    parent: Person
    parent_user: User
    link: ParentLink


def born_for_age(age: int, *, today: datetime.date | None = None, days_past: int = 40) -> datetime.date:
    """A birth date making a person `age` years old today, their birthday `days_past` days ago."""
    today = today or timezone.localdate()
    last_birthday = today - datetime.timedelta(days=days_past)
    return (
        last_birthday.replace(year=last_birthday.year - age)
        if not (last_birthday.month == 2 and last_birthday.day == 29)
        else (birthday(datetime.date(last_birthday.year - age, 3, 1), 0))
    )


def make_family(cast, *, age: int, key: str, confirmed: bool = True, last_name: str = "", school_class: str = "a1_8a") -> Family:
    school_class_obj = cast.classes[school_class]
    person = Person.objects.create(
        last_name=last_name or f"Семьёв{key}", first_name="Георгий", middle_name="Асланович", birth_date=born_for_age(age),
        email=f"{key}.child@family.test",
    )  # fmt: skip
    student = Student.objects.create(person=person, current_school=school_class_obj.school, current_class=school_class_obj)
    Enrollment.objects.create(student=student, school_class=school_class_obj, started_on=cast.year.starts_on)
    student_user = User.objects.create_user(username=f"{key}_child", email=person.email, password=PASSWORD)
    person.user = student_user
    person.save(update_fields=["user"])
    parent = Person.objects.create(last_name="Опекунова", first_name="Залина", middle_name="Руслановна", email=f"{key}.parent@family.test")
    parent_user = User.objects.create_user(username=f"{key}_parent", email=parent.email, password=PASSWORD)
    parent.user = parent_user
    parent.save(update_fields=["user"])
    link = ParentLink.objects.create(parent=parent, student=student, kind=ParentLink.Kind.MOTHER)
    if confirmed:
        ParentConfirmation.objects.create(link=link, basis=ParentConfirmation.Basis.BIRTH_CERTIFICATE)
    return Family(student, student_user, parent, parent_user, link)


@pytest.fixture
def family_of(cast):
    def build(age: int, *, key: str = "f", confirmed: bool = True, **extra) -> Family:
        return make_family(cast, age=age, key=key, confirmed=confirmed, **extra)

    return build


@pytest.fixture
def pm(cast):
    """The cast with the year's профминимум (see profminimum/tests/conftest.py)."""
    from profminimum.tests.conftest import Profminimum

    return Profminimum(cast)


@pytest.fixture(autouse=True)
def shipped(db):
    """The kinds of consent and the calendar the migration loads, back if a transactional test emptied the database."""
    from privacy.shipped import shipped_data_ensure

    shipped_data_ensure()


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    """Scans and export archives are stored into a temporary folder."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT
