"""Browser tests: Playwright (sync API) drives Debian's Chromium against pytest-django's live server.

One headless Chromium per session; every test gets a fresh browser context (no shared cookies). Each test
builds the cast itself (`cast` below needs `transactional_db`, because the live server reads the database
from another thread). On a failed test the page is saved to test-artifacts/<test name>.png and .html.
Screenshots for people to look at go to test-artifacts/screens/ through `screenshot()`.
"""

import os
import re
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect, sync_playwright

import conftest as root_conftest  # the project's conftest: build_cast() and PASSWORD

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic",
]  # fmt: skip
TIMEOUT_MS = 10_000
ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"
SCREENS = ARTIFACTS / "screens"
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 360, "height": 740}

expect.set_options(timeout=TIMEOUT_MS)


def pytest_collection_modifyitems(config, items):
    here = Path(__file__).resolve().parent
    for item in items:
        if here in Path(str(item.path)).resolve().parents:
            item.add_marker(pytest.mark.browser)


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    """Keep each phase's report on the item, so fixtures can tell in teardown whether the test failed."""
    report = yield
    setattr(item, f"rep_{report.when}", report)
    return report


def _safe_name(name: str) -> str:
    return re.sub(r"[^\w.-]+", "_", name).strip("_")


@pytest.fixture(scope="session")
def _playwright_async_unsafe():
    """Playwright's sync API keeps an asyncio loop registered on the main thread, so Django would refuse
    ORM calls made from the test (building the cast, flushing the database). The calls really are
    synchronous; allow them for the browser tests only."""
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    yield
    if previous is None:
        os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    else:
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture(scope="session")
def browser(django_db_setup, _playwright_async_unsafe) -> Browser:
    # django_db_setup first: the test database is created before Playwright's loop exists and destroyed
    # after the browser is closed.
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


def _new_page(browser: Browser, live_server, request, **options) -> Page:
    context = browser.new_context(base_url=live_server.url, locale="ru-RU", timezone_id="Europe/Moscow", **options)
    context.set_default_timeout(TIMEOUT_MS)
    context.set_default_navigation_timeout(TIMEOUT_MS)
    return context.new_page()


def _close_page(page: Page, request, suffix: str = "") -> None:
    report = getattr(request.node, "rep_call", None)
    if report is not None and report.failed and not page.is_closed():
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        stem = _safe_name(request.node.name) + suffix
        try:
            page.screenshot(path=str(ARTIFACTS / f"{stem}.png"), full_page=True)
            (ARTIFACTS / f"{stem}.html").write_text(page.content(), encoding="utf-8")
        except Exception as error:  # a crashed page must not hide the test's own failure
            print(f"could not save artifacts for {stem}: {error}")
    page.context.close()


@pytest.fixture
def page(browser, live_server, transactional_db, request) -> Page:
    page = _new_page(browser, live_server, request, viewport=DESKTOP)
    yield page
    _close_page(page, request)


@pytest.fixture
def phone_page(browser, live_server, transactional_db, request) -> Page:
    page = _new_page(browser, live_server, request, viewport=PHONE, is_mobile=True, has_touch=True, device_scale_factor=2)
    yield page
    _close_page(page, request, suffix="-phone")


@pytest.fixture
def cast(transactional_db):
    """The project's test cast, written for real so that the live server's thread sees it."""
    return root_conftest.build_cast()


def submit_login_form(page: Page, username: str, password: str) -> None:
    page.get_by_label("Логин или e-mail", exact=True).fill(username)
    page.get_by_label("Пароль", exact=True).fill(password)
    page.get_by_role("button", name="Войти", exact=True).click()


def login(page: Page, live_server, username: str, password: str = root_conftest.PASSWORD) -> None:
    """Sign in through the real login form and wait for the page it leads to."""
    page.goto(f"{live_server.url}/accounts/login/")
    submit_login_form(page, username, password)
    page.wait_for_url(lambda url: "/accounts/login/" not in url)
    expect(page.get_by_role("heading", level=1)).to_be_visible()


def screenshot(page: Page, name: str) -> Path:
    """A full-page screenshot for people to look at: test-artifacts/screens/<name>.png."""
    SCREENS.mkdir(parents=True, exist_ok=True)
    path = SCREENS / f"{_safe_name(name)}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def h1(page: Page):
    return page.get_by_role("heading", level=1)


def horizontal_overflow(page: Page) -> int:
    """How many CSS pixels the page is wider than the viewport (0 when there is no sideways scroll)."""
    return page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
