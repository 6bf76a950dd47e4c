"""What the browser tests share: signing in through the real form, screenshots for people, small probes."""

import re
from pathlib import Path

from playwright.sync_api import Locator, Page, expect

import conftest as root_conftest  # the project's conftest: build_cast() and PASSWORD

ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"
SCREENS = ARTIFACTS / "screens"
DESKTOP = {"width": 1366, "height": 768}
PHONE = {"width": 360, "height": 740}
PASSWORD = root_conftest.PASSWORD


def safe_name(name: str) -> str:
    return re.sub(r"[^\w.-]+", "_", name).strip("_")


def h1(page: Page) -> Locator:
    return page.get_by_role("heading", level=1)


def submit_login_form(page: Page, username: str, password: str) -> None:
    """Fill the login form by its visible labels and press «Войти»."""
    page.get_by_label("Логин или e-mail", exact=True).fill(username)
    page.get_by_label("Пароль", exact=True).fill(password)
    page.get_by_role("button", name="Войти", exact=True).click()


def login(page: Page, live_server, username: str, password: str = PASSWORD) -> None:
    """Sign in through the real login form and wait for the page it leads to."""
    page.goto(f"{live_server.url}/accounts/login/")
    submit_login_form(page, username, password)
    page.wait_for_url(lambda url: "/accounts/login/" not in url)
    expect(h1(page)).to_be_visible()


def screenshot(page: Page, name: str) -> Path:
    """A full-page screenshot for people to look at: test-artifacts/screens/<name>.png."""
    page.wait_for_load_state("load")  # styled, with its fonts, not a half-loaded page
    SCREENS.mkdir(parents=True, exist_ok=True)
    path = SCREENS / f"{safe_name(name)}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def horizontal_overflow(page: Page) -> int:
    """How many CSS pixels the document is wider than the viewport (0: no sideways scroll)."""
    page.wait_for_load_state("load")  # measure the styled page: the stylesheet must have arrived
    return page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")


def share_session(source: Page, target: Page) -> None:
    """Give another browser context (say, the phone) the same signed-in session, without a second login."""
    target.context.add_cookies(source.context.cookies())


_CONTRAST_JS = """el => {
  const parse = s => { const m = s.match(/[\\d.]+/g).map(Number); return [m[0], m[1], m[2], m.length > 3 ? m[3] : 1]; };
  const over = (top, under) => [0, 1, 2].map(i => top[i] * top[3] + under[i] * (1 - top[3]));
  const chain = [];
  for (let node = el; node; node = node.parentElement) chain.unshift(node);
  let background = [255, 255, 255];
  for (const node of chain) background = over(parse(getComputedStyle(node).backgroundColor), background);
  const text = over(parse(getComputedStyle(el).color), background);
  const luminance = c => {
    const [r, g, b] = c.map(v => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; });
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  };
  const [a, b] = [luminance(text), luminance(background)].sort((x, y) => y - x);
  return (a + 0.05) / (b + 0.05);
}"""


def contrast_ratio(locator: Locator) -> float:
    """The WCAG contrast ratio of an element's text against the background painted behind it
    (its own and its ancestors' background colours, composited)."""
    locator.page.wait_for_load_state("load")
    return locator.evaluate(_CONTRAST_JS)


def overflowing_boxes(page: Page, selector: str = ".card, .stat, .field, .button") -> list[str]:
    """Boxes whose content sticks out of them sideways (text wider than its card, say)."""
    page.wait_for_load_state("load")
    return page.locator(selector).evaluate_all(
        "els => els.filter(el => el.scrollWidth > el.clientWidth + 1)"
        ".map(el => `${el.className}: ${el.innerText.trim().slice(0, 40)} (${el.scrollWidth} > ${el.clientWidth})`)"
    )
