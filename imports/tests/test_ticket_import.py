import datetime
import io

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from openpyxl import load_workbook

from events.indicators import school_indicators
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
    assert [cell.value for cell in sheet[2]] == HEADER
