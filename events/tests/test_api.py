"""The offers in the API: a partner's staff read and change their own organisation's offers; another partner's is
a 404 and stays as it was."""

import json

import pytest

from accounts.services import api_token_create


@pytest.fixture
def headers():
    def make(user) -> dict:
        _, key = api_token_create(user=user, name="интеграция для тестов")
        return {"HTTP_AUTHORIZATION": f"Bearer {key}"}

    return make


def test_a_partner_reads_and_changes_their_own_offers_and_another_partners_is_a_404(client, ev, headers):
    mine, theirs = ev.offer(title="Мастер-класс агронома"), ev.offer(provider="employer_b", title="Мастер-класс строителя")
    as_a = headers(ev.cast.user("partner_a"))
    listed = client.get("/api/v1/offers", **as_a).json()
    assert (listed["count"], [o["title"] for o in listed["items"]]) == (1, ["Мастер-класс агронома"])
    assert client.get(f"/api/v1/offers/{mine.pk}", **as_a).json()["capacity"] == 10
    assert client.get(f"/api/v1/offers/{theirs.pk}", **as_a).status_code == 404

    body = json.dumps({"title": "Захвачено", "capacity": 1})
    answer = client.patch(f"/api/v1/offers/{theirs.pk}", body, content_type="application/json", **as_a)
    assert answer.status_code == 404
    theirs.refresh_from_db()
    assert (theirs.title, theirs.capacity) == ("Мастер-класс строителя", 10)

    answer = client.patch(
        f"/api/v1/offers/{mine.pk}", json.dumps({"capacity": 12, "place": "пр. Мира, 5"}), content_type="application/json", **as_a
    )
    assert answer.status_code == 200 and (answer.json()["capacity"], answer.json()["place"]) == (12, "пр. Мира, 5")


def test_a_capacity_below_the_places_taken_is_refused_in_russian(client, ev, headers):
    from events.services import registration_create

    offer = ev.offer(capacity=3)
    for key in ("a1_8a_0", "a1_8a_1"):
        registration_create(offer=offer, student=ev.cast.students[key], by=None)
    answer = client.patch(
        f"/api/v1/offers/{offer.pk}", json.dumps({"capacity": 1}), content_type="application/json", **headers(ev.cast.user("partner_a"))
    )
    assert answer.status_code == 422
    assert answer.json()["errors"] == [
        {"loc": ["body", "capacity"], "msg": "Уже занято 2 места: мест не может быть меньше.", "type": "refused"}
    ]
