"""Diagnostics and guidance in a real browser at 360 px (issue 10, «What it must show»): a student takes the interest
inventory, reloads midway and resumes where they stopped, finishes, sees the chart, the recommendations with their
reasons and next steps, and saves a trajectory with a backup."""

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from browser_tests.helpers import h1, horizontal_overflow, login, screenshot, share_session
from catalog.shipped import catalog_reference_load, catalog_shipped_ensure
from diagnostics import services
from diagnostics.models import Attempt
from diagnostics.shipped import shipped_instruments_ensure
from diagnostics.tests.conftest import RIASEC_ANSWERS, answer_all, consent_given, version
from guidance.models import Trajectory
from privacy.shipped import shipped_data_ensure

pytestmark = pytest.mark.browser

# The last six items in the browser (55–60: R, I, A, S, E, C), the first 54 answered before (yesterday, say).
IN_BROWSER = {55: "Очень нравится", 56: "Скорее нравится", 57: "Совсем не нравится", 58: "Не знаю, всё равно", 59: "Скорее не нравится",
              60: "Не знаю, всё равно"}  # fmt: skip


@pytest.fixture
def pupil(cast):
    shipped_data_ensure()
    shipped_instruments_ensure()
    catalog_shipped_ensure()
    catalog_reference_load()
    student = cast.students["a1_8a_1"]
    consent_given(student)
    consent_given(student, "guidance")
    attempt = services.attempt_start(user=cast.user("student_a1"), student=student, version=version("riasec-interests"))
    answer_all(attempt, {n: o for n, o in RIASEC_ANSWERS.items() if n < 55})
    return student


def answer(page: Page, text: str) -> None:
    page.get_by_role("radio", name=text, exact=True).check()
    page.get_by_role("button", name="Ответить и дальше").click()


def test_a_student_takes_a_test_on_a_phone_resumes_after_a_reload_and_saves_a_trajectory(
    page: Page, phone_page: Page, live_server, cast, pupil
):
    login(page, live_server, "student_a1")
    share_session(page, phone_page)
    phone = phone_page
    phone.goto(f"{live_server.url}/diagnostics/")
    expect(h1(phone)).to_have_text("Мои опросники")
    phone.get_by_role("link", name=re.compile("Продолжить")).first.click()
    expect(phone.get_by_text("Отвечено 54 из 60")).to_be_visible()
    expect(phone.get_by_role("group")).to_contain_text("Вопрос 55 из 60")
    for number in (55, 56, 57):
        answer(phone, IN_BROWSER[number])
    expect(phone.get_by_role("group")).to_contain_text("Вопрос 58 из 60")

    phone.reload()  # a lost connection, a closed tab: the answers are kept, the test resumes at item 58
    expect(phone.get_by_text("Отвечено 57 из 60")).to_be_visible()
    expect(phone.get_by_role("group")).to_contain_text("Вопрос 58 из 60")
    assert horizontal_overflow(phone) == 0
    screenshot(phone, "diagnostics-take-phone")
    for number in (58, 59, 60):
        answer(phone, IN_BROWSER[number])
    expect(phone.get_by_role("heading", name="Все вопросы отвечены")).to_be_visible()
    phone.get_by_role("button", name="Завершить опросник").click()

    expect(h1(phone)).to_have_text(re.compile("Результат"))
    expect(phone.get_by_role("img", name=re.compile("Интересы.*баллы по шкалам"))).to_be_visible()
    expect(phone.get_by_role("main")).to_contain_text("Чего он не значит")
    attempt = Attempt.objects.get(student=pupil)
    assert attempt.status == "finished" and not attempt.low_confidence
    # R 40 − 0 (the last R item «Очень нравится» = 4 as in the set) … the code as scored by hand: РИС.
    expect(phone.get_by_role("main")).to_contain_text("Код Холланда: РИС")
    assert horizontal_overflow(phone) == 0
    screenshot(phone, "diagnostics-result-phone")

    phone.get_by_role("link", name="Что мне подходит").first.click()
    expect(h1(phone)).to_have_text("Что мне подходит")
    first = phone.locator(".gd-rec").first
    expect(first).to_contain_text("Почему: высокие баллы по шкалам «реалистический» и «исследовательский»")
    expect(phone.get_by_role("heading", name="Следующие шаги").first).to_be_visible()
    assert horizontal_overflow(phone) == 0
    screenshot(phone, "guidance-recommendations-phone")

    day = (timezone.localdate() + datetime.timedelta(days=90)).isoformat()
    phone.get_by_label("Почему этот выбор").first.fill("Люблю технику и работать руками")
    phone.locator("#main-step1-title").fill("Сдать ОГЭ по физике")
    phone.locator("#main-step1-date").fill(day)
    phone.locator("#backup1-why").fill("Запасной путь, тоже с техникой")
    phone.locator("#backup1-step1-title").fill("Пройти профпробу в колледже")
    phone.locator("#backup1-step1-date").fill(day)
    phone.get_by_role("button", name="Сохранить траекторию").click()
    expect(phone.get_by_role("status")).to_contain_text("Траектория сохранена")
    expect(phone.get_by_role("main")).to_contain_text("Запасной вариант:")
    trajectory = Trajectory.objects.get(student=pupil)
    assert trajectory.has_backup and trajectory.goals.count() == 2
    assert horizontal_overflow(phone) == 0
    screenshot(phone, "guidance-trajectory-phone")


def test_a_parent_answers_about_her_son_on_a_phone_and_the_son_sees_both_views_compared(page: Page, phone_page: Page, live_server, cast):
    """parent_a1 starts the parent version about her son from her home at 360 px, answers the last item (the first 59
    stored as if answered earlier) and finishes; the son then finds the comparison from his own page."""
    from accounts.models import User
    from diagnostics.tests.conftest import PARENT_ANSWERS
    from privacy.models import ParentConfirmation

    shipped_data_ensure()
    shipped_instruments_ensure()
    son = cast.students["a1_8a_0"]
    ParentConfirmation.objects.create(link=son.parent_links.get(), basis="birth_certificate")
    consent_given(son)
    consent_given(son, "share_with_parent")
    son_user = User.objects.create_user(username="son_a1", password="Пароль-для-тестов-1")
    son.person.user = son_user
    son.person.save(update_fields=["user"])
    own = services.attempt_start(user=son_user, student=son, version=version("riasec-interests"))
    answer_all(own, RIASEC_ANSWERS)
    services.attempt_finish(user=son_user, attempt=own)

    login(page, live_server, "parent_a1")
    share_session(page, phone_page)
    phone = phone_page
    phone.goto(f"{live_server.url}/")
    phone.get_by_role("link", name=f"Пройти опросник для родителей о ребёнке: {son.person.first_name}").click()
    expect(h1(phone)).to_have_text("Диагностика детей")
    phone.get_by_role("region", name=re.compile(son.person.first_name)).get_by_role("button", name="Пройти опросник о ребёнке").click()
    attempt = Attempt.objects.get(respondent=cast.user("parent_a1").person)
    assert attempt.student_id == son.pk
    answer_all(attempt, {n: o for n, o in PARENT_ANSWERS.items() if n < 60})
    phone.reload()
    expect(phone.get_by_role("group")).to_contain_text("Вопрос 60 из 60")
    answer(phone, "Очень нравится")
    phone.get_by_role("button", name="Завершить опросник").click()
    expect(phone.get_by_role("region", name="Что совпало и что различается")).to_contain_text("Общее в ведущих типах: практический тип.")
    assert horizontal_overflow(phone) == 0

    page.context.clear_cookies()
    phone.context.clear_cookies()
    login(page, live_server, "son_a1")
    share_session(page, phone)
    phone.goto(f"{live_server.url}/diagnostics/")
    phone.get_by_role("link", name=re.compile("сравните взгляды")).click()
    compared = phone.get_by_role("region", name="Что совпало и что различается")
    expect(compared).to_contain_text("Только в ваших ответах: исследовательский тип и социальный тип.")
    expect(compared).to_contain_text("первое число — ваши ответы, второе — мнение родителя")
    assert horizontal_overflow(phone) == 0
    screenshot(phone, "diagnostics-compare-phone")
