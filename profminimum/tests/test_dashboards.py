"""The compliance dashboards, checked as a person reads them: the figures in the tables (worked out by hand from
the cast: 3 students a class, a1 basic 40 h, a2 main 60 h, b1 advanced 80 h), the states on a chosen date, the
XLSX downloads, who may open what (a foreign object is a 404), and what a page costs in queries."""

import datetime
import io
import re
from decimal import Decimal
from html.parser import HTMLParser

import openpyxl
import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from access.models import PersonalDataRead
from core.formatting import date_text
from orgs.models import Municipality, Organization, SchoolClass
from people.models import Enrollment, Person, Student
from profminimum.models import Activity, DirectionMinimum, SchoolLevel
from profminimum.rollups import rollups_rebuild, week_start
from profminimum.selectors import State
from profminimum.services import Mark, attendance_save, school_level_set, student_placement_changed

D = Decimal


# --- reading the pages ------------------------------------------------------------------------------------


class _Tables(HTMLParser):
    """The text of every cell of every table with an id, without the quiet notes (shares) and hidden text."""

    def __init__(self):
        super().__init__()
        self.tables: dict[str, list[list[str]]] = {}
        self._table = None
        self._row = None
        self._cell = None
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        classes = (attrs.get("class") or "").split()
        if self._skip or "cell-note" in classes or "visually-hidden" in classes:
            if tag not in ("br", "input", "img"):
                self._skip += 1
            return
        if tag == "table" and attrs.get("id"):
            self._table = self.tables.setdefault(attrs["id"], [])
        elif tag == "tr" and self._table is not None:
            self._row = []
            self._table.append(self._row)
        elif tag in ("td", "th") and self._row is not None:
            self._cell = []

    def handle_endtag(self, tag):
        if self._skip:
            self._skip -= 1
            return
        if tag in ("td", "th") and self._cell is not None:
            self._row.append(re.sub(r"\s+", " ", "".join(self._cell)).strip())
            self._cell = None
        elif tag == "table":
            self._table = None

    def handle_data(self, data):
        if self._cell is not None and not self._skip:
            self._cell.append(data)


def tables(html: str) -> dict[str, list[list[str]]]:
    parser = _Tables()
    parser.feed(html)
    return parser.tables


def row(html: str, table_id: str, first: str) -> list[str]:
    """The row of a table whose first cell starts with `first`."""
    for cells in tables(html)[table_id]:
        if cells and cells[0].startswith(first):
            return cells
    raise AssertionError(f"В таблице {table_id} нет строки «{first}»")


def column(html: str, table_id: str, header: str) -> int:
    return tables(html)[table_id][0].index(header)


def cell(html: str, table_id: str, first: str, header: str) -> str:
    return row(html, table_id, first)[column(html, table_id, header)]


def page(client, user, url: str, **params) -> str:
    client.force_login(user)
    response = client.get(url, params)
    assert response.status_code == 200, (url, response.status_code)
    return response.content.decode()


def urls(pm) -> dict[str, str]:
    cast = pm.cast
    return {
        "republic": "/profminimum/",
        "municipality_a": f"/profminimum/municipalities/{cast.municipalities['a'].pk}/",
        "municipality_b": f"/profminimum/municipalities/{cast.municipalities['b'].pk}/",
        "school_a1": f"/profminimum/schools/{cast.orgs['a1'].pk}/",
        "school_a2": f"/profminimum/schools/{cast.orgs['a2'].pk}/",
        "school_b1": f"/profminimum/schools/{cast.orgs['b1'].pk}/",
        **{f"class_{key}": f"/profminimum/classes/{c.pk}/" for key, c in cast.classes.items()},
        **{f"student_{key}": f"/profminimum/students/{s.pk}/" for key, s in cast.students.items()},
    }


COURSE = "Внеурочная деятельность (курс «Россия — мои горизонты»)"


def midyear(pm) -> datetime.date:
    """Half-way through the year: a basic-level (40 h) student is expected to have 20 h by then."""
    year = pm.year
    return year.starts_on + (year.ends_on - year.starts_on) / 2


def xlsx(client, user, url: str, **params):
    client.force_login(user)
    response = client.get(url, {"format": "xlsx", **params})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert response["Content-Disposition"].startswith("attachment;")
    assert response.streaming  # written row by row into a spooled file, never whole in memory
    return openpyxl.load_workbook(io.BytesIO(response.getvalue())).active


def sheet_rows(sheet) -> list[tuple]:
    return [tuple(r) for r in sheet.iter_rows(values_only=True)]


# --- one lesson moves every level by exactly the present student's hour -----------------------------------


def test_a_thursday_lesson_with_two_absent_adds_one_hour_on_every_page(client, pm):
    cast = pm.cast
    admin = cast.user("ministry_admin")
    u = urls(pm)
    scope_pages = ["school_a1", "municipality_a", "republic"]
    before = {name: cell(page(client, admin, u[name]), "table-directions", COURSE, "Часов") for name in scope_pages}
    assert before == {"school_a1": "0", "municipality_a": "0", "republic": "0"}

    lesson = pm.activity("a1_8a", hours="1")  # a Thursday: the first of the year
    assert lesson.starts_at.weekday() == 3
    present, absent1, absent2 = (cast.students[f"a1_8a_{i}"] for i in range(3))
    attendance_save(
        activity=lesson, marks={present.pk: Mark(True), absent1.pk: Mark(False, "болел"), absent2.pk: Mark(False)},
        by=cast.user("class_teacher_a1"),
    )  # fmt: skip

    for name in scope_pages:
        html = page(client, admin, u[name])
        assert cell(html, "table-directions", COURSE, "Часов") == "1", name
        assert row(html, "table-directions", "Всего")[1:] == ["1", "100 %"], name
        assert '<span class="stat__value">1</span><span class="stat__label">занятие курса проведено</span>' in html, name
    # The rows one level down carry the same hour: the municipality's row on the republic page, the school's row
    # on the municipality page, the class's row on the school page (average: 1 h over 12, 6 and 3 students).
    assert cell(page(client, admin, u["republic"]), "table-municipalities", "Город Альфа", "Часов в среднем") == "0,1"
    assert cell(page(client, admin, u["republic"]), "table-municipalities", "Бетинский район", "Часов в среднем") == "0"
    assert cell(page(client, admin, u["municipality_a"]), "table-schools", "Школа № 1 г. Альфа", "Часов в среднем") == "0,2"
    assert cell(page(client, admin, u["municipality_a"]), "table-schools", "Школа № 2 г. Альфа", "Часов в среднем") == "0"
    assert cell(page(client, admin, u["school_a1"]), "table-classes", "8 «А» класс", "Часов в среднем") == "0,3"
    assert cell(page(client, admin, u["school_a1"]), "table-classes", "8 «А» класс", "Занятий курса") == "1"
    assert cell(page(client, admin, u["school_a1"]), "table-classes", "9 «А» класс", "Часов в среднем") == "0"
    # The class page: only the present student has the hour, in the course's column.
    html = page(client, admin, u["class_a1_8a"])
    names = {s.pk: s.person.full_name for s in (present, absent1, absent2)}
    assert cell(html, "table-students", names[present.pk], "Часов") == "1"
    assert cell(html, "table-students", names[present.pk], COURSE) == "1"
    assert cell(html, "table-students", names[absent1.pk], "Часов") == "0"
    assert cell(html, "table-students", names[absent2.pk], "Часов") == "0"
    # The other school and the other municipality are untouched.
    assert cell(page(client, admin, u["school_a2"]), "table-directions", COURSE, "Часов") == "0"
    assert cell(page(client, admin, u["municipality_b"]), "table-directions", COURSE, "Часов") == "0"


# --- the states follow the date chosen ----------------------------------------------------------------------


@pytest.fixture
def paced(pm):
    """In a1 8А: Алан 21 h, Дзерасса 17 h, Тимур 10 h (a1 is basic, 40 h). At mid-year 20 h are expected and
    «at risk» starts below 20 − 4 = 16 h: on track, behind, at risk. Everybody else has 0 h."""
    cast = pm.cast
    on_track, behind, at_risk = (cast.students[f"a1_8a_{i}"] for i in range(3))
    attendance_save(activity=pm.activity("a1_8a", hours="21", direction="upbringing"), marks={on_track.pk: Mark(True)}, by=None)
    attendance_save(activity=pm.activity("a1_8a", hours="17", direction="lessons", week=1), marks={behind.pk: Mark(True)}, by=None)
    attendance_save(activity=pm.activity("a1_8a", hours="10", direction="parents", week=2), marks={at_risk.pk: Mark(True)}, by=None)
    return pm


STATE_HEADERS = ["Норма выполнена", "Идёт по графику", "Отстаёт", "В зоне риска", "Уровень не выбран"]


def states(html: str, table_id: str, first: str) -> list[str]:
    cells = row(html, table_id, first)
    header = tables(html)[table_id][0]
    return [cells[header.index(h)] for h in STATE_HEADERS]


def test_state_counts_on_a_chosen_date(client, paced):
    pm = paced
    cast = pm.cast
    admin = cast.user("ministry_analyst")
    u = urls(pm)
    day = midyear(pm).isoformat()

    html = page(client, admin, u["class_a1_8a"], on=day)
    assert cell(html, "table-students", "УченикA18 Алан", "Состояние") == "идёт по графику"
    assert cell(html, "table-students", "УченикA18 Дзерасса", "Состояние") == "отстаёт"
    assert cell(html, "table-students", "УченикA18 Тимур", "Состояние") == "в зоне риска"
    expected_header = f"Ожидается к {midyear(pm):%d.%m.%Y}"
    assert cell(html, "table-students", "УченикA18 Алан", expected_header) == "20"
    assert cell(html, "table-students", "УченикA18 Алан", "Минимум уровня") == "40"

    html = page(client, admin, u["school_a1"], on=day)
    assert states(html, "table-classes", "8 «А» класс") == ["0", "1", "1", "1", "0"]
    assert states(html, "table-classes", "9 «А» класс") == ["0", "0", "0", "3", "0"]  # 0 h < 16 h
    assert states(html, "table-classes", "Итого") == ["0", "1", "1", "4", "0"]

    html = page(client, admin, u["republic"], on=day)
    assert states(html, "table-municipalities", "Город Альфа") == ["0", "1", "1", "10", "0"]
    assert states(html, "table-municipalities", "Бетинский район") == ["0", "0", "0", "6", "0"]
    assert states(html, "table-municipalities", "Итого") == ["0", "1", "1", "16", "0"]
    assert f"Итоги на {midyear(pm).day} " in html  # «Итоги на 15 января 2027»

    # On the first day nothing is expected yet: everybody is on track.
    html = page(client, admin, u["republic"], on=pm.year.starts_on.isoformat())
    assert states(html, "table-municipalities", "Итого") == ["0", "18", "0", "0", "0"]
    # On the last day 40 h are due: 21 h, 17 h and 10 h are all more than 4 h short.
    html = page(client, admin, u["republic"], on=pm.year.ends_on.isoformat())
    assert states(html, "table-municipalities", "Итого") == ["0", "0", "0", "18", "0"]


def test_a_student_at_the_minimum_is_met_and_a_school_without_level_is_counted_apart(client, paced):
    pm = paced
    cast = pm.cast
    attendance_save(
        activity=pm.activity("a1_9a", hours="40", direction="upbringing"), marks={cast.students["a1_9a_0"].pk: Mark(True)}, by=None
    )
    # A fourth school, in municipality b, has chosen no level yet: its 2 students are «level not chosen».
    school = Organization.objects.create(
        name="Школа № 3 с. Бета", short_name="Школа № 3 с. Бета", kind=Organization.Kind.SCHOOL, municipality=cast.municipalities["b"]
    )
    school_class = SchoolClass.objects.create(school=school, school_year=pm.year, grade=7, letter="Б")
    for first in ("Ирина", "Олег"):
        student = Student.objects.create(
            person=Person.objects.create(last_name="Новикова", first_name=first), current_school=school, current_class=school_class
        )
        Enrollment.objects.create(student=student, school_class=school_class, started_on=pm.year.starts_on)
    rollups_rebuild(school_year_id=pm.year.pk)

    u = urls(pm)
    admin = cast.user("ministry_admin")
    html = page(client, admin, u["municipality_b"], on=midyear(pm).isoformat())
    assert row(html, "table-schools", "Школа № 3 с. Бета")[1] == "уровень не выбран"
    assert states(html, "table-schools", "Школа № 3 с. Бета") == ["0", "0", "0", "0", "2"]
    assert row(html, "table-schools", "Школа с. Бета")[1] == "продвинутый (от 80 ч)"
    assert 'продвинутый (от\u00a080\u00a0ч) <span class="cell-note">установлен министерством</span>' in html
    html = page(client, admin, u["republic"], on=midyear(pm).isoformat())
    assert states(html, "table-municipalities", "Итого") == ["1", "1", "1", "15", "2"]
    html = page(client, admin, f"/profminimum/schools/{school.pk}/")
    assert "Уровень профминимума: <strong>уровень не выбран</strong>" in html
    html = page(client, admin, u["school_a1"])
    assert "Уровень профминимума: <strong>базовый, минимум 40 часов в год; установлен министерством</strong>" in html


def test_a_wrong_date_is_named_and_the_page_still_shows_today(client, pm):
    admin = pm.cast.user("ministry_admin")
    html = page(client, admin, "/profminimum/", on="31.02.2027")
    assert "Поле «На дату»: введите дату в формате ДД.ММ.ГГГГ" in html
    assert 'aria-invalid="true"' in html
    outside = (pm.year.ends_on + datetime.timedelta(days=30)).isoformat()
    html = page(client, admin, "/profminimum/", on=outside)
    assert f"Поле «На дату»: дата должна быть в пределах учебного года {pm.year}" in html
    assert "table-municipalities" in html
    # A Russian date typed by hand is understood.
    day = midyear(pm)
    html = page(client, admin, "/profminimum/", on=f"{day:%d.%m.%Y}")
    assert "errorlist" not in html and f'value="{day.isoformat()}"' in html


def test_htmx_date_change_returns_only_the_figures(client, paced):
    pm = paced
    client.force_login(pm.cast.user("ministry_admin"))
    response = client.get(
        urls(pm)["school_a1"], {"on": midyear(pm).isoformat()}, headers={"HX-Request": "true", "HX-Target": "dashboard-figures"}
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in html and html.lstrip().startswith('<div id="dashboard-figures"')
    assert states(html, "table-classes", "8 «А» класс") == ["0", "1", "1", "1", "0"]
    assert 'hx-swap-oob="true"' in html and "Показатели обновлены" in html


# --- XLSX -------------------------------------------------------------------------------------------------


def test_republic_xlsx_has_russian_headers_and_numbers(client, paced):
    pm = paced
    day = midyear(pm)
    sheet = xlsx(client, pm.cast.user("ministry_analyst"), "/profminimum/", on=day.isoformat(), table="municipalities")
    rows = sheet_rows(sheet)
    assert rows[0][0].startswith(f"Профминимум {pm.year}: Муниципалитеты — Республика Северная Осетия-Алания, на {day.day} ")
    assert rows[1] == (
        "Муниципалитет", "Обучающихся", "Норма выполнена", "Идёт по графику", "Отстаёт", "В зоне риска", "Уровень не выбран",
        "Средние часы на обучающегося", "Занятий курса проведено",
    )  # fmt: skip
    # 48 h over 12 students of Город Альфа = 4.0; over the 18 of the republic = 2.67 → 2.7.
    assert rows[2] == ("Город Альфа", 12, 0, 1, 1, 10, 0, 4, 0)
    assert rows[3] == ("Бетинский район", 6, 0, 0, 0, 6, 0, 0, 0)
    assert rows[4] == ("Итого", 18, 0, 1, 1, 16, 0, 2.7, 0)
    assert sheet.freeze_panes == "A3"
    assert sheet["A2"].font.bold and sheet["A1"].font.bold
    assert sheet["B3"].data_type == "n" and sheet["H5"].number_format == "#,##0.0"
    assert not PersonalDataRead.objects.filter(channel="export").exists()  # no student is named in it

    sheet = xlsx(client, pm.cast.user("ministry_analyst"), "/profminimum/", on=day.isoformat(), table="directions")
    rows = sheet_rows(sheet)
    assert rows[1] == ("Направление", "Часов", "Доля")
    by_name = {r[0]: r[1:] for r in rows[2:]}
    assert by_name["Воспитательная работа"] == (21, pytest.approx(21 / 48))
    assert by_name["Урочная деятельность"] == (17, pytest.approx(17 / 48))
    assert by_name["Работа с родителями"] == (10, pytest.approx(10 / 48))
    assert sheet["C3"].number_format == "0%"
    assert by_name["Всего"] == (48, 1)


def test_class_xlsx_lists_the_students_and_is_logged(client, paced):
    pm = paced
    day = midyear(pm)
    user = pm.cast.user("class_teacher_a1")
    sheet = xlsx(client, user, urls(pm)["class_a1_8a"], on=day.isoformat())
    rows = sheet_rows(sheet)
    assert rows[0][0].startswith(f"Профминимум {pm.year}: Обучающиеся — 8 «А» класс, Школа № 1 г. Альфа, на {day.day} ")
    header = rows[1]
    assert header[:5] == ("Обучающийся", "Часов", "Минимум уровня", f"Ожидается к {day:%d.%m.%Y}", "Состояние")
    upbringing = header.index("Воспитательная работа")
    assert [r[:5] for r in rows[2:]] == [
        ("УченикA18 Алан", 21, 40, 20, "идёт по графику"),
        ("УченикA18 Дзерасса", 17, 40, 20, "отстаёт"),
        ("УченикA18 Тимур", 10, 40, 20, "в зоне риска"),
    ]
    assert [r[upbringing] for r in rows[2:]] == [21, 0, 0]
    log = PersonalDataRead.objects.get(channel="export")
    assert (log.user, log.people_count) == (user, 3)
    assert "8 «А»" in log.subject


def test_student_ledger_xlsx_and_school_table(client, paced):
    pm = paced
    cast = pm.cast
    student = cast.students["a1_8a_0"]
    sheet = xlsx(client, cast.user("parent_a1"), urls(pm)["student_a1_8a_0"], table="ledger")
    rows = sheet_rows(sheet)
    assert rows[1] == ("Дата", "Мероприятие", "Направление", "Часы", "Основание", "Школа", "Класс")
    assert len(rows) == 3
    date, _title, direction, hours, reason, school, klass = rows[2]
    assert date.date() == pm.thursday(0).date() and sheet["A3"].number_format == "DD.MM.YYYY"
    assert (direction, hours, reason, school, klass) == ("воспитательная работа", 21, "посещение", "Школа № 1 г. Альфа", "8 «А» класс")
    log = PersonalDataRead.objects.get(channel="export")
    assert (log.user, log.person_id, log.people_count) == (cast.user("parent_a1"), student.person_id, 1)

    sheet = xlsx(client, cast.user("coordinator_a1"), urls(pm)["school_a1"], on=midyear(pm).isoformat())
    assert sheet_rows(sheet)[2][:7] == ("8 «А» класс", 3, 0, 1, 1, 1, 0)


def test_an_unknown_table_is_not_found(client, pm):
    client.force_login(pm.cast.user("ministry_admin"))
    assert client.get("/profminimum/", {"format": "xlsx", "table": "nothing"}).status_code == 404


# --- one student --------------------------------------------------------------------------------------------


def test_student_page_shows_the_minimum_the_pace_and_the_ledger_of_both_schools(client, pm):
    cast = pm.cast
    student = cast.students["a1_8a_0"]
    course = pm.directions["course"]
    DirectionMinimum.objects.create(level=pm.levels["main"], direction=course, min_hours=D("10"))
    attendance_save(
        activity=pm.activity("a1_8a", hours="1.5", week=0, title="Урок в первой школе"), marks={student.pk: Mark(True)}, by=None
    )
    # Moves to a2 (main level, 60 h, and 10 h of the course at least) and attends a lesson there.
    new_class = cast.classes["a2_8a"]
    Enrollment.objects.filter(student=student, ended_on__isnull=True).update(ended_on=pm.thursday(1).date())
    Enrollment.objects.create(student=student, school_class=new_class, started_on=pm.thursday(1).date())
    Student.objects.filter(pk=student.pk).update(current_class=new_class, current_school=new_class.school)
    student_placement_changed(student=student, school_year=pm.year, school_class=new_class, on=pm.thursday(1).date())
    attendance_save(activity=pm.activity("a2_8a", hours="2", week=2, title="Урок во второй школе"), marks={student.pk: Mark(True)}, by=None)

    day = midyear(pm)  # 30 h of 60 expected
    html = page(client, cast.user("ministry_admin"), urls(pm)["student_a1_8a_0"], on=day.isoformat())
    assert "<h1>УченикA18 Алан</h1>" in html
    assert "основной, минимум 60 часов в год" in html
    assert "<dt>Зачтено</dt><dd>3,5 часа</dd>" in html
    assert f"Ожидается к {day.day} " in html and "<dd>30 часов</dd>" in html
    assert "в зоне риска" in html  # 3.5 < 30 − 6
    assert row(html, "table-directions", COURSE) == [COURSE, "3,5", "10", "нет"]
    assert row(html, "table-directions", "Воспитательная работа") == ["Воспитательная работа", "0", "—", "—"]
    ledger = tables(html)["table-ledger"]
    assert ledger[0] == ["Дата", "Мероприятие", "Направление", "Часы", "Основание", "Школа", "Класс"]
    assert [r[1] for r in ledger[1:]] == ["Урок во второй школе", "Урок в первой школе"]
    assert [r[3] for r in ledger[1:]] == ["+2", "+1,5"]
    assert [(r[5], r[6]) for r in ledger[1:]] == [("Школа № 2 г. Альфа", "8 «А» класс"), ("Школа № 1 г. Альфа", "8 «А» класс")]
    assert ledger[2][0] == date_text(pm.thursday(0).date())  # «3 сентября 2026»
    # The progress bar: an image with a title and the figures spoken in its description.
    assert 'role="img" aria-labelledby="chart-progress-title" aria-describedby="chart-progress-desc"' in html
    assert "3,5 часа из 60 (6 %)" in html
    assert PersonalDataRead.objects.filter(channel="page", person_id=student.person_id).exists()


def test_a_corrected_mark_shows_as_two_ledger_lines(client, pm):
    cast = pm.cast
    student = cast.students["b1_9a_2"]
    lesson = pm.activity("b1_9a", hours="1")
    attendance_save(activity=lesson, marks={student.pk: Mark(True)}, by=None)
    attendance_save(activity=lesson, marks={student.pk: Mark(False, "справка")}, by=None)
    html = page(client, cast.user("navigator_b1"), urls(pm)["student_b1_9a_2"])
    ledger = tables(html)["table-ledger"]
    assert sorted((r[3], r[4]) for r in ledger[1:]) == [("+1", "посещение"), ("−1", "исправление отметки")]
    assert "<dt>Зачтено</dt><dd>0 часов</dd>" in html


# --- who may open what ------------------------------------------------------------------------------------


ACCESS = {
    # user: (pages that open, pages that are 404)
    "ministry_analyst": (["republic", "municipality_b", "school_a2", "class_b1_8a", "student_b1_9a_1"], []),
    "operator": (["republic", "municipality_a", "class_a1_9a"], []),
    "municipal_a": (
        ["municipality_a", "school_a1", "school_a2", "class_a1_9a", "student_a2_8a_0"],
        ["municipality_b", "school_b1", "class_b1_8a", "student_b1_8a_0"],
    ),
    "municipal_b": (["municipality_b", "school_b1", "class_b1_8a"], ["municipality_a", "school_a1", "class_a1_8a", "student_a1_8a_0"]),
    "coordinator_a1": (
        ["school_a1", "class_a1_8a", "class_a1_9a", "student_a1_9a_2"],
        ["municipality_a", "school_a2", "school_b1", "class_b1_8a", "student_a2_8a_0"],
    ),
    "psychologist_b1": (["school_b1", "class_b1_9a", "student_b1_8a_1"], ["school_a1", "class_a1_8a"]),
    "class_teacher_a1": (
        ["school_a1", "class_a1_8a", "student_a1_8a_2"],
        ["municipality_a", "school_a2", "class_a1_9a", "class_b1_8a", "student_a1_9a_0", "student_b1_8a_0"],
    ),
    "navigator_a1": (["class_a1_9a", "student_a1_9a_0"], ["class_a1_8a", "student_a1_8a_0", "school_a2"]),
    "parent_a1": (["student_a1_8a_0"], ["student_a1_8a_1", "class_a1_8a", "school_a1", "municipality_a", "student_b1_8a_0"]),
    "student_a1": (["student_a1_8a_1"], ["student_a1_8a_0", "class_a1_8a", "school_a1", "municipality_a"]),
    "partner_a": ([], ["republic", "municipality_a", "school_a1", "class_a1_8a", "student_a1_8a_0"]),
    "jury": ([], ["republic", "school_a1", "student_a1_8a_0"]),
}


@pytest.mark.parametrize("username", sorted(ACCESS))
def test_access_matrix(client, pm, username):
    u = urls(pm)
    client.force_login(pm.cast.user(username))
    opens, hidden = ACCESS[username]
    for name in opens:
        response = client.get(u[name])
        assert response.status_code == 200, f"{username}: {name} должна открываться"
    for name in hidden:
        if name == "republic":
            assert client.get(u[name]).status_code == 404, f"{username}: показателей нет — 404"
            continue
        assert client.get(u[name]).status_code == 404, f"{username}: {name} — чужое, должно быть 404"
        assert client.get(u[name], {"format": "xlsx"}).status_code == 404, f"{username}: {name} XLSX — 404"


LANDING = {
    "ministry_admin": None,  # the republic itself
    "municipal_a": "municipality_a",
    "municipal_b": "municipality_b",
    "coordinator_a1": "school_a1",
    "psychologist_a2": "school_a2",
    "class_teacher_a1": "class_a1_8a",
    "navigator_b1": "class_b1_9a",
    "parent_a1": "student_a1_8a_0",
    "student_b1": "student_b1_8a_1",
}


@pytest.mark.parametrize("username", sorted(LANDING))
def test_profminimum_opens_the_viewers_own_level(client, pm, username):
    client.force_login(pm.cast.user(username))
    response = client.get("/profminimum/", {"on": pm.year.starts_on.isoformat()})
    target = LANDING[username]
    if target is None:
        assert response.status_code == 200
        assert "<h1>Профминимум в Республике Северная Осетия-Алания</h1>" in response.content.decode()
    else:
        assert response.status_code == 302
        assert response["Location"] == f"{urls(pm)[target]}?on={pm.year.starts_on.isoformat()}"


def test_a_teacher_sees_only_their_classes_in_the_school_table(client, pm):
    html = page(client, pm.cast.user("class_teacher_a1"), urls(pm)["school_a1"])
    assert [r[0] for r in tables(html)["table-classes"][1:]] == ["8 «А» класс"]


def test_anonymous_visitors_are_sent_to_sign_in(client, pm):
    for url in ("/profminimum/", urls(pm)["class_a1_8a"], urls(pm)["student_a1_8a_0"]):
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]


# --- breadcrumbs and the menu ---------------------------------------------------------------------------


def crumbs(html: str) -> list[tuple[str, bool]]:
    """(label, is a link) of each breadcrumb."""
    nav = re.search(r'<nav aria-label="Навигационная цепочка".*?</nav>', html, re.S).group(0)
    return [(re.sub(r"<[^>]+>", "", item).strip(), "<a " in item) for item in re.findall(r"<li>(.*?)</li>", nav, re.S)]


def test_breadcrumbs_link_only_the_levels_the_viewer_may_open(client, pm):
    u = urls(pm)
    cast = pm.cast
    html = page(client, cast.user("ministry_admin"), u["student_a1_8a_0"])
    assert crumbs(html) == [
        ("Республика", True),
        ("Город Альфа", True),
        ("Школа № 1 г. Альфа", True),
        ("8 «А» класс", True),
        ("УченикA18 А.", False),
    ]
    assert '<span aria-current="page">УченикA18 А.</span>' in html
    html = page(client, cast.user("class_teacher_a1"), u["class_a1_8a"])
    assert crumbs(html) == [("Республика", False), ("Город Альфа", False), ("Школа № 1 г. Альфа", True), ("8 «А» класс", False)]
    html = page(client, cast.user("municipal_a"), u["school_a2"])
    assert crumbs(html) == [("Республика", False), ("Город Альфа", True), ("Школа № 2 г. Альфа", False)]
    html = page(client, cast.user("parent_a1"), u["student_a1_8a_0"])
    assert crumbs(html) == [
        ("Республика", False),
        ("Город Альфа", False),
        ("Школа № 1 г. Альфа", False),
        ("8 «А» класс", False),
        ("УченикA18 А.", False),
    ]
    html = page(client, cast.user("ministry_admin"), u["republic"])
    assert crumbs(html) == [("Республика", False)]


def test_the_menu_has_profminimum_for_staff_levels(client, pm):
    u = urls(pm)
    # user: (a dashboard page they open, where the menu's «Профминимум» leads)
    expected = {
        "ministry_admin": (u["school_b1"], "/profminimum/"),
        "municipal_a": (u["municipality_a"], u["municipality_a"]),
        "coordinator_a1": (u["class_a1_9a"], u["school_a1"]),
        "class_teacher_a1": (u["class_a1_8a"], "/profminimum/"),  # which opens their class
    }
    for username, (opened, url) in expected.items():
        html = page(client, pm.cast.user(username), opened)
        menu = re.search(r'<nav[^>]* class="site-nav" aria-label="Основное меню">.*?</ul>', html, re.S).group(0)
        assert f'<a href="{url}" aria-current="page">Профминимум</a>' in menu, username
    html = page(client, pm.cast.user("parent_a1"), "/")
    assert ">Профминимум<" not in re.search(r'<nav[^>]* class="site-nav".*?</ul>', html, re.S).group(0)


# --- charts on the pages ------------------------------------------------------------------------------------


def test_each_scope_page_draws_its_charts_with_accessible_titles(client, paced):
    pm = paced
    html = page(client, pm.cast.user("ministry_admin"), "/profminimum/", on=midyear(pm).isoformat())
    for chart_id, title in [
        ("chart-states", "Состояния по муниципалитетам: республика"),
        ("chart-directions", "Часы по направлениям: республика"),
        ("chart-distribution", "Распределение обучающихся по числу часов: республика"),
        ("chart-pace", "Темп набора часов за год: республика"),
    ]:
        assert f'role="img" aria-labelledby="{chart_id}-title" aria-describedby="{chart_id}-desc"' in html
        assert f'<title id="{chart_id}-title">{title}</title>' in html
    # The distribution: 15 students with 0–9 h, Тимур 10 h, Дзерасса 17 h (10–19), Алан 21 h (20–29).
    desc = re.search(r'<desc id="chart-distribution-desc">(.*?)</desc>', html).group(1)
    assert "0–9 — 15 обучающихся; 10–19 — 2 обучающихся; 20–29 — 1 обучающийся" in desc
    desc = re.search(r'<desc id="chart-states-desc">(.*?)</desc>', html).group(1)
    assert "Город Альфа: 12 обучающихся; идёт по графику — 1 (8 %), отстаёт — 1 (8 %), в зоне риска — 10 (83 %)" in desc


# --- the cost of a page ---------------------------------------------------------------------------------------


def _queries(client, url: str, **params) -> int:
    with CaptureQueriesContext(connection) as context:
        response = client.get(url, params)
    assert response.status_code == 200
    return len(context.captured_queries)


def _grow_the_region(pm, schools: int = 4, students_per_class: int = 5) -> None:
    """A new municipality with more schools, classes and students, all with hours in the ledger."""
    municipality = Municipality.objects.create(name="Гаммский район", kind="district", code="G")
    for number in range(schools):
        school = Organization.objects.create(
            name=f"Школа № {number} с. Гамма",
            short_name=f"Школа № {number} с. Гамма",
            kind=Organization.Kind.SCHOOL,
            municipality=municipality,
        )
        for grade in (6, 7):
            school_class = SchoolClass.objects.create(school=school, school_year=pm.year, grade=grade, letter="А")
            for index in range(students_per_class):
                student = Student.objects.create(
                    person=Person.objects.create(last_name=f"Гаммов{number}{grade}", first_name=f"Имя{index}"),
                    current_school=school,
                    current_class=school_class,
                )
                Enrollment.objects.create(student=student, school_class=school_class, started_on=pm.year.starts_on)
    rollups_rebuild(school_year_id=pm.year.pk)
    for week in range(3):
        for school in Organization.objects.filter(municipality=municipality):
            for school_class in school.classes.all():
                activity = Activity.objects.create(
                    school_year=pm.year, direction=pm.directions["upbringing"], title="Профессиональная проба",
                    starts_at=pm.thursday(week), duration_hours=D(1 + week), school=school, organizer=school,
                )  # fmt: skip
                activity.classes.add(school_class)
                attendance_save(activity=activity, marks={s.pk: Mark(True) for s in school_class.students.all()}, by=None)


def test_the_cost_of_each_dashboard_does_not_grow_with_the_region(client, paced, django_assert_max_num_queries):
    pm = paced
    u = urls(pm)
    client.force_login(pm.cast.user("ministry_admin"))
    day = midyear(pm).isoformat()
    pages = ["republic", "municipality_a", "school_a1", "class_a1_8a", "student_a1_8a_0"]
    before = {name: _queries(client, u[name], on=day) for name in pages}
    before_xlsx = _queries(client, u["republic"], on=day, format="xlsx")

    _grow_the_region(pm)
    # More ledger lines for the same class and student, too.
    for week in range(3, 8):
        attendance_save(
            activity=pm.activity("a1_8a", hours="1", direction="lessons", week=week),
            marks={s.pk: Mark(True) for s in pm.cast.classes["a1_8a"].students.all()},
            by=None,
        )

    for name in pages:
        with django_assert_max_num_queries(before[name]):
            response = client.get(u[name], {"on": day})
        assert response.status_code == 200
    with django_assert_max_num_queries(before_xlsx):
        client.get(u["republic"], {"on": day, "format": "xlsx"})
    html = client.get(u["republic"], {"on": day}).content.decode()
    assert row(html, "table-municipalities", "Гаммский район")[1] == "40"
    # The figures the report quotes: the cost of each page in queries.
    print("queries per page:", before, "republic xlsx:", before_xlsx)
    assert before["republic"] <= 30


def test_a_chosen_date_is_kept_on_the_way_down_and_up(client, pm):
    u = urls(pm)
    day = midyear(pm).isoformat()
    html = page(client, pm.cast.user("ministry_admin"), u["school_a1"], on=day)
    assert f'href="{u["class_a1_8a"]}?on={day}"' in html  # down, in the table of classes
    assert f'href="{u["municipality_a"]}?on={day}"' in html  # up, in the breadcrumbs
    html = page(client, pm.cast.user("ministry_admin"), u["school_a1"])
    assert f'href="{u["class_a1_8a"]}"' in html  # no date chosen: the links open today


def test_municipality_xlsx_keeps_level_and_status_in_their_own_columns(client, paced):
    pm = paced
    sheet = xlsx(client, pm.cast.user("municipal_a"), urls(pm)["municipality_a"], on=midyear(pm).isoformat())
    rows = sheet_rows(sheet)
    assert rows[1][:4] == ("Школа", "Уровень", "Статус уровня", "Обучающихся")
    # In the page's default order: the largest share at risk first (a2: 6 of 6 at mid-year; a1: 4 of 6).
    assert rows[2][:4] == ("Школа № 2 г. Альфа", "основной (от\u00a060\u00a0ч)", "установлен министерством", 6)
    assert rows[3][:4] == ("Школа № 1 г. Альфа", "базовый (от\u00a040\u00a0ч)", "установлен министерством", 6)
    assert rows[4][0] == "Итого" and rows[4][3] == 12


def test_without_a_current_school_year_the_page_says_so(client, pm):
    type(pm.year).objects.filter(pk=pm.year.pk).update(is_current=False)
    html = page(client, pm.cast.user("ministry_admin"), "/profminimum/")
    assert "Текущий учебный год ещё не заведён" in html
    html = page(client, pm.cast.user("ministry_admin"), urls(pm)["school_a1"])
    assert "Текущий учебный год ещё не заведён" in html


# --- tables that hide nothing: sorted, filtered, paged, exported whole ---------------------------------------


def _municipality_of_schools(pm, *, name: str, code: str, schools: int, level=None, on_track=None) -> Municipality:
    """A municipality of `schools` schools «Школа № n <name>», each with one 7th grade of four students. With a
    level, the schools take it and in school n `on_track(n)` students attend a 25-hour event (the others have
    nothing: at mid-year, 0 h is at risk and 25 h of the basic 40 is on track)."""
    municipality = Municipality.objects.create(name=name, kind="district", code=code)
    orgs = [
        Organization(name=f"Школа № {n} {name}", short_name=f"Школа № {n} {name}", kind=Organization.Kind.SCHOOL, municipality=municipality)
        for n in range(1, schools + 1)
    ]
    for org in orgs:
        org.search_text = org.build_search_text()
    orgs = Organization.objects.bulk_create(orgs)
    classes = SchoolClass.objects.bulk_create([SchoolClass(school=org, school_year=pm.year, grade=7, letter="А") for org in orgs])
    people = [Person(last_name=f"Дельтова{n}", first_name=f"Ира{i}") for n in range(len(orgs)) for i in range(4)]
    for person in people:
        person.search_text = person.build_search_text()
    people = Person.objects.bulk_create(people)
    students = [
        Student(person=person, current_school=classes[index // 4].school, current_class=classes[index // 4], search_text=person.search_text)
        for index, person in enumerate(people)
    ]
    students = Student.objects.bulk_create(students)
    Enrollment.objects.bulk_create(
        [Enrollment(student=s, school_class=classes[index // 4], started_on=pm.year.starts_on) for index, s in enumerate(students)]
    )
    rollups_rebuild(school_year_id=pm.year.pk)
    if level is not None:
        for number, (org, school_class) in enumerate(zip(orgs, classes), 1):
            school_level_set(school=org, school_year=pm.year, level=level, status=SchoolLevel.Status.SET_BY_MINISTRY, by=None)
            present = students[(number - 1) * 4 : (number - 1) * 4 + on_track(number)]
            if present:
                activity = Activity.objects.create(
                    school_year=pm.year, direction=pm.directions["upbringing"], title="Профессиональная проба", starts_at=pm.thursday(0),
                    duration_hours=D(25), school=org, organizer=org,
                )  # fmt: skip
                activity.classes.add(school_class)
                attendance_save(activity=activity, marks={s.pk: Mark(True) for s in present}, by=None)
        rollups_rebuild(school_year_id=pm.year.pk)
    return municipality


@pytest.fixture
def delta(pm):
    """Город Дельта: schools № 1–12, basic level; in school n, n mod 5 of the four students are on track at
    mid-year and the rest at risk: 100 % at risk in № 5 and № 10, 75 % in № 1, 6, 11, 50 % in № 2, 7, 12,
    25 % in № 3 and 8, none in № 4 and 9."""
    municipality = _municipality_of_schools(pm, name="г. Дельта", code="D", schools=12, level=pm.levels["basic"], on_track=lambda n: n % 5)
    return pm, f"/profminimum/municipalities/{municipality.pk}/"


def names(html: str, table_id: str) -> list[str]:
    return [r[0] for r in tables(html)[table_id][1:] if r and r[0] and not r[0].startswith("Итого")]


def short(names_: list[str]) -> list[int]:
    return [int(re.search(r"№ (\d+)", n).group(1)) for n in names_]


def test_schools_are_sorted_by_the_share_at_risk_first_and_by_any_column_on_a_click(client, delta):
    """Issue 9, point 2 and issue 6, «Lists that hide nothing»: the municipality's schools come sorted by the state
    that matters (the largest share at risk, then behind); every header sorts, names naturally (№ 2 before № 11)."""
    pm, url = delta
    admin = pm.cast.user("ministry_admin")
    day = midyear(pm).isoformat()
    html = page(client, admin, url, on=day)
    assert short(names(html, "table-schools")) == [5, 10, 1, 6, 11, 2, 7, 12, 3, 8, 4, 9]
    assert re.search(r'<th scope="col" class="num" aria-sort="descending"><a class="sort" id="schools-sort-at_risk"', html)
    assert html.count("aria-sort=") == 1
    assert "Показано 1–12 из 12." in html
    assert cell(html, "table-schools", "Школа № 5 г. Дельта", "В зоне риска") == "4"
    assert '4 <span class="cell-note">100 %</span>' in html

    html = page(client, admin, url, on=day, **{"schools-sort": "name"})
    assert short(names(html, "table-schools")) == list(range(1, 13))
    assert 'aria-sort="ascending"><a class="sort" id="schools-sort-name"' in html
    html = page(client, admin, url, on=day, **{"schools-sort": "-name"})
    assert short(names(html, "table-schools")) == list(range(12, 0, -1))
    # The column's link keeps the date and offers the other direction.
    assert f'href="{url}?on={day}&amp;schools-sort=name"' in html
    html = page(client, admin, url, on=day, **{"schools-sort": "on_track"})  # the smallest share on track first
    assert short(names(html, "table-schools"))[:2] == [5, 10]


def test_schools_are_filtered_by_name_and_by_state_and_the_totals_follow(client, delta):
    pm, url = delta
    admin = pm.cast.user("ministry_admin")
    day = midyear(pm).isoformat()
    html = page(client, admin, url, on=day, **{"schools-q": "1"})
    assert names(html, "table-schools") == ["Школа № 1 г. Дельта"]  # a number is a whole number: not № 10, 11, 12
    assert "Показано 1–1 из 1 (отобраны из 12)." in html
    html = page(client, admin, url, on=day, **{"schools-q": "школа 1"})
    assert "Показано 1–1 из 1 (отобраны из 12)." in html

    # «Есть на грани»: schools with at least one student behind or at risk — here, those with anyone at risk.
    html = page(client, admin, url, on=day, **{"schools-state": State.AT_RISK})
    assert short(names(html, "table-schools")) == [5, 10, 1, 6, 11, 2, 7, 12, 3, 8]
    assert row(html, "table-schools", "Итого по отобранным")[2:4] == ["40", "0"]  # 10 schools × 4 students; none met
    assert '<option value="at_risk" selected>есть в зоне риска</option>' in html
    assert "Сбросить отбор" in html
    html = page(client, admin, url, on=day, **{"schools-state": State.ON_TRACK, "schools-q": "г. Дельта"})
    assert short(names(html, "table-schools")) == [1, 6, 11, 2, 7, 12, 3, 8, 4, 9]
    html = page(client, admin, url, on=day, **{"schools-q": "гимназия"})
    assert "Ничего не найдено: ни одна из 12 строк не подходит под отбор." in html
    assert "Итого" not in html.split('id="table-schools"')[1].split("</table>")[0]


def test_a_class_list_filters_by_state_and_sorts_by_state_at_risk_first(client, paced):
    pm = paced
    html = page(
        client, pm.cast.user("ministry_admin"), urls(pm)["class_a1_8a"], on=midyear(pm).isoformat(), **{"students-state": State.BEHIND}
    )
    assert names(html, "table-students") == ["УченикA18 Дзерасса"]
    html = page(client, pm.cast.user("ministry_admin"), urls(pm)["class_a1_8a"], on=midyear(pm).isoformat(), **{"students-sort": "state"})
    assert names(html, "table-students") == ["УченикA18 Тимур", "УченикA18 Дзерасса", "УченикA18 Алан"]


def test_the_municipality_page_does_not_grow_with_the_region(client, pm):
    """Issue 9, point 2: the number of queries and the bytes of HTML of a municipality's dashboard are the same
    for 50 schools and for ten times as many (the table pages by 50; the chart sums the schools up in five
    bars); the page stays under 150 KB before compression, and is compressed when the browser accepts it."""
    small = _municipality_of_schools(pm, name="район А", code="RA", schools=50)
    large = _municipality_of_schools(pm, name="район Б", code="RB", schools=500)
    client.force_login(pm.cast.user("ministry_admin"))
    day = midyear(pm).isoformat()

    def measure(municipality) -> tuple[int, int, str]:
        url = f"/profminimum/municipalities/{municipality.pk}/"
        client.get(url, {"on": day})  # the session and caches warm, as for any page after the first
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url, {"on": day})
        assert response.status_code == 200
        return len(queries.captured_queries), len(response.content), response.content.decode()

    small_queries, small_bytes, _ = measure(small)
    large_queries, large_bytes, html = measure(large)
    print("municipality dashboard: 50 schools", small_queries, "queries", small_bytes, "bytes; 500 schools", large_queries, large_bytes)
    assert large_queries == small_queries
    assert abs(large_bytes - small_bytes) <= 0.05 * small_bytes  # the page links and a digit more in the totals
    assert large_bytes <= 150 * 1024
    assert "Показано 1–50 из 500." in html
    assert len(tables(html)["table-schools"]) == 1 + 50 + 1
    assert '<nav class="pager" aria-label="Страницы таблицы «Школы»">' in html
    desc = re.search(r'<desc id="chart-schools-risk-desc">(.*?)</desc>', html).group(1)
    assert "0–19 % — 500 школ" in desc and "80–100 % — 0 школ" in desc
    assert html.count('<rect x="') < 100  # five bars, not one per school

    page_10 = client.get(f"/profminimum/municipalities/{large.pk}/", {"on": day, "schools-page": "10"}).content.decode()
    assert "Показано 451–500 из 500." in page_10 and names(page_10, "table-schools")[-1] == "Школа № 500 район Б"

    compressed = client.get(f"/profminimum/municipalities/{large.pk}/", {"on": day}, headers={"Accept-Encoding": "gzip"})
    assert compressed["Content-Encoding"] == "gzip" and len(compressed.content) < large_bytes / 4


def test_the_schools_xlsx_is_whole_in_the_pages_order_streamed_and_for_the_pages_date(client, pm):
    """Issue 9, point 2 and issue 6, «Dates that tell the truth»: the export holds every school (not the page of
    50), in the sort and filter the page shows, written row by row, titled with the date the page is for; a name
    that looks like a formula stays text."""
    municipality = _municipality_of_schools(pm, name="район В", code="RV", schools=120)
    Organization.objects.filter(municipality=municipality, short_name="Школа № 7 район В").update(short_name='=HYPERLINK("x")')
    url = f"/profminimum/municipalities/{municipality.pk}/"
    day = midyear(pm)
    admin = pm.cast.user("ministry_admin")
    html = page(client, admin, url, on=day.isoformat(), **{"schools-sort": "-name", "schools-page": "2"})
    link = re.search(r'href="([^"]*format=xlsx[^"]*)"', html).group(1).replace("&amp;", "&")
    assert f"on={day.isoformat()}" in link and "schools-sort=-name" in link and "schools-page" not in link
    client.force_login(admin)
    response = client.get(link)
    assert response.streaming and f"-schools-{day.isoformat()}.xlsx" in response["Content-Disposition"]
    sheet = openpyxl.load_workbook(io.BytesIO(response.getvalue())).active
    rows = sheet_rows(sheet)
    assert rows[0][0] == f"Профминимум {pm.year}: Школы — район В, на {date_text(day)} г."
    body = rows[2:-1]
    assert len(body) == 120 and rows[-1][0] == "Итого"
    assert [r[0] for r in body[:3]] == ["Школа № 120 район В", "Школа № 119 район В", "Школа № 118 район В"]
    formula = next(c for c in sheet["A"] if c.value == '=HYPERLINK("x")')
    assert formula.data_type == "s" and formula.quotePrefix

    # Without a date chosen the page is for today, and so is its download.
    today = min(max(timezone.localdate(), pm.year.starts_on), pm.year.ends_on)
    assert f"?on={today.isoformat()}&amp;format=xlsx&amp;table=schools" in page(client, admin, url)


def test_htmx_sorting_returns_the_table_alone_and_says_so(client, delta):
    pm, url = delta
    client.force_login(pm.cast.user("ministry_admin"))
    response = client.get(
        url, {"on": midyear(pm).isoformat(), "schools-sort": "name"}, headers={"HX-Request": "true", "HX-Target": "table-schools-section"}
    )
    html = response.content.decode()
    assert html.lstrip().startswith('<section class="data-table" id="table-schools-section"')
    assert "dashboard-figures" not in html and "<html" not in html
    assert short(names(html, "table-schools")) == list(range(1, 13))
    assert (
        '<p id="dashboard-status" class="visually-hidden" role="status" hx-swap-oob="true">Таблица «Школы» обновлена. Показано 1–12 из 12.</p>'
        in html
    )
    # The date form keeps the table's sort when the date changes next.
    assert '<input type="hidden" form="dashboard-date-form" name="schools-sort" value="name">' in html


def test_a_dashboard_shows_that_it_is_loading_and_prints_on_a4(client, pm):
    """Issue 6, «Lists that hide nothing»: an htmx request shows that it is working («Загрузка…» in view,
    aria-busy on the region being replaced), and the dashboards print cleanly on A4."""
    html = page(client, pm.cast.user("ministry_admin"), "/profminimum/")
    assert 'hx-indicator="#dashboard-loading"' in html and '<p id="dashboard-loading" class="dash-loading">Загрузка…</p>' in html
    assert '<div class="dash-live" hx-indicator="#dashboard-loading" data-busy-while-loading>' in html  # app.js marks it busy
    css = (settings.BASE_DIR / "core" / "static" / "core" / "app.css").read_text()
    print_block = css[css.index("@media print {") :]
    for rule in ("@page { size: A4;", ".site-nav", "main form", ".pager", "overflow: visible", "thead { display: table-header-group; }",
                 "tr, .stat, .chart", ".chart-svg"):  # fmt: skip
        assert rule in print_block, rule
    assert ".dash-loading.htmx-request { visibility: visible; }" in css


def test_the_progress_bar_agrees_with_the_state_when_a_direction_minimum_is_unmet(client, pm):
    """Issue 6, «Each rule in one place»: 85 of 80 h with the course's minimum unmet is not «met»; the bar is
    painted with the state the rule gives (on track), as the text says, and the page says what is missing."""
    cast = pm.cast
    DirectionMinimum.objects.create(level=pm.levels["advanced"], direction=pm.directions["course"], min_hours=D("10"))
    rollups_rebuild(school_year_id=pm.year.pk)
    student = cast.students["b1_8a_0"]
    attendance_save(activity=pm.activity("b1_8a", hours="85", direction="upbringing"), marks={student.pk: Mark(True)}, by=None)
    html = page(client, cast.user("ministry_admin"), urls(pm)["student_b1_8a_0"], on=midyear(pm).isoformat())
    state = re.search(r'<span class="state" id="student-state">.*?</span>', html, re.S).group(0)
    assert state.endswith("идёт по графику</span>")
    progress = re.search(r'<svg[^>]* id="chart-progress".*?</svg>\s*</section>', html, re.S).group(0)
    assert "url(#chart-progress-on_track)" in progress and "url(#chart-progress-met)" not in progress
    assert "85 часов из 80 (106 %)" in progress and "Состояние: идёт по графику." in progress
    assert "Годовой минимум часов набран, но не выполнен минимум по направлениям:" in html and "ещё 10 часов" in html


def test_the_pace_is_drawn_up_to_the_chosen_date(client, paced):
    """Issue 6, «Dates that tell the truth»: the chart's line of actual hours ends at the chosen date (the expected
    pace goes on to the end of the year); a date later in the year draws further."""
    pm = paced
    day = pm.thursday(1).date() + datetime.timedelta(days=1)
    html = page(client, pm.cast.user("ministry_admin"), urls(pm)["school_a1"], on=day.isoformat())
    desc = re.search(r'<desc id="chart-pace-desc">(.*?)</desc>', html).group(1)
    assert f"В среднем на обучающегося: 6,3 часа к неделе с {date_text(week_start(day))}" in desc  # (21 + 17) h over 6
    later = page(client, pm.cast.user("ministry_admin"), urls(pm)["school_a1"], on=midyear(pm).isoformat())
    desc = re.search(r'<desc id="chart-pace-desc">(.*?)</desc>', later).group(1)
    assert f"В среднем на обучающегося: 8 часов к неделе с {date_text(week_start(midyear(pm)))}" in desc  # 48 h over 6
    assert f"к неделе с {date_text(week_start(pm.year.ends_on))}" in desc  # the levels' pace: the whole year
