"""The import of the catalogue's programmes, walked like the pages: every fuzz value in every column of the file.
The check must end in a preview or a refusal in Russian, never an exception, and write nothing to the catalogue."""

import pytest
from django.core.exceptions import ValidationError

from catalog.models import CatalogueChange, Programme
from catalog.shipped import catalog_shipped_ensure
from fuzz_tests.targets import FUZZ_VALUES
from imports.importers.programmes import IMPORTER
from imports.models import ImportBatch
from imports.tests.conftest import Importing, csv_bytes


@pytest.fixture
def importing(cast, settings, tmp_path) -> Importing:
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": str(tmp_path)}},
    }
    catalog_shipped_ensure()
    return Importing(cast)


@pytest.mark.parametrize("label", sorted(FUZZ_VALUES))
def test_every_fuzz_value_in_every_column_of_the_programmes_file_is_a_named_problem_not_a_crash(cast, importing, label):
    value = FUZZ_VALUES[label]
    header = [c.header for c in IMPORTER.columns]
    good = ["Колледж", "09.02.07", "Информационные системы и программирование", "", "очная", "", "", "да"]
    rows = [[value if index == column else cell for index, cell in enumerate(good)] for column in range(len(header))]
    before = (Programme.objects.count(), CatalogueChange.objects.count())
    try:
        batch = importing.check(
            csv_bytes(header, rows, encoding="utf-8"), name="spisok.csv", kind="programmes", user="operator", school=None
        )
    except ValidationError as refusal:  # refused at the upload (a NUL byte makes it no text file)
        assert "Нужна таблица Excel (XLSX) или CSV" in " ".join(refusal.messages)
        return
    assert batch.status in {ImportBatch.Status.CHECKED, ImportBatch.Status.REFUSED}, batch.message
    assert batch.status == ImportBatch.Status.REFUSED or batch.rows_total == len(header)
    assert (Programme.objects.count(), CatalogueChange.objects.count()) == before
