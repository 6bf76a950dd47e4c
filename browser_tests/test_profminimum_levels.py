"""A school's профминимум level end to end in a real browser: the coordinator uploads the order and chooses
the level, the ministry approves it from its list without a reload, the public page shows it. And the
ministry's normative page: an edit that is saved and one that is refused."""

import datetime

import pytest
from playwright.sync_api import Page, expect

from browser_tests.helpers import PHONE, h1, horizontal_overflow, login, screenshot, share_session
from core.formatting import date_text
from profminimum.models import SchoolLevel
from profminimum.tests.conftest import Profminimum
from profminimum.tests.test_levels import PDF_BYTES

pytestmark = pytest.mark.browser


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": str(tmp_path)}},
    }
    return tmp_path


@pytest.fixture
def pm(cast):
    """The year's normative version; a2 and b1 have levels set by the ministry, a1 has chosen none yet."""
    pm = Profminimum(cast)
    SchoolLevel.objects.filter(school=cast.orgs["a1"]).delete()
    return pm


def assert_fits(page: Page, what: str) -> None:
    assert horizontal_overflow(page) <= 0, f"{what}: the page scrolls sideways at {PHONE['width']} px"


def sign_out(page: Page) -> None:
    page.get_by_role("button", name="Выйти").click()
    expect(page.get_by_label("Логин или e-mail", exact=True)).to_be_visible()


def test_coordinator_chooses_ministry_approves_public_sees(page: Page, phone_page: Page, live_server, pm, media):
    school = pm.cast.orgs["a1"]
    level_url = f"{live_server.url}/profminimum/schools/{school.pk}/level/"
    # The order signed a few days into the school year (within the bounds the service keeps, whatever today is).
    order_day = min(pm.year.starts_on + datetime.timedelta(days=2), datetime.date.today())

    # The coordinator: a refused file first, then the real order.
    login(page, live_server, "coordinator_a1")
    page.goto(level_url)
    expect(h1(page)).to_have_text("Уровень профминимума: Школа № 1 г. Альфа")
    expect(page.get_by_text("Школа ещё не выбрала уровень")).to_be_visible()
    page.get_by_label("Основной — минимум 60 часов в год на обучающегося").check()
    upload = page.get_by_label("Приказ школы о выборе уровня")
    upload.set_input_files(files=[{"name": "prikaz.pdf", "mimeType": "application/pdf", "buffer": "Просто текст".encode()}])
    page.get_by_label("Номер приказа").fill("12-о")
    page.get_by_label("Дата приказа").fill(order_day.isoformat())
    page.get_by_role("button", name="Выбрать уровень").click()
    alert = page.get_by_role("alert").filter(has_text="Не сохранено")
    expect(alert).to_contain_text("Файл не похож на PDF, DOC или DOCX")
    screenshot(page, "levels-coordinator-refused-file")
    assert not SchoolLevel.objects.filter(school=school).exists()

    page.get_by_label("Основной — минимум 60 часов в год на обучающегося").check()
    page.get_by_label("Приказ школы о выборе уровня").set_input_files(
        files=[{"name": "prikaz.pdf", "mimeType": "application/pdf", "buffer": PDF_BYTES}]
    )
    page.get_by_label("Номер приказа").fill("12-о")
    page.get_by_label("Дата приказа").fill(order_day.isoformat())
    page.get_by_role("button", name="Выбрать уровень").click()
    expect(page.get_by_role("status")).to_contain_text("Уровень «основной» выбран. Он ждёт утверждения министерством.")
    state = page.locator("#state-heading + dl")
    expect(state).to_contain_text("выбран школой, ждёт утверждения")
    expect(state).to_contain_text("Координаторова К.")
    expect(state).to_contain_text(f"№ 12-о от {date_text(order_day)}")
    screenshot(page, "levels-coordinator-chosen")
    share_session(page, phone_page)
    phone_page.goto(level_url)
    expect(h1(phone_page)).to_be_visible()
    assert_fits(phone_page, "school level page")
    screenshot(phone_page, "levels-coordinator-chosen-phone")
    sign_out(page)

    # The ministry: the list, filtered to those waiting, approve in place.
    login(page, live_server, "ministry_admin")
    page.goto(f"{live_server.url}/profminimum/levels/")
    expect(h1(page)).to_have_text("Уровни профминимума школ")
    page.get_by_label("Статус").select_option(label="ждут утверждения")
    page.get_by_role("button", name="Показать").click()
    row = page.locator(f"#level-row-{school.pk}")
    expect(row).to_contain_text("выбран школой, ждёт утверждения")
    expect(page.locator("tbody tr")).to_have_count(1)
    screenshot(page, "levels-ministry-list-waiting")
    page.evaluate("window.__notReloaded = true")
    row.get_by_role("button", name="Утвердить уровень школы «Школа № 1 г. Альфа»").click()
    expect(row).to_contain_text("утверждён министерством")
    expect(row.get_by_role("button")).to_have_count(0)
    expect(page.locator("#levels-notice")).to_have_text("Уровень «основной» школы «Школа № 1 г. Альфа» утверждён.")
    assert page.evaluate("window.__notReloaded === true"), "the approval reloaded the page"
    counts = page.locator("#level-counts .stat__value")
    expect(counts.nth(0)).to_have_text("0")  # waiting
    expect(counts.nth(1)).to_have_text("1")  # approved
    expect(row).to_contain_text("Министров М.")
    screenshot(page, "levels-ministry-list-approved")
    assert SchoolLevel.objects.get(school=school).status == SchoolLevel.Status.APPROVED

    page.goto(f"{live_server.url}/profminimum/levels/")
    screenshot(page, "levels-ministry-list-all")
    share_session(page, phone_page)
    phone_page.goto(f"{live_server.url}/profminimum/levels/")
    assert_fits(phone_page, "ministry list")
    screenshot(phone_page, "levels-ministry-list-phone")
    sign_out(page)

    # The public page, signed out.
    page.goto(f"{live_server.url}/profminimum/public/levels/")
    expect(h1(page)).to_have_text("Уровни профминимума в школах республики")
    alpha = page.get_by_role("table", name="Город Альфа")
    expect(alpha.get_by_role("row", name="Школа № 1 г. Альфа основной")).to_be_visible()
    expect(page.get_by_text("Координаторова")).to_have_count(0)
    screenshot(page, "levels-public")
    phone_page.context.clear_cookies()
    phone_page.goto(f"{live_server.url}/profminimum/public/levels/")
    assert_fits(phone_page, "public page")
    screenshot(phone_page, "levels-public-phone")
    phone_page.get_by_role("button", name="Версия для слабовидящих").tap()
    expect(h1(phone_page)).to_have_text("Уровни профминимума в школах республики")
    assert_fits(phone_page, "public page, high contrast")
    screenshot(phone_page, "levels-public-phone-contrast")


def test_ministry_edits_the_normative_version(page: Page, phone_page: Page, live_server, pm):
    login(page, live_server, "ministry_admin")
    page.goto(f"{live_server.url}/profminimum/normative/")
    expect(h1(page)).to_have_text("Нормативы профминимума")
    screenshot(page, "normative-list")
    page.get_by_role("link", name=str(pm.year)).click()
    expect(h1(page)).to_have_text(f"Нормативы профминимума на {pm.year} учебный год")
    expect(page.get_by_label("Уровень «базовый», часов в год")).to_have_value("40")

    page.get_by_label("Уровень «базовый», часов в год").fill("45.3")
    page.get_by_role("button", name="Сохранить минимумы уровней").click()
    expect(page.locator("#levels-errors")).to_contain_text("Минимум уровня «базовый»: часы указываются с шагом 0,5")
    expect(page.get_by_label("Уровень «базовый», часов в год")).to_have_attribute("aria-invalid", "true")
    page.locator("#levels").screenshot(
        path=str(screenshot(page, "normative-levels-refused").with_name("normative-levels-refused-section.png"))
    )

    page.get_by_label("Уровень «базовый», часов в год").fill("45.5")
    page.get_by_role("button", name="Сохранить минимумы уровней").click()
    expect(page.get_by_role("status")).to_contain_text("Минимумы уровней сохранены")
    expect(page.get_by_label("Уровень «базовый», часов в год")).to_have_value("45.5")

    page.get_by_label("Уровень «основной», внеурочная деятельность (курс «Россия — мои горизонты»): минимум часов").fill("10")
    page.get_by_role("button", name="Сохранить минимумы по направлениям").click()
    expect(page.get_by_role("status")).to_contain_text("выполнение норм всех обучающихся года пересчитано")

    page.get_by_label("Строка 8: название").fill("Летние каникулы")
    page.get_by_label("Строка 8: с").fill(f"{pm.year.ends_on.year}-06-01")
    page.get_by_label("Строка 8: по").fill(f"{pm.year.ends_on.year}-08-31")
    page.get_by_role("button", name="Сохранить каникулы и праздники").click()
    expect(page.locator("#holidays-errors")).to_contain_text("даты должны лежать в пределах учебного года")
    screenshot(page, "normative-detail-admin")

    share_session(page, phone_page)
    phone_page.goto(page.url.split("#")[0])
    assert_fits(phone_page, "normative page for the ministry")
    screenshot(phone_page, "normative-detail-admin-phone")
    sign_out(page)

    login(page, live_server, "coordinator_a1")
    page.goto(f"{live_server.url}/profminimum/normative/{pm.normative.pk}/")
    expect(page.get_by_role("table", name="Уровни")).to_contain_text("45,5 часа")
    expect(page.get_by_role("button", name="Сохранить минимумы уровней")).to_have_count(0)
    screenshot(page, "normative-detail-reader")


def test_next_year_is_created_from_the_list(page: Page, live_server, pm):
    login(page, live_server, "ministry_admin")
    page.goto(f"{live_server.url}/profminimum/normative/")
    start = pm.year.starts_on.year + 1
    page.get_by_role("button", name=f"Создать следующий учебный год ({start}/{start + 1})").click()
    expect(h1(page)).to_have_text(f"Нормативы профминимума на {start}/{start + 1} учебный год")
    expect(page.get_by_role("status")).to_contain_text(f"копия версии {pm.year}")
    expect(page.get_by_label("Строка 1: с")).to_have_value(datetime.date(start, 10, 27).isoformat())
