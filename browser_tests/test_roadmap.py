"""The roadmap's main path in a real browser: the ЦОПП's operator files a report with an evidence file, the ministry
returns it with a comment, the operator sees the comment, refiles, and the ministry accepts it. Every page it opens is
checked by axe at the desktop width and on a phone."""

import pytest
from playwright.sync_api import Page, expect

from browser_tests.helpers import h1, login, screenshot, share_session
from roadmap.models import Report
from roadmap.services import plan_copy
from roadmap.source import source_plan_ensure

pytestmark = pytest.mark.browser

PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": str(tmp_path)}},
    }
    return tmp_path


@pytest.fixture
def plan(cast):
    return plan_copy(plan=source_plan_ensure(), school_year=cast.year, by=cast.user("ministry_admin"))


def sign_out(page: Page) -> None:
    page.get_by_role("button", name="Выйти").click()
    expect(page.get_by_label("Логин или e-mail", exact=True)).to_be_visible()


def test_a_report_is_filed_with_evidence_returned_refiled_and_accepted(page: Page, phone_page: Page, live_server, cast, plan, media):
    period = plan.items.get(code="3.5").periods.order_by("due_on").first()

    login(page, live_server, "operator")
    page.goto(f"{live_server.url}/roadmap/periods/{period.pk}/")
    expect(h1(page)).to_contain_text("Пункт 3.5")
    page.get_by_role("button", name="Начать отчёт").click()
    expect(h1(page)).to_have_text("Отчёт по пункту 3.5: ЦОПП")
    report_url = page.url

    page.get_by_label("Файл", exact=True).set_input_files(files=[{"name": "prikaz.pdf", "mimeType": "application/pdf", "buffer": PDF}])
    page.get_by_label("Название (необязательно)").fill("Приказ о конференции")
    page.get_by_role("button", name="Приложить файл").click()
    expect(page.get_by_role("status")).to_contain_text("Файл «Приказ о конференции» приложен.")
    expect(page.locator("#evidence-list")).to_contain_text("Приказ о конференции")

    page.get_by_label("выполнено", exact=True).check()
    page.get_by_label("Что сделано").fill("Проведена конференция педагогов-навигаторов.")
    page.get_by_role("button", name="Сдать отчёт").click()
    expect(page.get_by_role("status")).to_contain_text("Отчёт сдан на проверку.")
    share_session(page, phone_page)
    phone_page.goto(report_url)
    expect(phone_page.locator("#report-waiting")).to_be_visible()
    sign_out(page)

    login(page, live_server, "ministry_admin")
    page.goto(report_url)
    expect(page.locator("#evidence-list")).to_contain_text("Приказ о конференции")
    page.get_by_label("Замечание исполнителю").fill("Приложите список участников.")
    page.get_by_role("button", name="Вернуть на доработку").click()
    expect(page.get_by_role("status")).to_contain_text("Отчёт возвращён исполнителю с замечанием.")
    sign_out(page)

    login(page, live_server, "operator")
    expect(page.get_by_text("Отчёт по пункту 3.5 дорожной карты возвращён на доработку")).to_be_visible()  # the home says so
    page.goto(report_url)
    expect(page.locator("#report-comment")).to_contain_text("Приложите список участников.")
    screenshot(page, "roadmap-report-returned")
    page.get_by_label("Что сделано").fill("Проведена конференция педагогов-навигаторов, список участников приложен.")
    page.get_by_role("button", name="Сдать отчёт").click()
    expect(page.get_by_role("status")).to_contain_text("Отчёт сдан на проверку.")
    sign_out(page)

    login(page, live_server, "ministry_admin")
    page.goto(report_url)
    page.get_by_role("button", name="Принять отчёт").click()
    expect(page.get_by_role("status")).to_contain_text("Отчёт принят.")
    expect(page.locator("#report-history")).to_contain_text("возвращён на доработку")
    report = Report.objects.get(period=period)
    assert report.state == Report.State.ACCEPTED and report.evidence.count() == 1
    sign_out(page)

    login(page, live_server, "operator")
    page.goto(report_url)
    expect(page.locator("#report-locked")).to_be_visible()
    expect(page.get_by_role("button", name="Сдать отчёт")).to_have_count(0)


def test_a_school_hands_in_its_monthly_coverage_form_and_the_ministry_accepts_it(page: Page, live_server, cast):
    """The monthly form of item 4.8 as a school and the ministry meet it: prefilled, handed in, accepted, locked."""
    from monitoring.tests.conftest import Monitoring

    mon = Monitoring(cast)
    for programme in ("robotics", "chess", "theatre"):
        mon.enrol("a1_8a_0", programme)
    period = mon.open_period()
    school = cast.orgs["a1"]

    login(page, live_server, "coordinator_a1")
    page.goto(f"{live_server.url}/monitoring/schools/{school.pk}/")
    expect(h1(page)).to_be_visible()
    page.goto(f"{live_server.url}/monitoring/schools/{school.pk}/forms/{period.pk}/")
    covered = page.locator("#value_covered")
    expect(covered).to_have_value("1")  # one student in three programmes counts once
    page.get_by_role("button", name="Сдать форму").click()
    expect(page.get_by_role("status")).to_contain_text("Форма сдана.")
    sign_out(page)

    login(page, live_server, "ministry_admin")
    page.goto(f"{live_server.url}/monitoring/coverage/")
    expect(h1(page)).to_be_visible()
    page.goto(f"{live_server.url}/monitoring/schools/{school.pk}/forms/{period.pk}/")
    page.get_by_role("button", name="Принять форму").click()
    expect(page.get_by_role("status")).to_contain_text("принята")
    sign_out(page)

    login(page, live_server, "coordinator_a1")
    page.goto(f"{live_server.url}/monitoring/schools/{school.pk}/forms/{period.pk}/")
    expect(page.locator("#report-locked")).to_be_visible()
    expect(page.locator("#value_covered")).to_have_count(0)
