"""At the host: attendance from the list or by the student's code credits the offer's hours through the one
crediting service, in the offer's direction; taking a mark back withdraws them; a parent meeting credits each child
of an attending parent in «работа с родителями»; a trial attended counts for «Билет в будущее»."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

import events.tickets as tickets
from events.models import Offer, TrialRecord
from events.services import attendance_mark, check_in, registration_create, source_key
from events.tickets import registration_for_code, registration_for_token, ticket_token
from people.models import Person
from profminimum.models import Activity, StudentYearHours
from profminimum.rollups import rollups_difference

D = Decimal


def total(student) -> Decimal:
    row = StudentYearHours.objects.filter(student=student).first()
    return row.total_hours if row else D("0")


def test_marking_present_credits_the_offers_hours_once_and_unmarking_withdraws_them(ev):
    cast = ev.cast
    offer = ev.offer(hours="3", direction="additional_education")
    alan, dzerassa = cast.students["a1_8a_0"], cast.students["b1_8a_0"]
    registrations = [registration_create(offer=offer, student=s, by=None).registration for s in (alan, dzerassa)]
    before = (total(alan), total(dzerassa))
    with pytest.raises(ValidationError, match="ещё не началось"):
        attendance_mark(offer=offer, marks={registrations[0].pk: True}, by=cast.user("partner_a"))
    ev.begin(offer)
    result = attendance_mark(offer=offer, marks={r.pk: True for r in registrations}, by=cast.user("partner_a"))
    assert (result.marked, result.credited_students, result.hours) == (2, 2, D("6"))
    assert (total(alan), total(dzerassa)) == (before[0] + 3, before[1] + 3)
    activity = Activity.objects.get(source_key=source_key(offer))
    assert (activity.direction.code, activity.duration_hours) == ("additional_education", D("3"))

    attendance_mark(offer=offer, marks={r.pk: True for r in registrations}, by=cast.user("partner_a"))  # again: nothing moves
    assert total(alan) == before[0] + 3
    attendance_mark(offer=offer, marks={registrations[1].pk: False}, by=cast.user("partner_a"))
    assert (total(alan), total(dzerassa)) == (before[0] + 3, before[1])
    assert rollups_difference(school_year_id=cast.year.pk) == {}


def test_the_students_code_checks_them_in_and_a_code_of_another_offer_or_an_old_one_is_refused(ev, monkeypatch):
    cast = ev.cast
    offer, other = ev.offer(), ev.offer(title="Другое")
    registration = registration_create(offer=offer, student=cast.students["a1_8a_1"], by=None).registration
    elsewhere = registration_create(offer=other, student=cast.students["a1_8a_1"], by=None).registration
    ev.begin(offer)
    assert registration_for_token(offer=offer, token=ticket_token(registration)) == registration
    assert registration_for_code(offer=offer, code=registration.code.lower()) == registration
    with pytest.raises(ValidationError, match="код другого мероприятия"):
        registration_for_token(offer=offer, token=ticket_token(elsewhere))
    token = ticket_token(registration)
    with pytest.raises(ValidationError, match="не распознан"):
        registration_for_token(offer=offer, token=token[:-3] + ("abc" if token[-3:] != "abc" else "abd"))
    monkeypatch.setattr(tickets, "TICKET_TTL", datetime.timedelta(seconds=-1))  # every code is now too old
    with pytest.raises(ValidationError, match="Код устарел"):
        registration_for_token(offer=offer, token=token)
    monkeypatch.undo()
    with pytest.raises(ValidationError, match="не найден"):
        registration_for_code(offer=offer, code="ZZZZZZ" if registration.code != "ZZZZZZ" else "YYYYYY")
    result = check_in(offer=offer, registration=registration, by=cast.user("partner_a"))
    assert result.credited_students == 1


def test_a_parent_meeting_credits_each_child_of_an_attending_parent_in_work_with_parents(ev):
    cast = ev.cast
    offer = ev.offer(kind=Offer.Kind.PARENT_MEETING, title="Собрание о выборе профессии", hours="1", direction="upbringing")
    assert offer.direction == "parents"
    parent = Person.objects.get(user=cast.user("parent_a1"))
    registration = registration_create(offer=offer, parent=parent, by=cast.user("parent_a1")).registration
    with pytest.raises(ValidationError, match="записываются родители"):
        registration_create(offer=offer, student=cast.students["a1_8a_2"], by=None)
    ev.begin(offer)
    child = cast.students["a1_8a_0"]
    before = total(child)
    attendance_mark(offer=offer, marks={registration.pk: True}, by=cast.user("operator"))
    assert total(child) == before + 1
    assert Activity.objects.get(source_key=source_key(offer)).direction.code == "parents"


def test_an_attended_trial_is_a_trial_record_where_the_student_studies(ev):
    cast = ev.cast
    offer = ev.offer(kind=Offer.Kind.TRIAL, title="Проба «Агроном»", professions="агроном")
    registration = registration_create(offer=offer, student=cast.students["b1_8a_0"], by=None).registration
    ev.begin(offer)
    attendance_mark(offer=offer, marks={registration.pk: True}, by=cast.user("partner_a"))
    record = TrialRecord.objects.get()
    assert (record.school, record.municipality, record.site, record.source) == (
        cast.orgs["b1"], cast.municipalities["b"], cast.orgs["employer_a"], "marked",
    )  # fmt: skip
    attendance_mark(offer=offer, marks={registration.pk: False}, by=cast.user("partner_a"))
    assert not TrialRecord.objects.exists()


def test_the_host_marks_attendance_from_the_list_in_the_ui_and_the_hours_grow(client, ev):
    cast = ev.cast
    offer = ev.offer(hours="2")
    student = cast.students["a1_8a_1"]
    registration = registration_create(offer=offer, student=student, by=None).registration
    ev.begin(offer)
    before = total(student)
    client.force_login(cast.user("partner_a"))
    response = client.post(
        f"/events/manage/{offer.pk}/", {f"mark-{registration.pk}": "present", f"note-{registration.pk}": "Старательный"}, follow=True
    )
    assert "Зачтено 2 часа — 1 обучающемуся" in response.content.decode()
    assert total(student) == before + 2
    registration.refresh_from_db()
    assert (registration.attended, registration.host_note) == (True, "Старательный")
