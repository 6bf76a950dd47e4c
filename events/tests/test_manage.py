"""A partner's staff create, publish, change and cancel their own organisation's offers in the UI; a bad value is
named in Russian and nothing is saved."""

import datetime

from django.utils import timezone

from events.models import Offer
from events.services import registration_create
from notifications.models import Notification


def form(ev, **changes) -> dict:
    starts = timezone.localtime(timezone.now() + datetime.timedelta(days=10)).replace(hour=10, minute=0, second=0, microsecond=0)
    values = {
        "kind": "trial", "title": "Проба «Оператор дрона»", "provider": ev.cast.orgs["employer_a"].pk,
        "starts_at": starts.strftime("%Y-%m-%dT%H:%M"), "ends_at": (starts + datetime.timedelta(hours=3)).strftime("%Y-%m-%dT%H:%M"),
        "place": "ул. Полевая, 1", "professions": "оператор БПЛА", "grade_min": "8", "grade_max": "11", "capacity": "12",
        "hours": "2.5", "direction": "additional_education", "sector": "agriculture",
    }  # fmt: skip
    return {**values, **changes}


def test_a_partner_creates_a_draft_publishes_it_and_it_appears_in_the_catalogue(client, ev):
    client.force_login(ev.cast.user("partner_a"))
    response = client.post("/events/manage/new/", form(ev), follow=True)
    assert "сохранено как черновик" in response.content.decode()
    offer = Offer.objects.get(title="Проба «Оператор дрона»")
    assert (offer.status, offer.provider, offer.hours) == ("draft", ev.cast.orgs["employer_a"], 2.5)
    assert "Проба «Оператор дрона»" not in client.get("/events/").content.decode()
    client.post(f"/events/manage/{offer.pk}/publish/")
    assert "Проба «Оператор дрона»" in client.get("/events/").content.decode()


def test_a_partner_cannot_publish_for_another_organisation_and_bad_values_are_named(client, ev):
    client.force_login(ev.cast.user("partner_a"))
    page = client.post("/events/manage/new/", form(ev, provider=ev.cast.orgs["employer_b"].pk, hours="2.3", capacity="0")).content.decode()
    assert "Выберите организатора из списка." in page
    assert "Мест — не меньше 1." in page
    page = client.post("/events/manage/new/", form(ev, professions="", grade_min="11", grade_max="8")).content.decode()
    assert "«По класс» не может быть меньше «с класса»." in page and "укажите профессию или компетенцию" in page
    assert not Offer.objects.exists()


def test_registrants_are_told_when_the_time_or_place_changes_and_when_it_is_cancelled(client, ev):
    offer = ev.offer(title="Мастер-класс агронома")
    registration_create(offer=offer, student=ev.cast.students["a1_8a_1"], by=None)
    student = ev.cast.user("student_a1")
    client.force_login(ev.cast.user("partner_a"))
    values = form(ev, kind="master_class", title=offer.title, place="пр. Мира, 5", capacity="10", hours="2", direction="upbringing")
    values["starts_at"] = timezone.localtime(offer.starts_at).strftime("%Y-%m-%dT%H:%M")
    values["ends_at"] = timezone.localtime(offer.ends_at).strftime("%Y-%m-%dT%H:%M")
    client.post(f"/events/manage/{offer.pk}/edit/", values)
    assert Notification.objects.filter(user=student, subject="Изменения: Мастер-класс агронома", text__contains="место").exists()
    client.post(f"/events/manage/{offer.pk}/cancel/", {"cancel_reason": "болезнь ведущего"})
    assert Notification.objects.filter(user=student, subject="Отменено: Мастер-класс агронома", text__contains="болезнь ведущего").exists()
    assert Offer.objects.get(pk=offer.pk).status == "cancelled"
