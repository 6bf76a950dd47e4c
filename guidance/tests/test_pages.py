"""The guidance page: recommendations with reasons and next steps from the catalogue, «не подходит» used by the next
ranking, the trajectory with a backup, confirmed by the teacher-navigator, seen by the parent; who sees what."""

import datetime

import pytest
from django.utils import timezone

from catalog.models import Profession
from catalog.shipped import catalog_reference_load
from diagnostics import services as diagnostics_services
from diagnostics.tests.conftest import RIASEC_ANSWERS, answer_all, consent_given, version
from guidance.models import Dismissal, Recommendation, Trajectory
from guidance.services import recommendations_refresh


@pytest.fixture
def pupil(cast, catalogue):
    """student_a1 (a1_8a_1) with a reliable RIASEC result (code RIS) and both consents."""
    student = cast.students["a1_8a_1"]
    consent_given(student)
    consent_given(student, "guidance")
    user = cast.user("student_a1")
    attempt = diagnostics_services.attempt_start(user=user, student=student, version=version("riasec-interests"))
    answer_all(attempt, RIASEC_ANSWERS)
    diagnostics_services.attempt_finish(user=user, attempt=attempt)
    return student


def test_a_student_sees_professions_ranked_with_reasons_and_next_steps(cast, pupil, client):
    catalog_reference_load()
    client.force_login(cast.user("student_a1"))
    page = client.get("/guidance/").content.decode()
    rows = list(Recommendation.objects.filter(student=pupil).order_by("rank"))
    assert len(rows) == 10 and rows[0].correlation >= rows[-1].correlation - 0.3
    assert "высокие баллы по шкалам «реалистический» и «исследовательский»" in page
    assert rows[0].profession.title in page
    assert "Следующие шаги" in page and "Программа обучения" in page


def test_a_dismissed_profession_leaves_the_next_ranking(cast, pupil, client):
    client.force_login(cast.user("student_a1"))
    client.get("/guidance/")
    first = Recommendation.objects.get(student=pupil, rank=1).profession
    response = client.post(f"/guidance/professions/{first.pk}/dismiss/", {"reason": "tried", "note": "был на пробе"}, follow=True)
    assert f"«{first.title}» вам не подходит" in response.content.decode()
    assert Dismissal.objects.get(student=pupil).get_reason_display() == "пробовал(а), не понравилось"
    assert first.pk not in Recommendation.objects.filter(student=pupil).values_list("profession_id", flat=True)


def test_recommendations_are_the_same_for_the_same_inputs(cast, pupil):
    once = [(r.profession_id, r.score) for r in recommendations_refresh(student_id=pupil.pk)]
    again = [(r.profession_id, r.score) for r in recommendations_refresh(student_id=pupil.pk)]
    assert once == again


def test_a_finished_result_enqueues_the_recomputation(cast, pupil):
    from django_tasks_db.models import DBTaskResult

    assert DBTaskResult.objects.filter(task_path="guidance.tasks.recommendations_refresh_task").exists()


def trajectory_form(main, backup, *, day=None):
    day = (day or timezone.localdate() + datetime.timedelta(days=60)).isoformat()
    return {
        "main-profession": main.pk, "main-why": "нравится техника", "main-step1-title": "Сдать ОГЭ по физике", "main-step1-date": day,
        "backup1-profession": backup.pk, "backup1-why": "тоже руками", "backup1-step1-title": "Профпроба в колледже",
        "backup1-step1-date": day,
    }  # fmt: skip


def test_a_student_saves_a_trajectory_with_a_backup_and_the_navigator_confirms_it(cast, pupil, client):
    welder, fitter = Profession.objects.get(code="welder"), Profession.objects.get(code="fitter")
    client.force_login(cast.user("student_a1"))
    response = client.post("/guidance/trajectory/", trajectory_form(welder, fitter))
    assert response.status_code == 302
    trajectory = Trajectory.objects.get(student=pupil)
    assert trajectory.has_backup and [g.kind for g in trajectory.goals.all()] == ["main", "backup"]
    page = client.get("/guidance/").content.decode()
    assert "Запасной вариант: Слесарь-ремонтник промышленного оборудования" in page and "Сдать ОГЭ по физике" in page
    # The class teacher of 8 А accompanies it here (the navigator of a1 has 9 А): the school's psychologist reviews.
    client.force_login(cast.user("psychologist_a1"))
    response = client.post(f"/guidance/students/{pupil.pk}/review/", {"comment": "Хороший план", "confirm": "1"})
    assert response.status_code == 302
    trajectory.refresh_from_db()
    assert trajectory.confirmed_at is not None and trajectory.comment == "Хороший план"
    # The «Билет в будущее» indicators (events) now count one confirmed trajectory with a backup in the pupil's school.
    from events.indicators import school_indicators

    today = timezone.localdate()
    figures = school_indicators(school=pupil.current_school, date_from=today, date_to=today)
    assert figures.total.trajectories == 1


def test_a_trajectory_without_a_backup_is_refused_and_the_form_keeps_what_was_typed(cast, pupil, client):
    welder = Profession.objects.get(code="welder")
    form = trajectory_form(welder, welder)
    del form["backup1-profession"]
    client.force_login(cast.user("student_a1"))
    response = client.post("/guidance/trajectory/", form)
    assert response.status_code == 400
    page = response.content.decode()
    assert "Запасной вариант: выберите профессию." in page and "Сдать ОГЭ по физике" in page
    assert not Trajectory.objects.exists()


def test_a_backup_identical_to_the_main_goal_is_refused(cast, pupil, client):
    welder = Profession.objects.get(code="welder")
    client.force_login(cast.user("student_a1"))
    response = client.post("/guidance/trajectory/", trajectory_form(welder, welder))
    assert response.status_code == 400 and "совпадает с другой целью" in response.content.decode()


def test_the_parent_sees_the_childs_trajectory_where_sharing_is_allowed(cast, pupil, client):
    # parent_a1 is the mother of a1_8a_0, not of our pupil: she sees nothing of this one.
    client.force_login(cast.user("parent_a1"))
    assert client.get(f"/guidance/students/{pupil.pk}/").status_code == 404


def test_staff_of_another_school_see_no_page_and_a_municipality_is_sent_to_the_card(cast, pupil, client):
    for user in ("psychologist_a2", "navigator_b1"):
        client.force_login(cast.user(user))
        assert client.get(f"/guidance/students/{pupil.pk}/").status_code == 404
    client.force_login(cast.user("municipal_a"))  # sees the student in the network, not their results
    response = client.get(f"/guidance/students/{pupil.pk}/")
    assert response.status_code == 302 and response["Location"] == f"/students/{pupil.pk}/"
    assert (
        not Recommendation.objects.filter(student=pupil).exists()
        or "высокие баллы" not in client.get(response["Location"]).content.decode()
    )


def test_a_student_without_results_is_invited_to_take_the_interest_inventory(cast, catalogue, client):
    client.force_login(cast.user("student_a2"))
    page = client.get("/guidance/").content.decode()
    assert "Рекомендаций пока нет" in page


def test_the_students_home_shows_the_recommendations_and_asks_for_a_trajectory(cast, pupil, client):
    recommendations_refresh(student_id=pupil.pk)
    client.force_login(cast.user("student_a1"))
    page = client.get("/").content.decode()
    assert "Что мне подходит" in page and "Составьте траекторию: основная цель и запасной вариант" in page
    top = Recommendation.objects.get(student=pupil, rank=1).profession.title
    assert top in page


def test_the_psychologists_home_lists_trajectories_waiting_for_confirmation(cast, pupil, client):
    client.force_login(cast.user("student_a1"))
    client.post("/guidance/trajectory/", trajectory_form(Profession.objects.get(code="welder"), Profession.objects.get(code="fitter")))
    client.force_login(cast.user("psychologist_a1"))
    page = client.get("/").content.decode()
    assert "1 траектория ждёт подтверждения" in page and pupil.person.short_name in page


def test_a_parent_sees_the_childs_trajectory_where_sharing_is_allowed(cast, catalogue, client):
    from guidance.models import Goal, Step
    from privacy.models import ParentConfirmation

    son = cast.students["a1_8a_0"]
    ParentConfirmation.objects.create(link=son.parent_links.get(), basis="birth_certificate")
    trajectory = Trajectory.objects.create(student=son, updated_at=timezone.now())
    goal = Goal.objects.create(trajectory=trajectory, kind="main", profession=Profession.objects.get(code="welder"), why="нравится")
    Step.objects.create(goal=goal, title="Сдать ОГЭ", due_on=timezone.localdate())
    client.force_login(cast.user("parent_a1"))
    assert client.get(f"/guidance/students/{son.pk}/").status_code == 302  # no consent to share results yet: the card
    consent_given(son, "share_with_parent")
    page = client.get(f"/guidance/students/{son.pk}/").content.decode()
    assert "Основная цель: Сварщик" in page and "Сдать ОГЭ" in page
    assert "Сохранить траекторию" not in page  # the parent reads it; the student makes it


def test_the_roadmap_indicator_counts_students_with_recommendations_and_a_backup(cast, pupil, client):
    from guidance.selectors import backup_choice_figures

    recommendations_refresh(student_id=pupil.pk)
    assert backup_choice_figures(school_id=pupil.current_school_id)["indicator"] == 0
    client.force_login(cast.user("student_a1"))
    client.post("/guidance/trajectory/", trajectory_form(Profession.objects.get(code="welder"), Profession.objects.get(code="fitter")))
    assert backup_choice_figures(school_id=pupil.current_school_id)["indicator"] == 1
