import io

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from openpyxl import load_workbook

from imports.models import ImportProblem, StudentSchoolId
from imports.services import batch_commit_request
from imports.tests.conftest import xlsx_bytes
from monitoring.models import Programme, ProgrammeEnrolment

HEADER = ["ФИО", "Дата рождения", "Номер в школе", "Программа", "Организация", "Направленность", "Занимается с", "Занимается по"]


@pytest.fixture
def roster(cast):
    """Alina of 8А found by her name and birth date, Timur of 8А by the school's number; the college's robotics."""
    alina = cast.students["a1_8a_0"]
    alina.person.last_name, alina.person.first_name, alina.person.middle_name = "Дзагоева", "Алина", "Таймуразовна"
    alina.person.save()
    StudentSchoolId.objects.create(student=cast.students["a1_8a_2"], school=cast.orgs["a1"], code="2024-002")
    Programme.objects.create(title="Робототехника", provider=cast.orgs["college"], direction="technical")
    return cast


def clean_rows(cast) -> list[list]:
    start = cast.year.starts_on.strftime("%d.%m.%Y")
    born = cast.students["a1_8a_0"].person.birth_date.strftime("%d.%m.%Y")
    return [
        ["Дзагоева Алина Таймуразовна", born, "", "Робототехника", "Альфинский политехнический колледж", "", start, ""],
        ["", "", "2024-002", "Юный эколог", "альфинский  политехнический колледж", "естественнонаучная", start, ""],
    ]


def test_a_school_loads_its_students_enrolments_and_a_new_programme_is_added(roster, importing):
    cast = roster
    batch = importing.check(xlsx_bytes(HEADER, clean_rows(cast)), kind="additional")
    assert batch.rows_bad == 0 and (batch.plan["create"], batch.plan["programmes_new"]) == (2, 1)
    batch = importing.commit(batch)
    assert batch.status == "done" and batch.message.startswith("Загружено. Новых: 2 зачисления")
    ecology = Programme.objects.get(title="Юный эколог")
    assert (ecology.provider, ecology.direction) == (cast.orgs["college"], "science")
    enrolments = {(e.student_id, e.programme.title, e.starts_on, e.ends_on, e.source) for e in ProgrammeEnrolment.objects.all()}
    assert enrolments == {
        (cast.students["a1_8a_0"].pk, "Робототехника", cast.year.starts_on, None, "imported"),
        (cast.students["a1_8a_2"].pk, "Юный эколог", cast.year.starts_on, None, "imported"),
    }


def test_a_bad_row_is_named_and_nothing_is_written_unless_it_is_skipped(roster, importing):
    cast = roster
    rows = [
        *clean_rows(cast),
        ["Дзагоева Алина Таймуразовна", "01.01.2011", "", "Шахматы", "Альфинский политехнический колледж", "спортивная", "01.09.2025", ""],
        ["", "", "2024-002", "Робототехника", "Альфинский политехнический колледж", "", "31.02.2025", ""],
        ["Кто-то Неизвестный", "01.01.2011", "", "Робототехника", "Альфинский политехнический колледж", "", "01.10.2025", ""],
    ]
    batch = importing.check(xlsx_bytes(HEADER, rows), kind="additional")
    problems = list(ImportProblem.objects.filter(batch=batch).values_list("row", "column", "message"))
    assert problems[0][:2] == (6, "Направленность") and "«спортивная» — не подходит" in problems[0][2]
    assert "«социально-гуманитарная»" in problems[0][2]
    assert problems[1] == (7, "Занимается с", "«31.02.2025»: такой даты нет — в феврале 2025 года 28 дней")
    assert problems[2][:2] == (8, "ФИО") and "нет обучающегося с такими ФИО и датой рождения" in problems[2][2]
    assert len(problems) == 3
    with pytest.raises(ValidationError, match="3 строки с ошибками"):
        batch_commit_request(user=cast.user("coordinator_a1"), batch=batch, skip_errors=False)
    assert (ProgrammeEnrolment.objects.count(), Programme.objects.count()) == (0, 1)
    batch = importing.commit(batch, skip_errors=True)
    assert (batch.created_count, batch.skipped_count) == (2, 3) and ProgrammeEnrolment.objects.count() == 2


def test_a_provider_not_in_the_platform_is_refused_in_its_row(roster, importing):
    row = ["Дзагоева Алина Таймуразовна", "", "", "Шахматы", "Дом творчества «Радуга»", "", "01.09.2025", ""]
    row[1] = roster.students["a1_8a_0"].person.birth_date
    batch = importing.check(xlsx_bytes(HEADER, [row]), kind="additional")
    problems = list(ImportProblem.objects.filter(batch=batch).values_list("row", "column", "message"))
    assert problems == [(4, "Организация", "организации «Дом творчества «Радуга»» нет в платформе; напишите её название, как в платформе")]


def test_importing_the_same_enrolments_twice_changes_nothing_and_new_dates_update_them(roster, importing):
    cast = roster
    content = xlsx_bytes(HEADER, clean_rows(cast))
    importing.load(content, kind="additional")
    again = importing.load(content, kind="additional")
    assert (again.created_count, again.updated_count, again.unchanged_count) == (0, 0, 2)
    assert (ProgrammeEnrolment.objects.count(), Programme.objects.count()) == (2, 2)
    rows = clean_rows(cast)
    rows[0][7] = cast.year.ends_on.strftime("%d.%m.%Y")
    ended = importing.load(xlsx_bytes(HEADER, rows), kind="additional")
    assert (ended.created_count, ended.updated_count, ended.unchanged_count) == (0, 1, 1)
    assert ProgrammeEnrolment.objects.get(student=cast.students["a1_8a_0"]).ends_on == cast.year.ends_on


def test_the_template_downloads_and_filled_in_it_loads(roster, client, importing):
    cast = roster
    client.force_login(cast.user("coordinator_a1"))
    response = client.get(reverse("imports:template", args=["additional"]))
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    header = [cell.value for cell in sheet[2]]
    assert header == [
        "Школа",
        "Номер в школе",
        "ФИО",
        "Дата рождения",
        "Программа",
        "Организация",
        "Направленность",
        "Занимается с",
        "Занимается по",
    ]
    sheet.delete_rows(3)
    sheet.append(
        ["Школа № 1 г. Альфа", "2024-002", "", "", "Робототехника", "Альфинский политехнический колледж", "", cast.year.starts_on, None]
    )
    buffer = io.BytesIO()
    sheet.parent.save(buffer)
    batch = importing.load(buffer.getvalue(), kind="additional")
    assert batch.status == "done" and batch.created_count == 1
