import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from openpyxl import load_workbook

from imports.models import ImportProblem
from imports.services import batch_commit_request
from imports.tests.conftest import xlsx_bytes
from orgs.models import Organization

HEADER = ["Муниципалитет", "Полное название", "Краткое название", "ИНН", "Адрес"]
FULL = "Муниципальное бюджетное общеобразовательное учреждение «Средняя общеобразовательная школа № 3»"


def clean_rows() -> list[list]:
    return [
        ["Город Альфа", FULL, "МБОУ СОШ № 3 г. Альфа", 1501000003, "г. Альфа, ул. Мира, 3"],
        ["B", "МБОУ ООШ с. Гамма", "ООШ с. Гамма", "", "с. Гамма"],  # the municipality by its code
        [
            "Город Альфа",
            "Школа № 1 г. Альфа",
            "Школа № 1 г. Альфа",
            "1501000001",
            "г. Альфа, ул. Ленина, 1",
        ],  # the cast's: ИНН and address added
    ]


def schools() -> set[tuple]:
    return set(Organization.objects.filter(kind="school").values_list("municipality__code", "name", "short_name", "inn", "address"))


def test_the_operator_loads_the_republics_schools_and_a_reimport_changes_nothing(cast, importing):
    batch = importing.check(xlsx_bytes(HEADER, clean_rows()), kind="schools", user="operator", school=None)
    assert batch.rows_bad == 0 and (batch.plan["create"], batch.plan["update"]) == (2, 1)
    batch = importing.commit(batch, user="operator")
    assert batch.status == "done" and batch.message.startswith("Загружено. Новых: 2 школы, обновлено: 1")
    assert {
        ("A", FULL, "МБОУ СОШ № 3 г. Альфа", "1501000003", "г. Альфа, ул. Мира, 3"),
        ("B", "МБОУ ООШ с. Гамма", "ООШ с. Гамма", "", "с. Гамма"),
        ("A", "Школа № 1 г. Альфа", "Школа № 1 г. Альфа", "1501000001", "г. Альфа, ул. Ленина, 1"),
    } <= schools()
    before = schools()
    again = importing.load(xlsx_bytes(HEADER, clean_rows()), kind="schools", user="ministry_admin", school=None)
    assert (again.created_count, again.updated_count, again.unchanged_count) == (0, 0, 3) and schools() == before
    # Renamed in the file, found again by its ИНН.
    rows = clean_rows()
    rows[0][2] = "СОШ № 3"
    renamed = importing.load(xlsx_bytes(HEADER, rows), kind="schools", user="operator", school=None)
    assert (renamed.created_count, renamed.updated_count) == (0, 1)
    assert Organization.objects.get(inn="1501000003").short_name == "СОШ № 3"


def test_a_bad_row_is_named_and_nothing_is_written(cast, importing):
    rows = [
        *clean_rows(),
        ["Город Омега", "Школа с. Омега", "Школа с. Омега", "", ""],
        ["Город Альфа", "Школа № 4", "Школа № 4", "15010", ""],
        ["Город Альфа", "Школа № 3 (дубль)", "Школа № 3 дубль", "1501000003", ""],
    ]
    before = schools()
    batch = importing.check(xlsx_bytes(HEADER, rows), kind="schools", user="operator", school=None)
    problems = list(ImportProblem.objects.filter(batch=batch).values_list("row", "column", "message"))
    assert problems == [
        (7, "Муниципалитет", "муниципалитета «Город Омега» нет в платформе; напишите его название, как в платформе"),
        (8, "ИНН", "«15010» — не ИНН: у организации ИНН из 10 цифр"),
        (9, "ИНН", "повтор строки 4: тот же ИНН"),
    ]
    with pytest.raises(ValidationError, match="3 строки с ошибками"):
        batch_commit_request(user=cast.user("operator"), batch=batch, skip_errors=False)
    assert schools() == before


def test_only_the_ministry_and_the_operator_load_schools(cast, importing, client):
    for user in ("municipal_a", "coordinator_a1"):
        with pytest.raises(PermissionDenied):
            importing.check(xlsx_bytes(HEADER, clean_rows()), kind="schools", user=user, school=None)
        client.force_login(cast.user(user))
        assert client.get(reverse("imports:upload", args=["schools"])).status_code == 404
    client.force_login(cast.user("operator"))
    page = client.get(reverse("imports:upload", args=["schools"]))
    assert page.status_code == 200 and "— школа указана в каждой строке файла —" not in page.content.decode()
    response = client.get(reverse("imports:template", args=["schools"]))
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    assert [cell.value for cell in sheet[2]] == HEADER
