"""The профминимум through the API: a student's own hours, a parent's child's, the compliance summaries of a
school, a municipality and the republic, checked against hand-computed figures of the cast (3 students a class,
two classes a school; a1 basic 40 h, a2 main 60 h, b1 advanced 80 h), and who may read what."""

import datetime

from access.models import PersonalDataRead
from privacy.policy import Answer
from profminimum.services import Mark, attendance_save


def _course_and_upbringing(pm):
    """a1_8a_0 and a1_8a_1 attend a 2-hour lesson of the course; a1_8a_1 also a 3-hour upbringing event."""
    cast = pm.cast
    s0, s1, s2 = (cast.students[f"a1_8a_{i}"] for i in range(3))
    lesson = pm.activity("a1_8a", hours="2", direction="course")
    attendance_save(activity=lesson, marks={s0.pk: Mark(True), s1.pk: Mark(True), s2.pk: Mark(False, "болел")}, by=None)
    event = pm.activity("a1_8a", hours="3", direction="upbringing", week=1, title="Встреча с инженером")
    attendance_save(activity=event, marks={s1.pk: Mark(True)}, by=None)
    return lesson, event


def _directions(answer: dict) -> dict:
    return {d["code"]: d["hours"] for d in answer["directions"] if d["hours"]}


def test_a_student_reads_their_own_hours_by_direction_against_the_schools_level(client, pm, token_headers):
    _course_and_upbringing(pm)
    response = client.get("/api/v1/me/hours", **token_headers(pm.cast.user("student_a1")))
    assert response.status_code == 200
    hours = response.json()
    assert hours["student_id"] == pm.cast.students["a1_8a_1"].pk
    assert hours["level"] == "basic"
    assert hours["min_hours"] == 40.0
    assert hours["total_hours"] == 5.0
    assert _directions(hours) == {"course": 2.0, "upbringing": 3.0}
    assert hours["state_label"]


def test_hours_on_a_date_count_only_what_was_held_by_then(client, pm, token_headers):
    _lesson, event = _course_and_upbringing(pm)
    day_before = (event.starts_at - datetime.timedelta(days=1)).date().isoformat()
    hours = client.get("/api/v1/me/hours", {"on": day_before}, **token_headers(pm.cast.user("student_a1"))).json()
    assert hours["on"] == day_before
    assert hours["total_hours"] == 2.0
    assert _directions(hours) == {"course": 2.0}


def test_a_user_who_is_not_a_student_has_no_hours_of_their_own(client, pm, token_headers):
    response = client.get("/api/v1/me/hours", **token_headers(pm.cast.user("class_teacher_a1")))
    assert response.status_code == 404
    assert "обучающегося" in response.json()["detail"]


def test_a_parent_reads_their_childs_hours_and_not_another_childs(client, pm, token_headers):
    _course_and_upbringing(pm)
    cast = pm.cast
    headers = token_headers(cast.user("parent_a1"))
    child = cast.students["a1_8a_0"]
    response = client.get(f"/api/v1/students/{child.pk}/hours", **headers)
    assert response.status_code == 200
    assert response.json()["total_hours"] == 2.0
    assert PersonalDataRead.objects.filter(user=cast.user("parent_a1"), channel="api").exists()
    other = cast.students["a1_8a_1"]
    assert client.get(f"/api/v1/students/{other.pk}/hours", **headers).status_code == 404


def test_a_parent_without_consent_to_see_results_is_refused_in_russian(client, pm, token_headers, monkeypatch):
    monkeypatch.setattr("api.routers.profminimum.parent_sharing", lambda viewer, student: Answer.NO)
    child = pm.cast.students["a1_8a_0"]
    response = client.get(f"/api/v1/students/{child.pk}/hours", **token_headers(pm.cast.user("parent_a1")))
    assert response.status_code == 403
    assert "согласие" in response.json()["detail"]


def test_a_date_outside_the_school_year_is_a_clear_422(client, pm, token_headers):
    headers = token_headers(pm.cast.user("student_a1"))
    response = client.get("/api/v1/me/hours", {"on": "2099-01-01"}, **headers)
    assert response.status_code == 422
    assert "учебного года" in response.json()["detail"]
    assert response.json()["errors"][0]["loc"] == ["query", "on"]
    assert client.get("/api/v1/me/hours", {"on": "9999-12-31"}, **headers).status_code == 422
    school = pm.cast.orgs["a1"]
    assert client.get(f"/api/v1/schools/{school.pk}/summary", {"on": "1990-05-01"}, **headers).status_code == 422


def test_a_schools_summary_shows_its_figures_and_its_classes(client, pm, token_headers):
    _course_and_upbringing(pm)
    school = pm.cast.orgs["a1"]
    response = client.get(f"/api/v1/schools/{school.pk}/summary", **token_headers(pm.cast.user("coordinator_a1")))
    assert response.status_code == 200
    summary = response.json()
    # 6 students; 2 + 2 + 3 = 7 hours; 7 / 6 = 1.17 → 1.2 on average.
    assert (summary["scope"], summary["name"], summary["students"]) == ("school", "Школа № 1 г. Альфа", 6)
    assert summary["total_hours"] == 7.0
    assert summary["average_hours"] == 1.2
    assert _directions(summary) == {"course": 4.0, "upbringing": 3.0}
    assert sum(state["students"] for state in summary["states"]) == 6
    assert [(row["name"], row["students"], row["total_hours"]) for row in summary["rows"]] == [("8 «А»", 3, 7.0), ("9 «А»", 3, 0.0)]


def test_a_municipalitys_and_the_republics_summaries_add_up_their_schools(client, pm, token_headers):
    _course_and_upbringing(pm)
    cast = pm.cast
    municipality = cast.municipalities["a"]
    summary = client.get(f"/api/v1/municipalities/{municipality.pk}/summary", **token_headers(cast.user("municipal_a"))).json()
    assert (summary["students"], summary["total_hours"]) == (12, 7.0)
    assert [(row["name"], row["total_hours"]) for row in summary["rows"]] == [("Школа № 1 г. Альфа", 7.0), ("Школа № 2 г. Альфа", 0.0)]
    republic = client.get("/api/v1/republic/summary", **token_headers(cast.user("ministry_analyst"))).json()
    assert (republic["scope"], republic["students"], republic["total_hours"]) == ("republic", 18, 7.0)
    assert {row["name"]: row["students"] for row in republic["rows"]} == {"Город Альфа": 12, "Бетинский район": 6}


def test_a_foreign_school_municipality_or_the_republic_is_a_404(client, pm, token_headers):
    cast = pm.cast
    coordinator = token_headers(cast.user("coordinator_a1"))
    assert client.get(f"/api/v1/schools/{cast.orgs['b1'].pk}/summary", **coordinator).status_code == 404
    assert client.get("/api/v1/republic/summary", **coordinator).status_code == 404
    municipal_b = token_headers(cast.user("municipal_b"))
    assert client.get(f"/api/v1/municipalities/{cast.municipalities['a'].pk}/summary", **municipal_b).status_code == 404
    assert client.get(f"/api/v1/schools/{cast.orgs['a1'].pk}/summary", **municipal_b).status_code == 404
