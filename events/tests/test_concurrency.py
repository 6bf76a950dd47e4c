"""Sixty students signing up at once for an offer with ten places (PostgreSQL, a thread each): exactly ten are
confirmed and fifty wait, in the order they asked; a cancellation offers the place to the first in line."""

import datetime
import threading

import pytest
from django.db import connection
from django.utils import timezone

from conftest import build_cast
from events.models import Offer, Partner, Registration
from events.services import offer_create, offer_publish, registration_cancel, registration_create
from people.models import Enrollment, Person, Student
from profminimum.tests.conftest import Profminimum

SIGNERS = 60
PLACES = 10


@pytest.mark.django_db(transaction=True)
def test_sixty_concurrent_signups_to_ten_places_end_with_ten_confirmed_and_fifty_waiting():
    if connection.vendor != "postgresql":
        pytest.skip("concurrent writers are a PostgreSQL matter: SQLite runs one writer at a time")
    pm = Profminimum(build_cast())
    cast = pm.cast
    Partner.objects.create(organization=cast.orgs["employer_a"])
    school_class = cast.classes["a1_8a"]
    students = []
    for n in range(SIGNERS):
        person = Person.objects.create(last_name=f"Одновременный{n:02}", first_name="Ученик", birth_date=datetime.date(2012, 1, 1))
        student = Student.objects.create(person=person, current_school=school_class.school, current_class=school_class)
        Enrollment.objects.create(student=student, school_class=school_class, started_on=cast.year.starts_on)
        students.append(student)
    starts = timezone.now() + datetime.timedelta(days=3)
    offer = offer_create(
        by=None, kind=Offer.Kind.MASTER_CLASS, title="Мастер-класс на десять мест", provider=cast.orgs["employer_a"],
        starts_at=starts, ends_at=starts + datetime.timedelta(hours=2), place="ул. Полевая, 1", capacity=PLACES, hours=2,
        direction="upbringing", grade_min=8, grade_max=8,
    )  # fmt: skip
    offer_publish(offer=offer, by=None)

    barrier = threading.Barrier(SIGNERS)
    errors: list[str] = []

    def sign(student):
        try:
            barrier.wait()
            registration_create(offer=offer, student=student, by=None)
        except Exception as error:  # collected: the assertion below names them
            errors.append(repr(error))
        finally:
            connection.close()

    threads = [threading.Thread(target=sign, args=(student,)) for student in students]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    offer.refresh_from_db()
    statuses = list(Registration.objects.filter(offer=offer).values_list("status", flat=True))
    assert (statuses.count("confirmed"), statuses.count("waiting"), offer.taken) == (PLACES, SIGNERS - PLACES, PLACES)

    first_in_line = Registration.objects.filter(offer=offer, status="waiting").order_by("queued_at", "pk").first()
    registration_cancel(registration=Registration.objects.filter(offer=offer, status="confirmed").first(), by=None)
    first_in_line.refresh_from_db()
    assert first_in_line.status == "offered"
    offer.refresh_from_db()
    assert offer.taken == PLACES
    assert Registration.objects.filter(offer=offer, status="waiting").count() == SIGNERS - PLACES - 1
