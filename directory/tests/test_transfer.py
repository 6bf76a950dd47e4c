"""The transfer page: a school first (found by name), then one of its classes, then the date — which keeps
its default, and whose rule is the service's."""

import datetime
import re

import pytest
from django.utils import timezone

from access.models import PersonalDataRead
from orgs.models import SchoolClass


@pytest.fixture
def student(cast):
    return cast.students["a1_8a_0"]


def url(student) -> str:
    return f"/students/{student.pk}/transfer/"


def options(html: str, select_name: str) -> list[str]:
    select = re.search(rf'<select[^>]* name="{select_name}"[^>]*>(.*?)</select>', html, re.S)
    assert select, f"no <select name={select_name}>"
    return [re.sub(r"\s+", " ", text).strip() for text in re.findall(r"<option[^>]*>(.*?)</option>", select.group(1), re.S)]


def selected(html: str, select_name: str) -> str:
    select = re.search(rf'<select[^>]* name="{select_name}"[^>]*>(.*?)</select>', html, re.S).group(1)
    return re.search(r'<option value="(\d*)" selected>', select).group(1)


def date_value(html: str) -> str:
    return re.search(r'<input type="date" name="on" value="([^"]*)"', html).group(1)


def test_the_date_input_gets_its_default_in_the_format_a_date_input_reads(client, cast, student):
    """Issue 6, «Forms that keep their values»: the date input got «30.11.2026», which a type=date input
    cannot show, so the form looked empty."""
    client.force_login(cast.user("ministry_admin"))
    html = client.get(url(student)).content.decode()
    today = timezone.localdate()
    assert date_value(html) == today.isoformat()
    assert f'min="{(cast.year.starts_on + datetime.timedelta(days=1)).isoformat()}"' in html
    assert f'max="{today.isoformat()}"' in html


def test_classes_are_offered_school_by_school_never_as_one_flat_list(client, cast, student):
    """Issue 6: 1,000+ classes in one list with the English «- Select an option -»."""
    client.force_login(cast.user("ministry_admin"))
    html = client.get(url(student)).content.decode()
    # Without a search: the schools of the student's municipality, their own school first and chosen.
    assert options(html, "school") == ["Школа № 1 г. Альфа (нынешняя)", "Школа № 2 г. Альфа"]
    assert selected(html, "school") == str(cast.orgs["a1"].pk)
    assert options(html, "to_class") == ["— выберите класс —", "9 «А» класс"]
    assert "Select" not in html and "----" not in html
    assert "школу другого муниципалитета найдите поиском" in html

    html = client.get(url(student), {"school": cast.orgs["a2"].pk}).content.decode()
    assert options(html, "to_class") == ["— выберите класс —", "8 «А» класс", "9 «А» класс"]
    assert f'<input type="hidden" name="school" value="{cast.orgs["a2"].pk}">' in html


def test_a_school_of_another_municipality_is_found_by_its_name(client, cast, student):
    client.force_login(cast.user("ministry_admin"))
    html = client.get(url(student), {"school_q": "бета"}, headers={"HX-Request": "true"}).content.decode()
    assert options(html, "school") == ["Школа с. Бета"]
    assert selected(html, "school") == str(cast.orgs["b1"].pk)
    assert options(html, "to_class") == ["— выберите класс —", "8 «А» класс", "9 «А» класс"]


def test_schools_are_offered_in_natural_order_with_exact_matches_first(client, cast, student):
    for number in (11, 3, 21):
        school = cast.orgs["a1"].__class__.objects.create(
            name=f"Школа № {number}", short_name=f"Школа № {number}", kind="school", municipality=cast.municipalities["a"]
        )
        SchoolClass.objects.create(school=school, school_year=cast.year, grade=8, letter="А")
    client.force_login(cast.user("ministry_admin"))
    html = client.get(url(student)).content.decode()
    assert options(html, "school") == ["Школа № 1 г. Альфа (нынешняя)", "Школа № 2 г. Альфа", "Школа № 3", "Школа № 11", "Школа № 21"]
    html = client.get(url(student), {"school_q": "школа 1"}).content.decode()
    assert options(html, "school")[:2] == ["Школа № 1 г. Альфа (нынешняя)", "Школа № 11"]


def test_the_form_submits_with_its_default_date(client, cast, student):
    client.force_login(cast.user("coordinator_a1"))
    html = client.get(url(student)).content.decode()
    target = cast.classes["a1_9a"]
    response = client.post(url(student), {"school": selected(html, "school"), "to_class": target.pk, "on": date_value(html)})
    assert response.status_code == 302 and response.url == f"/students/{student.pk}/"
    student.refresh_from_db()
    assert student.current_class == target
    assert "переведён(а) в 9 «А» класс, Школа № 1 г. Альфа" in client.get(response.url).content.decode()


def test_the_form_also_takes_a_date_typed_the_russian_way(client, cast, student):
    client.force_login(cast.user("coordinator_a1"))
    today = timezone.localdate()
    data = {"school": cast.orgs["a1"].pk, "to_class": cast.classes["a1_9a"].pk, "on": today.strftime("%d.%m.%Y")}
    assert client.post(url(student), data).status_code == 302


@pytest.mark.parametrize(
    ("on", "message"),
    [
        ("9999-12-31", "Дата перевода не может быть позже сегодняшнего дня"),
        ("0001-01-01", "Дата перевода должна быть в пределах"),
        ("31.12.9999", "Дата перевода не может быть позже сегодняшнего дня"),
        ("", "Дата перевода: укажите дату."),
        ("завтра", "Дата перевода: введите дату в формате ДД.ММ.ГГГГ."),
    ],
)
def test_a_refused_date_is_said_under_the_date_and_the_choices_stay(client, cast, student, on, message):
    client.force_login(cast.user("coordinator_a1"))
    target = cast.classes["a1_9a"]
    response = client.post(url(student), {"school": cast.orgs["a1"].pk, "to_class": target.pk, "on": on})
    assert response.status_code == 200
    html = response.content.decode()
    error = re.search(r'<ul class="errorlist" id="id_on_error"><li>(.*?)</li>', html)
    assert error and error.group(1).startswith(message)
    assert re.search(rf'<option value="{target.pk}" selected>', html)
    student.refresh_from_db()
    assert student.current_class == cast.classes["a1_8a"]


FIELDS = ("school_q", "school", "to_class", "on")


@pytest.mark.parametrize("field", FIELDS)
@pytest.mark.parametrize("value", ["\x00", "1\x00", "2026-11-30\x00", "9" * 40, "-1", "a" * 10_000])
def test_bad_bytes_in_any_field_of_the_form_give_a_page_not_an_error(client, cast, student, field, value):
    client.force_login(cast.user("ministry_admin"))
    data = {"school": cast.orgs["a1"].pk, "to_class": cast.classes["a1_9a"].pk, "on": timezone.localdate().isoformat(), field: value}
    page = 400 if "\x00" in value else 200  # a NUL byte is refused before the view, by the kernel's guard (core.input_guard)
    assert client.get(url(student), data).status_code == page
    assert client.get(url(student), data, headers={"HX-Request": "true"}).status_code == page
    response = client.post(url(student), data)
    assert response.status_code in ((400,) if page == 400 else (200, 302))
    if response.status_code == 200:
        assert 'class="errorlist"' in response.content.decode()


def test_a_class_of_another_school_than_the_chosen_one_is_refused(client, cast, student):
    client.force_login(cast.user("ministry_admin"))
    data = {"school": cast.orgs["a1"].pk, "to_class": cast.classes["b1_8a"].pk, "on": timezone.localdate().isoformat()}
    html = client.post(url(student), data).content.decode()
    assert "Класс: выберите класс из списка классов выбранной школы." in html


def test_who_may_transfer_where_follows_the_policy(client, cast, student):
    client.force_login(cast.user("coordinator_a1"))  # their own school only
    html = client.get(url(student), {"school_q": "школа"}).content.decode()
    assert options(html, "school") == ["Школа № 1 г. Альфа (нынешняя)"]
    data = {"school": cast.orgs["a2"].pk, "to_class": cast.classes["a2_8a"].pk, "on": timezone.localdate().isoformat()}
    assert client.post(url(student), data).status_code == 200
    student.refresh_from_db()
    assert student.current_class == cast.classes["a1_8a"]
    for username in ("municipal_b", "class_teacher_a1", "parent_a1"):
        client.force_login(cast.user(username))
        assert client.get(url(student)).status_code == 404


def test_opening_the_transfer_page_is_logged_as_a_read_of_the_students_data(client, cast, student):
    client.force_login(cast.user("coordinator_a1"))
    client.get(url(student))
    assert PersonalDataRead.objects.filter(person=student.person, subject="перевод обучающегося").count() == 1


def test_a_post_with_the_class_alone_is_for_that_classs_school(client, cast, student):
    client.force_login(cast.user("municipal_a"))
    response = client.post(url(student), {"to_class": cast.classes["a2_9a"].pk, "on": timezone.localdate().isoformat()})
    assert response.status_code == 302
    student.refresh_from_db()
    assert student.current_class == cast.classes["a2_9a"]


def test_after_a_refused_post_the_school_found_by_a_search_stays_chosen(client, cast, student):
    client.force_login(cast.user("ministry_admin"))
    data = {"school": cast.orgs["b1"].pk, "to_class": cast.classes["b1_8a"].pk, "on": "9999-12-31"}
    html = client.post(url(student), data).content.decode()
    assert selected(html, "school") == str(cast.orgs["b1"].pk)
    assert options(html, "school")[0] == "Школа с. Бета"
    assert options(html, "to_class") == ["— выберите класс —", "8 «А» класс", "9 «А» класс"]
