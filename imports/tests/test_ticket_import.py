import datetime
import io

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from openpyxl import load_workbook

from diagnostics.models import TicketDiagnostics
from events.indicators import municipality_indicators, school_indicators
from events.models import TrialRecord
from imports.models import ImportProblem
from imports.services import batch_commit_request
from imports.tests.conftest import xlsx_bytes

# The regional export's columns, as DOMAIN.md §2 lists them.
HEADER = [
    "Муниципалитет", "ФИО", "Дата рождения", "Образовательная организация", "Класс (без буквы)", "Буква класса", "Названия проб",
    "Даты прохождения", "Ответственный педагог-навигатор",
]  # fmt: skip


@pytest.fixture
def roster(cast):
    for key, names in (("a1_8a_0", ("Дзагоева", "Алина", "Таймуразовна")), ("a1_9a_1", ("Кесаев", "Тамерлан", "Русланович"))):
        person = cast.students[key].person
        person.last_name, person.first_name, person.middle_name = names
        person.save()
    return cast


def day(cast, offset: int) -> datetime.date:
    """A day of the previous school year's spring: always past, whatever today is."""
    return cast.year.starts_on - datetime.timedelta(days=120 - offset)


def clean_rows(cast) -> list[list]:
    alina, tamerlan = cast.students["a1_8a_0"].person, cast.students["a1_9a_1"].person
    dates = f"{day(cast, 0):%d.%m.%Y}; {day(cast, 7):%d.%m.%Y}"
    return [
        ["Город Альфа", "Дзагоева Алина Таймуразовна", alina.birth_date, "Школа № 1 г. Альфа", 8, "А", "Инженер-робототехник; Агроном", dates,
         "Навигаторов Нодар"],
        ["Город Альфа", "Кесаев Тамерлан Русланович", f"{tamerlan.birth_date:%d.%m.%Y}", "школа № 1 г. альфа", "9", "а", "Ветеринар",
         day(cast, 3), ""],
    ]  # fmt: skip


def test_the_exports_trials_are_counted_by_the_indicators_as_imported_ones(roster, importing):
    cast = roster
    batch = importing.check(xlsx_bytes(HEADER, clean_rows(cast)), kind="ticket", user="operator", school=None)
    assert batch.rows_bad == 0 and (batch.plan["create"], batch.plan["trials_new"]) == (2, 3)
    batch = importing.commit(batch, user="operator")
    assert batch.status == "done" and batch.message.startswith("Загружено. Новых: 3 пробы")
    records = {(r.student_id, r.title, r.held_on, r.source, r.school_id) for r in TrialRecord.objects.all()}
    a1 = cast.orgs["a1"].pk
    assert records == {
        (cast.students["a1_8a_0"].pk, "Инженер-робототехник", day(cast, 0), "imported", a1),
        (cast.students["a1_8a_0"].pk, "Агроном", day(cast, 7), "imported", a1),
        (cast.students["a1_9a_1"].pk, "Ветеринар", day(cast, 3), "imported", a1),
    }
    total = school_indicators(school=cast.orgs["a1"], date_from=day(cast, 0), date_to=day(cast, 7)).total
    assert (total.students, total.trials) == (2, 3)


def test_a_bad_row_is_named_and_nothing_is_written_unless_it_is_skipped(roster, importing):
    cast = roster
    alina = cast.students["a1_8a_0"].person
    rows = [
        *clean_rows(cast),
        ["Город Альфа", "Дзагоева Алина Таймуразовна", alina.birth_date, "Школа № 1 г. Альфа", 8, "А", "Врач; Юрист; Повар",
         f"{day(cast, 20):%d.%m.%Y}; {day(cast, 21):%d.%m.%Y}", ""],
        ["Город Альфа", "Дзагоева Алина Таймуразовна", alina.birth_date, "Школа № 1 г. Альфа", 8, "А", "Врач", "31.02.2025", ""],
        ["Город Альфа", "Гусов Олег", "01.02.2011", "Школа № 1 г. Альфа", 8, "А", "Врач", day(cast, 5), ""],
    ]  # fmt: skip
    batch = importing.check(xlsx_bytes(HEADER, rows), user="municipal_a", school=None, kind="ticket")
    problems = list(ImportProblem.objects.filter(batch=batch).values_list("row", "column", "message"))
    assert problems == [
        (6, "Даты прохождения", "проб в строке 3, а дат 2: укажите одну дату или дату каждой пробы через «;»"),
        (7, "Даты прохождения", "«31.02.2025»: такой даты нет — в феврале 2025 года 28 дней"),
        (8, "ФИО", ("в школе «Школа № 1 г. Альфа» нет обучающегося с такими ФИО и датой рождения: проверьте их или загрузите "
                    "сначала список обучающихся")),
    ]  # fmt: skip
    with pytest.raises(ValidationError, match="3 строки с ошибками"):
        batch_commit_request(user=cast.user("municipal_a"), batch=batch, skip_errors=False)
    assert TrialRecord.objects.count() == 0
    batch = importing.commit(batch, skip_errors=True, user="municipal_a")
    assert (batch.created_count, batch.skipped_count) == (3, 3) and TrialRecord.objects.count() == 3


def test_importing_the_same_export_twice_changes_nothing(roster, importing):
    cast = roster
    content = xlsx_bytes(HEADER, clean_rows(cast))
    importing.load(content, kind="ticket", user="operator", school=None)
    again = importing.load(content, kind="ticket", user="operator", school=None)
    assert (again.created_count, again.unchanged_count) == (0, 2) and TrialRecord.objects.count() == 3


def test_a_school_loads_its_own_students_trials_only(roster, importing):
    rows = clean_rows(roster)
    rows[1][3] = "Школа с. Бета"
    batch = importing.check(xlsx_bytes(HEADER, rows), kind="ticket")
    problems = list(ImportProblem.objects.filter(batch=batch).values_list("row", "column"))
    assert problems == [(5, "Образовательная организация")]


def test_the_template_has_the_exports_columns(roster, client):
    client.force_login(roster.user("coordinator_a1"))
    response = client.get(reverse("imports:template", args=["ticket"]))
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    assert [cell.value for cell in sheet[2]] == [*HEADER, "Статус диагностики", "Дата диагностики"]


# --- the status of the platform's online diagnostics ------------------------------------------------------------------

STATUS_HEADER = [*HEADER, "Статус диагностики", "Дата диагностики"]


@pytest.fixture
def ticket_roster(roster):
    person = roster.students["a1_8a_2"].person
    person.last_name, person.first_name, person.middle_name = "Цаликов", "Алан", "Батразович"
    person.save()
    return roster


def status_rows(cast) -> list[list]:
    """Алина passed on 1 October of this school year with a trial; Тамерлан started, no trial; Алан (a1_8a_2) only
    the status «не начата»."""
    rows = [[*row, "", ""] for row in clean_rows(cast)]
    rows[0][-2:] = ["Пройдена", cast.year.starts_on.replace(day=1, month=10).strftime("%d.%m.%Y")]
    rows[1][6:8] = ["", ""]
    rows[1][-2:] = ["в процессе", ""]
    alan = cast.students["a1_8a_2"].person
    rows.append(["Город Альфа", alan.full_name, alan.birth_date, "Школа № 1 г. Альфа", 8, "А", "", "", "", "не начата", ""])
    return rows


def _statuses(cast) -> set[tuple]:
    return {(t.student_id, t.status, t.passed_on, t.school_id, t.school_year_id) for t in TicketDiagnostics.objects.all()}


def test_the_diagnostics_status_is_imported_for_the_current_school_year(ticket_roster, importing):
    cast = ticket_roster
    batch = importing.check(xlsx_bytes(STATUS_HEADER, status_rows(cast)), kind="ticket", user="operator", school=None)
    assert batch.rows_bad == 0
    assert (batch.plan["create"], batch.plan["trials_new"], batch.plan["diagnostics_new"]) == (3, 2, 3)
    batch = importing.commit(batch, user="operator")
    assert batch.message == "Загружено. Новых: 2 пробы, обновлено: 0, без изменений: 0, новых статусов онлайн-диагностики: 3."
    a1, year = cast.orgs["a1"].pk, cast.year.pk
    passed_on = cast.year.starts_on.replace(day=1, month=10)
    assert _statuses(cast) == {
        (cast.students["a1_8a_0"].pk, "passed", passed_on, a1, year),
        (cast.students["a1_9a_1"].pk, "started", None, a1, year),
        (cast.students["a1_8a_2"].pk, "not_started", None, a1, year),
    }


def test_a_reimport_changes_nothing_and_a_changed_status_is_updated_in_place(ticket_roster, importing):
    cast = ticket_roster
    rows = status_rows(cast)
    importing.load(xlsx_bytes(STATUS_HEADER, rows), kind="ticket", user="operator", school=None)
    again = importing.load(xlsx_bytes(STATUS_HEADER, rows), kind="ticket", user="operator", school=None)
    assert (again.created_count, again.updated_count, again.unchanged_count) == (0, 0, 3)
    rows[1][-2:] = ["пройдена", ""]  # Тамерлан finished since
    changed = importing.load(xlsx_bytes(STATUS_HEADER, rows), kind="ticket", user="operator", school=None)
    assert (changed.created_count, changed.updated_count, changed.unchanged_count) == (0, 1, 2)
    assert TicketDiagnostics.objects.count() == 3
    assert TicketDiagnostics.objects.get(student=cast.students["a1_9a_1"]).status == "passed"


def test_bad_statuses_and_dates_are_named_by_row_and_column_and_nothing_is_written(ticket_roster, importing):
    cast = ticket_roster
    rows = status_rows(cast)
    rows[0][-1] = "31.02.2026"
    rows[1][-2] = "почти"
    rows[2][-2] = ""  # neither a trial nor a status
    alina = cast.students["a1_8a_0"].person
    rows.append(["Город Альфа", alina.full_name, alina.birth_date, "Школа № 1 г. Альфа", 8, "А", "", "", "", "начата", ""])
    batch = importing.check(xlsx_bytes(STATUS_HEADER, rows), kind="ticket", user="operator", school=None)
    problems = list(ImportProblem.objects.filter(batch=batch).values_list("row", "column", "message"))
    assert problems == [
        (4, "Дата диагностики", "«31.02.2026»: такой даты нет — в феврале 2026 года 28 дней"),
        (5, "Статус диагностики", "«почти» — не подходит: статус диагностики — одно из значений «пройдена», «начата», «не начата»"),
        (6, "Названия проб", "не указаны ни проба, ни статус диагностики"),
    ]
    with pytest.raises(ValidationError):
        batch_commit_request(user=cast.user("operator"), batch=batch, skip_errors=False)
    assert TicketDiagnostics.objects.count() == 0 and TrialRecord.objects.count() == 0


def test_a_student_given_two_statuses_in_one_file_is_a_problem_of_the_second_row(ticket_roster, importing):
    cast = ticket_roster
    rows = status_rows(cast)
    rows.append([*rows[2][:9], "пройдена", ""])
    batch = importing.check(xlsx_bytes(STATUS_HEADER, rows), kind="ticket", user="operator", school=None)
    problems = list(ImportProblem.objects.filter(batch=batch).values_list("row", "column", "message"))
    assert problems == [(7, "Статус диагностики", "повтор строки 6: статус диагностики этого обучающегося уже указан")]


def test_a_file_with_the_status_only_needs_no_trials_columns(ticket_roster, importing):
    cast = ticket_roster
    alan = cast.students["a1_8a_2"].person
    header = ["ФИО", "Дата рождения", "Образовательная организация", "Статус диагностики"]
    batch = importing.load(xlsx_bytes(header, [[alan.full_name, alan.birth_date, "Школа № 1 г. Альфа", "пройдена"]]), kind="ticket",
                           user="operator", school=None)  # fmt: skip
    assert batch.status == "done"
    assert TicketDiagnostics.objects.get().status == "passed"


def test_the_indicators_count_the_students_who_passed_the_diagnostics(ticket_roster, importing):
    cast = ticket_roster
    importing.load(xlsx_bytes(STATUS_HEADER, status_rows(cast)), kind="ticket", user="operator", school=None)
    year = cast.year
    # Алина passed on 1 October (dated); Тамерлан started and Алан did not start: not counted.
    assert school_indicators(school=cast.orgs["a1"], date_from=year.starts_on, date_to=year.ends_on).total.diagnostics == 1
    october = year.starts_on.replace(day=1, month=10)
    november = school_indicators(school=cast.orgs["a1"], date_from=october.replace(month=11), date_to=october.replace(month=11, day=30))
    assert november.total.diagnostics == 0
    municipality = municipality_indicators(
        municipality=cast.municipalities["a"], date_from=year.starts_on, date_to=year.ends_on, url_for=lambda scope, pk: ""
    )
    assert municipality.total.diagnostics == 1
    assert {row.label: row.diagnostics for row in municipality.rows} == {"Школа № 1 г. Альфа": 1, "Школа № 2 г. Альфа": 0}


def test_the_status_shows_on_the_students_diagnostics_page_for_the_psychologist(ticket_roster, importing, client):
    cast = ticket_roster
    importing.load(xlsx_bytes(STATUS_HEADER, status_rows(cast)), kind="ticket", user="operator", school=None)
    client.force_login(cast.user("psychologist_a1"))
    page = client.get(reverse("diagnostics:student", args=[cast.students["a1_8a_0"].pk])).content.decode()
    october = cast.year.starts_on.replace(day=1, month=10)
    assert "Онлайн-диагностика «Билета в будущее»" in page
    assert f"{cast.year.title} учебный год: пройдена, {october.day} октября {october.year}" in page
