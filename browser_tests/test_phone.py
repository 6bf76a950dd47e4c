"""A 360 px phone: the student's and the class teacher's pages fit the width and the menu works by touch."""

import pytest
from playwright.sync_api import Page, expect

from browser_tests.helpers import PHONE, h1, horizontal_overflow, login, screenshot

pytestmark = pytest.mark.browser


def assert_fits(page: Page, what: str) -> None:
    page.wait_for_load_state("load")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{what}: {width} px wide on a {PHONE['width']} px phone"
    assert horizontal_overflow(page) <= 0, what


def assert_touchable(page: Page) -> None:
    """Every menu link is on screen, inside the width, and big enough to hit with a finger."""
    page.wait_for_load_state("load")
    menu = page.get_by_role("navigation", name="Основное меню")
    expect(menu).to_be_visible()
    for link in menu.get_by_role("link").all() + menu.get_by_role("button").all():
        box = link.bounding_box()
        assert box is not None, link
        assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"], (link.inner_text(), box)
        assert box["height"] >= 24, (link.inner_text(), box)


def test_student_on_a_phone(phone_page: Page, live_server, cast):
    phone_page.goto("/accounts/login/")
    assert_fits(phone_page, "login page")
    field = phone_page.get_by_label("Логин или e-mail", exact=True).bounding_box()
    assert field and field["width"] >= 280, field  # the fields use the phone's width
    screenshot(phone_page, "phone-login")
    login(phone_page, live_server, "student_a1")
    expect(h1(phone_page)).to_have_text("Мой план")
    expect(phone_page.get_by_role("main")).to_contain_text("Школа № 1 г. Альфа")
    assert_fits(phone_page, "student home")
    assert_touchable(phone_page)
    screenshot(phone_page, "phone-student_a1-home")

    phone_page.get_by_role("link", name="Дзерасса УченикA18", exact=True).tap()  # the name in the menu: the profile
    expect(h1(phone_page)).to_have_text("Профиль")
    assert_fits(phone_page, "student profile")
    phone_page.get_by_role("navigation", name="Основное меню").get_by_role("link", name="Мой план", exact=True).tap()
    expect(h1(phone_page)).to_have_text("Мой план")


def test_class_teacher_on_a_phone(phone_page: Page, live_server, cast):
    login(phone_page, live_server, "class_teacher_a1")
    expect(h1(phone_page)).to_have_text("Мои классы")
    assert_fits(phone_page, "class teacher home")
    assert_touchable(phone_page)

    phone_page.get_by_role("link", name="8 «А» класс", exact=True).tap()
    expect(h1(phone_page)).to_have_text("8 «А» класс")
    assert_fits(phone_page, "class page")
    screenshot(phone_page, "phone-class-class_teacher_a1")
    phone_page.get_by_role("link", name="УченикA18 Тимур", exact=True).tap()
    expect(h1(phone_page)).to_have_text("УченикA18 Тимур")
    assert_fits(phone_page, "student card")  # the history table scrolls inside its own box
    screenshot(phone_page, "phone-student-card-class_teacher_a1")

    menu = phone_page.get_by_role("navigation", name="Основное меню")
    menu.get_by_role("link", name="Поиск обучающихся", exact=True).tap()
    expect(h1(phone_page)).to_have_text("Поиск обучающихся")
    assert_fits(phone_page, "student search")
    phone_page.get_by_label("Фамилия, имя или отчество").fill("Тимур")
    expect(phone_page.locator("#student-rows").get_by_role("link")).to_have_count(1)  # only their own class
    assert_fits(phone_page, "search results")
