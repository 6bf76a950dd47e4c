"""A 360 px phone: the pages fit the width, the menu folds behind «Меню» and opens by touch and by keyboard (and
stays usable without JavaScript), and the dashboards' charts scale to the screen instead of being cut.
Screenshots go to test-artifacts/screens/phone-*.png."""

import pytest
from playwright.sync_api import Browser, Page, expect

from browser_tests.helpers import DESKTOP, PASSWORD, PHONE, h1, horizontal_overflow, login, screenshot, submit_login_form
from profminimum.services import Mark, attendance_save
from profminimum.tests.conftest import Profminimum

pytestmark = pytest.mark.browser


def assert_fits(page: Page, what: str) -> None:
    page.wait_for_load_state("load")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{what}: {width} px wide on a {PHONE['width']} px phone"
    assert horizontal_overflow(page) <= 0, what


def menu_button(page: Page):
    return page.get_by_role("button", name="Меню", exact=True)


def open_menu(page: Page):
    """Tap «Меню» and return the menu it unfolds."""
    menu_button(page).tap()
    expect(menu_button(page)).to_have_attribute("aria-expanded", "true")
    return page.get_by_role("navigation", name="Основное меню")


def assert_touchable(page: Page) -> None:
    """Every menu link is on screen, inside the width, and big enough to hit with a finger."""
    page.wait_for_load_state("load")
    menu = open_menu(page)
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
    open_menu(phone_page).get_by_role("link", name="Мой план", exact=True).tap()
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

    open_menu(phone_page).get_by_role("link", name="Поиск обучающихся", exact=True).tap()
    expect(h1(phone_page)).to_have_text("Поиск обучающихся")
    assert_fits(phone_page, "student search")
    phone_page.get_by_label("Фамилия, имя или отчество").fill("Тимур")
    expect(phone_page.locator("#student-rows").get_by_role("link")).to_have_count(1)  # only their own class
    assert_fits(phone_page, "search results")


# --- the menu ---------------------------------------------------------------------------------------------


def test_on_a_phone_the_menu_is_folded_behind_one_button(phone_page: Page, page: Page, live_server, cast):
    """Issue 6, «Phones»: the menu collapses. At 360 px the links wait behind «Меню» (aria-expanded says
    whether they are shown), which a tap or the keyboard opens and closes; the header stays small. On a
    desktop the menu is open and there is no button."""
    login(phone_page, live_server, "coordinator_a1")
    button = menu_button(phone_page)
    expect(button).to_be_visible()
    expect(button).to_have_attribute("aria-expanded", "false")
    expect(button).to_have_attribute("aria-controls", "site-nav")
    link = phone_page.locator("#site-nav").get_by_role("link", name="Поиск обучающихся", exact=True)
    expect(link).to_be_hidden()
    expect(phone_page.get_by_role("navigation", name="Основное меню")).to_have_count(0)  # folded: not even a landmark
    header = phone_page.locator(".site-header").bounding_box()
    assert header and header["height"] <= 130, f"the header takes {header} on a phone"
    assert_fits(phone_page, "coordinator home, menu folded")
    screenshot(phone_page, "phone-menu-folded-coordinator_a1")

    button.tap()
    expect(button).to_have_attribute("aria-expanded", "true")
    expect(link).to_be_visible()
    assert_fits(phone_page, "coordinator home, menu open")
    screenshot(phone_page, "phone-menu-open-coordinator_a1")
    button.tap()
    expect(button).to_have_attribute("aria-expanded", "false")
    expect(link).to_be_hidden()

    # The keyboard: Enter opens it, the next Tab is its first link, Escape folds it back onto the button.
    button.focus()
    phone_page.keyboard.press("Enter")
    expect(link).to_be_visible()
    phone_page.keyboard.press("Tab")
    expect(phone_page.locator("#site-nav a").first).to_be_focused()
    phone_page.keyboard.press("Escape")
    expect(link).to_be_hidden()
    expect(button).to_be_focused()
    expect(button).to_have_attribute("aria-expanded", "false")
    phone_page.keyboard.press("Space")
    expect(link).to_be_visible()
    link.tap()
    expect(h1(phone_page)).to_have_text("Поиск обучающихся")
    expect(menu_button(phone_page)).to_have_attribute("aria-expanded", "false")  # a new page starts folded

    # A desktop: the links are in view and the button is not there.
    login(page, live_server, "coordinator_a1")
    expect(menu_button(page)).to_be_hidden()
    expect(page.get_by_role("navigation", name="Основное меню").get_by_role("link", name="Поиск обучающихся", exact=True)).to_be_visible()


def test_without_javascript_the_phone_menu_stays_open_and_works(browser: Browser, live_server, cast):
    """Issue 6, «Phones»: the menu is usable without JavaScript: it is simply shown, and no button that
    could not work is offered."""
    context = browser.new_context(
        base_url=live_server.url, locale="ru-RU", java_script_enabled=False, viewport=PHONE, is_mobile=True, has_touch=True
    )
    try:
        page = context.new_page()
        page.goto("/accounts/login/")
        submit_login_form(page, "coordinator_a1", PASSWORD)
        expect(h1(page)).to_have_text("Школа № 1 г. Альфа")
        expect(menu_button(page)).to_be_hidden()
        menu = page.get_by_role("navigation", name="Основное меню")
        menu.get_by_role("link", name="Поиск обучающихся", exact=True).tap()
        expect(h1(page)).to_have_text("Поиск обучающихся")
        assert_fits(page, "student search without JavaScript")
    finally:
        context.close()


# --- charts -----------------------------------------------------------------------------------------------


@pytest.fixture
def charted(cast):
    """Eight Thursdays of the course in three classes of two municipalities, a student absent now and then, and
    a six-hour trial in a1 8А: every dashboard chart has something to draw."""
    pm = Profminimum(cast)
    for class_key in ("a1_8a", "a2_8a", "b1_8a"):
        students = list(cast.classes[class_key].students.order_by("pk"))
        for week in range(8):
            marks = {s.pk: Mark(present=not (week % 3 == 1 and i == 0)) for i, s in enumerate(students)}
            attendance_save(activity=pm.activity(class_key, week=week), marks=marks, by=None)
    attendance_save(
        activity=pm.activity("a1_8a", hours="6", direction="upbringing", week=3, title="Профессиональная проба в колледже"),
        marks={s.pk: Mark(True) for s in cast.classes["a1_8a"].students.all()},
        by=None,
    )
    return pm


# For each chart on the page: its box, the widest box any ancestor scrolls sideways (0: none does), and which
# of its drawings is displayed with the rendered height of that drawing's first label.
_CHARTS_JS = """() => Array.from(document.querySelectorAll('svg.chart-svg')).map(svg => {
  const box = svg.getBoundingClientRect();
  let scroller = '';
  for (let el = svg.parentElement; el && el !== document.documentElement; el = el.parentElement) {
    const overflow = getComputedStyle(el).overflowX;
    if ((overflow === 'auto' || overflow === 'scroll') && el.scrollWidth > el.clientWidth + 1) scroller = el.className || el.tagName;
  }
  const shown = Array.from(svg.children).filter(el => el.tagName === 'svg' && getComputedStyle(el).display !== 'none');
  const label = shown.length ? shown[0].querySelector('text:not([transform])') : null;
  return {id: svg.id, left: box.left, right: box.right, width: box.width, scroller,
          shown: shown.map(el => el.getAttribute('class')), label: label ? label.getBoundingClientRect().height : 0};
})"""


def assert_charts_fit(page: Page, what: str, width: int, drawing: str) -> list[dict]:
    page.wait_for_load_state("load")
    found = page.evaluate(_CHARTS_JS)
    assert found, f"{what}: no chart"
    for chart in found:
        assert chart["width"] > 0 and chart["left"] >= 0 and chart["right"] <= width, (what, chart)
        assert not chart["scroller"], f"{what}: {chart['id']} is cut in a scroll box ({chart['scroller']})"
        assert chart["shown"] in ([drawing], ["chart-svg__wide"]), (what, chart)  # one drawing, the compact one if it has it
        assert chart["label"] >= 10, f"{what}: {chart['id']}'s labels are {chart['label']:.1f} px tall"
    assert horizontal_overflow(page) <= 0, f"{what}: the page scrolls sideways"
    return found


def test_on_a_phone_no_chart_is_cut(phone_page: Page, page: Page, live_server, charted):
    """Issue 6, «Phones» and «What it must show»: at 360 px no chart is cut. Every chart on the ministry's
    dashboard and on a class's is inside the screen, in no sideways scroll box, drawn in its compact layout
    with labels at least 10 px tall, and the page does not scroll sideways. On a desktop the same charts
    keep their wide drawings."""
    school_class = charted.cast.classes["a1_8a"]
    pages = {"republic": "/profminimum/", "class": f"/profminimum/classes/{school_class.pk}/"}

    login(phone_page, live_server, "ministry_analyst")
    for name, url in pages.items():
        phone_page.goto(url)
        expect(h1(phone_page)).to_be_visible()
        found = assert_charts_fit(phone_page, f"{name} at 360 px", PHONE["width"], "chart-svg__narrow")
        assert any(chart["shown"] == ["chart-svg__narrow"] for chart in found), name
        screenshot(phone_page, f"phone-charts-{name}-ministry_analyst")

    login(page, live_server, "ministry_analyst")
    for name, url in pages.items():
        page.goto(url)
        expect(h1(page)).to_be_visible()
        found = assert_charts_fit(page, f"{name} at 1366 px", DESKTOP["width"], "chart-svg__wide")
        assert all(chart["shown"] == ["chart-svg__wide"] for chart in found), (name, found)
