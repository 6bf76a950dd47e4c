import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from imports.models import ImportProblem
from imports.tests.conftest import xlsx_bytes
from orgs.models import SchoolClass

HEADER = ["Школа", "Класс", "Вид класса", "Профиль"]


def test_a_municipality_loads_its_schools_classes_and_a_reimport_changes_nothing(cast, importing):
    rows = [
        ["Школа № 1 г. Альфа", "10 А", "профильный", "технологический"],
        ["школа №2 г.  альфа", "5Б", "", ""],
        ["Школа с. Бета", "7А", "", ""],  # another municipality's
        ["Школа № 1 г. Альфа", "8а", "", ""],  # exists (the cast's)
    ]
    content = xlsx_bytes(HEADER, rows)
    batch = importing.check(content, user="municipal_a", school=None, kind="classes")
    problems = list(ImportProblem.objects.filter(batch=batch).values_list("row", "column", "message"))
    assert problems == [
        (6, "Школа", "школы «Школа с. Бета» нет среди тех, куда вы можете загружать данные; напишите её название, как в платформе")
    ]
    assert (batch.plan["create"], batch.plan["same"]) == (2, 1)
    before = SchoolClass.objects.count()
    batch = importing.commit(batch, skip_errors=True, user="municipal_a")
    assert batch.status == "done" and batch.message.startswith("Загружено. Новых: 2 класса")
    assert SchoolClass.objects.count() == before + 2
    tenth = SchoolClass.objects.get(school=cast.orgs["a1"], school_year=cast.year, grade=10, letter="А")
    assert (tenth.kind, tenth.profile) == ("profile", "технологический")
    again = importing.load(content, user="municipal_a", school=None, kind="classes", skip_errors=True)
    assert (again.created_count, again.unchanged_count) == (0, 3) and SchoolClass.objects.count() == before + 2


def test_a_school_coordinator_does_not_load_the_networks_classes(cast, importing, client):
    with pytest.raises(PermissionDenied):
        importing.check(xlsx_bytes(HEADER, [["Школа № 1 г. Альфа", "10А", "", ""]]), kind="classes")
    client.force_login(cast.user("coordinator_a1"))
    assert client.get(reverse("imports:upload", args=["classes"])).status_code == 404
    client.force_login(cast.user("municipal_a"))
    assert client.get(reverse("imports:upload", args=["classes"])).status_code == 200
