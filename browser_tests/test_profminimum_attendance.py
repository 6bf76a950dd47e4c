"""The teacher's daily work in the профминимум at phone size (360 px) and on a desktop: open the class's
schedule, find this week's lesson at the top and open it with one tap, tap each absent student once, save
once, land on the next lesson left unmarked, and so on until none is left. Also the other pages of the same
work (a new activity, moving a lesson, deleting one, searching the activities) and the high-contrast version
of the attendance screen.

The term is hand-made around today, whatever day the tests run: lessons 1–15 held weekly and marked (about
four months of history), 16 and 18 held and left unmarked, 17 marked, 19 held two days ago and not marked
yet (this week's lesson), 20–22 to come."""

import datetime
import re
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from browser_tests.helpers import PHONE, h1, horizontal_overflow, login, screenshot
from people.models import Student
from profminimum.models import Activity, Attendance
from profminimum.services import Mark, attendance_save
from profminimum.tests.conftest import Profminimum

pytestmark = pytest.mark.browser

THIS_WEEK = 19  # the lesson held two days ago
UNMARKED = (16, 18, THIS_WEEK)
MARKED = (*range(1, 16), 17)
COMING = (20, 21, 22)


def days_from_today(number: int) -> int:
    return 7 * (number - THIS_WEEK) - 2


@pytest.fixture
def pm(cast):
    pm = Profminimum(cast)
    school_class = cast.classes["a1_8a"]
    students = list(Student.objects.filter(current_class=school_class).select_related("person").order_by("person__first_name"))
    teacher = cast.user("class_teacher_a1")
    for number in (*MARKED, *UNMARKED, *COMING):
        day = timezone.localdate() + datetime.timedelta(days=days_from_today(number))
        lesson = pm.normative.course_lessons.get(number=number)
        activity = Activity.objects.create(
            school_year=pm.year, direction=pm.directions["course"], title=f"«Россия — мои горизонты»: {lesson.topic}",
            starts_at=datetime.datetime.combine(day, datetime.time(14, 0), tzinfo=timezone.get_current_timezone()),
            duration_hours=Decimal("1"), school=school_class.school, organizer=school_class.school, course_lesson=lesson,
        )  # fmt: skip
        activity.classes.add(school_class)
        if number in MARKED:
            # Алан missed every fourth lesson from the second; the first was attended by all three.
            marks = {
                s.pk: Mark(present=not (number % 4 == 2 and s == students[0]), excuse="болел" if number % 4 == 2 else "") for s in students
            }
            attendance_save(activity=activity, marks=marks, by=teacher)
    return pm


def lesson_of(number: int) -> Activity:
    return Activity.objects.get(course_lesson__number=number)  # only 8 «А» of school A1 has lessons here


def fits(page: Page, what: str) -> None:
    assert horizontal_overflow(page) <= 0, f"{what}: the page scrolls sideways"


def row(page: Page, first_name: str):
    return page.locator("li.att-row", has_text=first_name)


def class_pk() -> int:
    return Student.objects.filter(person__last_name="УченикA18").values_list("current_class_id", flat=True).first()


def open_schedule(page: Page, tap) -> None:
    tap(page.get_by_role("link", name="Расписание и посещаемость — 8 «А» класс"))
    expect(h1(page)).to_have_text("Расписание и посещаемость: 8 «А» класс")


def save_everyone_present(page: Page, tap, number: int) -> None:
    expect(page.locator(".card").first).to_contain_text(f"занятие {number}:")
    for index in range(3):
        expect(page.get_by_role("checkbox").nth(index)).to_be_checked()  # everyone present by default
    tap(page.get_by_role("button", name="Сохранить", exact=True))


def mark_the_week(page: Page, live_server, *, phone: bool, size: str) -> None:
    tap = (lambda locator: locator.tap()) if phone else (lambda locator: locator.click())
    login(page, live_server, "class_teacher_a1")
    open_schedule(page, tap)

    # This week's lesson first, with its one-tap action, on the first screen even with months of history.
    now = page.locator("section.pm-now")
    expect(now).to_contain_text("Последнее занятие")
    expect(now).to_contain_text(f"«Россия — мои горизонты», занятие {THIS_WEEK}:")
    expect(now).to_contain_text(re.compile(r"[а-я]{2}, \d+ [а-я]+"))
    mark = now.get_by_role("link", name=re.compile("^Отметить посещаемость"))
    box = mark.bounding_box()
    viewport = page.viewport_size
    assert box is not None and box["y"] + box["height"] <= viewport["height"], ("the lesson's action is below the first screen", box)
    assert box["height"] >= 44, box  # a finger's target
    backlog = page.get_by_role("link", name="Не отмечено: 3 занятия")
    expect(backlog).to_be_visible()
    expect(page.get_by_role("heading", name="Не отмечены: 3", exact=True)).to_be_visible()
    expect(page.get_by_role("heading", name="Впереди: 3", exact=True)).to_be_visible()
    expect(page.get_by_role("heading", name=f"Отмечены: {len(MARKED)}", exact=True)).to_be_visible()
    expect(page.get_by_text("отмечено: 2 из 3").first).to_be_hidden()  # the history stays folded
    fits(page, "schedule")
    screenshot(page, f"pm-schedule-class_teacher_a1-{size}")

    # One tap opens it.
    tap(mark)
    expect(h1(page)).to_have_text("Посещаемость: 8 «А» класс")
    expect(page.locator(".card").first).to_contain_text(f"занятие {THIS_WEEK}:")
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

    # One tap for each absent student: Дзерасса and Тимур.
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

    # One save: the next lesson left unmarked opens (the earliest, after this week's, the latest).
    tap(page.get_by_role("button", name="Сохранить", exact=True))
    expect(h1(page)).to_have_text("Посещаемость: 8 «А» класс")
    status = page.get_by_role("status")
    expect(status).to_contain_text("Сохранено: 1 присутствовал, 2 отсутствовали; зачтено 1 час.")
    expect(status).to_contain_text("Не отмечено ещё: 2 занятия. Открыто следующее —")
    fits(page, "the next lesson")
    screenshot(page, f"pm-attendance-next-{size}")
    marks = dict(Attendance.objects.filter(activity=lesson_of(THIS_WEEK)).values_list("student__person__first_name", "present"))
    assert marks == {"Алан": True, "Дзерасса": False, "Тимур": False}
    assert Attendance.objects.get(activity=lesson_of(THIS_WEEK), student__person__first_name="Дзерасса").excuse == "справка от врача"

    save_everyone_present(page, tap, 16)
    expect(page.get_by_role("status")).to_contain_text("Не отмечено ещё: 1 занятие.")
    save_everyone_present(page, tap, 18)
    expect(h1(page)).to_have_text("Расписание и посещаемость: 8 «А» класс")
    expect(page.get_by_role("status")).to_contain_text("Все прошедшие занятия класса отмечены.")
    expect(page.locator(".pm-backlog")).to_have_text("Все прошедшие занятия отмечены.")
    expect(page.locator("section.pm-now")).to_contain_text("отмечено: 1 из 3")
    fits(page, "schedule, everything marked")
    screenshot(page, f"pm-schedule-all-marked-{size}")
    assert not Activity.objects.filter(course_lesson__number__in=UNMARKED, marked_at__isnull=True).exists()


def test_marking_this_weeks_lesson_on_a_phone(phone_page: Page, live_server, pm):
    mark_the_week(phone_page, live_server, phone=True, size="phone")


def test_marking_this_weeks_lesson_on_a_desktop(page: Page, live_server, pm):
    mark_the_week(page, live_server, phone=False, size="desktop")


def test_the_keyboard_marks_and_corrects(page: Page, live_server, pm):
    """Tab to a student's checkbox and press Space: the same as a tap. A correction appears in the history."""
    login(page, live_server, "class_teacher_a1")
    page.goto(f"/profminimum/classes/{class_pk()}/schedule/")
    page.locator("section.pm-now").get_by_role("link", name=re.compile("^Отметить посещаемость")).click()
    alan = page.get_by_role("checkbox", name=re.compile("Алан"))
    alan.focus()
    page.keyboard.press("Space")
    expect(alan).not_to_be_checked()
    page.keyboard.press("Tab")  # the excuse field follows the absent student's checkbox
    expect(page.get_by_label(re.compile("Причина отсутствия.*Алан"))).to_be_focused()
    page.keyboard.type("соревнования")
    page.get_by_role("button", name="Сохранить", exact=True).press("Enter")
    expect(page.get_by_role("status")).to_contain_text("Сохранено: 2 присутствовали, 1 отсутствовал; зачтено 2 часа.")

    # Back to the schedule: this week's lesson is marked now; open it again, Алан was there after all.
    page.get_by_role("link", name="Вернуться к расписанию без сохранения").press("Enter")
    now = page.locator("section.pm-now")
    expect(now).to_contain_text("отмечено: 2 из 3")
    now.get_by_role("link", name=re.compile("^Открыть отметки")).press("Enter")
    expect(page.get_by_role("checkbox", name=re.compile("Алан"))).not_to_be_checked()
    expect(page.get_by_label(re.compile("Причина отсутствия.*Алан"))).to_have_value("соревнования")
    page.locator("label.att-label", has_text="Алан").click()
    page.get_by_role("button", name="Сохранить", exact=True).click()
    expect(page.get_by_role("status")).to_contain_text("Исправлено: 1 отметка.")
    page.goto(f"/profminimum/classes/{class_pk()}/schedule/")
    page.locator("section.pm-now").get_by_role("link", name=re.compile("^Открыть отметки")).click()
    history = page.get_by_role("region", name=re.compile("Исправления"))
    expect(history).to_contain_text("Классная Клараa1")
    expect(history).to_contain_text("УченикA18 Алан, отсутствовал(а) (соревнования) → присутствовал(а)")
    screenshot(page, "pm-attendance-corrections-desktop")


def test_the_attendance_screen_in_high_contrast(phone_page: Page, live_server, pm):
    login(phone_page, live_server, "class_teacher_a1")
    phone_page.get_by_role("button", name="Версия для слабовидящих", exact=True).tap()
    expect(phone_page.locator("html")).to_have_class("a11y-contrast")
    phone_page.goto(f"/profminimum/classes/{class_pk()}/schedule/")
    fits(phone_page, "schedule, high contrast")
    screenshot(phone_page, "pm-schedule-contrast-phone")
    phone_page.locator("section.pm-now").get_by_role("link", name=re.compile("^Отметить посещаемость")).tap()
    phone_page.locator("label.att-label", has_text="Тимур").tap()
    expect(phone_page.get_by_role("checkbox", name=re.compile("Тимур"))).not_to_be_checked()
    fits(phone_page, "attendance, high contrast")
    screenshot(phone_page, "pm-attendance-contrast-phone")


@pytest.mark.parametrize("size", ["phone", "desktop"])
def test_the_other_pages_fit(request, live_server, pm, size):
    """A new activity (with the Russian error for 1,3 h), the search of activities, moving a lesson, deleting
    one: screenshots at both sizes."""
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

    # The schedule's search finds it among the class's activities.
    page.get_by_label("Найти мероприятие класса").fill("экскурсия")
    page.get_by_role("button", name="Найти", exact=True).click()
    expect(h1(page)).to_have_text("Мероприятия: 8 «А» класс")
    expect(page.locator(".pm-count")).to_have_text("По запросу «экскурсия» найдено: 1 мероприятие.")
    expect(page.locator(".pm-found")).to_contain_text("Экскурсия в колледж")
    fits(page, "activity search")
    screenshot(page, f"pm-activity-search-{size}")

    lesson = lesson_of(COMING[-1])
    page.goto(f"/profminimum/activities/{lesson.pk}/move/?class={school_class.pk}")
    expect(h1(page)).to_have_text("Перенос занятия")
    page.get_by_label("Новая дата").fill("2001-01-01")
    page.get_by_role("button", name="Перенести").click()
    expect(page.locator("#id_date_error")).to_contain_text("Дата должна быть в пределах учебного года")
    fits(page, "move")
    screenshot(page, f"pm-activity-move-error-{size}")

    marked = lesson_of(1)
    page.goto(f"/profminimum/activities/{marked.pk}/delete/?class={school_class.pk}")
    expect(h1(page)).to_have_text("Удалить мероприятие?")
    expect(page.get_by_text("Будет списано 3 часа")).to_be_visible()
    fits(page, "delete")
    screenshot(page, f"pm-activity-delete-{size}")
    page.get_by_role("button", name=re.compile("^Удалить")).click()
    expect(page.get_by_role("status")).to_contain_text("удалено; списано 3 часа.")
