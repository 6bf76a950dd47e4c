import datetime
import io
import os

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from accounts.models import User
from imports.models import ImportBatch, ImportProblem, StudentSchoolId
from imports.reader import MAX_BYTES
from imports.services import batch_commit_request
from imports.tests.conftest import csv_bytes, upload_file, xlsx_bytes
from orgs.models import SchoolClass
from people.models import Enrollment, ParentLink, Person, Student
from privacy.retention import retention_run

HEADER = [
    "№",
    "Номер в школе",
    "ФИО обучающегося",
    "Дата рождения",
    "Класс",
    "ФИО родителя",
    "Кем приходится",
    "Телефон родителя",
    "Примечание",
]


def born(cast, grade: int, month: int = 3, day: int = 5) -> datetime.date:
    """A birth date that fits the grade: seven years older than it on the first of September."""
    return datetime.date(cast.year.starts_on.year - grade - 7, month, day)


def clean_rows(cast) -> list[list]:
    b7 = born(cast, 7)
    return [
        [
            1,
            "2024-001",
            "Дзагоева Алина Таймуразовна",
            datetime.datetime(b7.year, 3, 5),
            "7Б",
            "Дзагоева Фатима Казбековна",
            "мать",
            "8 (918) 123-45-67",
            "отличница",
        ],
        # A text date, Latin «a» and «o» inside the Cyrillic surname, stray spaces, the class written «7 б».
        [
            2,
            "2024-002",
            "  Гaглoев   Сослан Аланович ",
            f"12.11.{b7.year}",
            "7 б",
            "Гаглоев Алан Русланович",
            "отец",
            "+7 918 765 43 21",
            "",
        ],
        # The date as Excel's day number, kept as a number by a text column.
        [
            3,
            "2024-003",
            "Цаллаева Мадина Руслановна",
            (datetime.date(b7.year, 1, 20) - datetime.date(1899, 12, 30)).days,
            "7-Б",
            "",
            "",
            "",
            "",
        ],
    ]


def students_count() -> int:
    return Student.objects.count()


def test_a_schools_own_file_with_a_title_row_imports_students_with_parents_and_accounts(cast, importing):
    before = students_count()
    batch = importing.check(xlsx_bytes(HEADER, clean_rows(cast)))
    assert batch.status == "checked" and batch.header_row == 3 and batch.rows_total == 3 and batch.rows_bad == 0
    assert batch.plan["create"] == 3 and batch.plan["classes_new"] == ["7 «Б»"] and batch.plan["unused"] == ["№", "Примечание"]
    assert students_count() == before  # the preview writes nothing
    batch = importing.commit(batch)
    assert batch.status == "done" and batch.created_count == 3 and batch.accounts_created == 5
    assert students_count() == before + 3
    school_class = SchoolClass.objects.get(school=cast.orgs["a1"], school_year=cast.year, grade=7, letter="Б")
    names = sorted(
        Student.objects.filter(current_class=school_class).values_list("person__last_name", "person__first_name", "person__birth_date")
    )
    b7 = born(cast, 7).year
    assert names == [
        ("Гаглоев", "Сослан", datetime.date(b7, 11, 12)),
        ("Дзагоева", "Алина", datetime.date(b7, 3, 5)),
        ("Цаллаева", "Мадина", datetime.date(b7, 1, 20)),
    ]
    alina = Student.objects.get(person__last_name="Дзагоева")
    assert StudentSchoolId.objects.get(student=alina).code == "2024-001"
    assert Enrollment.objects.get(student=alina).started_on == cast.year.starts_on
    mother = ParentLink.objects.get(student=alina)
    assert (mother.kind, mother.parent.full_name, mother.parent.phone) == ("mother", "Дзагоева Фатима Казбековна", "+7 918 123-45-67")
    account = alina.person.user
    assert account.must_change_password and not account.has_usable_password()
    assert Student.objects.filter(search_text__contains="гаглоев").exists()


def test_importing_the_same_clean_file_twice_leaves_the_same_number_of_students(cast, importing):
    content = xlsx_bytes(HEADER, clean_rows(cast))
    importing.load(content)
    counts = (students_count(), Person.objects.count(), User.objects.count(), ParentLink.objects.count(), Enrollment.objects.count())
    again = importing.check(content)
    assert (again.plan["create"], again.plan["update"], again.plan["same"]) == (0, 0, 3)
    again = importing.commit(again)
    assert again.status == "done" and (again.created_count, again.updated_count, again.unchanged_count) == (0, 0, 3)
    assert (
        students_count(),
        Person.objects.count(),
        User.objects.count(),
        ParentLink.objects.count(),
        Enrollment.objects.count(),
    ) == counts


def test_a_reimport_without_numbers_finds_students_by_name_and_birth_date_and_moves_a_changed_class(cast, importing):
    header = ["Фамилия", "Имя", "Отчество", "Дата рождения", "Параллель", "Буква класса"]
    b = born(cast, 7)
    importing.load(xlsx_bytes(header, [["Дзагоева", "Алина", "", b, 7, "А"]], title=None))
    before = students_count()
    batch = importing.load(xlsx_bytes(header, [["ДЗАГОЕВА", "алина", "", b.strftime("%d/%m/%Y"), "7", "б"]], title=None))
    assert (batch.created_count, batch.updated_count) == (0, 1) and students_count() == before
    assert Student.objects.get(person__last_name="Дзагоева").current_class.name == "7 «Б»"


def test_a_csv_from_excel_in_windows_1251_with_semicolons_is_read(cast, importing):
    rows = [[r[1], r[2], r[3].strftime("%d.%m.%Y") if isinstance(r[3], datetime.datetime) else r[3], r[4]] for r in clean_rows(cast)]
    batch = importing.check(csv_bytes(["Номер в школе", "ФИО", "Дата рождения", "Класс"], rows), name="spisok.csv")
    assert (
        batch.status == "checked" and batch.rows_bad == 0 and "Windows-1251" in batch.file_format and "точка с запятой" in batch.file_format
    )
    assert importing.commit(batch).created_count == 3


def test_columns_in_another_order_under_other_names_are_found(cast, importing):
    header = ["Класс обучения", "Дата рожд.", "Фамилия, имя, отчество", "Примечание"]
    batch = importing.load(xlsx_bytes(header, [["8А", born(cast, 8), "Кокоев Тамерлан Ибрагимович", "—"]]))
    assert batch.created_count == 1 and Student.objects.get(person__last_name="Кокоев").current_class == cast.classes["a1_8a"]


def test_the_template_downloads_and_its_columns_are_what_the_import_reads(cast, client, importing):
    client.force_login(cast.user("coordinator_a1"))
    response = client.get(reverse("imports:template", args=["students"]))
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    sheet = book.active
    header = [cell.value for cell in sheet[2]]
    assert header[:5] == ["Школа", "Номер в школе", "ФИО", "Дата рождения", "Класс"]
    example = [cell.value for cell in sheet[3]]
    example[0] = cast.orgs["a1"].short_name
    example[3] = born(cast, 7).strftime("%d.%m.%Y")
    sheet.delete_rows(3)
    sheet.append(example)
    buffer = io.BytesIO()
    book.save(buffer)
    batch = importing.load(buffer.getvalue())
    assert batch.status == "done" and batch.created_count == 1


# --- the problems of point 2: each with its message, and nothing written --------------------------------------------


def _unchanged(snapshot):
    return snapshot == (students_count(), Person.objects.count(), User.objects.count(), SchoolClass.objects.count())


def _snapshot():
    return (students_count(), Person.objects.count(), User.objects.count(), SchoolClass.objects.count())


def _row_problems(batch) -> list[tuple]:
    return list(ImportProblem.objects.filter(batch=batch).values_list("row", "column", "message"))


ROW_CASES = {
    "an impossible date": (
        ["2024-010", "Бероев Заур Олегович", "31.02.2012", "7Б"],
        "Дата рождения",
        "«31.02.2012»: такой даты нет — в феврале 2012 года 29 дней",
    ),
    "an age that does not fit the grade": (
        ["2024-011", "Бероев Заур Олегович", "05.03.2020", "7Б"],
        "Дата рождения",
        "в 7 классе учатся в 12–16 лет",
    ),
    "grade 13Б": (["2024-012", "Бероев Заур Олегович", None, "13Б"], "Класс", "«13Б»: классов с номером 13 не бывает"),
    "a formula in a cell": (["2024-013", "=A1&B1", None, "7Б"], "ФИО", "в ячейке формула «=A1&B1», а не значение"),
    "a name with digits": (["2024-014", "Бер0ев Заур", None, "7Б"], "ФИО", "в имени бывают только буквы"),
}


@pytest.mark.parametrize("case", list(ROW_CASES))
def test_a_bad_row_is_named_by_row_column_and_reason_and_nothing_is_written(cast, importing, case):
    cells, column, reason = ROW_CASES[case]
    if cells[2] is None:
        cells[2] = born(cast, 7).strftime("%d.%m.%Y")
    good = ["2024-020", "Плиев Георгий Асланович", born(cast, 7).strftime("%d.%m.%Y"), "7Б"]
    snapshot = _snapshot()
    batch = importing.check(xlsx_bytes(["Номер в школе", "ФИО", "Дата рождения", "Класс"], [good, cells]))
    assert batch.rows_bad == 1
    [(row, found_column, message)] = _row_problems(batch)
    assert (row, found_column) == (5, column) and reason in message
    with pytest.raises(Exception, match="строка с ошибками"):
        batch_commit_request(user=cast.user("coordinator_a1"), batch=batch, skip_errors=False)
    assert _unchanged(snapshot)


def test_a_student_twice_in_the_file_is_a_problem_of_the_second_row(cast, importing):
    b = born(cast, 7).strftime("%d.%m.%Y")
    snapshot = _snapshot()
    batch = importing.check(xlsx_bytes(["ФИО", "Дата рождения", "Класс"], [["Плиев Георгий", b, "7Б"], ["Плиев  Георгий", b, "7 Б"]]))
    assert _row_problems(batch) == [(5, "ФИО", "повтор строки 4: те же ФИО и дата рождения")]
    assert _unchanged(snapshot)


def test_a_number_the_database_knows_under_another_student_is_not_taken(cast, importing):
    header = ["Номер в школе", "ФИО", "Дата рождения", "Класс"]
    b = born(cast, 7).strftime("%d.%m.%Y")
    importing.load(xlsx_bytes(header, [["2024-001", "Плиев Георгий", b, "7Б"]]))
    snapshot = _snapshot()
    batch = importing.check(xlsx_bytes(header, [["2024-777", "Плиев Георгий", b, "7Б"]]))
    assert _row_problems(batch) == [(4, "Номер в школе", "этот обучающийся уже есть в школе под номером «2024-001», а не «2024-777»")]
    assert _unchanged(snapshot)


def test_a_student_already_in_the_database_is_updated_not_duplicated(cast, importing):
    known = cast.students["a1_8a_0"].person
    known.last_name = "Хетагуров"  # the cast's names carry digits, which no real file has
    known.save()
    before = students_count()
    batch = importing.check(
        xlsx_bytes(["ФИО", "Дата рождения", "Класс"], [[f"{known.last_name} {known.first_name}", known.birth_date, "8А"]])
    )
    assert _row_problems(batch) == []
    batch = importing.commit(batch)
    assert (batch.created_count, batch.unchanged_count) == (0, 1) and students_count() == before


def test_wrong_headers_refuse_the_file_with_a_guess_and_nothing_is_written(cast, importing):
    snapshot = _snapshot()
    batch = importing.check(xlsx_bytes(["ФИО", "Дата рожденья", "Класс"], [["Плиев Георгий", "01.01.2012", "7Б"]]))
    assert batch.status == "refused"
    assert "Нет столбца «Дата рождения»." in batch.message and "«Дата рожденья» — это, возможно, «Дата рождения»?" in batch.message
    assert _unchanged(snapshot)


def test_a_file_with_no_header_at_all_is_refused(cast, importing):
    batch = importing.check(xlsx_bytes(["а", "б"], [["1", "2"]]))
    assert batch.status == "refused" and "Не найдена строка заголовков" in batch.message


PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


@pytest.mark.parametrize(
    "name, content, reason",
    [
        ("pustoy.xlsx", b"", "пустой (0 байт)"),
        ("foto.xlsx", PNG, "это картинка PNG, а не таблица"),
        ("bolshoy.csv", b"a;b\n" * (MAX_BYTES // 4 + 1), "слишком большой"),
        ("staryy.xlsx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 64, "в старом формате Excel 97–2003"),
    ],
)
def test_a_file_that_is_no_table_is_refused_on_the_upload_page_and_nothing_is_kept(cast, client, media, name, content, reason):
    client.force_login(cast.user("coordinator_a1"))
    snapshot = _snapshot()
    response = client.post(reverse("imports:upload", args=["students"]), {"file": upload_file(name, content)})
    assert response.status_code == 400 and reason in response.content.decode()
    assert not ImportBatch.objects.exists() and _unchanged(snapshot)


def test_skipping_the_bad_rows_imports_the_good_ones_and_lists_the_bad(cast, importing):
    b = born(cast, 7).strftime("%d.%m.%Y")
    rows = [["Плиев Георгий", b, "7Б"], ["Бероев Заур", "31.02.2012", "7Б"], ["Кокоева Диана", b, "7Б"]]
    batch = importing.load(xlsx_bytes(["ФИО", "Дата рождения", "Класс"], rows), skip_errors=True)
    assert batch.status == "done" and (batch.created_count, batch.skipped_count) == (2, 1)
    assert set(Student.objects.filter(current_class__letter="Б").values_list("person__last_name", flat=True)) == {"Плиев", "Кокоева"}
    assert [row for row, _, _ in _row_problems(batch)] == [5]


# --- the pages -------------------------------------------------------------------------------------------------------


def test_the_preview_page_names_each_bad_row_and_the_commit_runs_in_the_worker(cast, client, media, django_capture_on_commit_callbacks):
    from django_tasks_db.models import DBTaskResult

    from imports.tasks import batch_check_task, batch_commit_task

    client.force_login(cast.user("coordinator_a1"))
    b = born(cast, 7).strftime("%d.%m.%Y")
    content = xlsx_bytes(["ФИО", "Дата рождения", "Класс"], [["Плиев Георгий", b, "7Б"], ["Бероев Заур", "31.02.2012", "7Б"]])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("imports:upload", args=["students"]), {"file": upload_file("spisok.xlsx", content)})
    batch = ImportBatch.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("imports:batch", args=[batch.pk])
    assert "ждёт проверки" in client.get(response["Location"]).content.decode()
    assert DBTaskResult.objects.get().task_path == "imports.tasks.batch_check_task"
    batch_check_task.call(batch_id=batch.pk)
    html = client.get(response["Location"]).content.decode()
    assert "«31.02.2012»: такой даты нет" in html and "Пропустить строки с ошибками" in html
    response = client.post(reverse("imports:commit", args=[batch.pk]), {})
    assert response.status_code == 400 and "отметьте «Пропустить строки с ошибками»" in response.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("imports:commit", args=[batch.pk]), {"skip_errors": "yes"})
    assert DBTaskResult.objects.filter(task_path="imports.tasks.batch_commit_task").exists()
    batch_commit_task.call(batch_id=batch.pk)
    html = client.get(reverse("imports:batch", args=[batch.pk])).content.decode()
    assert "Пропущенные строки с ошибками" in html and "Новых: 1 обучающийся" in html


def test_a_class_teacher_has_no_imports_and_another_schools_batch_is_not_found(cast, client, importing):
    batch = importing.check(xlsx_bytes(["ФИО", "Дата рождения", "Класс"], [["Плиев Георгий", "01.01.2012", "7Б"]]))
    client.force_login(cast.user("class_teacher_a1"))
    assert client.get(reverse("imports:home")).status_code == 404
    client.force_login(cast.user("coordinator_b1"))
    assert client.get(reverse("imports:batch", args=[batch.pk])).status_code == 404
    assert client.post(reverse("imports:commit", args=[batch.pk]), {"skip_errors": "yes"}).status_code == 404


def test_the_exported_list_is_the_template_filled_in_and_reimports_unchanged(cast, client, importing):
    importing.load(xlsx_bytes(HEADER, clean_rows(cast)))
    client.force_login(cast.user("coordinator_a1"))
    response = client.get(reverse("imports:students_export"), {"school": cast.orgs["a1"].pk})
    assert response.status_code == 200
    content = b"".join(response.streaming_content)
    sheet = load_workbook(io.BytesIO(content)).active
    assert [c.value for c in sheet[2]][:5] == ["Школа", "Номер в школе", "ФИО", "Дата рождения", "Класс"]
    rows = [[c.value for c in row] for row in sheet.iter_rows(min_row=3)]
    alina = next(row for row in rows if row[2] == "Дзагоева Алина Таймуразовна")
    assert alina[1] == "2024-001" and alina[3].date() == born(cast, 7) and alina[4] == "7Б"
    assert alina[5:8] == ["Дзагоева Фатима Казбековна", "мать", "+7 918 123-45-67"]
    assert len(rows) == 3 + 6  # the three imported and the cast's six of school A1
    before = students_count()
    again = importing.check(content, name="vygruzka.xlsx")
    # The cast's own students have digits in their surnames, which no real list has: only theirs are refused.
    assert again.rows_bad == 6 and (again.plan["create"], again.plan["same"]) == (0, 3)
    assert students_count() == before


def test_a_formula_like_name_is_exported_as_text(cast, client, importing):
    person = cast.students["a1_8a_0"].person
    person.last_name = "=HYPERLINK(1)"
    person.save()
    client.force_login(cast.user("coordinator_a1"))
    response = client.get(reverse("imports:students_export"), {"school": cast.orgs["a1"].pk})
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    cell = next(row[2] for row in sheet.iter_rows(min_row=3) if str(row[2].value).startswith("="))
    assert cell.data_type == "s" and cell.quotePrefix


def test_another_schools_list_is_not_exported(cast, client, importing):
    client.force_login(cast.user("coordinator_a1"))
    assert client.get(reverse("imports:students_export"), {"school": cast.orgs["b1"].pk}).status_code == 404


def test_siblings_with_the_same_mother_in_the_file_share_one_parent(cast, importing):
    b7, b9 = born(cast, 7).strftime("%d.%m.%Y"), born(cast, 9).strftime("%d.%m.%Y")
    rows = [
        ["Плиев Георгий", b7, "7Б", "Плиева Мадина Казбековна", "мать", "89181234567"],
        ["Плиева Диана", b9, "9А", "Плиева Мадина Казбековна", "мать", "+7 918 123-45-67"],
    ]
    batch = importing.load(xlsx_bytes(["ФИО", "Дата рождения", "Класс", "ФИО родителя", "Кем приходится", "Телефон родителя"], rows))
    assert (batch.created_count, batch.accounts_created) == (2, 3)
    mother = Person.objects.get(last_name="Плиева", first_name="Мадина")
    assert sorted(mother.children_links.values_list("student__person__first_name", flat=True)) == ["Георгий", "Диана"]
    assert mother.user.username == f"plieva{mother.pk}" and mother.user.must_change_password


def test_a_reimport_with_a_new_phone_updates_the_parent_and_adds_no_one(cast, importing):
    header = ["Номер в школе", "ФИО", "Дата рождения", "Класс", "ФИО родителя", "Телефон родителя"]
    b7 = born(cast, 7).strftime("%d.%m.%Y")
    importing.load(xlsx_bytes(header, [["7", "Плиев Георгий", b7, "7Б", "Плиев Аслан", "89181234567"]]))
    people = Person.objects.count()
    batch = importing.load(xlsx_bytes(header, [["7", "Плиев Георгий", b7, "7Б", "Плиев Аслан", "89187654321"]]))
    assert batch.updated_count == 1 and Person.objects.count() == people
    assert Person.objects.get(first_name="Аслан").phone == "+7 918 765-43-21"


def test_two_previews_of_one_file_committed_one_after_the_other_add_the_students_once(cast, importing):
    content = xlsx_bytes(HEADER, clean_rows(cast))
    first, second = importing.check(content), importing.check(content)
    before = students_count()
    assert importing.commit(first).created_count == 3
    second = importing.commit(second)  # planned again at the commit, against the students the first one added
    assert (second.created_count, second.unchanged_count) == (0, 3) and students_count() == before + 3


def test_a_preview_kept_without_its_parse_is_read_again_from_the_file(cast, importing):
    batch = importing.check(xlsx_bytes(HEADER, clean_rows(cast)))
    ImportBatch.objects.filter(pk=batch.pk).update(parsed=None)
    batch.refresh_from_db()
    done = importing.commit(batch)
    assert done.status == "done" and done.created_count == 3
    assert ImportBatch.objects.get(pk=batch.pk).parsed is None


def test_an_uploaded_file_and_its_problems_are_deleted_after_a_month_and_the_log_row_stays(cast, importing):
    batch = importing.check(xlsx_bytes(["ФИО", "Дата рождения", "Класс"], [["Бероев Заур", "31.02.2012", "7Б"]]))
    path = batch.file.path
    ImportBatch.objects.filter(pk=batch.pk).update(created_at=timezone.now() - datetime.timedelta(days=31))
    retention_run()
    batch.refresh_from_db()
    assert batch.file_deleted_at is not None and not batch.file and batch.parsed is None
    assert not ImportProblem.objects.filter(batch=batch).exists() and not os.path.exists(path)
