"""Who sees what (issue 10, point 8): the student their own results; the parent where the consent to share allows;
the school's psychologist and the class's teacher-navigator their students'; nobody of another school; the
municipality and the republic aggregates only — and a group smaller than ten shows no figures."""

import pytest

from diagnostics import services
from diagnostics.models import Attempt
from diagnostics.tests.conftest import READINESS_ANSWERS, RIASEC_ANSWERS, answer_all, consent_given, version
from privacy.models import ParentConfirmation


def finish(cast, student_key: str, user: str, code: str, answers) -> Attempt:
    student = cast.students[student_key]
    consent_given(student)
    attempt = services.attempt_start(user=cast.user(user), student=student, version=version(code))
    answer_all(attempt, answers)
    return services.attempt_finish(user=cast.user(user), attempt=attempt)


@pytest.fixture
def result(cast):
    """student_a1 (8 «А» of A1) finished the RIASEC inventory (code РИС)."""
    return finish(cast, "a1_8a_1", "student_a1", "riasec-interests", RIASEC_ANSWERS)


def test_the_student_sees_their_own_result(cast, result, client):
    client.force_login(cast.user("student_a1"))
    assert "Код Холланда: <strong>РИС</strong>" in client.get(f"/diagnostics/attempts/{result.pk}/result/").content.decode()


def test_the_schools_psychologist_sees_it_and_another_schools_does_not(cast, result, client):
    client.force_login(cast.user("psychologist_a1"))
    assert client.get(f"/diagnostics/attempts/{result.pk}/result/").status_code == 200
    assert client.get(f"/diagnostics/students/{result.student_id}/").status_code == 200
    client.force_login(cast.user("psychologist_a2"))
    assert client.get(f"/diagnostics/attempts/{result.pk}/result/").status_code == 404


def test_the_navigator_sees_the_results_of_their_class_only(cast, client):
    in_class = cast.students["a1_9a_0"]  # navigator_a1 accompanies 9 «А»
    from accounts.models import User

    user = User.objects.create_user(username="pupil9", password="x-Пароль-123")
    in_class.person.user = user
    in_class.person.save(update_fields=["user"])
    consent_given(in_class)
    attempt = services.attempt_start(user=user, student=in_class, version=version("choice-readiness"))
    answer_all(attempt, READINESS_ANSWERS)
    services.attempt_finish(user=user, attempt=attempt)
    other = finish(cast, "a1_8a_1", "student_a1", "choice-readiness", READINESS_ANSWERS)
    client.force_login(cast.user("navigator_a1"))
    assert client.get(f"/diagnostics/attempts/{attempt.pk}/result/").status_code == 200
    assert client.get(f"/diagnostics/attempts/{other.pk}/result/").status_code == 404


def test_the_class_teacher_and_the_municipality_see_no_individual_result(cast, result, client):
    for user in ("class_teacher_a1", "municipal_a", "ministry_admin"):
        client.force_login(cast.user(user))
        assert client.get(f"/diagnostics/attempts/{result.pk}/result/").status_code == 404, user


def test_a_parent_sees_the_childs_result_only_where_sharing_is_allowed(cast, client):
    child = cast.students["a1_8a_0"]  # parent_a1's son
    ParentConfirmation.objects.create(link=child.parent_links.get(), basis="birth_certificate")
    consent_given(child)
    from accounts.models import User

    user = User.objects.create_user(username="son", password="x-Пароль-123")
    child.person.user = user
    child.person.save(update_fields=["user"])
    attempt = services.attempt_start(user=user, student=child, version=version("choice-readiness"))
    answer_all(attempt, READINESS_ANSWERS)
    services.attempt_finish(user=user, attempt=attempt)
    client.force_login(cast.user("parent_a1"))
    assert client.get(f"/diagnostics/attempts/{attempt.pk}/result/").status_code == 404  # no consent to share yet
    consent_given(child, "share_with_parent")
    assert client.get(f"/diagnostics/attempts/{attempt.pk}/result/").status_code == 200


def test_a_withdrawn_diagnostics_consent_hides_the_result_from_staff(cast, result, client):
    consent_given(cast.students["a1_8a_1"], decision="withdrawn")
    client.force_login(cast.user("psychologist_a1"))
    assert client.get(f"/diagnostics/attempts/{result.pk}/result/").status_code == 404


def test_a_territorys_summary_shows_no_group_smaller_than_ten(cast, result, client):
    client.force_login(cast.user("municipal_a"))
    page = client.get("/diagnostics/summary/").content.decode()
    assert "РИС" not in page and "Реалистический: 40" not in page
    assert "меньше 10" in page or "не меньше 10" in page or "менее 10" in page


def test_an_erasure_deletes_the_answers_and_keeps_the_scores_for_the_aggregates(cast, result):
    from diagnostics.personal_data import erase, held
    from privacy.registry import Act

    student = cast.students["a1_8a_1"]
    assert dict(held(student, full=False).facts)["Сохранённых ответов"] == "60"
    act = Act()
    erase(student, act)
    assert act.items == [{"what": "Ответы на вопросы опросников", "table": "diagnostics.Answer", "rows": 60, "how": "удалено"}]
    result.refresh_from_db()
    assert result.scores["R"] == 40 and not result.answers.exists()
