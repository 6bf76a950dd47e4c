"""The compliance dashboards in Chromium: the ministry walks from the republic down to one student by clicking
links, sees every chart as a named image, changes the date (htmx, without reloading the page; and without
JavaScript, by the plain form), downloads an XLSX; the same pages at 360 px and in the high-contrast version;
a parent lands on their child's page; a municipality of many schools is sorted, filtered and paged in place
(and without JavaScript by links), shows that it is loading, and prints on A4. Screenshots go to
test-artifacts/screens/pm-dash-*.png, the printed page to test-artifacts/screens/pm-dash-municipality-print.pdf."""

import datetime
import io
import re
from pathlib import Path

import openpyxl
import pytest
from playwright.sync_api import Page, expect

from browser_tests.helpers import PASSWORD, SCREENS, h1, horizontal_overflow, login, screenshot, share_session, submit_login_form
from core.formatting import date_text
from profminimum.services import Mark, attendance_save
from profminimum.tests.conftest import Profminimum
from profminimum.tests.test_dashboards import _municipality_of_schools

pytestmark = pytest.mark.browser


@pytest.fixture
def pm(cast):
    """Ten Thursdays of the course in four classes (a student or two absent now and then), an upbringing event
    in a1 8А and additional education for two students of a2 9А: enough to draw every chart."""
    pm = Profminimum(cast)
    for class_key in ("a1_8a", "a1_9a", "a2_8a", "b1_8a"):
        students = list(cast.classes[class_key].students.order_by("pk"))
        for week in range(10):
            marks = {
                s.pk: Mark(present=not (week % 3 == 1 and i == 0), excuse="болел" if week % 3 == 1 and i == 0 else "")
                for i, s in enumerate(students)
            }
            attendance_save(activity=pm.activity(class_key, week=week), marks=marks, by=None)
    a1_8a = list(cast.classes["a1_8a"].students.order_by("pk"))
    attendance_save(
        activity=pm.activity("a1_8a", hours="6", direction="upbringing", week=3, title="Профессиональная проба в колледже"),
        marks={s.pk: Mark(True) for s in a1_8a},
        by=None,
    )
    a2_9a = list(cast.classes["a2_9a"].students.order_by("pk"))[:2]
    attendance_save(
        activity=pm.activity("a2_9a", hours="12", direction="additional_education", week=5, title="Кружок робототехники"),
        marks={s.pk: Mark(True) for s in a2_9a},
        by=None,
    )
    return pm


def midyear(pm) -> datetime.date:
    year = pm.year
    return year.starts_on + (year.ends_on - year.starts_on) / 2


def fits(page: Page, what: str) -> None:
    assert horizontal_overflow(page) <= 0, f"{what}: the page scrolls sideways"


def charts_are_named_images(page: Page, titles: dict[str, str]) -> None:
    """Each chart: an SVG on the page, exposed as an image named by its title, with a description."""
    for chart_id, title in titles.items():
        svg = page.locator(f"svg#{chart_id}")
        expect(svg).to_be_visible()
        expect(svg).to_have_attribute("role", "img")
        expect(page.get_by_role("img", name=title, exact=True)).to_be_visible()
        assert svg.locator("desc").text_content().strip(), chart_id
        expect(svg.locator("xpath=./*[local-name()='title']")).to_have_text(title)


def breadcrumbs(page: Page):
    return page.get_by_role("navigation", name="Навигационная цепочка")


def test_ministry_admin_drills_down_from_the_republic_to_one_student(page: Page, phone_page: Page, live_server, pm):
    visited: list[tuple[str, str]] = []
    login(page, live_server, "ministry_admin")
    page.get_by_role("navigation", name="Основное меню").get_by_role("link", name="Профминимум", exact=True).click()
    expect(h1(page)).to_have_text("Профминимум в Республике Северная Осетия-Алания")
    expect(page.get_by_role("navigation", name="Основное меню").get_by_role("link", name="Профминимум")).to_have_attribute(
        "aria-current", "page"
    )
    charts_are_named_images(page, {
        "chart-directions": "Часы по направлениям: республика",
        "chart-states": "Состояния по муниципалитетам: республика",
        "chart-distribution": "Распределение обучающихся по числу часов: республика",
        "chart-pace": "Темп набора часов за год: республика",
    })  # fmt: skip
    fits(page, "republic")
    screenshot(page, "pm-dash-republic-desktop")

    # The date selector: htmx replaces the figures without reloading the page, and the address follows.
    day = midyear(pm)
    page.evaluate("window.__sameDocument = true")
    page.get_by_label("На дату").fill(day.isoformat())
    page.get_by_role("button", name="Показать", exact=True).click()
    expect(page.get_by_role("heading", name=f"Итоги на {date_text(day)}")).to_be_visible()
    expect(page).to_have_url(re.compile(rf"\?on={day.isoformat()}$"))
    assert page.evaluate("window.__sameDocument === true"), "the date change reloaded the page"
    expect(page.locator("#dashboard-status")).to_have_text(f"Показатели обновлены: на {date_text(day)}.")
    visited.append(("republic", page.url))
    screenshot(page, "pm-dash-republic-midyear-desktop")

    page.locator("#table-municipalities").get_by_role("link", name="Город Альфа", exact=True).click()
    expect(h1(page)).to_have_text("Профминимум: Город Альфа")
    expect(page.get_by_label("На дату")).to_have_value(day.isoformat())  # the date came along
    expect(page.locator("#table-schools")).to_contain_text("основной (от\u00a060\u00a0ч)")
    expect(page.locator("#table-schools")).not_to_contain_text("Школа с. Бета")
    charts_are_named_images(
        page,
        {
            "chart-schools-risk": "Школы по доле обучающихся в зоне риска: Город Альфа",
            "chart-pace": "Темп набора часов за год: Город Альфа",
        },
    )
    fits(page, "municipality")
    visited.append(("municipality", page.url))
    screenshot(page, "pm-dash-municipality-desktop")

    page.locator("#table-schools").get_by_role("link", name="Школа № 1 г. Альфа", exact=True).click()
    expect(h1(page)).to_have_text("Профминимум: Школа № 1 г. Альфа")
    expect(page.get_by_role("main")).to_contain_text("Уровень профминимума: базовый, минимум 40 часов в год; установлен министерством")
    charts_are_named_images(
        page,
        {
            "chart-states": "Состояния по классам: Школа № 1 г. Альфа",
            "chart-distribution": "Распределение обучающихся по числу часов: Школа № 1 г. Альфа",
        },
    )
    fits(page, "school")
    visited.append(("school", page.url))
    screenshot(page, "pm-dash-school-desktop")

    page.locator("#table-classes").get_by_role("link", name="8 «А» класс", exact=True).click()
    expect(h1(page)).to_have_text("Профминимум: 8 «А» класс")
    rows = page.locator("#table-students tbody tr")
    expect(rows).to_have_count(3)
    # Алан missed lessons 2, 5 and 8: 7 course hours + 6 of upbringing = 13; the others 16. At mid-year 20 h are
    # expected of the basic level and «at risk» begins below 16 h.
    expect(rows.filter(has_text="УченикA18 Алан")).to_contain_text("в зоне риска")
    expect(rows.filter(has_text="УченикA18 Дзерасса")).to_contain_text("отстаёт")
    charts_are_named_images(page, {"chart-students": "Часы обучающихся: 8 «А» класс, Школа № 1 г. Альфа"})
    fits(page, "class")
    visited.append(("class", page.url))
    screenshot(page, "pm-dash-class-desktop")

    # The class table downloads as a real workbook.
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Скачать XLSX: Обучающиеся").click()
    sheet = openpyxl.load_workbook(io.BytesIO(Path(download_info.value.path()).read_bytes())).active
    assert [c.value for c in sheet[2]][:5] == ["Обучающийся", "Часов", "Минимум уровня", f"Ожидается к {day:%d.%m.%Y}", "Состояние"]
    assert [(r[0], r[1]) for r in sheet.iter_rows(min_row=3, values_only=True)] == [
        ("УченикA18 Алан", 13),
        ("УченикA18 Дзерасса", 16),
        ("УченикA18 Тимур", 16),
    ]

    rows.get_by_role("link", name="УченикA18 Алан", exact=True).click()
    expect(h1(page)).to_have_text("УченикA18 Алан")
    expect(page.locator("#student-state")).to_have_text("в зоне риска")
    expect(page.get_by_role("img", name="Часы профминимума: УченикA18 Алан", exact=True)).to_be_visible()
    # 7 lessons attended (an absence credits nothing and writes no line) and the upbringing event.
    expect(page.locator("#table-ledger tbody tr")).to_have_count(8)
    expect(page.locator("#table-ledger")).to_contain_text("Профессиональная проба в колледже")
    charts_are_named_images(page, {"chart-directions": "Часы по направлениям: УченикA18 Алан"})
    crumbs = breadcrumbs(page)
    expect(crumbs.locator("[aria-current=page]")).to_have_text("УченикA18 А.")
    fits(page, "student")
    visited.append(("student", page.url))
    screenshot(page, "pm-dash-student-desktop")

    # Back up by the breadcrumbs, the date still chosen.
    crumbs.get_by_role("link", name="Школа № 1 г. Альфа").click()
    expect(h1(page)).to_have_text("Профминимум: Школа № 1 г. Альфа")
    breadcrumbs(page).get_by_role("link", name="Республика").click()
    expect(h1(page)).to_have_text("Профминимум в Республике Северная Осетия-Алания")
    expect(page.get_by_label("На дату")).to_have_value(day.isoformat())

    # The same pages on a 360 px phone: nothing scrolls sideways but the tables and charts inside their frames.
    share_session(page, phone_page)
    for name, url in visited:
        phone_page.goto(url)
        expect(h1(phone_page)).to_be_visible()
        expect(phone_page.locator("svg.chart-svg").first).to_be_visible()
        fits(phone_page, f"{name} at 360 px")
        screenshot(phone_page, f"pm-dash-{name}-phone")


def test_high_contrast_charts_follow_the_page_colours(page: Page, live_server, pm):
    login(page, live_server, "ministry_analyst")
    page.goto(f"/profminimum/?on={midyear(pm).isoformat()}")
    page.get_by_role("button", name="Версия для слабовидящих", exact=True).click()
    expect(page.locator("html")).to_have_class("a11y-contrast")
    # Axes and labels are drawn in currentColor: white on the black page.
    for chart_id in ("chart-states", "chart-pace", "chart-distribution"):
        colour = page.locator(f"svg#{chart_id} text").first.evaluate("el => getComputedStyle(el).fill")
        assert colour == "rgb(255, 255, 255)", (chart_id, colour)
    fits(page, "republic, high contrast")
    screenshot(page, "pm-dash-republic-contrast-desktop")
    page.locator("#table-municipalities").get_by_role("link", name="Город Альфа", exact=True).click()
    page.locator("#table-schools").get_by_role("link", name="Школа № 1 г. Альфа", exact=True).click()
    page.locator("#table-classes").get_by_role("link", name="8 «А» класс", exact=True).click()
    expect(h1(page)).to_have_text("Профминимум: 8 «А» класс")
    screenshot(page, "pm-dash-class-contrast-desktop")


def test_the_date_selector_works_without_javascript(browser, live_server, pm):
    context = browser.new_context(
        base_url=live_server.url, locale="ru-RU", java_script_enabled=False, viewport={"width": 1280, "height": 800}
    )
    try:
        page = context.new_page()
        page.goto("/accounts/login/")
        submit_login_form(page, "coordinator_a1", PASSWORD)
        page.goto("/profminimum/")
        expect(h1(page)).to_have_text("Профминимум: Школа № 1 г. Альфа")  # the coordinator lands on their school
        start = pm.year.starts_on
        page.get_by_label("На дату").fill(start.isoformat())
        page.get_by_role("button", name="Показать", exact=True).click()
        expect(page.get_by_role("heading", name=f"Итоги на {date_text(start)}")).to_be_visible()
        # On the first day nothing is due yet: all six students of the school are on track.
        expect(page.locator("#table-classes tfoot")).to_contain_text("Итого")
        cells = page.locator("#table-classes tfoot td")
        expect(cells.nth(0)).to_have_text("6")
        expect(cells.nth(2)).to_contain_text("6")
        screenshot(page, "pm-dash-school-nojs-desktop")
    finally:
        context.close()


def test_a_parent_lands_on_their_childs_page(page: Page, phone_page: Page, live_server, pm):
    login(page, live_server, "parent_a1")
    expect(page.get_by_role("navigation", name="Основное меню").get_by_role("link", name="Профминимум")).to_have_count(0)
    page.goto("/profminimum/")
    expect(h1(page)).to_have_text("УченикA18 Алан")
    crumbs = breadcrumbs(page)
    expect(crumbs.get_by_role("link")).to_have_count(0)  # a parent may open none of the levels above
    expect(page.locator("svg#chart-progress")).to_be_visible()
    screenshot(page, "pm-dash-student-parent_a1-desktop")
    share_session(page, phone_page)
    phone_page.goto("/profminimum/")
    expect(h1(phone_page)).to_have_text("УченикA18 Алан")
    fits(phone_page, "parent's page at 360 px")
    screenshot(phone_page, "pm-dash-student-parent_a1-phone")


# --- a municipality of many schools: sorted, filtered and paged in place; loading; print ----------------------

# What an htmx request looked like as it left: the region it replaces busy, and «Загрузка…» in view.
_RECORD_BUSY_JS = """() => {
  window.__busy = [];
  document.body.addEventListener('htmx:beforeSend', event => {
    const target = event.detail.target;
    window.__busy.push([target.id, target.getAttribute('aria-busy'), getComputedStyle(document.getElementById('dashboard-loading')).visibility]);
  });
}"""


@pytest.fixture
def many_schools(cast):
    """Район Дельта: 60 schools (one 7th grade of four students each, no level chosen)."""
    pm = Profminimum(cast)
    return pm, _municipality_of_schools(pm, name="район Дельта", code="D", schools=60)


def first_school(page: Page) -> str:
    return page.locator("#table-schools tbody tr").first.locator("th").inner_text()


def test_a_municipality_of_many_schools_is_sorted_filtered_and_paged_in_place(page: Page, live_server, many_schools):
    pm, municipality = many_schools
    day = midyear(pm).isoformat()
    login(page, live_server, "ministry_admin")
    page.goto(f"/profminimum/municipalities/{municipality.pk}/?on={day}")
    table = page.locator("#table-schools")
    expect(page.locator("#schools-shown")).to_have_text("Показано 1–50 из 60.")
    expect(table.locator("tbody tr")).to_have_count(50)
    expect(table.locator("th[aria-sort]")).to_have_attribute("aria-sort", "descending")  # the share at risk
    expect(page.get_by_role("navigation", name="Страницы таблицы «Школы»")).to_be_visible()
    page.evaluate("window.__sameDocument = true")
    page.evaluate(_RECORD_BUSY_JS)

    # A click on «Школа» sorts by name (naturally: № 2 before № 10), in place; the focus stays on the header.
    table.get_by_role("link", name="Школа", exact=True).click()
    expect(table.locator("th[aria-sort]")).to_have_attribute("aria-sort", "ascending")
    expect(table.locator("tbody tr").nth(1).locator("th")).to_have_text("Школа № 2 район Дельта")
    expect(page).to_have_url(re.compile(r"schools-sort=name"))
    expect(page.locator("#schools-sort-name")).to_be_focused()
    page.keyboard.press("Enter")  # and again: the other way
    expect(table.locator("th[aria-sort]")).to_have_attribute("aria-sort", "descending")
    assert first_school(page) == "Школа № 60 район Дельта"

    page.get_by_role("link", name="Вперёд ›").click()
    expect(page.locator("#schools-shown")).to_have_text("Показано 51–60 из 60.")
    expect(table.locator("tbody tr")).to_have_count(10)
    expect(page.locator("#dashboard-status")).to_have_text("Таблица «Школы» обновлена. Показано 51–60 из 60.")
    screenshot(page, "pm-dash-municipality-many-page2-desktop")

    page.get_by_label("Школа", exact=True).fill("7")
    page.get_by_role("button", name="Отобрать").click()
    expect(page.locator("#schools-shown")).to_have_text("Показано 1–1 из 1 (отобраны из 60).")
    # A new date keeps the filter and the sort.
    page.get_by_label("На дату").fill(pm.year.starts_on.isoformat())
    page.get_by_role("button", name="Показать", exact=True).click()
    expect(page.get_by_role("heading", name=f"Итоги на {date_text(pm.year.starts_on)}")).to_be_visible()
    expect(page.locator("#schools-shown")).to_have_text("Показано 1–1 из 1 (отобраны из 60).")
    assert page.evaluate("window.__sameDocument === true"), "sorting, paging or filtering reloaded the page"

    busy = page.evaluate("window.__busy")
    assert busy and all(state == ["true", "visible"] for _, *state in busy), busy
    assert {target for target, *_ in busy} == {"table-schools-section", "dashboard-figures"}
    expect(page.locator("#dashboard-loading")).to_be_hidden()
    fits(page, "municipality of 60 schools")


def test_without_javascript_a_table_is_sorted_and_paged_by_links(browser, live_server, many_schools):
    _, municipality = many_schools
    context = browser.new_context(
        base_url=live_server.url, locale="ru-RU", java_script_enabled=False, viewport={"width": 1280, "height": 800}
    )
    try:
        page = context.new_page()
        page.goto("/accounts/login/")
        submit_login_form(page, "ministry_analyst", PASSWORD)
        page.goto(f"/profminimum/municipalities/{municipality.pk}/")
        page.locator("#table-schools").get_by_role("link", name="Школа", exact=True).click()
        expect(page.locator("#table-schools th[aria-sort]")).to_have_attribute("aria-sort", "ascending")
        page.get_by_role("link", name="Страница 2").click()
        expect(page.locator("#schools-shown")).to_have_text("Показано 51–60 из 60.")
        assert first_school(page) == "Школа № 51 район Дельта"
    finally:
        context.close()


def test_a_dashboard_prints_on_a4(page: Page, live_server, many_schools):
    """On paper: no menu, no forms, no page links; the table whole within the page's width; charts fit it."""
    pm, municipality = many_schools
    login(page, live_server, "ministry_admin")
    page.goto(f"/profminimum/municipalities/{municipality.pk}/?on={midyear(pm).isoformat()}")
    expect(page.locator("#table-schools")).to_be_visible()
    page.set_viewport_size({"width": 718, "height": 1000})  # A4 less 12 mm margins, at 96 px an inch
    page.emulate_media(media="print")
    for hidden in (".site-nav", ".site-header", "#dashboard-date-form", ".data-table__filter", ".pager", ".data-table__head .button"):
        expect(page.locator(hidden).first).to_be_hidden()
    expect(page.locator("#schools-shown")).to_be_visible()
    cut = page.evaluate("""() => [...document.querySelectorAll('.table-wrap')]
        .filter(w => w.scrollWidth > w.clientWidth + 1).map(w => w.querySelector('table').id)""")
    assert cut == [], f"tables wider than the page: {cut}"
    widths = page.evaluate("() => [...document.querySelectorAll('svg.chart-svg')].map(s => Math.round(s.getBoundingClientRect().width))")
    assert widths and max(widths) <= 718, widths
    assert horizontal_overflow(page) <= 0
    SCREENS.mkdir(parents=True, exist_ok=True)
    page.pdf(
        path=str(SCREENS / "pm-dash-municipality-print.pdf"),
        format="A4",
        margin={"top": "12mm", "bottom": "12mm", "left": "12mm", "right": "12mm"},
    )
    page.emulate_media(media="screen")
