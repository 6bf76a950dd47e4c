"""Lists that hide nothing: each says how many it shows of how many and pages on; schools in natural order;
exact matches first; student search narrowed to the viewer's territory and to students."""

import re

import pytest

from core.search import normalize_search_text
from directory import selectors
from orgs.models import Organization
from people.models import Enrollment, Person, Student


def make_schools(cast, count: int, *, municipality="a", name="Школа № {}") -> list[Organization]:
    schools = [
        Organization(
            name=name.format(n), short_name=name.format(n), kind=Organization.Kind.SCHOOL, municipality=cast.municipalities[municipality]
        )
        for n in range(3, 3 + count)
    ]
    for school in schools:
        school.search_text = school.build_search_text()
    return Organization.objects.bulk_create(schools)


def make_students(cast, names: list[tuple[str, str]], *, class_key="a1_8a") -> list[Student]:
    school_class = cast.classes[class_key]
    students = []
    for last_name, first_name in names:
        person = Person.objects.create(last_name=last_name, first_name=first_name)
        student = Student.objects.create(person=person, current_school=school_class.school, current_class=school_class)
        Enrollment.objects.create(student=student, school_class=school_class, started_on=cast.year.starts_on)
        students.append(student)
    return students


def texts(html: str, pattern: str) -> list[str]:
    return re.findall(pattern, html)


def summary(html: str, list_id: str) -> str:
    match = re.search(rf'<p id="{list_id}-summary" class="list-summary"[^>]*>(.*?)</p>', html, re.S)
    assert match, f"no summary #{list_id}-summary"
    return match.group(1).strip()


# --- organisations -----------------------------------------------------------------------------------------


def test_the_organisation_list_says_how_many_it_shows_of_how_many_and_pages_on(client, cast):
    """Issue 6, «Lists that hide nothing»: /orgs/ stopped at 200 of 237 without a word."""
    make_schools(cast, 60)
    total = Organization.objects.filter(is_active=True).count()  # 10 of the cast + 60
    client.force_login(cast.user("ministry_admin"))

    first = client.get("/orgs/").content.decode()
    assert summary(first, "organization") == f"Показаны 1–50 из {total}"
    assert len(texts(first, r'<tr><th scope="row"><a href="/orgs/\d+/">')) == 50
    assert '<a href="?#organization-summary" aria-label="Страница 1" aria-current="page">1</a>' in first
    assert '<a href="?page=2#organization-summary" aria-label="Страница 2">2</a>' in first

    second = client.get("/orgs/", {"page": "2"}).content.decode()
    assert summary(second, "organization") == f"Показаны 51–{total} из {total}"
    assert len(texts(second, r'<tr><th scope="row"><a href="/orgs/\d+/">')) == total - 50
    assert 'aria-label="Страница 2" aria-current="page"' in second
    assert 'rel="prev"' in second and 'rel="next"' not in second


def test_page_links_keep_the_search_and_the_kind(client, cast):
    make_schools(cast, 60)
    client.force_login(cast.user("ministry_admin"))
    html = client.get("/orgs/", {"q": "школа", "kind": "school"}).content.decode()
    assert summary(html, "organization") == "Показаны 1–50 из 63"
    assert 'href="?q=%D1%88%D0%BA%D0%BE%D0%BB%D0%B0&amp;kind=school&amp;page=2#organization-summary"' in html


def test_the_htmx_search_answers_the_rows_with_the_count_out_of_band(client, cast):
    make_schools(cast, 60)
    client.force_login(cast.user("ministry_admin"))
    html = client.get("/orgs/", {"q": "№ 4"}, headers={"HX-Request": "true"}).content.decode()
    assert "<h1>" not in html
    assert '<p id="organization-summary" class="list-summary" hx-swap-oob="innerHTML">Всего: 11 организаций</p>' in html
    names = texts(html, r'<a href="/orgs/\d+/">([^<]+)</a>')
    # Exact match first («№ 4»), then the numbers that start with 4, in natural order.
    assert names == ["Школа № 4", *[f"Школа № {n}" for n in range(40, 50)]]


def test_schools_sort_naturally_in_the_organisation_list(client, cast):
    make_schools(cast, 10)  # № 3 … № 12
    client.force_login(cast.user("ministry_admin"))
    html = client.get("/orgs/", {"kind": "school"}).content.decode()
    names = texts(html, r'<a href="/orgs/\d+/">([^<]+)</a>')
    assert names == ["Школа № 1 г. Альфа", "Школа № 2 г. Альфа", *[f"Школа № {n}" for n in range(3, 13)], "Школа с. Бета"]


def test_a_page_number_out_of_range_or_absurd_shows_a_real_page(client, cast):
    client.force_login(cast.user("ministry_admin"))
    for page in ("200000000000000000", "-1", "абв", "99"):
        response = client.get("/orgs/", {"page": page})
        assert response.status_code == 200
        assert "Всего: 10 организаций" in response.content.decode()
    assert client.get("/orgs/", {"page": "9\x00"}).status_code == 400  # refused before the view (core.input_guard)


# --- a municipality's schools ------------------------------------------------------------------------------


def test_the_municipality_page_lists_schools_naturally_and_pages_on(client, cast):
    make_schools(cast, 60)  # № 3 … № 62 beside «Школа № 1 г. Альфа» and «Школа № 2 г. Альфа»
    client.force_login(cast.user("municipal_a"))
    url = f"/municipalities/{cast.municipalities['a'].pk}/"
    html = client.get(url).content.decode()
    assert summary(html, "school") == "Показаны 1–50 из 62"
    names = texts(html, r'<a href="/orgs/\d+/">([^<]+)</a>')
    assert names[:4] == ["Школа № 1 г. Альфа", "Школа № 2 г. Альфа", "Школа № 3", "Школа № 4"]
    assert names.index("Школа № 9") < names.index("Школа № 10") < names.index("Школа № 11")
    second = client.get(url, {"page": 2}).content.decode()
    assert texts(second, r'<a href="/orgs/\d+/">([^<]+)</a>') == [f"Школа № {n}" for n in range(51, 63)]


def test_the_municipality_school_filter_still_works_by_htmx(client, cast):
    client.force_login(cast.user("municipal_a"))
    html = client.get(f"/municipalities/{cast.municipalities['a'].pk}/", {"q": "№ 2"}, headers={"HX-Request": "true"}).content.decode()
    assert '<tbody id="school-rows">' in html
    assert texts(html, r'<a href="/orgs/\d+/">([^<]+)</a>') == ["Школа № 2 г. Альфа"]
    assert "Всего: 1 школа" in html


def test_the_home_panel_of_a_municipality_gets_its_schools_in_natural_order(cast):
    from access.policy import viewer_for

    make_schools(cast, 10)
    rows = selectors.school_list(viewer=viewer_for(cast.user("municipal_a")), municipality=cast.municipalities["a"])
    names = [row.school.short_name for row in rows]
    assert names.index("Школа № 2 г. Альфа") < names.index("Школа № 3") < names.index("Школа № 11")


# --- student search ----------------------------------------------------------------------------------------


def found_names(html: str) -> list[str]:
    return texts(html, r'<a href="/students/\d+/">([^<]+)</a>')


def test_student_search_says_how_many_of_how_many_and_pages_on(client, cast):
    """Issue 6, «Lists that hide nothing»: student search stopped at 50 of 331 without a word."""
    make_students(cast, [("Тестов", f"Имя{n:02d}") for n in range(60)])
    client.force_login(cast.user("ministry_admin"))
    first = client.get("/students/search/", {"q": "тестов"}).content.decode()
    assert summary(first, "student") == "Показаны 1–50 из 60"
    assert found_names(first)[:2] == ["Тестов Имя00", "Тестов Имя01"]
    second = client.get("/students/search/", {"q": "тестов", "page": "2"}).content.decode()
    assert summary(second, "student") == "Показаны 51–60 из 60"
    assert found_names(second) == [f"Тестов Имя{n:02d}" for n in range(50, 60)]
    assert 'href="?q=%D1%82%D0%B5%D1%81%D1%82%D0%BE%D0%B2#student-summary" aria-label="Страница 1"' in second


def test_student_search_counts_only_up_to_a_cap(client, cast, monkeypatch):
    monkeypatch.setattr(selectors, "STUDENT_SEARCH_CAP", 5)
    make_students(cast, [("Тестов", f"Имя{n:02d}") for n in range(8)])
    client.force_login(cast.user("ministry_admin"))
    html = client.get("/students/search/", {"q": "тестов"}, headers={"HX-Request": "true"}).content.decode()
    assert "Показаны 1–5 из более чем 5. Уточните запрос, чтобы найти остальных." in html


def test_exact_matches_come_first_in_student_search(client, cast):
    make_students(cast, [("Абиванов", "Олег"), ("Иванова", "Анна"), ("Петров", "Иван"), ("Иванов", "Пётр"), ("Иванов", "Алан")])
    client.force_login(cast.user("ministry_admin"))
    html = client.get("/students/search/", {"q": "Иванов"}).content.decode()
    assert found_names(html) == ["Иванов Алан", "Иванов Пётр", "Иванова Анна", "Абиванов Олег"]
    html = client.get("/students/search/", {"q": "иван"}).content.decode()
    assert found_names(html) == ["Петров Иван", "Иванов Алан", "Иванов Пётр", "Иванова Анна", "Абиванов Олег"]


def test_every_page_of_a_search_continues_where_the_last_ended_across_ranks(cast):
    from access.policy import viewer_for

    make_students(cast, [("Иванова", f"Имя{n}") for n in range(3)] + [("Иванов", "Олег"), ("Абиванов", "Ян"), ("Иванов", "Ян")])
    viewer = viewer_for(cast.user("ministry_admin"))
    pages = [selectors.student_search(viewer=viewer, query="иванов", number=n, per_page=4) for n in (1, 2, 3)]
    names = [s.person.full_name for page in pages for s in page.items]
    assert names == [
        "Иванов Олег",
        "Иванов Ян",
        "Иванова Имя0",
        "Иванова Имя1",
        "Иванова Имя2",
        "Абиванов Ян",
        "Иванова Имя2",
        "Абиванов Ян",
    ]
    assert [page.summary for page in pages] == [
        "Показаны 1–4 из 6",
        "Показаны 5–6 из 6",
        "Показаны 5–6 из 6",
    ]  # a page past the end: the last


def test_a_municipal_coordinator_never_finds_another_municipalitys_student(client, cast):
    """Issue 9, point 3: the search is narrowed to the viewer's territory before names are matched."""
    make_students(cast, [("Общая", "Фамилия")], class_key="a1_8a")
    make_students(cast, [("Общая", "Фамилия")], class_key="b1_8a")
    client.force_login(cast.user("municipal_a"))
    html = client.get("/students/search/", {"q": "общая"}).content.decode()
    assert found_names(html) == ["Общая Фамилия"]
    assert "Школа № 1 г. Альфа" in html and "Школа с. Бета" not in html
    client.force_login(cast.user("municipal_b"))
    html = client.get("/students/search/", {"q": "ученик"}).content.decode()
    assert {name.split()[0] for name in found_names(html)} == {"УченикB18", "УченикB19"}


def test_student_search_finds_students_only_not_parents_or_staff(client, cast):
    client.force_login(cast.user("ministry_admin"))
    for query in ("Родителева", "Координаторова", "Министров"):
        html = client.get("/students/search/", {"q": query}).content.decode()
        assert found_names(html) == []
        assert f"Никого не найдено по запросу «{query}»." in html


def test_student_search_reads_the_copy_of_the_names_on_the_student_row(cast):
    student = cast.students["a2_9a_1"]
    assert student.search_text == normalize_search_text("УченикA29", "Дзерасса") == student.person.search_text


def test_a_query_of_single_letters_asks_for_more(client, cast):
    client.force_login(cast.user("ministry_admin"))
    html = client.get("/students/search/", {"q": "у"}).content.decode()
    assert found_names(html) == []
    assert "Введите хотя бы две буквы фамилии, имени или отчества." in html


@pytest.mark.parametrize("query", ["у" * 10_000, "%", "_", "'; drop table people_student; --"])  # NUL bytes: the next test
def test_bad_input_in_a_search_gives_a_page_not_an_error(client, cast, query):
    client.force_login(cast.user("ministry_admin"))
    for url in ("/students/search/", "/orgs/", f"/municipalities/{cast.municipalities['a'].pk}/"):
        assert client.get(url, {"q": query}).status_code == 200
        assert client.get(url, {"q": query}, headers={"HX-Request": "true"}).status_code == 200


@pytest.mark.parametrize("url", ["/students/search/", "/orgs/", "/municipalities/{a}/"])
def test_a_query_with_a_nul_byte_is_refused_with_a_russian_message(client, cast, url):
    client.force_login(cast.user("ministry_admin"))
    # Refused once for the whole platform, before the view, by the kernel's guard (core.input_guard).
    response = client.get(url.format(a=cast.municipalities["a"].pk), {"q": "уче\x00ник"})
    html = response.content.decode()
    assert response.status_code == 400
    assert "Параметр адреса «q» содержит недопустимый управляющий символ (U+0000)." in html
    assert "/students/" + str(cast.students["a1_8a_0"].pk) not in html
