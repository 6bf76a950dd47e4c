"""The catalogue the platform ships: at least 200 professions described by the project, each with its sectors of the
course «Россия — мои горизонты», a RIASEC profile with its source, a Klimov type and its education paths (issue 10,
point 6); the ОКСО codes keep how sure each is; the reference institutions and programmes load once."""

import pytest

from catalog import shipped
from catalog.models import CatalogueChange, Profession, Programme, Sector, Speciality
from catalog.shipped import ShippedDataError, catalog_reference_load, catalog_shipped_load, professions_read
from orgs.models import Organization


def test_the_catalogue_holds_at_least_200_described_professions(catalogue):
    professions = Profession.objects.prefetch_related("sectors", "specialities")
    assert professions.count() >= 200
    for profession in professions:
        assert len(profession.summary) >= 40, profession.code
        assert profession.main_sector in profession.sectors.all(), profession.code
        assert len(profession.holland_code) == 3
        assert profession.profile_source == Profession.ProfileSource.PROJECT
        assert "O*NET" in profession.profile_source_note
        assert profession.specialities.exists() or profession.paths_note, profession.code
        # Shipped demand is not claimed: an operator (or the demo, labelled so) sets it.
        assert profession.demand == Profession.Demand.UNKNOWN and not profession.market_is_demo


def test_every_sector_of_the_course_has_professions(catalogue):
    for sector in Sector.objects.all():
        assert sector.title.startswith("Россия ")
        assert sector.professions.count() >= 10, sector.title


def test_the_holland_code_follows_the_profile(catalogue):
    programmer = Profession.objects.get(code="programmer")
    assert programmer.holland_code == "ICE"  # I 6.5, C 5, E 3.5 above R 3 and A 3
    nurse = Profession.objects.get(code="nurse")
    assert nurse.holland_code[0] == "S"


def test_codes_from_memory_are_not_marked_confirmed(catalogue):
    from_memory = Speciality.objects.filter(verification__startswith="по памяти")
    assert from_memory.exists()
    assert not from_memory.filter(is_confirmed=True).exists()
    assert Speciality.objects.get(code="09.02.07").is_confirmed
    assert not Speciality.objects.get(code="53.02.02").is_confirmed  # the reference could not confirm it
    assert not Speciality.objects.get(code="15.02.08").is_current  # a former code, kept to match old data


def test_loading_twice_creates_nothing_and_keeps_an_operators_edit(catalogue):
    Profession.objects.filter(code="welder").update(summary="Правка оператора: описание работы сварщика на производстве.")
    assert catalog_shipped_load() == {"sectors": 0, "subjects": 0, "specialities": 0, "professions": 0}
    assert Profession.objects.get(code="welder").summary.startswith("Правка оператора")


def test_a_malformed_profession_line_is_refused_naming_its_place(tmp_path, monkeypatch, catalogue):
    (tmp_path / "professions.txt").write_text(
        "# comment\nwelder|Сварщик|industry||6 2 2 1 2|technic|15.01.05|physics||Соединяет металлические детали сваркой на производстве.\n",
        encoding="utf-8",
    )
    monkeypatch.setattr(shipped, "DATA", tmp_path)
    with pytest.raises(ShippedDataError, match=r"professions.txt, строка 2, поле «профиль»: нужно шесть чисел"):
        professions_read(sectors={"industry"}, subjects={"physics"}, specialities={"15.01.05"})


def test_an_unknown_okso_code_is_refused_naming_the_field(tmp_path, monkeypatch):
    (tmp_path / "professions.txt").write_text(
        "welder|Сварщик|industry||6 2 2 1 2 3|technic|15.01.99|physics||Соединяет металлические детали сваркой на производстве.\n",
        encoding="utf-8",
    )
    monkeypatch.setattr(shipped, "DATA", tmp_path)
    with pytest.raises(ShippedDataError, match=r"строка 1, поле «коды ОКСО»: кода «15.01.99» нет"):
        professions_read(sectors={"industry"}, subjects={"physics"}, specialities={"15.01.05"})


def test_reference_programmes_load_with_their_confirmation_and_match_existing_institutions(catalogue, cast):
    sogu = Organization.objects.create(
        name="Северо-Осетинский государственный университет имени Коста Левановича Хетагурова", short_name="СОГУ им. К. Л. Хетагурова",
        kind=Organization.Kind.UNIVERSITY,
    )  # fmt: skip
    created = catalog_reference_load()
    assert created["programmes"] == 31
    assert Programme.objects.filter(institution=sogu).count() == 16  # matched by name, not created again
    assert Organization.objects.filter(short_name__startswith="СОГУ").count() == 1
    assert Programme.objects.get(institution=sogu, speciality__code="09.03.01").is_confirmed
    assert not Programme.objects.get(speciality__code="31.05.01").is_confirmed  # СОГМА: derived from a faculty's name
    assert CatalogueChange.objects.exists()
    assert catalog_reference_load() == {"institutions": 0, "programmes": 0}
