"""Getting around: from the republic down to one student and back by the breadcrumbs, a class teacher's
way to their class, live (htmx) searches, and a foreign student who simply does not exist (404)."""

import re

import pytest
from playwright.sync_api import Page, expect

from browser_tests.helpers import h1, login, screenshot

pytestmark = pytest.mark.browser


def breadcrumbs(page: Page):
    return page.get_by_role("navigation", name="Навигационная цепочка")


def test_ministry_admin_walks_from_the_republic_to_a_student_and_back(page: Page, live_server, cast):
    student = cast.students["a1_8a_0"]
    name = student.person.full_name  # «УченикA18 Алан»
    login(page, live_server, "ministry_admin")
    expect(h1(page)).to_have_text("Республика Северная Осетия-Алания")

    page.get_by_role("table", name="Муниципалитеты").get_by_role("link", name="Город Альфа", exact=True).click()
    expect(h1(page)).to_have_text("Город Альфа")
    expect(page).to_have_url(re.compile(rf"/municipalities/{cast.municipalities['a'].pk}/$"))
    expect(page.get_by_role("main")).not_to_contain_text("Школа с. Бета")

    page.get_by_role("link", name="Школа № 1 г. Альфа", exact=True).click()
    expect(h1(page)).to_have_text("Школа № 1 г. Альфа")
    expect(breadcrumbs(page)).to_contain_text("Республика")
    expect(breadcrumbs(page)).to_contain_text("Город Альфа")

    page.get_by_role("link", name="8 «А»", exact=True).click()
    expect(h1(page)).to_have_text("8 «А» класс")
    expect(page.get_by_role("heading", name="Обучающиеся: 3")).to_be_visible()

    page.get_by_role("link", name=name, exact=True).click()
    expect(h1(page)).to_have_text(name)
    expect(page).to_have_url(re.compile(rf"/students/{student.pk}/$"))
    expect(page.get_by_role("main")).to_contain_text("Родителева Розаa1 Ивановна")
    crumbs = breadcrumbs(page)
    expect(crumbs.locator("[aria-current=page]")).to_have_text(student.person.short_name)
    screenshot(page, "student-card-ministry_admin-desktop")

    # Back up the breadcrumbs: class → school → municipality → republic.
    crumbs.get_by_role("link", name="8 «А» класс", exact=True).click()
    expect(h1(page)).to_have_text("8 «А» класс")
    breadcrumbs(page).get_by_role("link", name="Школа № 1 г. Альфа", exact=True).click()
    expect(h1(page)).to_have_text("Школа № 1 г. Альфа")
    breadcrumbs(page).get_by_role("link", name="Город Альфа", exact=True).click()
    expect(h1(page)).to_have_text("Город Альфа")
    breadcrumbs(page).get_by_role("link", name="Республика", exact=True).click()
    expect(h1(page)).to_have_text("Республика Северная Осетия-Алания")
    assert page.url == f"{live_server.url}/"


def test_class_teacher_opens_their_class_and_a_student_card(page: Page, live_server, cast):
    login(page, live_server, "class_teacher_a1")
    expect(h1(page)).to_have_text("Мои классы")
    page.get_by_role("link", name="8 «А» класс", exact=True).click()
    expect(h1(page)).to_have_text("8 «А» класс")
    expect(page.get_by_role("main")).to_contain_text("Классный руководитель: Классная Клараa1 Тестович")
    rows = page.get_by_role("table", name=re.compile(r"^Обучающиеся")).locator("tbody tr")
    expect(rows).to_have_count(3)
    screenshot(page, "class-class_teacher_a1-desktop")

    page.get_by_role("link", name="УченикA18 Дзерасса", exact=True).click()
    expect(h1(page)).to_have_text("УченикA18 Дзерасса")
    expect(page.get_by_role("main")).to_contain_text("Школа № 1 г. Альфа")


def test_coordinator_finds_students_as_they_type(page: Page, live_server, cast):
    login(page, live_server, "coordinator_a1")
    page.get_by_role("navigation", name="Основное меню").get_by_role("link", name="Поиск обучающихся", exact=True).click()
    expect(h1(page)).to_have_text("Поиск обучающихся")
    search_url = page.url
    page.evaluate("window.__sameDocument = true")  # gone if the page reloads

    results = page.locator("#student-rows")
    page.get_by_label("Фамилия, имя или отчество").press_sequentially("ученикА19", delay=20)  # Cyrillic «А» finds the Latin one; no Enter
    expect(results.get_by_role("link")).to_have_count(3)
    for first_name in ("Алан", "Дзерасса", "Тимур"):
        expect(results).to_contain_text(f"УченикA19 {first_name}")
    expect(results).not_to_contain_text("Школа № 2 г. Альфа")  # A2's grade 9 is not the coordinator's
    assert page.evaluate("window.__sameDocument === true"), "the search reloaded the page instead of htmx"
    assert page.url == search_url

    page.get_by_label("Фамилия, имя или отчество").fill("Несуществующая")
    expect(results).to_contain_text("Никого не найдено по запросу «Несуществующая».")
    screenshot(page, "student-search-coordinator_a1-desktop")


def test_municipal_coordinator_filters_schools_live(page: Page, live_server, cast):
    login(page, live_server, "municipal_a")
    expect(h1(page)).to_have_text("Город Альфа")
    page.get_by_role("link", name="Поиск школы", exact=True).click()  # from the home to the municipality's page
    expect(page).to_have_url(re.compile(rf"/municipalities/{cast.municipalities['a'].pk}/$"))
    rows = page.locator("#school-rows")
    expect(rows.get_by_role("link")).to_have_count(2)
    page.evaluate("window.__sameDocument = true")

    page.get_by_label("Найти школу").press_sequentially("№ 2", delay=20)
    expect(rows.get_by_role("link")).to_have_count(1)
    expect(rows.get_by_role("link")).to_have_text("Школа № 2 г. Альфа")
    assert page.evaluate("window.__sameDocument === true"), "the filter reloaded the page instead of htmx"

    page.get_by_label("Найти школу").fill("")
    expect(rows.get_by_role("link")).to_have_count(2)
    page.get_by_label("Найти школу").fill("Бета")  # another municipality's school is not found
    expect(rows).to_contain_text("Школ по запросу «Бета» не найдено.")


def test_class_teacher_gets_404_for_a_student_of_another_school(page: Page, live_server, cast):
    foreign = cast.students["b1_8a_0"]
    login(page, live_server, "class_teacher_a1")
    response = page.goto(f"/students/{foreign.pk}/")
    assert response is not None and response.status == 404
    # The project's own 404 page: Russian, in the site's layout, nothing of the student, and a way back.
    expect(page.locator("html")).to_have_attribute("lang", "ru")
    expect(h1(page)).to_have_text("Страница не найдена")
    expect(page.locator("body")).not_to_contain_text(foreign.person.last_name)
    screenshot(page, "404-class_teacher_a1-desktop")
    page.get_by_role("link", name="главной страницы", exact=True).click()
    expect(h1(page)).to_have_text("Мои классы")
