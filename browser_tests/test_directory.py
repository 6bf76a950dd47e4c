"""The network's pages in a browser: the transfer form submits with its default date after choosing a school
and then a class (with htmx and without JavaScript), lists say how many they show and page on by keyboard,
and the live searches keep working."""

import re

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from browser_tests.helpers import h1, login, screenshot
from orgs.models import Organization

pytestmark = pytest.mark.browser


def test_the_transfer_form_submits_with_its_default_date_after_choosing_a_school_then_a_class(page: Page, live_server, cast):
    """Issue 6: «the transfer form submits with its default date» — choose a school, then a class."""
    student = cast.students["a1_8a_0"]
    login(page, live_server, "ministry_admin")
    page.goto(f"/students/{student.pk}/")
    page.get_by_role("link", name="Перевести в другой класс").click()
    expect(h1(page)).to_have_text("Перевод обучающегося")
    page.evaluate("window.__sameDocument = true")

    date = page.get_by_label("Дата перевода")
    expect(date).to_have_value(timezone.localdate().isoformat())  # shown, not empty

    # A school of another municipality, found by typing: the school list and then its classes follow.
    page.get_by_label("Найти школу").press_sequentially("бета", delay=20)
    school = page.get_by_label("Школа", exact=True)
    expect(school.locator("option")).to_have_text(["Школа с. Бета"])
    expect(page.locator("#transfer-class")).to_contain_text("Школа с. Бета")

    # Back to a school of the student's own municipality, chosen from the list.
    page.get_by_label("Найти школу").fill("")
    expect(school.locator("option")).to_have_count(2)
    school.select_option(label="Школа № 2 г. Альфа")
    classes = page.get_by_label("Класс", exact=True)
    expect(classes.locator("option")).to_have_text(["— выберите класс —", "8 «А» класс", "9 «А» класс"])
    classes.select_option(label="8 «А» класс")
    assert page.evaluate("window.__sameDocument === true"), "choosing a school reloaded the page instead of htmx"
    expect(date).to_have_value(timezone.localdate().isoformat())
    screenshot(page, "student-transfer-ministry_admin-desktop")

    page.get_by_role("button", name="Перевести").click()
    expect(h1(page)).to_have_text(student.person.full_name)
    expect(page.get_by_role("status")).to_contain_text("переведён(а) в 8 «А» класс, Школа № 2 г. Альфа")
    expect(page.get_by_role("main")).to_contain_text("Школа № 2 г. Альфа")


def test_a_far_date_is_refused_with_a_russian_message_under_the_date(page: Page, live_server, cast):
    student = cast.students["a1_8a_0"]
    login(page, live_server, "coordinator_a1")
    page.goto(f"/students/{student.pk}/transfer/")
    page.get_by_label("Класс", exact=True).select_option(label="9 «А» класс")
    page.get_by_label("Дата перевода").fill("9999-12-31")
    page.get_by_role("button", name="Перевести").click()
    expect(page.locator("#id_on_error")).to_contain_text("Дата перевода не может быть позже сегодняшнего дня")
    expect(page.get_by_label("Класс", exact=True)).to_have_value(str(cast.classes["a1_9a"].pk))


def test_the_transfer_form_works_without_javascript(browser, live_server, cast):
    student = cast.students["a1_8a_0"]
    context = browser.new_context(base_url=live_server.url, locale="ru-RU", java_script_enabled=False)
    page = context.new_page()
    try:
        login(page, live_server, "ministry_admin")
        page.goto(f"/students/{student.pk}/transfer/")
        page.get_by_label("Найти школу").fill("бета")
        page.get_by_role("button", name="Показать классы").click()
        expect(page.get_by_label("Школа", exact=True)).to_have_value(str(cast.orgs["b1"].pk))
        page.get_by_label("Класс", exact=True).select_option(label="9 «А» класс")
        page.get_by_role("button", name="Перевести").click()
        expect(h1(page)).to_have_text(student.person.full_name)
        student.refresh_from_db()
        assert student.current_class == cast.classes["b1_9a"]
    finally:
        context.close()


def test_the_organisation_list_pages_on_by_keyboard_and_its_search_updates_the_count(page: Page, live_server, cast):
    municipality = cast.municipalities["a"]
    schools = [Organization(name=f"Школа № {n}", short_name=f"Школа № {n}", kind="school", municipality=municipality) for n in range(3, 63)]
    for school in schools:
        school.search_text = school.build_search_text()
    Organization.objects.bulk_create(schools)

    login(page, live_server, "ministry_admin")
    page.goto("/orgs/")
    summary = page.locator("#organization-summary")
    expect(summary).to_have_text("Показаны 1–50 из 70")
    pager = page.get_by_role("navigation", name="Страницы списка организаций")
    expect(pager.locator("[aria-current=page]")).to_have_text("1")

    pager.get_by_role("link", name="Страница 2").focus()
    page.keyboard.press("Enter")
    expect(summary).to_have_text("Показаны 51–70 из 70")
    expect(page).to_have_url(re.compile(r"/orgs/\?page=2"))
    expect(page.get_by_role("navigation", name="Страницы списка организаций").locator("[aria-current=page]")).to_have_text("2")

    page.evaluate("window.__sameDocument = true")
    page.get_by_label("Название или адрес").press_sequentially("№ 1", delay=20)
    expect(summary).to_have_text("Всего: 11 организаций")  # «1» starts a word: № 1 г. Альфа and № 10–19
    rows = page.locator("#organization-rows").get_by_role("link")
    expect(rows.first).to_have_text("Школа № 1 г. Альфа")
    assert page.evaluate("window.__sameDocument === true")


def test_the_municipality_page_filters_its_schools_live(page: Page, live_server, cast):
    login(page, live_server, "municipal_a")
    page.goto(f"/municipalities/{cast.municipalities['a'].pk}/")
    rows = page.locator("#school-rows")
    expect(rows.get_by_role("link")).to_have_text(["Школа № 1 г. Альфа", "Школа № 2 г. Альфа"])
    page.evaluate("window.__sameDocument = true")
    page.get_by_label("Найти школу").press_sequentially("№ 2", delay=20)
    expect(rows.get_by_role("link")).to_have_text(["Школа № 2 г. Альфа"])
    expect(page.locator("#school-summary")).to_have_text("Всего: 1 школа")
    assert page.evaluate("window.__sameDocument === true")
