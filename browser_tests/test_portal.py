"""The homes in a real browser: the ministry reaches the level approvals from its home in at most two clicks
(issue 6, «What it must show»), through what needs its attention or through the menu; the student's and the
parent's homes say where the student stands and fit a 360 px phone."""

import datetime
import re
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from browser_tests.helpers import PHONE, h1, horizontal_overflow, login, overflowing_boxes, screenshot, share_session
from profminimum.models import Activity, DirectionMinimum, SchoolLevel
from profminimum.rollups import rollups_rebuild
from profminimum.services import Mark, attendance_save
from profminimum.tests.conftest import Profminimum

pytestmark = pytest.mark.browser


@pytest.fixture
def pm(cast):
    """The year's normative version; a2 has chosen its level and waits for the ministry's approval."""
    pm = Profminimum(cast)
    SchoolLevel.objects.filter(school=cast.orgs["a2"]).update(status=SchoolLevel.Status.CHOSEN)
    return pm


def attention(page: Page):
    return page.get_by_role("region", name="Требует внимания")


def test_the_ministry_reaches_the_level_approvals_from_its_home(page: Page, phone_page: Page, live_server, pm):
    login(page, live_server, "ministry_admin")
    expect(h1(page)).to_have_text("Республика Северная Осетия-Алания")
    screenshot(page, "portal-ministry-home-desktop")

    # One click: the item that needs attention opens the list filtered to the schools waiting.
    attention(page).get_by_role("link", name="1 школа ждёт утверждения уровня", exact=True).click()
    expect(h1(page)).to_have_text("Уровни профминимума школ")
    expect(page).to_have_url(re.compile(r"/profminimum/levels/\?status=chosen$"))
    main = page.get_by_role("main")
    expect(main).to_contain_text("Школа № 2 г. Альфа")
    expect(main).not_to_contain_text("Школа с. Бета")
    approve = page.get_by_role("button", name="Утвердить уровень школы «Школа № 2 г. Альфа»")
    expect(approve).to_be_visible()
    screenshot(page, "portal-ministry-levels-waiting")

    # Or one click in the menu from any page.
    page.get_by_role("navigation", name="Основное меню").get_by_role("link", name="Республика", exact=True).click()
    expect(h1(page)).to_have_text("Республика Северная Осетия-Алания")
    page.get_by_role("navigation", name="Основное меню").get_by_role("link", name="Уровни школ", exact=True).click()
    expect(h1(page)).to_have_text("Уровни профминимума школ")
    page.get_by_role("navigation", name="Основное меню").get_by_role("link", name="Нормативы", exact=True).click()
    expect(h1(page)).to_have_text(re.compile("Нормативы"))

    # On a phone the item is the first thing under the heading and takes one tap too.
    share_session(page, phone_page)
    phone_page.goto("/")
    item = attention(phone_page).get_by_role("link", name="1 школа ждёт утверждения уровня", exact=True)
    expect(item).to_be_visible()
    assert horizontal_overflow(phone_page) <= 0, f"the ministry's home scrolls sideways at {PHONE['width']} px"
    screenshot(phone_page, "portal-ministry-home-phone")
    item.click()
    expect(h1(phone_page)).to_have_text("Уровни профминимума школ")


def test_the_coordinator_sees_lessons_not_marked_and_opens_the_class_schedule(page: Page, live_server, pm):
    pm.activity("a1_8a", week=0)
    pm.activity("a1_8a", week=1)
    login(page, live_server, "coordinator_a1")
    item = attention(page).get_by_role("link", name="8 «А» — Классная К.Т.: 2 занятия не отмечены", exact=True)
    expect(item).to_be_visible()
    screenshot(page, "portal-coordinator-home-desktop")
    item.click()
    expect(page).to_have_url(re.compile(rf"/profminimum/classes/{pm.cast.classes['a1_8a'].pk}/schedule/$"))


def test_the_student_and_the_parent_see_where_the_student_stands_on_a_phone(page: Page, phone_page: Page, live_server, pm):
    DirectionMinimum.objects.create(level=pm.levels["basic"], direction=pm.directions["parents"], min_hours=Decimal("2"))
    rollups_rebuild(school_year_id=pm.year.pk)
    lesson = pm.activity("a1_8a", hours="3", direction="lessons", week=0, title="Урок технологии")
    Activity.objects.filter(pk=lesson.pk).update(starts_at=timezone.now() - datetime.timedelta(hours=1))  # a recent absence
    alan, dzerassa = pm.cast.students["a1_8a_0"], pm.cast.students["a1_8a_1"]
    attendance_save(activity=lesson, marks={dzerassa.pk: Mark(True), alan.pk: Mark(False, "болел(а)")}, by=None)

    login(page, live_server, "student_a1")
    standing = page.get_by_role("region", name="Мой профминимум")
    expect(standing).to_contain_text("3 часа из 40 часов")
    expect(standing).to_contain_text("Работа с родителями: ещё 2 часа")
    expect(standing).to_contain_text("Следующее занятие")
    share_session(page, phone_page)
    phone_page.goto("/")
    expect(phone_page.get_by_role("region", name="Мой профминимум")).to_contain_text("Работа с родителями: ещё 2 часа")
    assert horizontal_overflow(phone_page) <= 0 and not overflowing_boxes(phone_page)
    screenshot(phone_page, "portal-student-home-phone")

    phone_page.context.clear_cookies()
    login(phone_page, live_server, "parent_a1")
    child = phone_page.get_by_role("region", name="Профминимум детей").get_by_role("region", name="Алан УченикA18")
    expect(child).to_contain_text("Работа с родителями: ещё 2 часа")
    expect(child).to_contain_text("Урок технологии (болел(а))")
    assert horizontal_overflow(phone_page) <= 0 and not overflowing_boxes(phone_page)
    screenshot(phone_page, "portal-parent-home-phone")
