"""Mentors (an unvetted mentor cannot be assigned; only the facts of the check are kept), excursions (the parents'
consent before the visit), feedback after the visit, and the QR code of the ticket."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from events.models import Mentor, Offer
from events.qr import qr_matrix, qr_svg
from events.services import (
    attendance_mark,
    feedback_leave,
    mentor_assign,
    mentor_create,
    mentor_meeting_log,
    mentor_vetting_record,
    registration_create,
    route_create,
)
from people.models import Person
from privacy.models import ParentConfirmation
from privacy.policy import Answer, may_process
from privacy.services import consent_decide
from privacy.shipped import shipped_data_ensure


def test_an_unvetted_or_expired_mentor_cannot_be_assigned_and_a_cleared_one_can(ev):
    cast = ev.cast
    today = timezone.localdate()
    mentor = mentor_create(
        person=Person.objects.create(last_name="Гагиев", first_name="Алан"), organization=cast.orgs["employer_a"], sector="it"
    )
    student = cast.students["a1_9a_0"]
    with pytest.raises(ValidationError, match="не прошёл проверку"):
        mentor_assign(mentor=mentor, student=student, goal="Выбор профессии", by=None)
    with pytest.raises(ValidationError):
        mentor_vetting_record(mentor=mentor, vetting="cleared", checked_on=today, expires_on=None, by=None)
    mentor_vetting_record(
        mentor=mentor,
        vetting="cleared",
        checked_on=today - datetime.timedelta(days=400),
        expires_on=today - datetime.timedelta(days=1),
        by=None,
    )
    with pytest.raises(ValidationError, match="не прошёл проверку"):
        mentor_assign(mentor=mentor, student=student, goal="Выбор профессии", by=None)  # the certificate expired
    mentor_vetting_record(
        mentor=mentor,
        vetting="cleared",
        checked_on=today - datetime.timedelta(days=5),
        expires_on=today + datetime.timedelta(days=360),
        by=None,
    )
    assignment = mentor_assign(
        mentor=mentor, student=student, goal="Выбор профессии", by=None, started_on=today - datetime.timedelta(days=2)
    )
    meeting = mentor_meeting_log(assignment=assignment, held_on=today, minutes=40, topic="Знакомство", notes="", by=None)
    assert meeting.assignment.student == student
    # Only the facts are kept: no field of a mentor holds a file.
    assert not [f for f in Mentor._meta.get_fields() if f.get_internal_type() == "FileField"]
    mentor_vetting_record(mentor=mentor, vetting="refused", checked_on=None, expires_on=None, by=None)
    assignment.refresh_from_db()
    assert assignment.ended_on == today  # a mentor no longer cleared keeps no mentee


def test_an_excursion_needs_the_parents_consent_before_the_visit(ev):
    shipped_data_ensure()
    cast = ev.cast
    route = route_create(
        title="Ферма", host=cast.orgs["employer_a"], duration_minutes=60, safety_notes="Закрытая обувь.", stops=[("Теплица", "", 30)]
    )
    offer = ev.offer(kind=Offer.Kind.EXCURSION, title="Экскурсия на ферму", route=route)
    student = cast.students["a1_8a_0"]  # parent_a1's child, 14: both the child and the parent decide
    assert may_process(student=student, purpose="excursions") == Answer.ASK
    registration = registration_create(offer=offer, student=student, by=None).registration  # accepted; the family is asked
    ev.begin(offer)
    result = attendance_mark(offer=offer, marks={registration.pk: True}, by=cast.user("partner_a"))
    assert result.marked == 0 and "нет согласия родителей" in result.problems[0]

    # The child is 13 (the parent decides alone); the school confirmed the mother, who gives the consent.
    person = student.person
    person.birth_date = timezone.localdate().replace(year=timezone.localdate().year - 13) - datetime.timedelta(days=40)
    person.save()
    ParentConfirmation.objects.create(link=student.parent_links.get(), basis="birth_certificate")
    consent_decide(user=cast.user("parent_a1"), student=student, kind_code="excursions", decision="given", has_read=True)
    result = attendance_mark(offer=offer, marks={registration.pk: True}, by=cast.user("partner_a"))
    assert (result.marked, result.problems) == (1, [])


def test_a_student_leaves_feedback_after_the_visit_only(ev):
    cast = ev.cast
    offer = ev.offer()
    registration = registration_create(offer=offer, student=cast.students["a1_8a_1"], by=None).registration
    with pytest.raises(ValidationError, match="после посещения"):
        feedback_leave(registration=registration, useful=True, rating=5, comment="")
    ev.begin(offer)
    attendance_mark(offer=offer, marks={registration.pk: True}, by=None)
    registration.refresh_from_db()
    with pytest.raises(ValidationError, match="от 1 до 5"):
        feedback_leave(registration=registration, useful=True, rating=7, comment="")
    feedback = feedback_leave(registration=registration, useful=True, rating=4, comment="Понравилось в цехе")
    assert (feedback.useful, feedback.rating) == (True, 4)


def test_the_qr_code_has_its_finder_patterns_timing_and_size_for_the_data(ev):
    small, ticket = qr_matrix("HELLO"), qr_matrix("https://profnav.example/events/manage/12/check-in/?t=" + "x" * 90)
    assert (len(small), len(ticket)) == (21, 49)  # version 1; version 8 for 146 bytes at level M (7 holds 122)
    for matrix in (small, ticket):
        size = len(matrix)
        for top, left in ((0, 0), (0, size - 7), (size - 7, 0)):
            ring = [matrix[top][left + i] for i in range(7)] + [matrix[top + 6][left + i] for i in range(7)]
            assert all(ring) and not matrix[top + 1][left + 1] and matrix[top + 3][left + 3]
        assert [matrix[6][x] for x in range(8, size - 8)] == [x % 2 == 0 for x in range(8, size - 8)]
        assert matrix[size - 8][8]  # the dark module
    # Version 8 has an alignment pattern centred at (24, 24): dark centre, light ring, dark ring.
    assert ticket[24][24] and not ticket[23][23] and ticket[22][22]
    svg = qr_svg("HELLO", title="Код <входа>")
    assert '<title id="qr-title">Код &lt;входа&gt;</title>' in svg and "style=" not in svg
