"""Issue 7, point 7 («Pages that a shared school computer forgets») in Chromium: the Content-Security-Policy is
enforced as served — no bypass, no axe-core in these contexts — and the main pages of several roles, with
their htmx updates, charts and menus, run with no violation reported.

Every other browser test watches for violations too (conftest.CspWatch); these tests walk the platform on
purpose and check that the watch does catch a violation."""

import datetime

import pytest
from playwright.sync_api import Browser, Page, expect

from browser_tests.conftest import TIMEOUT_MS, CspWatch
from browser_tests.helpers import DESKTOP, PHONE, h1, login
from core.formatting import date_text
from profminimum.services import Mark, attendance_save
from profminimum.tests.conftest import Profminimum

pytestmark = pytest.mark.browser


def _enforced_page(browser: Browser, live_server, watch: CspWatch, **options) -> Page:
    """A page under the policy exactly as the server sends it: no bypass, no injected auditor."""
    context = browser.new_context(base_url=live_server.url, locale="ru-RU", timezone_id="Europe/Moscow", bypass_csp=False, **options)
    context.set_default_timeout(TIMEOUT_MS)
    return watch.watch(context.new_page())


@pytest.fixture
def enforced(browser, live_server, transactional_db, csp_watch):
    pages = []

    def make(**options) -> Page:
        pages.append(_enforced_page(browser, live_server, csp_watch, **{"viewport": DESKTOP, **options}))
        return pages[-1]

    yield make
    for page in pages:
        page.context.close()


@pytest.fixture
def pm(cast):
    """A few Thursdays of the course in a1 8А, so that the dashboards draw charts with data."""
    pm = Profminimum(cast)
    students = list(cast.classes["a1_8a"].students.order_by("pk"))
    for week in range(4):
        attendance_save(
            activity=pm.activity("a1_8a", week=week),
            marks={s.pk: Mark(present=week != 1 or i > 0) for i, s in enumerate(students)},
            by=None,
        )
    return pm


def visit(page: Page, url: str) -> None:
    response = page.goto(url)
    assert response is not None and response.ok, f"{url}: {response.status if response else 'no answer'}"
    policy = response.headers.get("content-security-policy", "")
    assert "script-src 'self' 'nonce-" in policy and "unsafe-inline" not in policy, url
    page.wait_for_load_state("load")
    expect(h1(page)).to_be_visible()


def charts_sized(page: Page) -> list[str]:
    """The ids of the charts that did not get their proportions from app.js (empty: all did)."""
    return page.evaluate(
        """() => [...document.querySelectorAll('svg[data-chart-style]')]
             .filter(svg => !svg.style.getPropertyValue('--chart-wide') || getComputedStyle(svg).aspectRatio === 'auto')
             .map(svg => svg.id)"""
    )


def test_the_main_pages_of_several_roles_run_under_the_policy_with_no_violation(enforced, live_server, pm, csp_watch):
    """Issue 7, point 7: «a Content-Security-Policy that allows only the platform's own scripts and styles
    (htmx included), tested in the browser suite with no violations reported». Each page is loaded under the
    policy as served; htmx swaps, the charts' sizes, the phone menu and the role switch work under it."""
    cast = pm.cast
    student = cast.students["a1_8a_0"]
    a1, school_class = cast.orgs["a1"], cast.classes["a1_8a"]
    page = enforced()

    for url in ["/accounts/login/", "/profminimum/public/levels/", "/accounts/password/reset/"]:
        visit(page, url)

    login(page, live_server, "ministry_admin")
    for url in ["/", "/profminimum/levels/", "/profminimum/normative/", f"/students/{student.pk}/", "/profile/"]:
        visit(page, url)
    # The republic's dashboard: charts sized by app.js, then a new date through htmx (the figures and charts
    # are swapped in, and sized at once).
    visit(page, "/profminimum/")
    assert page.locator("svg[data-chart-style]").count() > 0
    assert charts_sized(page) == []
    day = pm.year.starts_on + datetime.timedelta(days=40)
    page.get_by_label("На дату").fill(day.isoformat())
    page.get_by_role("button", name="Показать", exact=True).click()
    expect(page.get_by_role("heading", name=f"Итоги на {date_text(day)}")).to_be_visible()
    page.wait_for_load_state("load")
    expect(page.locator(".dash-live [aria-busy]")).to_have_count(0)
    assert charts_sized(page) == []
    # The organisations' list filters as one types (htmx).
    visit(page, "/orgs/")
    with page.expect_response(lambda r: r.request.headers.get("hx-request") == "true"):
        page.get_by_label("Название или адрес").fill("Школа № 2")
    expect(page.get_by_role("link", name="Школа № 2 г. Альфа")).to_be_visible()
    expect(page.get_by_role("link", name="Школа с. Бета")).to_have_count(0)
    # The admin (Django's own pages, which carry the request's nonce) and the API's documentation.
    for url in ["/admin/", "/admin/orgs/organization/", f"/admin/orgs/schoolyear/{pm.year.pk}/change/"]:
        visit(page, url)
    page.locator("#calendarlink0").click()  # the admin's own calendar (its scripts) opens under the policy
    expect(page.locator("#calendarbox0")).to_be_visible()
    page.goto("/api/v1/docs")
    expect(page.locator(".swagger-ui .info .title")).to_contain_text("Профнавигатор API")

    for username, urls in {
        "municipal_a": ["/", f"/profminimum/municipalities/{cast.municipalities['a'].pk}/"],
        "coordinator_a1": [
            "/",
            f"/profminimum/schools/{a1.pk}/level/",
            f"/profminimum/classes/{school_class.pk}/schedule/",
            "/profminimum/activities/",
        ],
        "class_teacher_a1": ["/", f"/profminimum/classes/{school_class.pk}/"],
        "parent_a1": ["/", f"/profminimum/students/{student.pk}/"],
        "student_a1": ["/"],
    }.items():
        page.context.clear_cookies()
        login(page, live_server, username)
        for url in urls:
            visit(page, url)
            assert charts_sized(page) == [], (username, url)

    # A phone: the menu folds behind «Меню» and opens (app.js, under the policy).
    phone = enforced(viewport=PHONE, is_mobile=True, has_touch=True)
    login(phone, live_server, "parent_a1")
    menu = phone.get_by_role("button", name="Меню")
    menu.click()
    expect(menu).to_have_attribute("aria-expanded", "true")
    expect(phone.get_by_role("navigation", name="Основное меню")).to_be_visible()

    assert csp_watch.violations == [], csp_watch.report()


def test_the_watch_reports_what_the_policy_blocks(enforced, live_server, csp_watch):
    """The «no violation» above means something: a page of the site with an inline script, a style attribute and
    an inline handler (served here in place of the login page, under the site's own policy) is reported."""
    page = enforced()
    policy = page.request.get(f"{live_server.url}/accounts/login/").headers["content-security-policy"]
    page.route(
        "**/csp-canary/",
        lambda route: route.fulfill(
            status=200,
            headers={"Content-Type": "text/html; charset=utf-8", "Content-Security-Policy": policy},
            body='<!DOCTYPE html><html lang="ru"><title>Проба</title><h1 style="color: red">Проба</h1>'
            "<script>document.title = 'выполнено'</script><button onclick=\"alert(1)\">Кнопка</button></html>",
        ),
    )
    page.goto(f"{live_server.url}/csp-canary/")
    page.get_by_role("button", name="Кнопка").click()
    expect(page).to_have_title("Проба")  # the inline script did not run
    page.wait_for_timeout(200)  # the reports come back from the page through a binding
    found = "\n".join(csp_watch.violations)
    for directive in ("style-src-attr", "script-src-elem", "script-src-attr"):
        assert directive in found, (directive, found)
    csp_watch.violations.clear()  # expected here: the test itself passes
