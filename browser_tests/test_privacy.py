"""Personal data in a real browser (issue 8, «What it must show»): a parent withdraws a consent and asks for an
export, and the operator sees the request with its deadline; the family's page fits a 360 px phone."""

import re

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from browser_tests.helpers import h1, horizontal_overflow, login, screenshot, share_session
from core.formatting import date_text
from privacy.models import ParentConfirmation, SubjectRequest
from privacy.services import consent_decide
from privacy.workdays import working_days_after

pytestmark = pytest.mark.browser


@pytest.fixture
def family(cast):
    """parent_a1's son (8 «А», 14): the school confirmed the mother; both gave the consent to share results."""
    child = cast.students["a1_8a_0"]
    ParentConfirmation.objects.create(link=child.parent_links.get(), basis="birth_certificate")
    consent_decide(user=cast.user("parent_a1"), student=child, kind_code="share_with_parent", decision="given", has_read=True)
    return child


def menu(page: Page):
    return page.get_by_role("navigation", name="Основное меню")


def test_a_parent_withdraws_a_consent_and_asks_for_an_export_and_the_operator_sees_it(
    page: Page, phone_page: Page, live_server, cast, family
):
    login(page, live_server, "parent_a1")
    menu(page).get_by_role("link", name="Персональные данные", exact=True).click()
    expect(h1(page)).to_have_text("Персональные данные: Алан УченикA18")
    consent = page.locator("#consent-share_with_parent")
    expect(consent).to_contain_text("Ваше согласие дано")
    consent.get_by_role("link", name=re.compile("Прочитать текст или отозвать")).click()
    expect(h1(page)).to_have_text("Передача результатов родителям")
    expect(page.get_by_role("region", name=re.compile("Текст согласия"))).to_contain_text("Даю согласие")
    page.get_by_role("button", name="Отозвать согласие").click()
    expect(page.get_by_role("status")).to_contain_text("Согласие «Передача результатов родителям» отозвано.")
    expect(page.locator("#consent-share_with_parent")).to_contain_text("Не дано или отозвано")
    screenshot(page, "privacy-family-desktop")

    page.get_by_role("button", name="Запросить выгрузку данных").click()
    deadline = working_days_after(timezone.localdate(), 10).day
    request = SubjectRequest.objects.get()
    expect(page.get_by_role("status")).to_contain_text(
        f"Запрос № {request.pk} (выгрузка данных) принят. Срок исполнения — {date_text(deadline)}."
    )
    expect(page.get_by_role("table", name="Запросы о данных")).to_contain_text(f"№ {request.pk}: выгрузка данных")

    # The withdrawal has its effect at once: the child's hours are hidden from the mother.
    menu(page).get_by_role("link", name="Мои дети", exact=True).click()
    expect(page.get_by_role("main")).to_contain_text("Результаты скрыты: согласие «Передача результатов родителям» отозвано")

    share_session(page, phone_page)
    phone_page.goto(f"{live_server.url}/privacy/students/{family.pk}/")
    expect(h1(phone_page)).to_be_visible()
    assert horizontal_overflow(phone_page) <= 0, "the family's page scrolls sideways at 360 px"
    screenshot(phone_page, "privacy-family-phone")

    # The operator, on the same computer after the mother signed out, sees the request with its deadline.
    menu(page).get_by_role("button", name="Выйти").click()
    login(page, live_server, "operator")
    expect(page.get_by_role("region", name="Требует внимания")).to_contain_text("1 запрос о персональных данных ждёт исполнения")
    menu(page).get_by_role("link", name="Персональные данные", exact=True).click()
    expect(h1(page)).to_have_text("Запросы о персональных данных")
    row = page.get_by_role("row", name=re.compile(f"№ {request.pk}: выгрузка данных"))
    expect(row).to_contain_text("Алан")
    expect(row).to_contain_text(date_text(deadline))
    expect(row).to_contain_text("Осталось 10 рабочих дней")
    screenshot(page, "privacy-operator-queue")
    row.get_by_role("link").click()
    expect(h1(page)).to_have_text(f"Запрос № {request.pk}: выгрузка данных")


def test_the_school_confirms_a_parent_and_records_a_paper_consent(page: Page, phone_page: Page, live_server, cast, tmp_path):
    child = cast.students["a1_9a_0"]
    from people.models import ParentLink, Person

    mother = Person.objects.create(last_name="Дзагоева", first_name="Фатима", middle_name="Казбековна")
    ParentLink.objects.create(parent=mother, student=child, kind="mother")
    login(page, live_server, "coordinator_a1")
    page.goto(f"{live_server.url}/students/{child.pk}/")
    page.get_by_role("link", name="Согласия и родители").click()
    expect(h1(page)).to_have_text(f"Согласия: {child.person.full_name}")
    page.get_by_role("button", name="Подтвердить: Дзагоева Фатима Казбековна").click()
    expect(page.get_by_role("status")).to_contain_text("подтверждено, что это мать")
    scan = tmp_path / "soglasie.pdf"
    scan.write_bytes(b"%PDF-1.4\n%\xe2\xe3\n%%EOF\n")
    page.get_by_label("Какое согласие").select_option(label="Участие в экскурсиях и профпробах на предприятиях")
    page.get_by_role("radio", name="Родитель (законный представитель)").check()
    page.get_by_label("Родитель (если подписал родитель)").select_option(label="Дзагоева Фатима Казбековна (мать)")
    page.get_by_label("Дата подписи").fill(timezone.localdate().isoformat())
    page.get_by_label("Скан подписанного документа").set_input_files(str(scan))
    page.get_by_role("button", name="Записать согласие").click()
    expect(page.get_by_role("status")).to_contain_text("Записано: «Участие в экскурсиях и профпробах на предприятиях» — дано")
    screenshot(page, "privacy-school-student")
    menu(page).get_by_role("link", name="Согласия", exact=True).click()
    expect(h1(page)).to_have_text("Согласия обучающихся")
    share_session(page, phone_page)
    phone_page.goto(page.url)
    expect(h1(phone_page)).to_be_visible()
    assert horizontal_overflow(phone_page) <= 0, "the school's consents scroll sideways at 360 px"


def test_the_operator_registers_a_breach_and_erases_a_childs_data(page: Page, live_server, cast, django_capture_on_commit_callbacks):
    from privacy.services import request_create

    child = cast.students["a1_8a_0"]
    ParentConfirmation.objects.create(link=child.parent_links.get(), basis="birth_certificate")
    request, _ = request_create(user=cast.user("parent_a1"), student=child, kind="erasure")
    login(page, live_server, "operator")
    menu(page).get_by_role("link", name="Персональные данные", exact=True).click()
    page.get_by_role("link", name="Инциденты", exact=True).click()
    expect(h1(page)).to_have_text("Инциденты с персональными данными")
    page.get_by_label("Что произошло").fill("Список класса отправлен по ошибке не тому адресату.")
    page.get_by_label("Учётная запись", exact=True).check()
    page.get_by_label("Логин учётной записи").fill("class_teacher_a1")
    page.get_by_label("Период: с").fill(f"{timezone.localdate().isoformat()}T00:00")
    page.get_by_label("по", exact=True).fill(timezone.localtime().strftime("%Y-%m-%dT%H:%M"))
    page.get_by_role("button", name="Зарегистрировать инцидент").click()
    expect(h1(page)).to_have_text(re.compile(r"Инцидент № \d+"))
    expect(page.get_by_role("main")).to_contain_text("Уведомить Роскомнадзор об инциденте (24 часа)")
    screenshot(page, "privacy-breach")

    page.goto(f"{live_server.url}/privacy/requests/{request.pk}/")
    page.get_by_label("Подтверждение: закон не требует хранить эти данные дальше").check()
    page.get_by_role("button", name="Уничтожить данные и составить акт").click()
    expect(h1(page)).to_have_text(re.compile(r"Акт № \d+ об уничтожении персональных данных"))
    expect(page.get_by_role("main")).to_contain_text("Выписка из журнала событий")
    screenshot(page, "privacy-act")
    page.goto(f"{live_server.url}/privacy/retention/")
    expect(h1(page)).to_have_text("Сроки хранения")
