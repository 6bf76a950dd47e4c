"""Events in a real browser (issue 11, «What it must show»): at 360 px a student finds an offer by the catalogue's
filters, signs up and shows the QR code and the short code at the door; the host opens the address the QR code
holds and marks them present; the student's hours of the профминимум grow by the offer's hours."""

import datetime
import re
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from browser_tests.helpers import h1, horizontal_overflow, login, screenshot
from events.models import Offer, Partner, Registration
from events.services import offer_create, offer_publish
from events.tickets import check_in_url, ticket_token
from profminimum.models import StudentYearHours
from profminimum.tests.conftest import Profminimum

pytestmark = pytest.mark.browser


@pytest.fixture
def offers(cast):
    """Three offers of ООО «Альфа-Агро»: the one for 8th graders in agriculture, one for older students and one of
    another sector, so that only the filters single it out."""
    Profminimum(cast)
    Partner.objects.create(organization=cast.orgs["employer_a"], is_trial_site=True)
    made = {}
    for key, title, sector, grades, days in (
        ("mine", "Проба «Агроном»", "agriculture", (8, 9), 3),
        ("older", "Проба «Технолог растениеводства»", "agriculture", (10, 11), 4),
        ("other", "Мастер-класс «Сварка»", "industry", (8, 11), 5),
    ):
        starts = timezone.now().replace(second=0, microsecond=0) + datetime.timedelta(days=days)
        offer = offer_create(
            by=None, kind=Offer.Kind.TRIAL, title=title, provider=cast.orgs["employer_a"], starts_at=starts,
            ends_at=starts + datetime.timedelta(hours=2), place="с. Михайловское, ул. Полевая, 1", capacity=10, hours=Decimal("2"),
            direction="upbringing", grade_min=grades[0], grade_max=grades[1], sector=sector, professions=title,
        )  # fmt: skip
        made[key] = offer_publish(offer=offer, by=None)
    return made


def hours_of(student) -> Decimal:
    row = StudentYearHours.objects.filter(student=student).first()
    return row.total_hours if row else Decimal("0")


def test_a_student_finds_an_offer_signs_up_shows_the_code_and_the_host_marks_them_present(
    phone_page: Page, page: Page, live_server, cast, offers
):
    student = cast.students["a1_8a_1"]  # student_a1, 8 «А»
    before = hours_of(student)

    login(phone_page, live_server, "student_a1")
    phone_page.goto(f"{live_server.url}/events/")
    expect(h1(phone_page)).to_be_visible()
    phone_page.get_by_label(re.compile(r"^Класс")).select_option("8")
    phone_page.get_by_label(re.compile(r"^Отрасль")).select_option("agriculture")
    phone_page.get_by_role("button", name="Показать").click()
    results = phone_page.locator(".ev-offer")
    expect(results).to_have_count(1)
    expect(results.first).to_contain_text("Проба «Агроном»")
    expect(results.first).to_contain_text("Свободно 10 мест из 10")
    assert not horizontal_overflow(phone_page)
    results.first.get_by_role("link", name="Проба «Агроном»").click()
    expect(h1(phone_page)).to_have_text("Проба «Агроном»")
    phone_page.get_by_role("button", name="Записаться").click()
    expect(h1(phone_page)).to_have_text("Мои записи")
    expect(phone_page.get_by_text("Вы записаны, место подтверждено")).to_be_visible()
    phone_page.get_by_role("link", name="Показать код для входа").click()
    expect(h1(phone_page)).to_have_text("Код для входа")
    qr = phone_page.get_by_role("img", name="QR-код для входа: Проба «Агроном»")
    expect(qr).to_be_visible()
    box = qr.bounding_box()
    assert box and 150 <= box["width"] <= 360 and abs(box["width"] - box["height"]) < 2  # square, and fits the phone
    registration = Registration.objects.get(offer=offers["mine"], student=student)
    expect(phone_page.locator("#short-code")).to_have_text(registration.code)
    assert not horizontal_overflow(phone_page)
    screenshot(phone_page, "events-ticket-360")

    # The day has come: the trial began a few minutes ago. The host's phone camera opens the QR code's address.
    starts = timezone.now() - datetime.timedelta(minutes=10)
    Offer.objects.filter(pk=offers["mine"].pk).update(starts_at=starts, ends_at=starts + datetime.timedelta(hours=2))
    login(page, live_server, "partner_a")
    page.goto(live_server.url + check_in_url(registration, ticket_token(registration)))
    expect(page.get_by_text(student.person.full_name)).to_be_visible()
    page.get_by_role("button", name="Отметить: присутствует").click()
    expect(page.get_by_text(f"{student.person.full_name} отмечен(а): присутствует. Зачтено 2 часа.")).to_be_visible()
    assert hours_of(student) == before + 2
    # The host's list: the door form (short code or the QR code's content) and the student marked present.
    page.goto(f"{live_server.url}/events/manage/{offers['mine'].pk}/")
    expect(page.get_by_role("heading", name="Отметка на входе")).to_be_visible()
    expect(page.get_by_label("Короткий код или содержимое QR-кода")).to_be_visible()
    expect(page.get_by_role("radio", name="был(а)", exact=True)).to_be_checked()

    phone_page.goto(f"{live_server.url}/")
    expect(phone_page.get_by_text(f"{(before + 2).normalize():f} часа", exact=False).first).to_be_visible()


def test_a_teacher_signs_up_a_group_larger_than_the_free_places_and_sees_who_got_one_and_who_waits(
    phone_page: Page, live_server, cast, offers
):
    """navigator_a1 has 9 «А» (three students); the trial has two places left."""
    Offer.objects.filter(pk=offers["mine"].pk).update(capacity=2)
    login(phone_page, live_server, "navigator_a1")
    phone_page.goto(f"{live_server.url}/events/{offers['mine'].pk}/")
    phone_page.get_by_role("link", name="Записать обучающихся класса").click()
    expect(h1(phone_page)).to_have_text("Записать класс: Проба «Агроном»")
    boxes = phone_page.get_by_role("checkbox")
    expect(boxes).to_have_count(3)
    for n in range(3):
        boxes.nth(n).check()
    phone_page.get_by_role("button", name="Записать отмеченных").click()
    result = phone_page.get_by_role("region", name="Итог записи")
    expect(result.get_by_role("heading", name="Место подтверждено: 2")).to_be_visible()
    expect(result.get_by_role("heading", name="В листе ожидания: 1")).to_be_visible()
    expect(phone_page.get_by_text("Записано: подтверждено 2 места, в листе ожидания 1 обучающийся.")).to_be_visible()
    assert not horizontal_overflow(phone_page)
    assert Registration.objects.filter(offer=offers["mine"], status="confirmed").count() == 2
