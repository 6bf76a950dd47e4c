"""Instruments as data: a malformed file is refused with messages naming the place (the validator command and the
operator's upload alike), and a published version is frozen."""

import json

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError

from diagnostics.format import InstrumentFileError, instrument_parse
from diagnostics.models import InstrumentVersion
from diagnostics.tests.conftest import raw_definition, version


def problems_of(data) -> list[str]:
    with pytest.raises(InstrumentFileError) as error:
        instrument_parse(json.dumps(data, ensure_ascii=False))
    return error.value.problems


def test_every_shipped_file_passes_the_validator_command(capsys):
    call_command("instrument_check")
    out = capsys.readouterr().out
    assert out.count("верно") == 4 and "вопросов 60, шкал 6" in out


def test_the_validator_command_refuses_a_malformed_file_naming_the_place(tmp_path, capsys):
    data = raw_definition("choice-readiness")
    data["items"][6]["options"] = "agree5"  # item № 7 names an option set the file lacks
    data["scales"][0]["bands"][1]["from"] = 5  # the «decided» bands skip the score 4
    path = tmp_path / "broken.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(CommandError, match="Файлов с ошибками: 1 из 1"):
        call_command("instrument_check", str(path))
    err = capsys.readouterr().err
    assert "Вопрос № 7: нет набора вариантов «agree5» в «option_sets»" in err


def test_a_file_that_is_not_json_is_refused_with_its_line_and_column():
    with pytest.raises(InstrumentFileError) as error:
        instrument_parse(b'{"format": 1,\n  "code": }')
    assert error.value.problems[0].startswith("Строка 2, столбец 11: файл не читается как JSON")


def test_bands_with_a_gap_are_refused_naming_the_scale_and_the_scores_missing():
    data = raw_definition("choice-readiness")
    data["scales"][0]["bands"][1]["from"] = 5
    assert problems_of(data) == ["Шкала «decided»: между уровнями «низкая» и «средняя» пропущен балл 4"]


def test_an_option_weighting_an_undescribed_scale_is_refused_naming_item_and_option():
    data = raw_definition("professions-five-types")
    data["items"][1]["options"][1]["weights"] = {"signs": 1}
    assert "Вопрос № 2, вариант «b»: шкала «signs» не описана в «scales»" in problems_of(data)


def test_missing_fields_and_unnumbered_items_are_named():
    data = raw_definition("choice-readiness")
    del data["title"]
    data["items"][3]["number"] = 3
    found = problems_of(data)
    assert "Файл: нет обязательного поля «title»" in found
    assert "Поле «items»: номера вопросов повторяются: 3" in found


def test_a_published_version_is_frozen():
    published = version("choice-readiness")
    published.definition = {**published.definition, "title": "Другое"}
    with pytest.raises(ValidationError, match="не меняется"):
        published.save()


def test_an_operator_uploads_another_instrument_file_as_a_new_instrument(cast, client):
    data = raw_definition("choice-readiness") | {"code": "licensed-readiness", "title": "Готовность (лицензия региона)"}
    client.force_login(cast.user("operator"))
    upload = SimpleUploadedFile("x.json", json.dumps(data, ensure_ascii=False).encode(), content_type="application/json")
    response = client.post(
        "/diagnostics/instruments/upload/", {"file": upload, "licence_note": "Договор № 5 от 01.09", "licence_confirmed": "on"}
    )
    assert response.status_code == 302
    uploaded = InstrumentVersion.objects.get(instrument__code="licensed-readiness")
    assert uploaded.source == "uploaded" and uploaded.licence_note == "Договор № 5 от 01.09"


def test_an_uploaded_malformed_file_is_refused_on_the_page_naming_the_place(cast, client):
    data = raw_definition("choice-readiness") | {"code": "licensed-readiness"}
    data["items"][2]["scale"] = "ready"
    client.force_login(cast.user("operator"))
    upload = SimpleUploadedFile("x.json", json.dumps(data, ensure_ascii=False).encode(), content_type="application/json")
    response = client.post("/diagnostics/instruments/upload/", {"file": upload, "licence_note": "Договор", "licence_confirmed": "on"})
    assert response.status_code == 400
    assert "Вопрос № 3: шкала «ready» не описана в «scales»" in response.content.decode()
    assert not InstrumentVersion.objects.filter(instrument__code="licensed-readiness").exists()
