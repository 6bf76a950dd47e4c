"""Every role of the cast signs in through the real login form and lands on its own home page.

The texts are the ones core/tests/test_home.py checks in the HTML; here they are checked as a person sees
them in Chromium, on a desktop and on a 360 px phone (screenshots in test-artifacts/screens/)."""

import pytest
from playwright.sync_api import Page, expect

from browser_tests.helpers import PHONE, h1, horizontal_overflow, login, overflowing_boxes, screenshot, share_session

pytestmark = pytest.mark.browser

REPUBLIC = "Республика Северная Осетия-Алания"
# username: (the page's h1, a key text the role needs today, a text that must not be there)
HOME = {
    "ministry_admin": (REPUBLIC, "Бетинский район", None),
    "ministry_analyst": (REPUBLIC, "Город Альфа", None),
    "operator": (REPUBLIC, "Муниципалитеты", None),
    "municipal_a": ("Город Альфа", "Школа № 2 г. Альфа", "Школа с. Бета"),
    "coordinator_a1": ("Школа № 1 г. Альфа", "6 обучающихся", "Школа № 2 г. Альфа"),
    "psychologist_a1": ("Школа № 1 г. Альфа", "8 «А»", "Школа № 2 г. Альфа"),
    "class_teacher_a1": ("Мои классы", "8 «А» класс", "9 «А» класс"),
    "navigator_a1": ("Мои классы", "9 «А» класс", "8 «А» класс"),
    "parent_a1": ("Мои дети", "Алан УченикA18", "Дзерасса"),
    "student_a1": ("Мой план", "Классная Клараa1", None),
    "partner_a": ("Моя организация", "ООО «Альфа-Агро»", "ООО «Бета-Строй»"),
    "jury": ("Мои конкурсы", "экспертное сообщество", None),
}
# The first item of the main menu names the home page of the role.
MENU_HOME = {
    "ministry_admin": "Республика", "ministry_analyst": "Республика", "operator": "Республика",
    "municipal_a": "Мой муниципалитет", "coordinator_a1": "Моя школа", "psychologist_a1": "Моя школа",
    "class_teacher_a1": "Мои классы", "navigator_a1": "Мои классы", "parent_a1": "Мои дети",
    "student_a1": "Мой план", "partner_a": "Моя организация", "jury": "Мои конкурсы",
}  # fmt: skip


@pytest.mark.parametrize("username", list(HOME))
def test_each_role_signs_in_and_lands_on_its_home_page(page: Page, phone_page: Page, live_server, cast, username):
    heading, key_text, absent = HOME[username]
    login(page, live_server, username)

    assert page.url == f"{live_server.url}/"
    expect(page.locator("html")).to_have_attribute("lang", "ru")
    expect(h1(page)).to_have_text(heading)
    expect(page.get_by_role("main")).to_contain_text(key_text)
    if absent:
        expect(page.get_by_role("main")).not_to_contain_text(absent)
    menu = page.get_by_role("navigation", name="Основное меню")
    expect(menu.get_by_role("link").first).to_have_text(MENU_HOME[username])
    expect(menu.get_by_role("link", name=MENU_HOME[username], exact=True)).to_have_attribute("aria-current", "page")
    expect(page).to_have_title(f"{'Республика' if heading == REPUBLIC else heading} — Профнавигатор")
    screenshot(page, f"home-{username}-desktop")

    # The same session on a 360 px phone: the page fits the width, the heading and menu are there.
    share_session(page, phone_page)
    phone_page.goto("/")
    expect(h1(phone_page)).to_have_text(heading)
    phone_page.get_by_role("button", name="Меню", exact=True).tap()  # the menu is folded on a phone
    expect(phone_page.get_by_role("navigation", name="Основное меню").get_by_role("link").first).to_be_visible()
    assert horizontal_overflow(phone_page) <= 0, f"{username}: the home page scrolls sideways at {PHONE['width']} px"
    assert not overflowing_boxes(phone_page), f"{username}: text sticks out of its box: {overflowing_boxes(phone_page)}"
    screenshot(phone_page, f"home-{username}-phone")
