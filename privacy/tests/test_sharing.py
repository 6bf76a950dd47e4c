"""The consent to share results with the parent, asked through privacy.policy by the профминимум's pages: the
child's hours page and the parent's home panel stand in for the results (diagnostics has none yet)."""

from django.urls import reverse

from privacy.models import ParentConfirmation
from privacy.policy import Answer, may_process
from privacy.services import consent_decide

SHARE = "share_with_parent"


def give(user, student, decision="given"):
    consent_decide(user=user, student=student, kind_code=SHARE, decision=decision, has_read=True)


def page(client, user, url) -> tuple[int, str]:
    client.force_login(user)
    response = client.get(url)
    return response.status_code, response.content.decode()


def test_withdrawing_the_consent_to_share_results_hides_them_from_the_parent_at_once(client, pm):
    """Issue 8: «Withdrawing the consent to share results with the parent hides them from the parent at once»."""
    cast = pm.cast
    child = cast.students["a1_8a_0"]  # 14: the child and the parent both decide
    ParentConfirmation.objects.create(link=child.parent_links.get(), basis="birth_certificate")
    child_user = cast.users["parent_a1"].__class__.objects.create_user(username="a1_child", password="x-Пароль-12345")
    child.person.user = child_user
    child.person.save(update_fields=["user"])
    give(cast.user("parent_a1"), child)
    give(child_user, child)
    url = reverse("profminimum:dashboard_student", args=[child.pk])
    status, html = page(client, cast.user("parent_a1"), url)
    assert status == 200 and "Часы по направлениям" in html and "Результаты скрыты" not in html

    client.force_login(child_user)
    response = client.post(reverse("privacy:consent", args=[child.pk, SHARE]), {"decision": "withdrawn"})
    assert response.status_code == 302
    assert may_process(student=child, purpose=SHARE) == Answer.NO

    status, html = page(client, cast.user("parent_a1"), url)
    assert "Результаты скрыты" in html and "Часы по направлениям" not in html
    status, xlsx = page(client, cast.user("parent_a1"), url + "?format=xlsx&table=ledger")
    assert "Результаты скрыты" in xlsx  # the export of the same page is withheld too
    status, home = page(client, cast.user("parent_a1"), "/")
    assert "Результаты скрыты: согласие «Передача результатов родителям» отозвано" in home
    assert 'id="child-hours-' not in home
    # The class teacher sees the class's hours on their own grounds; the student sees their own.
    assert "Результаты скрыты" not in page(client, cast.user("class_teacher_a1"), url)[1]
    assert "Результаты скрыты" not in page(client, child_user, url)[1]


def test_a_capability_asking_about_a_student_with_no_consent_gets_ask_and_shows_the_right_prompt(client, pm):
    """Issue 8: «a capability asking about a student with no consent gets «ask» and shows the right prompt»."""
    cast = pm.cast
    child = cast.students["a1_8a_0"]
    assert may_process(student=child, purpose=SHARE) == Answer.ASK
    url = reverse("profminimum:dashboard_student", args=[child.pk])
    # Not confirmed yet: the parent is told to see the school, and still sees the hours meanwhile.
    status, html = page(client, cast.user("parent_a1"), url)
    assert status == 200 and "школа ещё не подтвердила, что вы родитель" in html and "Часы по направлениям" in html
    ParentConfirmation.objects.create(link=child.parent_links.get(), basis="birth_certificate")
    status, html = page(client, cast.user("parent_a1"), url)
    assert "Нужно ваше согласие «Передача результатов родителям»" in html and "Нужно и согласие обучающегося." in html
    assert reverse("privacy:consent", args=[child.pk, SHARE]) in html
    home = page(client, cast.user("parent_a1"), "/")[1]
    assert "Нужно ваше согласие «Передача результатов родителям»" in home
    give(cast.user("parent_a1"), child)
    html = page(client, cast.user("parent_a1"), url)[1]
    assert (
        "Нужно ваше согласие" not in html and "Согласие «Передача результатов родителям» ещё не дано: нужно решение обучающегося." in html
    )
