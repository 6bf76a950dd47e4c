"""Sign-ups through the API: the public catalogue of published offers, a student signing up and cancelling through
events.services (capacity and the waiting list hold), and one's own registrations."""

import pytest

from events.models import Offer, Registration


@pytest.fixture
def ev(pm):
    from events.tests.conftest import Events

    return Events(pm)


def test_the_catalogue_lists_published_offers_with_its_filters_and_no_drafts(client, ev, token_headers):
    ev.offer(title="Мастер-класс агронома", grades=(8, 9))
    ev.offer(title="Проба для старших", grades=(10, 11), kind=Offer.Kind.TRIAL, professions="агроном")
    ev.offer(title="Черновик", publish=False)
    headers = token_headers(ev.cast.user("student_a1"))
    listed = client.get("/api/v1/offers/published", **headers).json()
    assert (listed["count"], [o["title"] for o in listed["items"]]) == (2, ["Мастер-класс агронома", "Проба для старших"])
    for_grade_8 = client.get("/api/v1/offers/published", {"grade": 8}, **headers).json()
    assert [o["title"] for o in for_grade_8["items"]] == ["Мастер-класс агронома"]
    trials = client.get("/api/v1/offers/published", {"kind": "trial"}, **headers).json()
    assert [o["title"] for o in trials["items"]] == ["Проба для старших"]
    assert client.get("/api/v1/offers/published", {"kind": "пикник"}, **headers).status_code == 422
    assert client.get("/api/v1/offers/published", {"grade": 12}, **headers).status_code == 422


def test_the_last_place_is_taken_the_next_waits_and_a_cancellation_offers_it_to_them(client, ev, token_headers):
    offer = ev.offer(capacity=1)
    first, second = token_headers(ev.cast.user("student_a1")), token_headers(ev.cast.user("student_a2"))
    signed = client.post(f"/api/v1/offers/{offer.pk}/signup", **first)
    assert signed.status_code == 201
    assert (signed.json()["status"], signed.json()["waiting_position"]) == ("confirmed", 0)
    waiting = client.post(f"/api/v1/offers/{offer.pk}/signup", **second).json()
    assert (waiting["status"], waiting["status_label"], waiting["waiting_position"]) == ("waiting", "в листе ожидания", 1)
    offer.refresh_from_db()
    assert offer.taken == 1

    again = client.post(f"/api/v1/offers/{offer.pk}/signup", **first)
    assert again.status_code == 422
    assert "уже записан" in again.json()["detail"]

    cancelled = client.delete(f"/api/v1/registrations/{signed.json()['id']}", **first)
    assert (cancelled.status_code, cancelled.json()["status"]) == (200, "cancelled")
    mine = client.get("/api/v1/me/registrations", **second).json()
    assert (mine["count"], mine["items"][0]["offer_id"], mine["items"][0]["status"]) == (1, offer.pk, "offered")
    offer.refresh_from_db()
    assert offer.taken == 1


def test_a_class_of_the_wrong_grade_and_a_teacher_signing_up_themselves_are_refused(client, ev, token_headers):
    seniors = ev.offer(grades=(10, 11))
    refused = client.post(f"/api/v1/offers/{seniors.pk}/signup", **token_headers(ev.cast.user("student_a1")))
    assert refused.status_code == 422
    assert "8 классе" in refused.json()["detail"]
    offer = ev.offer()
    teacher = client.post(f"/api/v1/offers/{offer.pk}/signup", **token_headers(ev.cast.user("class_teacher_a1")))
    assert teacher.status_code == 403
    assert "обучающиеся" in teacher.json()["detail"]
    draft = ev.offer(publish=False)
    assert client.post(f"/api/v1/offers/{draft.pk}/signup", **token_headers(ev.cast.user("student_a1"))).status_code == 404
    assert not Registration.objects.exists()


def test_anothers_registration_cannot_be_cancelled_and_a_parent_sees_but_does_not_cancel_the_childs(client, ev, token_headers):
    cast = ev.cast
    offer = ev.offer()
    registration_id = client.post(f"/api/v1/offers/{offer.pk}/signup", **token_headers(cast.user("student_a1"))).json()["id"]
    assert client.delete(f"/api/v1/registrations/{registration_id}", **token_headers(cast.user("student_a2"))).status_code == 404
    # parent_a1 is a1_8a_0's parent; student_a1 is a1_8a_1, not their child.
    assert client.delete(f"/api/v1/registrations/{registration_id}", **token_headers(cast.user("parent_a1"))).status_code == 404
    assert client.get("/api/v1/me/registrations", **token_headers(cast.user("parent_a1"))).json()["count"] == 0
    assert Registration.objects.get(pk=registration_id).status == "confirmed"


def test_a_change_of_an_offer_that_is_not_an_object_is_refused(client, ev, token_headers):
    offer = ev.offer()
    response = client.patch(
        f"/api/v1/offers/{offer.pk}", "[null, null]", content_type="application/json", **token_headers(ev.cast.user("partner_a"))
    )
    assert response.status_code == 422
