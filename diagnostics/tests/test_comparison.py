"""The parent version of the interest inventory beside the child's own answers (issue 10, points 2 and 8): the parent
answers about a chosen child from their home; the parent, the student and the school's psychologist then read both
side by side with what agrees and what differs — each only where the consent rules let them see it."""

import pytest

from diagnostics import services
from diagnostics.tests.conftest import PARENT_ANSWERS, RIASEC_ANSWERS, answer_all, consent_given, version
from privacy.models import ParentConfirmation

# By hand: the son's RIASEC scores R40 I30 A0 S20 E10 C20 (code R I S), the mother's view R0 I0 A0 S0 E30 C40 (code
# C E R: the ties at 0 go in the file's order). Common leading type: R. Biggest gaps of the 40-point scales: R (40 vs 0),
# then I (30 vs 0); S, E and C differ by 20, half as much.
COMMON = "Общее в ведущих типах: практический тип."
PARENT_ONLY = "Только по мнению родителя: конвенциональный тип и предпринимательский тип."
GAPS = "Больше всего расходятся оценки по шкалам «Практический тип» (40 и 0 из 40) и «Исследовательский тип» (30 и 0 из 40)"


@pytest.fixture
def family(cast):
    """parent_a1 (confirmed by the school) and her son a1_8a_0 with an account; the diagnostics consent given."""
    from accounts.models import User

    son = cast.students["a1_8a_0"]
    ParentConfirmation.objects.create(link=son.parent_links.get(), basis="birth_certificate")
    consent_given(son)
    user = User.objects.create_user(username="son", password="x-Пароль-123")
    son.person.user = user
    son.person.save(update_fields=["user"])
    own = services.attempt_start(user=user, student=son, version=version("riasec-interests"))
    answer_all(own, RIASEC_ANSWERS)
    services.attempt_finish(user=user, attempt=own)
    return son, user


def parent_answers(cast, son):
    attempt = services.attempt_start(user=cast.user("parent_a1"), student=son, version=version("riasec-interests-parent"))
    answer_all(attempt, PARENT_ANSWERS)
    return services.attempt_finish(user=cast.user("parent_a1"), attempt=attempt)


def test_the_parent_starts_the_parent_version_about_the_child_chosen_on_the_home(cast, family, client):
    from people.models import ParentLink

    son, _ = family
    daughter = cast.students["a1_9a_2"]
    ParentLink.objects.create(parent=cast.user("parent_a1").person, student=daughter, kind="mother")
    client.force_login(cast.user("parent_a1"))
    home = client.get("/").content.decode()
    for child in (son, daughter):  # one link per child: she chooses whom she answers about
        assert f'/diagnostics/#child-{child.pk}">Пройти опросник для родителей о ребёнке: {child.person.first_name}<' in home
    page = client.get("/diagnostics/").content.decode()
    assert f'id="child-{son.pk}"' in page and "Пройти опросник о ребёнке" in page
    started = client.post("/diagnostics/start/", {"student": son.pk, "version": version("riasec-interests-parent").pk})
    assert started.status_code == 302
    from diagnostics.models import Attempt

    attempt = Attempt.objects.get(respondent=cast.user("parent_a1").person)
    assert started["Location"] == f"/diagnostics/attempts/{attempt.pk}/" and attempt.student == son
    other = cast.students["a2_8a_0"]  # not her child
    assert client.post("/diagnostics/start/", {"student": other.pk, "version": version("riasec-interests-parent").pk}).status_code == 404


def test_parent_student_and_psychologist_read_the_comparison_in_plain_words(cast, family, client):
    son, son_user = family
    consent_given(son, "share_with_parent")
    mine = parent_answers(cast, son)
    client.force_login(son_user)
    page = client.get(f"/diagnostics/students/{son.pk}/").content.decode()
    assert COMMON in page and PARENT_ONLY in page and "Только в ваших ответах: исследовательский тип и социальный тип." in page
    assert GAPS + ": первое число — ваши ответы, второе — мнение родителя." in page
    assert "сравните взгляды" in client.get("/diagnostics/").content.decode()
    client.force_login(cast.user("parent_a1"))
    page = client.get(f"/diagnostics/students/{son.pk}/").content.decode()
    assert GAPS + ": первое число — ответы ребёнка, второе — мнение родителя." in page
    result = client.get(f"/diagnostics/attempts/{mine.pk}/result/").content.decode()
    assert COMMON in result and "Только в ответах ребёнка: исследовательский тип и социальный тип." in result
    assert "Сравнить ваш взгляд с ответами ребёнка" in client.get("/").content.decode()
    client.force_login(cast.user("psychologist_a1"))
    page = client.get(f"/diagnostics/students/{son.pk}/").content.decode()
    assert COMMON in page and GAPS + ": первое число — ответы обучающегося" in page
    client.force_login(cast.user("psychologist_a2"))
    assert client.get(f"/diagnostics/students/{son.pk}/").status_code == 404


def test_without_the_consent_to_share_the_parent_sees_only_their_own_answers(cast, family, client):
    son, son_user = family
    mine = parent_answers(cast, son)
    client.force_login(cast.user("parent_a1"))
    result = client.get(f"/diagnostics/attempts/{mine.pk}/result/")
    assert result.status_code == 200
    text = result.content.decode()
    assert COMMON not in text and "по ответам обучающегося" not in text and "Сравнение с ответами ребёнка появится здесь" in text
    assert client.get(f"/diagnostics/students/{son.pk}/").status_code == 404
    # The son still sees his mother's view: the diagnostics consent covers her answers about him.
    client.force_login(son_user)
    assert COMMON in client.get(f"/diagnostics/students/{son.pk}/").content.decode()


def test_a_withdrawn_diagnostics_consent_hides_the_parents_view_from_the_student(cast, family, client):
    son, son_user = family
    consent_given(son, "share_with_parent")
    mine = parent_answers(cast, son)
    client.force_login(son_user)
    assert client.get(f"/diagnostics/attempts/{mine.pk}/result/").status_code == 200
    consent_given(son, decision="withdrawn")
    assert client.get(f"/diagnostics/attempts/{mine.pk}/result/").status_code == 404
    page = client.get(f"/diagnostics/students/{son.pk}/").content.decode()
    assert "Код Холланда" in page or "Последние результаты" in page  # his own results stay his
    assert COMMON not in page and "сравните взгляды" not in client.get("/diagnostics/").content.decode()
    client.force_login(cast.user("psychologist_a1"))
    assert client.get(f"/diagnostics/students/{son.pk}/").status_code == 404
