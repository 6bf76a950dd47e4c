"""Signing in and out, and a person with two roles switching between them."""

import pytest
from playwright.sync_api import Page, expect

from browser_tests.helpers import PASSWORD, h1, login, screenshot, submit_login_form
from people.models import Role, StaffMembership

pytestmark = pytest.mark.browser


def test_wrong_password_is_refused_in_russian(page: Page, live_server, cast):
    page.goto("/")  # an anonymous visitor is sent to the login page
    expect(h1(page)).to_have_text("Вход в Профнавигатор")
    assert "/accounts/login/" in page.url
    submit_login_form(page, "class_teacher_a1", "не-тот-пароль")
    alert = page.get_by_role("alert")
    expect(alert).to_contain_text("Неверный логин или пароль")
    expect(h1(page)).to_have_text("Вход в Профнавигатор")
    expect(page.get_by_label("Логин или e-mail", exact=True)).to_have_value("class_teacher_a1")
    expect(page.get_by_label("Пароль", exact=True)).to_have_value("")
    screenshot(page, "login-wrong-password-desktop")

    submit_login_form(page, "class_teacher_a1", PASSWORD)  # the right one still works
    expect(h1(page)).to_have_text("Мои классы")


def test_sign_in_by_email_then_sign_out(page: Page, live_server, cast):
    login(page, live_server, "class_teacher_a1@test.local")
    expect(h1(page)).to_have_text("Мои классы")
    page.get_by_role("button", name="Выйти", exact=True).click()
    expect(h1(page)).to_have_text("Вход в Профнавигатор")
    assert "/accounts/login/" in page.url
    expect(page.get_by_role("navigation", name="Основное меню")).to_have_count(0)
    page.goto("/")  # signed out for real: home sends back to the login page
    expect(h1(page)).to_have_text("Вход в Профнавигатор")


def test_person_with_two_roles_switches_between_them(page: Page, live_server, cast):
    person = cast.user("class_teacher_a1").person
    StaffMembership.objects.create(person=person, organization=cast.orgs["a1"], role=Role.PSYCHOLOGIST)
    login(page, live_server, "class_teacher_a1")
    # The widest responsibility comes first: the psychologist sees the whole school.
    expect(h1(page)).to_have_text("Школа № 1 г. Альфа")
    role = page.get_by_label("Роль", exact=True)
    expect(role).to_be_visible()
    expect(role.locator("option")).to_have_text(["педагог-психолог", "классный руководитель"])
    expect(role).to_have_value(Role.PSYCHOLOGIST)
    screenshot(page, "two-roles-desktop")

    role.select_option(label="классный руководитель")  # submits by itself
    expect(h1(page)).to_have_text("Мои классы")
    expect(page.get_by_role("status")).to_contain_text("Вы работаете в роли: классный руководитель.")
    expect(page.get_by_label("Роль", exact=True)).to_have_value(Role.CLASS_TEACHER)
    page.reload()  # the choice is kept in the session
    expect(h1(page)).to_have_text("Мои классы")

    page.get_by_label("Роль", exact=True).select_option(Role.PSYCHOLOGIST)
    expect(h1(page)).to_have_text("Школа № 1 г. Альфа")
