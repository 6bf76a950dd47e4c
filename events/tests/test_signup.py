"""Signing up: places are never exceeded, a full offer keeps a waiting list that moves up when someone cancels, a
teacher's group larger than the free places is split, a place offered from the waiting list is held for 48 hours."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from events.models import Offer, Registration
from events.services import (
    group_signup,
    holds_expire,
    offer_update,
    registration_accept,
    registration_cancel,
    registration_create,
)
from notifications.models import Notification


def sign(ev, key):
    return registration_create(offer=ev.current, student=ev.cast.students[key], by=ev.cast.user("operator"))


@pytest.fixture
def small(ev):
    ev.current = ev.offer(capacity=2)
    return ev


def test_a_full_offer_puts_the_next_students_on_its_waiting_list_in_order(small):
    ev = small
    results = [sign(ev, key) for key in ("a1_8a_0", "a1_8a_1", "a1_8a_2", "a2_8a_0")]
    assert [r.registration.status for r in results] == ["confirmed", "confirmed", "waiting", "waiting"]
    assert [r.position for r in results] == [0, 0, 1, 2]
    ev.current.refresh_from_db()
    assert (ev.current.taken, ev.current.free) == (2, 0)


def test_a_cancellation_offers_the_place_to_the_first_in_line_for_48_hours(small):
    ev = small
    # student_a1 (a1_8a_1) is third: first in the waiting list.
    first, _, third, fourth = (sign(ev, key).registration for key in ("a1_8a_0", "a2_8a_0", "a1_8a_1", "a1_8a_2"))
    registration_cancel(registration=first, by=ev.cast.user("operator"))
    third.refresh_from_db()
    fourth.refresh_from_db()
    assert (third.status, fourth.status) == ("offered", "waiting")
    assert datetime.timedelta(hours=47) < third.held_until - timezone.now() <= datetime.timedelta(hours=48)
    assert Notification.objects.filter(user=ev.cast.user("student_a1"), subject__startswith="Освободилось место").exists()
    assert registration_accept(registration=third, by=None).status == "confirmed"
    ev.current.refresh_from_db()
    assert ev.current.taken == 2


def test_a_place_not_taken_in_48_hours_passes_to_the_next_in_line(small):
    ev = small
    first, _, third, fourth = (sign(ev, key).registration for key in ("a1_8a_0", "a1_8a_1", "a1_8a_2", "a2_8a_0"))
    registration_cancel(registration=first, by=None)
    assert holds_expire(now=timezone.now() + datetime.timedelta(hours=49)) == 1
    third.refresh_from_db()
    fourth.refresh_from_db()
    assert (third.status, fourth.status) == ("expired", "offered")
    with pytest.raises(ValidationError, match=r"Срок подтверждения истёк|Место не предложено"):
        registration_accept(registration=third, by=None)


def test_more_places_offer_the_new_ones_to_the_waiting_list(small):
    ev = small
    waiting = [sign(ev, key).registration for key in ("a1_8a_0", "a1_8a_1", "a1_8a_2")][2]
    offer_update(offer=ev.current, by=None, capacity=3)
    waiting.refresh_from_db()
    assert waiting.status == "offered"
    with pytest.raises(ValidationError, match="Уже занято 3 места"):
        offer_update(offer=ev.current, by=None, capacity=2)


def test_a_teacher_signs_up_a_group_larger_than_the_free_places_and_sees_both_lists(ev):
    offer = ev.offer(capacity=2, grades=(9, 9))
    cast = ev.cast
    ids = [cast.students[f"a1_9a_{i}"].pk for i in range(3)]
    result = group_signup(offer=offer, school_class=cast.classes["a1_9a"], student_ids=ids, by=cast.user("navigator_a1"))
    assert (len(result.confirmed), len(result.waiting), result.refused) == (2, 1, [])
    again = group_signup(offer=offer, school_class=cast.classes["a1_9a"], student_ids=ids[:1], by=cast.user("navigator_a1"))
    assert [why for _, why in again.refused] == ["уже записан(а)"]


def test_a_student_of_another_grade_or_a_second_time_is_refused_with_a_reason(ev):
    offer = ev.offer(grades=(9, 11))
    cast = ev.cast
    with pytest.raises(ValidationError, match=r"для 9–11 классов.*в 8 классе"):
        registration_create(offer=offer, student=cast.students["a1_8a_0"], by=None)
    registration_create(offer=offer, student=cast.students["a1_9a_0"], by=None)
    with pytest.raises(ValidationError, match="уже записан"):
        registration_create(offer=offer, student=cast.students["a1_9a_0"], by=None)


def test_signing_up_for_a_draft_or_a_cancelled_offer_is_refused(ev):
    draft = ev.offer(publish=False)
    with pytest.raises(ValidationError, match="Запись закрыта"):
        registration_create(offer=draft, student=ev.cast.students["a1_8a_0"], by=None)
    assert Offer.objects.get(pk=draft.pk).taken == 0 and not Registration.objects.exists()


def test_the_student_signs_up_in_the_ui_and_finds_the_place_among_their_records(client, ev):
    offer = ev.offer()
    client.force_login(ev.cast.user("student_a1"))
    response = client.post(f"/events/{offer.pk}/signup/", follow=True)
    page = response.content.decode()
    assert "место подтверждено" in page and "Мастер-класс агронома" in page
    registration = Registration.objects.get(offer=offer)
    assert registration.student == ev.cast.students["a1_8a_1"]
    assert client.get(f"/events/my/{registration.pk}/ticket/").status_code == 200


def test_a_reminder_goes_once_the_day_before_to_everyone_with_a_confirmed_place(ev):
    from events.services import reminders_send

    offer = ev.offer(title="Завтрашняя проба", days=1)
    registration_create(offer=offer, student=ev.cast.students["a1_8a_1"], by=None)
    later = ev.offer(title="Через неделю", days=7)
    registration_create(offer=later, student=ev.cast.students["a1_8a_1"], by=None)
    now = timezone.now() + datetime.timedelta(hours=1)
    assert reminders_send(now=now) == 1
    assert reminders_send(now=now) == 0
    reminders = Notification.objects.filter(user=ev.cast.user("student_a1"), subject__startswith="Напоминание")
    assert [n.subject for n in reminders] == ["Напоминание: Завтрашняя проба"]
