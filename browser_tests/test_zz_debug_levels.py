import pytest
from playwright.sync_api import Page
from browser_tests.helpers import login, share_session
from browser_tests.test_profminimum_levels import pm, media  # noqa

pytestmark = pytest.mark.browser

def test_debug(page: Page, phone_page: Page, live_server, pm):
    login(page, live_server, "ministry_admin")
    share_session(page, phone_page)
    for url in ["/profminimum/levels/", "/profminimum/public/levels/", f"/profminimum/normative/{pm.normative.pk}/", "/"]:
        phone_page.goto(live_server.url + url)
        print(url, phone_page.evaluate("document.documentElement.scrollWidth"))
        print(phone_page.evaluate("""() => [...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > 361).slice(0,8).map(e => e.tagName + '.' + e.className + '#' + e.id + ' ' + Math.round(e.getBoundingClientRect().right) + ' ' + (e.textContent||'').trim().slice(0,40))"""))
