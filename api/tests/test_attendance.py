"""Attendance through the API: a class teacher reads and saves the marks of their class as on the attendance page,
through attendance_save and its rules; another school's activity is a 404."""

import datetime

from django.utils import timezone

from profminimum.models import Attendance


def _put(client, activity, marks, headers, **extra):
    body = {"marks": marks, **extra}
    return client.put(f"/api/v1/activities/{activity.pk}/attendance", body, content_type="application/json", **headers)


def test_a_class_teacher_reads_the_unmarked_class_of_a_lesson(client, pm, token_headers):
    lesson = pm.activity("a1_8a", hours="2")
    response = client.get(f"/api/v1/activities/{lesson.pk}/attendance", **token_headers(pm.cast.user("class_teacher_a1")))
    assert response.status_code == 200
    answer = response.json()
    assert (answer["class_name"], answer["hours"]) == ("8 «А»", 2.0)
    assert [(s["student_id"], s["marked"], s["present"]) for s in answer["students"]] == [
        (pm.cast.students[f"a1_8a_{i}"].pk, False, None) for i in range(3)
    ]


def test_saving_marks_credits_the_present_and_a_correction_moves_the_difference(client, pm, token_headers):
    cast = pm.cast
    headers = token_headers(cast.user("class_teacher_a1"))
    lesson = pm.activity("a1_8a", hours="2")
    s0, s1, s2 = (cast.students[f"a1_8a_{i}"] for i in range(3))
    marks = [
        {"student_id": s0.pk, "present": True},
        {"student_id": s1.pk, "present": True},
        {"student_id": s2.pk, "present": False, "excuse": "болел"},
    ]
    response = _put(client, lesson, marks, headers)
    assert response.status_code == 200
    saved = response.json()
    assert (saved["newly_marked"], saved["changed"], saved["hours_delta"]) == (3, 0, 4.0)
    assert [(s["present"], s["excuse"]) for s in saved["students"]] == [(True, ""), (True, ""), (False, "болел")]
    # s1 was in fact absent: 2 hours come off.
    corrected = _put(client, lesson, [{"student_id": s1.pk, "present": False}], headers).json()
    assert (corrected["newly_marked"], corrected["changed"], corrected["hours_delta"]) == (0, 1, -2.0)
    hours = client.get("/api/v1/me/hours", **token_headers(cast.user("student_a1"))).json()
    assert hours["total_hours"] == 0.0


def test_a_lesson_that_has_not_happened_yet_is_refused_in_russian(client, pm, token_headers):
    lesson = pm.activity("a1_8a", hours="2")
    lesson.starts_at = timezone.now() + datetime.timedelta(days=3)
    lesson.save(update_fields=["starts_at"])
    student = pm.cast.students["a1_8a_0"]
    response = _put(client, lesson, [{"student_id": student.pk, "present": True}], token_headers(pm.cast.user("class_teacher_a1")))
    assert response.status_code == 422
    assert "ещё не состоялось" in response.json()["detail"]
    assert not Attendance.objects.filter(activity=lesson).exists()


def test_a_student_from_another_class_or_twice_is_refused_and_nothing_is_saved(client, pm, token_headers):
    cast = pm.cast
    headers = token_headers(cast.user("class_teacher_a1"))
    lesson = pm.activity("a1_8a", hours="2")
    mine, stranger = cast.students["a1_8a_0"], cast.students["a1_9a_0"]
    response = _put(client, lesson, [{"student_id": mine.pk, "present": True}, {"student_id": stranger.pk, "present": True}], headers)
    assert response.status_code == 422
    assert response.json()["errors"][0]["loc"] == ["body", "marks", 1, "student_id"]
    twice = _put(client, lesson, [{"student_id": mine.pk, "present": True}, {"student_id": mine.pk, "present": False}], headers)
    assert twice.status_code == 422
    assert "дважды" in twice.json()["detail"]
    assert not Attendance.objects.filter(activity=lesson).exists()


def test_another_schools_teacher_a_student_and_a_navigator_of_another_class_get_a_404(client, pm, token_headers):
    cast = pm.cast
    lesson = pm.activity("a1_8a", hours="2")
    student = cast.students["a1_8a_0"]
    for who in ("class_teacher_b1", "student_a1", "navigator_a1"):
        headers = token_headers(cast.user(who))
        assert client.get(f"/api/v1/activities/{lesson.pk}/attendance", **headers).status_code == 404, who
        assert _put(client, lesson, [{"student_id": student.pk, "present": True}], headers).status_code == 404, who
    assert not Attendance.objects.filter(activity=lesson).exists()


def test_a_mark_that_is_not_true_or_false_is_refused(client, pm, token_headers):
    lesson = pm.activity("a1_8a", hours="2")
    student = pm.cast.students["a1_8a_0"]
    response = _put(client, lesson, [{"student_id": student.pk, "present": 0}], token_headers(pm.cast.user("class_teacher_a1")))
    assert response.status_code == 422
    assert not Attendance.objects.filter(activity=lesson).exists()


def test_a_body_that_is_not_json_is_a_400_in_russian(client, pm, token_headers):
    lesson = pm.activity("a1_8a", hours="2")
    response = client.put(
        f"/api/v1/activities/{lesson.pk}/attendance",
        "{не json",
        content_type="application/json",
        **token_headers(pm.cast.user("class_teacher_a1")),
    )
    assert response.status_code == 400
    assert response.json() == {"detail": "Тело запроса не читается: ожидается JSON в кодировке UTF-8."}
