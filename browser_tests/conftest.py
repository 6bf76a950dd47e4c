"""Browser tests: Playwright (sync API) drives Debian's Chromium against pytest-django's live server.

One headless Chromium for the whole run of browser tests; every test gets a fresh browser context (no
shared cookies): `page` (1280×800) or `phone_page` (360×740, touch), both ru-RU with a 10 s timeout.
Each test builds the cast itself (`cast` below needs `transactional_db`, because the live server reads
the database from another thread). On a failed test the page is saved to test-artifacts/<test name>.png
and .html. Screenshots for people to look at go to test-artifacts/screens/ through
`helpers.screenshot()`; signing in goes through `helpers.login()`.
"""

import os

import pytest
from django.db import transaction
from playwright.sync_api import Browser, Page, expect, sync_playwright

import conftest as root_conftest  # the project's conftest: build_cast()
from browser_tests.helpers import ARTIFACTS, DESKTOP, PHONE, safe_name

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic",
]  # fmt: skip
TIMEOUT_MS = 10_000

expect.set_options(timeout=TIMEOUT_MS)


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    """Keep each phase's report on the item, so fixtures can tell in teardown whether the test failed."""
    report = yield
    setattr(item, f"rep_{report.when}", report)
    return report


class _Chromium:
    """One headless Chromium, started by the first browser test and stopped as soon as the tests that need
    it are done (see pytest_runtest_teardown), so that it is reused across the whole run of browser tests.

    While Playwright runs, its sync API keeps an asyncio loop registered on the main thread and Django
    would refuse the test's own ORM calls (building the cast, flushing the database) as "async unsafe";
    they are plain synchronous calls, so they are allowed exactly while the browser lives, and no other
    test ever runs with Playwright's loop (or that permission) around."""

    def __init__(self):
        self.playwright = None
        self.browser: Browser | None = None
        self.previous_env: str | None = None

    def get(self) -> Browser:
        if self.browser is None:
            self.previous_env = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
            self.playwright = sync_playwright().start()
            self.browser = self.playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        return self.browser

    def stop(self) -> None:
        if self.playwright is None:
            return
        try:
            if self.browser is not None:
                self.browser.close()
            self.playwright.stop()
        finally:
            self.playwright = self.browser = None
            if self.previous_env is None:
                os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
            else:
                os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = self.previous_env


_chromium = _Chromium()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item, nextitem):
    """After the test's fixtures are torn down: stop Chromium unless the next test is a browser test too."""
    result = yield
    if nextitem is None or nextitem.get_closest_marker("browser") is None:
        _chromium.stop()
    return result


def pytest_sessionfinish(session, exitstatus):
    _chromium.stop()  # interrupted runs (Ctrl-C, -x) too


@pytest.fixture
def browser(django_db_setup) -> Browser:
    # django_db_setup first: the test database is created before Playwright starts its loop.
    return _chromium.get()


def _new_page(browser: Browser, live_server, **options) -> Page:
    context = browser.new_context(base_url=live_server.url, locale="ru-RU", timezone_id="Europe/Moscow", **options)
    context.set_default_timeout(TIMEOUT_MS)
    context.set_default_navigation_timeout(TIMEOUT_MS)
    return context.new_page()


def _close_page(page: Page, request, suffix: str = "") -> None:
    report = getattr(request.node, "rep_call", None)
    if report is not None and report.failed and not page.is_closed():
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        stem = safe_name(request.node.name) + suffix
        try:
            page.screenshot(path=str(ARTIFACTS / f"{stem}.png"), full_page=True)
            (ARTIFACTS / f"{stem}.html").write_text(page.content(), encoding="utf-8")
        except Exception as error:  # a crashed page must not hide the test's own failure
            print(f"could not save artifacts for {stem}: {error}")
    page.context.close()


@pytest.fixture
def page(browser, live_server, transactional_db, request) -> Page:
    page = _new_page(browser, live_server, viewport=DESKTOP)
    yield page
    _close_page(page, request)


@pytest.fixture
def phone_page(browser, live_server, transactional_db, request) -> Page:
    page = _new_page(browser, live_server, viewport=PHONE, is_mobile=True, has_touch=True, device_scale_factor=2)
    yield page
    _close_page(page, request, suffix="-phone")


@pytest.fixture
def cast(transactional_db):
    """The project's test cast, committed for real so that the live server's thread sees it (in one
    transaction: one commit instead of one per row, which PostgreSQL makes slow)."""
    with transaction.atomic():
        return root_conftest.build_cast()
