"""The page «Уведомления» and its counter in the menu: by mouse, by keyboard and on a 360 px phone."""

import pytest
from playwright.sync_api import Page, expect

from browser_tests.helpers import h1, horizontal_overflow, login, screenshot, share_session
from notifications.services import notify

pytestmark = pytest.mark.browser


def test_a_notification_is_found_from_the_menu_read_and_marked(page: Page, phone_page: Page, live_server, cast):
    teacher = cast.user("class_teacher_a1")
    notify(
        users=[teacher], subject="Изменилось расписание 8 А", text="Занятие курса перенесено на пятницу.", url="/profminimum/", email=False
    )
    notify(users=[teacher], subject="Заявка на профпробу принята", text="Ждём 12 обучающихся в четверг.", email=False)
    login(page, live_server, "class_teacher_a1")

    menu = page.get_by_role("navigation", name="Основное меню")
    menu.get_by_role("link", name="Уведомления (2)", exact=True).click()
    expect(h1(page)).to_have_text("Уведомления")
    expect(page.get_by_text("2 уведомления, из них 2 непрочитанных.")).to_be_visible()
    screenshot(page, "notifications-desktop")

    # By keyboard: the first «Прочитано» button names what it marks, and Enter presses it.
    button = page.get_by_role("button", name="Прочитано: Заявка на профпробу принята")
    button.focus()
    page.keyboard.press("Enter")
    expect(page.get_by_text("2 уведомления, из них 1 непрочитанное.")).to_be_visible()
    expect(menu.get_by_role("link", name="Уведомления (1)", exact=True)).to_be_visible()

    share_session(page, phone_page)
    phone_page.goto("/notifications/")
    expect(h1(phone_page)).to_have_text("Уведомления")
    assert horizontal_overflow(phone_page) <= 0
    screenshot(phone_page, "notifications-phone")

    page.get_by_role("link", name="Изменилось расписание 8 А", exact=True).click()
    page.wait_for_url(lambda url: "/profminimum/" in url)
    page.goto("/notifications/")
    expect(page.get_by_text("2 уведомления, все прочитаны.")).to_be_visible()
    expect(page.get_by_role("link", name="Уведомления", exact=True)).to_be_visible()
