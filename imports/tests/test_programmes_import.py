import datetime
import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from catalog.models import CatalogueChange, Profession, Programme, Speciality
from catalog.shipped import catalog_shipped_ensure
from imports.importers.programmes import IMPORTER
from imports.models import ImportProblem
from imports.services import batch_commit_request
from imports.tests.conftest import xlsx_bytes
from orgs.models import Organization

HEADER = [c.header for c in IMPORTER.columns]


@pytest.fixture
def catalogue(db):
    catalog_shipped_ensure()


@pytest.fixture
def college(cast):
    return Organization.objects.create(
        kind=Organization.Kind.COLLEGE, name="Колледж информатики города Альфа", short_name="Колледж Альфа",
        municipality=cast.municipalities["a"], inn="1501999999",
    )  # fmt: skip


def clean_rows() -> list[list]:
    return [
        ["Колледж Альфа", "09.02.07", "Информационные системы и программирование", "", "очная", "Программист; Сварщик", "", "да"],
        ["1501999999", "09.02.07", "Информационные системы и программирование", "", "заочная", "", "https://college.example/is", ""],
        ["Колледж информатики города Альфа", datetime.date(2007, 2, 1), "Прикладная информатика", "", "", "", "", "нет"],
    ]


def programmes(college) -> set[tuple]:
    return set(
        Programme.objects.filter(institution=college).values_list(
            "speciality__code", "title", "form", "url", "is_active", "is_confirmed", "confirmed_by__username"
        )
    )


def test_the_operator_loads_programmes_confirmed_by_them_and_a_reimport_changes_nothing(cast, importing, college, catalogue):
    Speciality.objects.get_or_create(code="01.02.07", defaults={"title": "Прикладная информатика", "level": "spo_specialist"})
    welder = Profession.objects.get(title="Сварщик")
    assert not welder.specialities.filter(code="09.02.07").exists()
    changes_before = CatalogueChange.objects.count()
    batch = importing.check(xlsx_bytes(HEADER, clean_rows()), kind="programmes", user="operator", school=None)
    assert (batch.rows_bad, batch.plan["create"], batch.plan["update"]) == (0, 3, 0)
    batch = importing.commit(batch, user="operator")
    assert batch.status == "done" and batch.message.startswith("Загружено. Новых: 3 программы, обновлено: 0")
    assert programmes(college) == {
        ("09.02.07", "Информационные системы и программирование", "full_time", "", True, True, "operator"),
        ("09.02.07", "Информационные системы и программирование", "extramural", "https://college.example/is", True, True, "operator"),
        # Excel took «01.02.07» for 1 February 2007: read back as the code.
        ("01.02.07", "Прикладная информатика", "", "", False, True, "operator"),
    }
    assert set(Programme.objects.filter(institution=college).values_list("confirmed_on", flat=True)) == {timezone.localdate()}
    assert welder.specialities.filter(code="09.02.07").exists()
    # A change per programme and one for the new link of «Сварщик» (Программист already had 09.02.07).
    assert CatalogueChange.objects.count() == changes_before + 4
    assert CatalogueChange.objects.filter(what__startswith="Образовательная программа «09.02.07 Информационные системы").count() == 2
    assert CatalogueChange.objects.filter(by=cast.user("operator"), what__contains="Связей профессий").get().what.endswith(": 1")

    before, changes = programmes(college), CatalogueChange.objects.count()
    again = importing.load(xlsx_bytes(HEADER, clean_rows()), kind="programmes", user="ministry_admin", school=None)
    assert (again.created_count, again.updated_count, again.unchanged_count) == (0, 0, 3)
    assert programmes(college) == before and CatalogueChange.objects.count() == changes


def test_an_unconfirmed_programme_in_the_list_becomes_confirmed_by_whoever_loaded_it(cast, importing, college, catalogue):
    speciality = Speciality.objects.get(code="09.02.07")
    Programme.objects.create(
        institution=college, speciality=speciality, title="Информационные системы и программирование", form="full_time"
    )
    batch = importing.load(xlsx_bytes(HEADER, clean_rows()[:1]), kind="programmes", user="ministry_admin", school=None)
    assert (batch.created_count, batch.updated_count) == (0, 1)
    programme = Programme.objects.get(institution=college)
    assert (programme.is_confirmed, programme.confirmed_by.username, programme.confirmed_on) == (
        True,
        "ministry_admin",
        timezone.localdate(),
    )


def test_bad_rows_are_named_in_russian_and_nothing_is_written(cast, importing, college, catalogue):
    rows = [
        *clean_rows()[:2],
        ["Колледж Омега", "09.02.07", "Информационные системы и программирование", "", "очная", "", "", ""],
        ["Колледж Альфа", "9.2.7", "Информационные системы и программирование", "", "очная", "", "", ""],
        ["Колледж Альфа", "09.02.07", "Сетевое администрирование", "", "дистанционная", "", "", ""],
        ["Колледж Альфа", "09.02.07", "Информационные системы и программирование", "", "очная", "Космонавт-садовник", "", ""],
        ["Колледж Альфа", "09.02.07", "Информационные системы", "", "Очная", "", "", ""],
    ]
    before, changes = programmes(college), CatalogueChange.objects.count()
    batch = importing.check(xlsx_bytes(HEADER, rows), kind="programmes", user="operator", school=None)
    problems = list(ImportProblem.objects.filter(batch=batch).values_list("row", "column", "message"))
    assert problems == [
        (6, "Организация", "колледжа или вуза «Колледж Омега» нет в платформе; напишите его название, как в платформе, или ИНН"),
        (7, "Код ОКСО", "«9.2.7» — не код ОКСО: он пишется как 09.02.07, три пары цифр через точку"),
        (8, "Форма обучения", "«дистанционная» — не подходит: форма обучения — одно из значений «очная», «очно-заочная», «заочная»"),
        (9, "Профессии", "профессии «Космонавт-садовник» нет в каталоге платформы; напишите её название, как в каталоге"),
        (10, "Код ОКСО", "повтор строки 4: та же программа (код, профиль и форма обучения) в той же организации"),
    ]
    with pytest.raises(ValidationError, match="5 строк с ошибками"):
        batch_commit_request(user=cast.user("operator"), batch=batch, skip_errors=False)
    assert programmes(college) == before == set() and CatalogueChange.objects.count() == changes
    skipped = importing.commit(batch, user="operator", skip_errors=True)
    assert (skipped.created_count, skipped.skipped_count) == (2, 5)


def test_only_the_ministry_and_the_operator_load_programmes(cast, importing, client, college, catalogue):
    for user in ("ministry_analyst", "municipal_a", "coordinator_a1"):
        with pytest.raises(PermissionDenied):
            importing.check(xlsx_bytes(HEADER, clean_rows()), kind="programmes", user=user, school=None)
        client.force_login(cast.user(user))
        assert client.get(reverse("imports:upload", args=["programmes"])).status_code == 404
        assert client.get(reverse("imports:template", args=["programmes"])).status_code == 404
        assert "Загрузить программы" not in client.get(reverse("catalog:professions")).content.decode()
    client.force_login(cast.user("operator"))
    assert f'href="{reverse("imports:home")}"' in client.get("/").content.decode()  # «Загрузка данных» in the menu
    catalogue_page = client.get(reverse("catalog:professions")).content.decode()
    assert reverse("imports:upload", args=["programmes"]) in catalogue_page
    assert "Программы колледжей и вузов" in client.get(reverse("imports:home")).content.decode()
    page = client.get(reverse("imports:upload", args=["programmes"]))
    assert page.status_code == 200 and "— школа указана в каждой строке файла —" not in page.content.decode()


def test_the_template_read_back_is_a_file_the_import_takes(cast, importing, client, college, catalogue):
    client.force_login(cast.user("operator"))
    response = client.get(reverse("imports:template", args=["programmes"]))
    content = b"".join(response.streaming_content)
    sheet = load_workbook(io.BytesIO(content)).active
    assert [cell.value for cell in sheet[2]] == HEADER
    assert [cell.value for cell in sheet[3]][:3] == ["СОГУ", "09.02.07", "Информационные системы и программирование"]
    # The example names СОГУ: with it in the platform the template itself loads as one programme.
    Organization.objects.create(kind=Organization.Kind.UNIVERSITY, name="Северо-Осетинский университет", short_name="СОГУ")
    batch = importing.load(content, kind="programmes", user="operator", school=None)
    assert (batch.status, batch.created_count, batch.rows_bad) == ("done", 1, 0)
