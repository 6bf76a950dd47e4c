"""Browser tests: Playwright (sync API) drives Debian's Chromium against pytest-django's live server.

One headless Chromium for the whole run of browser tests; every test gets a fresh browser context (no
shared cookies): `page` (1366×768) or `phone_page` (360×740, touch), both ru-RU with a 10 s timeout.
Every page either of them opens is checked by axe-core (from npm, node_modules/) against WCAG 2.0/2.1 A
and AA at both widths, 1366 and 360 px; a test whose pages have violations fails at teardown, listing them
(see `AxeAudit`). Every page either opens is also watched for Content-Security-Policy violations (`CspWatch`):
a test whose pages report one fails at teardown, naming the directive, what was blocked and the address.
Each test builds the cast itself (`cast` below needs `transactional_db`, because the live server reads
the database from another thread). On a failed test the page is saved to test-artifacts/<test name>.png
and .html. Screenshots for people to look at go to test-artifacts/screens/ through
`helpers.screenshot()`; signing in goes through `helpers.login()`.
"""

import os
from pathlib import Path
from urllib.parse import urlsplit

import greenlet
import pytest
from django.db import transaction
from playwright.sync_api import Browser, Error, Page, expect, sync_playwright

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


# --- axe-core on every page ---------------------------------------------------------------------------------

AXE_JS = Path(__file__).resolve().parent.parent / "node_modules" / "axe-core" / "axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]

# In every document of a checked context: tell the tests when htmx has swapped new content in, with the URL
# of the fragment, so that the swapped page is checked too.
_WATCH_SWAPS_JS = """
document.addEventListener('htmx:afterSettle', event => {
  const xhr = event.detail && event.detail.xhr;
  if (window.__axeSwapped) window.__axeSwapped(xhr && xhr.responseURL ? xhr.responseURL : '');
});
"""

# The page is checked as it rests: two frames after a resize (the page's own layout code, ResizeObserver and
# media queries, has run), with no htmx request under way and no transition running (a busy indicator fading
# in is not low contrast), for at most two seconds.
_RUN_AXE_JS = """async tags => {
  if (document.contentType !== 'text/html') return null;
  await Promise.race([
    new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done))),
    new Promise(done => setTimeout(done, 200)),
  ]);
  const finite = a => a.playState === 'running' && a.effect && a.effect.getComputedTiming().iterations !== Infinity;
  const resting = () => !document.querySelector('.htmx-request') && !document.getAnimations().some(finite);
  for (let i = 0; i < 40 && !resting(); i++) await new Promise(done => setTimeout(done, 50));
  const result = await axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']});
  return result.violations.map(v => ({id: v.id, help: v.help, targets: v.nodes.map(n => n.target.join(' '))}));
}"""


class AxeAudit:
    """axe-core's WCAG 2.0/2.1 A and AA rules over every page a test opens, at 1366 and at 360 px.

    Each page the `page` and `phone_page` fixtures navigate to (and each htmx swap) marks the page as due;
    the check itself runs at the next moment the test touches the page object (any public attribute:
    `page.get_by_role`, `page.goto`, `page.keyboard`...) and at teardown. It cannot run from the navigation
    event itself: Playwright runs event handlers beside the test, and resizing the viewport under a test in
    the middle of a tap would make both flaky. So the test is paused at a point of its own, the page is
    checked at its own width, resized to the other width, checked, and resized back.

    A URL (with the swaps since its load, and the page's look, say the high-contrast version) is checked at
    each width once per test, whichever fixture opened it."""

    WIDTHS = {"1366 px": DESKTOP, "360 px": PHONE}

    def __init__(self):
        self.checked: set[tuple[str, str, str]] = set()
        self.violations: list[str] = []

    def watch(self, page: Page) -> Page:
        state = _PageAudit(self, page)
        page.on("framenavigated", lambda frame: state.navigated(frame))
        page.context.expose_binding("__axeSwapped", lambda source, url: state.swapped(url))
        page.context.add_init_script(script=_WATCH_SWAPS_JS)
        page.context.add_init_script(path=str(AXE_JS))
        # The page object stays the one Playwright hands out everywhere (locator.page, expect(page)); only
        # its class gains the check on attribute access.
        page._axe = state
        page.__class__ = _AuditedPage
        return page

    def report(self) -> str:
        return "\n".join(["axe-core: WCAG 2.1 AA violations on the pages this test opened:", *self.violations])


class _PageAudit:
    def __init__(self, audit: AxeAudit, page: Page):
        self.audit, self.page = audit, page
        self.test_greenlet = greenlet.getcurrent()
        self.due = False
        self.busy = False
        self.swaps: list[str] = []

    # Event handlers: they only take note; see AxeAudit for why.
    def navigated(self, frame) -> None:
        if frame.parent_frame is None:
            self.due, self.swaps = True, []

    def swapped(self, url: str) -> None:
        self.due = True
        fragment = url.split("://", 1)[-1].split("/", 1)[-1] if url else "?"
        if not self.swaps or self.swaps[-1] != fragment:  # one request can settle several targets
            self.swaps.append(fragment)

    def check_if_due(self) -> None:
        if not self.due or self.busy or greenlet.getcurrent() is not self.test_greenlet:
            return
        self.busy = True
        try:
            self._check()
        finally:
            self.busy = False

    def _check(self) -> None:
        page = self.page
        if page.is_closed():
            return
        before = dict(page.viewport_size)  # the fixture's size, or one the test chose: put back afterwards
        try:
            page.wait_for_load_state("load")
            self.due = False
            address = urlsplit(page.url)
            if address.scheme not in ("http", "https"):
                return
            # The address within the site (no host: the live server's port changes; no #fragment: the same page).
            where = address.path + (f"?{address.query}" if address.query else "") + "".join(f" + htmx /{url}" for url in self.swaps)
            look = page.evaluate("document.documentElement.className")
            own = [name for name, size in AxeAudit.WIDTHS.items() if size["width"] == before["width"]]
            for width in own + [name for name in AxeAudit.WIDTHS if name not in own]:
                key = (where, look, width)
                if key in self.audit.checked:
                    continue
                size = AxeAudit.WIDTHS[width]
                if page.viewport_size != size:
                    page.set_viewport_size(size)
                found = page.evaluate(_RUN_AXE_JS, AXE_TAGS)
                self.audit.checked.add(key)
                for violation in found or []:
                    for target in violation["targets"]:
                        line = f"  {violation['id']} ({violation['help']}): {target} — {where} at {width}" + (f" [{look}]" if look else "")
                        if line not in self.audit.violations:
                            self.audit.violations.append(line)
        except Error as error:
            # The page went away under the check (a redirect of its own): the next page is checked instead.
            if "context was destroyed" not in str(error) and "navigation" not in str(error).lower():
                raise
            self.due = True
        finally:
            if not page.is_closed() and page.viewport_size != before:
                page.set_viewport_size(before)


class _AuditedPage(Page):
    def __getattribute__(self, name):
        if not name.startswith("_"):
            object.__getattribute__(self, "_axe").check_if_due()
        return object.__getattribute__(self, name)


@pytest.fixture
def axe_audit(request) -> AxeAudit:
    """The test's axe-core findings, shared by its `page` and `phone_page`. Fails the test at teardown
    (after the pages' own teardown has checked what was still due) if any page had a violation."""
    if not AXE_JS.exists():
        pytest.fail(f"axe-core is not installed ({AXE_JS}): run `bash scripts/setup.sh --browser`")
    audit = AxeAudit()
    yield audit
    report = getattr(request.node, "rep_call", None)
    if audit.violations and report is not None and report.passed:
        pytest.fail(audit.report(), pytrace=False)


# --- the Content-Security-Policy on every page ---------------------------------------------------------------

# In every document of a watched context, before the page's own scripts: report each violation of the policy.
_WATCH_CSP_JS = """
document.addEventListener('securitypolicyviolation', event => {
  if (window.__cspViolation) window.__cspViolation({
    directive: event.effectiveDirective || event.violatedDirective, blocked: event.blockedURI || '',
    sample: event.sample || '', source: event.sourceFile ? `${event.sourceFile}:${event.lineNumber}` : '',
    address: document.location.href,
  });
});
"""


class CspWatch:
    """The Content-Security-Policy violations of every page a test opens, from two witnesses: the page's own
    `securitypolicyviolation` events (which say what was blocked) and Chromium's console, which reports
    every refusal even when the document is already going away. The pages run under the policy as served
    (no bypass): axe-core is added as an init script and run through Playwright's evaluate, which the policy
    does not govern."""

    def __init__(self):
        self.violations: list[str] = []

    def watch(self, page: Page) -> Page:
        page.context.expose_binding("__cspViolation", lambda source, violation: self.event(violation))
        page.context.add_init_script(script=_WATCH_CSP_JS)
        page.on("console", self.console)
        return page

    def _add(self, line: str) -> None:
        if line not in self.violations:
            self.violations.append(line)

    def event(self, violation: dict) -> None:
        where = urlsplit(violation["address"])
        what = violation["blocked"] + (f" «{violation['sample']}»" if violation["sample"] else "")
        source = f" from {violation['source']}" if violation["source"] else ""
        self._add(f"  {violation['directive']}: {what}{source} — {where.path}{'?' + where.query if where.query else ''}")

    def console(self, message) -> None:
        if "Content Security Policy" in message.text:
            self._add(f"  console: {message.text} — {urlsplit(message.location.get('url', '')).path}")

    def report(self) -> str:
        return "\n".join(["Content-Security-Policy violations on the pages this test opened:", *self.violations])


@pytest.fixture
def csp_watch(request) -> CspWatch:
    """The test's CSP violations, shared by its pages. Fails the test at teardown if any page had one."""
    watch = CspWatch()
    yield watch
    report = getattr(request.node, "rep_call", None)
    if watch.violations and report is not None and report.passed:
        pytest.fail(watch.report(), pytrace=False)


def _new_page(browser: Browser, live_server, **options) -> Page:
    context = browser.new_context(base_url=live_server.url, locale="ru-RU", timezone_id="Europe/Moscow", **options)
    context.set_default_timeout(TIMEOUT_MS)
    context.set_default_navigation_timeout(TIMEOUT_MS)
    return context.new_page()


def _close_page(page: Page, request, suffix: str = "") -> None:
    report = getattr(request.node, "rep_call", None)
    if report is not None and report.passed and isinstance(page, _AuditedPage):
        page._axe.check_if_due()  # the last page the test opened
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
def page(browser, live_server, transactional_db, axe_audit, csp_watch, request) -> Page:
    page = axe_audit.watch(csp_watch.watch(_new_page(browser, live_server, viewport=DESKTOP)))
    yield page
    _close_page(page, request)


@pytest.fixture
def phone_page(browser, live_server, transactional_db, axe_audit, csp_watch, request) -> Page:
    page = _new_page(browser, live_server, viewport=PHONE, is_mobile=True, has_touch=True, device_scale_factor=2)
    page = axe_audit.watch(csp_watch.watch(page))
    yield page
    _close_page(page, request, suffix="-phone")


@pytest.fixture
def cast(transactional_db):
    """The project's test cast, committed for real so that the live server's thread sees it (in one
    transaction: one commit instead of one per row, which PostgreSQL makes slow)."""
    with transaction.atomic():
        return root_conftest.build_cast()
