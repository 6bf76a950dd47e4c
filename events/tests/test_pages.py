"""Every page of the app opens for each role without an error, and a foreign object is a 404."""

import pytest
from django.urls import reverse

from events.models import Registration
from events.services import registration_create

ROLES = (
    "ministry_admin", "ministry_analyst", "operator", "jury", "municipal_a", "partner_a", "partner_b", "coordinator_a1",
    "psychologist_a1", "class_teacher_a1", "navigator_a1", "parent_a1", "student_a1",
)  # fmt: skip


@pytest.fixture
def world(ev):
    offer = ev.offer()
    registration = registration_create(offer=offer, student=ev.cast.students["a1_8a_1"], by=ev.cast.user("student_a1")).registration
    return ev, offer, registration


def pages(ev, offer, registration):
    cast = ev.cast
    return [
        reverse("events:catalogue"), reverse("events:calendar"), reverse("events:feed"), reverse("events:offer", args=[offer.pk]),
        reverse("events:offer_ics", args=[offer.pk]), reverse("events:routes"), reverse("events:my"),
        reverse("events:ticket", args=[registration.pk]), reverse("events:group", args=[offer.pk]), reverse("events:manage"),
        reverse("events:offer_new"), reverse("events:people", args=[offer.pk]), reverse("events:offer_edit", args=[offer.pk]),
        reverse("events:offer_cancel", args=[offer.pk]), reverse("events:check_in", args=[offer.pk]),
        reverse("events:partners"), reverse("events:partner", args=[ev.partners["a"].pk]), reverse("events:mentors"),
        reverse("events:mentor_new"), reverse("events:class", args=[cast.classes["a1_9a"].pk]), reverse("events:indicators"),
        reverse("events:feedback", args=[registration.pk]),
    ]  # fmt: skip


@pytest.mark.parametrize("role", ROLES)
def test_every_page_opens_for_each_role_without_an_error(client, world, role):
    ev, offer, registration = world
    client.force_login(ev.cast.user(role))
    for url in pages(ev, offer, registration):
        response = client.get(url)
        assert response.status_code in (200, 302, 404), (url, response.status_code)
    assert client.get("/").status_code == 200  # the role's home with the app's panels


def test_the_catalogue_and_an_offer_page_are_public(client, world):
    _ev, offer, _ = world
    assert "Мастер-класс агронома" in client.get(reverse("events:catalogue")).content.decode()
    assert client.get(reverse("events:offer", args=[offer.pk])).status_code == 200
    assert client.get(reverse("events:feed")).status_code == 200


def test_a_partner_sees_and_changes_only_their_own_offers(client, world):
    ev, offer, registration = world  # an offer of ООО «Альфа-Агро»
    client.force_login(ev.cast.user("partner_b"))
    for name in ("people", "offer_edit", "offer_cancel", "check_in"):
        assert client.get(reverse(f"events:{name}", args=[offer.pk])).status_code == 404, name
    assert client.post(reverse("events:offer_publish", args=[offer.pk])).status_code == 404
    assert client.post(reverse("events:offer_edit", args=[offer.pk]), {"title": "Чужое"}).status_code == 404
    assert client.post(reverse("events:offer_cancel", args=[offer.pk]), {"cancel_reason": "чужое"}).status_code == 404
    assert client.post(reverse("events:people", args=[offer.pk]), {f"mark-{registration.pk}": "present"}).status_code == 404
    assert "Мастер-класс агронома" not in client.get(reverse("events:manage")).content.decode()
    offer.refresh_from_db()
    assert (offer.title, offer.status) == ("Мастер-класс агронома", "published")

    client.force_login(ev.cast.user("partner_a"))
    page = client.get(reverse("events:people", args=[offer.pk])).content.decode()
    assert "Ученик" in page  # the host sees who signed up
    assert Registration.objects.get(pk=registration.pk).status == "confirmed"
