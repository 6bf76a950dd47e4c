"""The teacher's daily work in the профминимум at phone size (360 px) and on a desktop: open the class's
schedule, open the lesson to mark, tap two students absent, type an excuse, save, see the confirmation.
Also the other pages of the same work (a new activity, moving a lesson, deleting one) and the
high-contrast version of the attendance screen."""

import re
from decimal import Decimal

import pytest
from playwright.sync_api import Page, expect

from browser_tests.helpers import PHONE, h1, horizontal_overflow, login, screenshot
from people.models import Student
from profminimum.models import Activity, Attendance, StudentYearHours
from profminimum.services import Mark, attendance_save, course_schedule_generate
from profminimum.tests.conftest import Profminimum

pytestmark = pytest.mark.browser

MARKED_BEFORE = 10  # lessons 1–10 are marked already; lesson 11 is the one to mark


@pytest.fixture
def pm(cast):
    pm = Profminimum(cast)
    course_schedule_generate(school_year=cast.year, schools=[cast.orgs["a1"]])
    school_class = cast.classes["a1_8a"]
    students = list(Student.objects.filter(current_class=school_class))
    lessons = Activity.objects.filter(classes=school_class).order_by("starts_at")[:MARKED_BEFORE]
    for index, lesson in enumerate(lessons):
        marks = {s.pk: Mark(present=not (index % 4 == 1 and s == students[0]), excuse="болел" if index % 4 == 1 else "") for s in students}
        attendance_save(activity=lesson, marks=marks, by=cast.user("class_teacher_a1"))
    return pm


def fits(page: Page, what: str) -> None:
    assert horizontal_overflow(page) <= 0, f"{what}: the page scrolls sideways"


def row(page: Page, first_name: str):
    return page.locator("li.att-row", has_text=first_name)


def mark_lesson(page: Page, live_server, *, phone: bool, size: str) -> None:
    tap = (lambda locator: locator.tap()) if phone else (lambda locator: locator.click())
    login(page, live_server, "class_teacher_a1")
    tap(page.get_by_role("link", name="Расписание и посещаемость — 8 «А» класс"))
    expect(h1(page)).to_have_text("Расписание и посещаемость: 8 «А» класс")
    next_card = page.locator("section.pm-next")
    expect(next_card).to_contain_text("«Россия — мои горизонты», занятие 11:")
    expect(next_card).to_contain_text(re.compile(r"чт, \d+ [а-я]+"))
    expect(page.get_by_text("отмечено: 3 из 3").first).to_be_visible()
    expect(page.get_by_text("отмечено: 2 из 3").first).to_be_visible()
    fits(page, "schedule")
    screenshot(page, f"pm-schedule-class_teacher_a1-{size}")

    tap(next_card.get_by_role("link", name=re.compile("^Отметить")))
    expect(h1(page)).to_have_text("Посещаемость: 8 «А» класс")
    checkboxes = page.get_by_role("checkbox")
    expect(checkboxes).to_have_count(3)
    for index in range(3):
        expect(checkboxes.nth(index)).to_be_checked()  # everyone present by default
    for first_name in ("Алан", "Дзерасса", "Тимур"):
        box = page.locator("label.att-label", has_text=first_name).bounding_box()
        assert box is not None and box["height"] >= 44, (first_name, box)  # a finger's target
        if phone:
            assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"], (first_name, box)
    expect(page.get_by_label(re.compile("Причина отсутствия.*Дзерасса"))).to_be_hidden()  # only for the absent
    fits(page, "attendance screen")
    screenshot(page, f"pm-attendance-before-{size}")

    # Two taps: Дзерасса and Тимур are absent.
    tap(page.locator("label.att-label", has_text="Дзерасса"))
    tap(page.locator("label.att-label", has_text="Тимур"))
    expect(page.get_by_role("checkbox", name=re.compile("Дзерасса"))).not_to_be_checked()
    expect(page.get_by_role("checkbox", name=re.compile("Тимур"))).not_to_be_checked()
    expect(page.get_by_role("checkbox", name=re.compile("Алан"))).to_be_checked()
    expect(row(page, "Дзерасса")).to_contain_text("отсутствует")
    expect(row(page, "Алан")).to_contain_text("присутствует")
    excuse = page.get_by_label(re.compile("Причина отсутствия.*Дзерасса"))
    expect(excuse).to_be_visible()
    excuse.fill("справка от врача")
    expect(page.get_by_label(re.compile("Причина отсутствия.*Алан"))).to_be_hidden()
    fits(page, "attendance screen, two absent")
    screenshot(page, f"pm-attendance-two-absent-{size}")

    tap(page.get_by_role("button", name="Сохранить", exact=True))
    expect(h1(page)).to_have_text("Расписание и посещаемость: 8 «А» класс")
    expect(page.get_by_role("status")).to_contain_text("Сохранено: 1 присутствовал, 2 отсутствовали; зачтено 1 час.")
    expect(page.locator("section.pm-next")).to_contain_text("занятие 12:")
    fits(page, "schedule after saving")
    screenshot(page, f"pm-schedule-after-save-{size}")

    lesson = Activity.objects.filter(classes__pk=page_class_pk()).order_by("starts_at")[MARKED_BEFORE]
    marks = dict(Attendance.objects.filter(activity=lesson).values_list("student__person__first_name", "present"))
    assert marks == {"Алан": True, "Дзерасса": False, "Тимур": False}
    assert Attendance.objects.get(activity=lesson, student__person__first_name="Дзерасса").excuse == "справка от врача"
    assert StudentYearHours.objects.get(student__person__last_name="УченикA18", student__person__first_name="Тимур").total_hours == Decimal(
        MARKED_BEFORE
    )


def page_class_pk() -> int:
    return Student.objects.filter(person__last_name="УченикA18").values_list("current_class_id", flat=True).first()


def test_marking_a_lesson_on_a_phone(phone_page: Page, live_server, pm):
    mark_lesson(phone_page, live_server, phone=True, size="phone")


def test_marking_a_lesson_on_a_desktop(page: Page, live_server, pm):
    mark_lesson(page, live_server, phone=False, size="desktop")


def test_the_keyboard_marks_and_corrects(page: Page, live_server, pm):
    """Tab to a student's checkbox and press Space: the same as a tap. A correction appears in the history."""
    login(page, live_server, "class_teacher_a1")
    page.goto(f"/profminimum/classes/{page_class_pk()}/schedule/")
    page.locator("section.pm-next").get_by_role("link", name=re.compile("^Отметить")).click()
    alan = page.get_by_role("checkbox", name=re.compile("Алан"))
    alan.focus()
    page.keyboard.press("Space")
    expect(alan).not_to_be_checked()
    page.keyboard.press("Tab")  # the excuse field follows the absent student's checkbox
    expect(page.get_by_label(re.compile("Причина отсутствия.*Алан"))).to_be_focused()
    page.keyboard.type("соревнования")
    page.get_by_role("button", name="Сохранить", exact=True).press("Enter")
    expect(page.get_by_role("status")).to_contain_text("Сохранено: 2 присутствовали, 1 отсутствовал; зачтено 2 часа.")

    # Open the same lesson again: the saved marks; Алан was there after all.
    page.get_by_role("link", name=re.compile("^Открыть отметки")).nth(MARKED_BEFORE).click()
    expect(page.get_by_role("checkbox", name=re.compile("Алан"))).not_to_be_checked()
    expect(page.get_by_label(re.compile("Причина отсутствия.*Алан"))).to_have_value("соревнования")
    page.locator("label.att-label", has_text="Алан").click()
    page.get_by_role("button", name="Сохранить", exact=True).click()
    expect(page.get_by_role("status")).to_contain_text("Исправлено: 1 отметка.")
    page.get_by_role("link", name=re.compile("^Открыть отметки")).nth(MARKED_BEFORE).click()
    history = page.get_by_role("region", name=re.compile("Исправления"))
    expect(history).to_contain_text("Классная Клараa1")
    expect(history).to_contain_text("УченикA18 Алан, отсутствовал(а) (соревнования) → присутствовал(а)")
    screenshot(page, "pm-attendance-corrections-desktop")


def test_the_attendance_screen_in_high_contrast(phone_page: Page, live_server, pm):
    login(phone_page, live_server, "class_teacher_a1")
    phone_page.get_by_role("button", name="Версия для слабовидящих", exact=True).tap()
    expect(phone_page.locator("html")).to_have_class("a11y-contrast")
    phone_page.goto(f"/profminimum/classes/{page_class_pk()}/schedule/")
    fits(phone_page, "schedule, high contrast")
    screenshot(phone_page, "pm-schedule-contrast-phone")
    phone_page.locator("section.pm-next").get_by_role("link", name=re.compile("^Отметить")).tap()
    phone_page.locator("label.att-label", has_text="Тимур").tap()
    expect(phone_page.get_by_role("checkbox", name=re.compile("Тимур"))).not_to_be_checked()
    fits(phone_page, "attendance, high contrast")
    screenshot(phone_page, "pm-attendance-contrast-phone")


@pytest.mark.parametrize("size", ["phone", "desktop"])
def test_the_other_pages_fit(request, live_server, pm, size):
    """A new activity (with the Russian error for 1,3 h), moving a lesson, deleting one: screenshots at both sizes."""
    page: Page = request.getfixturevalue("phone_page" if size == "phone" else "page")
    cast = pm.cast
    school_class = cast.classes["a1_8a"]
    login(page, live_server, "coordinator_a1")
    page.goto(f"/profminimum/classes/{school_class.pk}/schedule/")
    page.get_by_role("link", name="Добавить мероприятие").click()
    expect(h1(page)).to_have_text("Новое мероприятие")
    fits(page, "new activity")
    page.get_by_label("Направление").select_option(label="Воспитательная работа")
    page.get_by_label("Название").fill("Экскурсия в колледж")
    page.get_by_label("Продолжительность, академических часов").fill("1,3")
    page.get_by_label("Организатор").select_option(label="Альфинский политехнический колледж")
    page.get_by_role("button", name="Сохранить мероприятие").click()
    expect(page.locator("#id_duration_hours_error")).to_contain_text("Продолжительность указывается с шагом 0,5 часа.")
    expect(page.get_by_label("8 «А» класс")).to_be_checked()
    screenshot(page, f"pm-activity-new-error-{size}")
    page.get_by_label("Продолжительность, академических часов").fill("1,5")
    page.get_by_role("button", name="Сохранить мероприятие").click()
    expect(page.get_by_role("status")).to_contain_text("Мероприятие «Экскурсия в колледж» добавлено в расписание.")
    expect(page.get_by_text("Экскурсия в колледж").first).to_be_visible()

    lesson = Activity.objects.filter(classes=school_class, marked_at__isnull=True, course_lesson__isnull=False).order_by("starts_at").last()
    page.goto(f"/profminimum/activities/{lesson.pk}/move/?class={school_class.pk}")
    expect(h1(page)).to_have_text("Перенос занятия")
    page.get_by_label("Новая дата").fill("2001-01-01")
    page.get_by_role("button", name="Перенести").click()
    expect(page.locator("#id_date_error")).to_contain_text("Дата должна быть в пределах учебного года")
    fits(page, "move")
    screenshot(page, f"pm-activity-move-error-{size}")

    marked = Activity.objects.filter(classes=school_class, marked_at__isnull=False).order_by("starts_at").first()
    page.goto(f"/profminimum/activities/{marked.pk}/delete/?class={school_class.pk}")
    expect(h1(page)).to_have_text("Удалить мероприятие?")
    expect(page.get_by_text("Будет списано 3 часа")).to_be_visible()
    fits(page, "delete")
    screenshot(page, f"pm-activity-delete-{size}")
    page.get_by_role("button", name=re.compile("^Удалить")).click()
    expect(page.get_by_role("status")).to_contain_text("удалено; списано 3 часа.")
