"""Files as schools really have them, built in the test: an XLSX with a merged title row above the header, a CSV
in Windows-1251 with «;»; and the way through an import — upload, the check (the preview), the commit — as the
worker runs it."""

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from imports.services import batch_check, batch_commit, batch_commit_request, batch_upload


def xlsx_bytes(header: list, rows: list[list], *, title: str | None = "Список обучающихся на 01.09", extra_rows: int = 1) -> bytes:
    """A workbook whose first sheet has a merged title row, `extra_rows` empty rows, the header and the rows."""
    book = Workbook()
    sheet = book.active
    sheet.title = "Ученики"
    if title:
        sheet.append([title])
        sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=max(len(header), 2))
        for _ in range(extra_rows):
            sheet.append([])
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def csv_bytes(header: list, rows: list[list], *, encoding: str = "cp1251", delimiter: str = ";") -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter)
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue().encode(encoding)


def upload_file(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


@pytest.fixture
def media(settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": str(tmp_path)}},
    }
    return tmp_path


class Importing:
    """Upload → check → commit, as the pages and the worker do it."""

    def __init__(self, cast):
        self.cast = cast

    def check(
        self, content: bytes, *, name: str = "spisok.xlsx", user: str = "coordinator_a1", school: str | None = "a1", kind: str = "students"
    ):
        batch = batch_upload(
            user=self.cast.user(user), kind=kind, upload=upload_file(name, content),
            school=self.cast.orgs[school] if school else None,
        )  # fmt: skip
        return batch_check(batch_id=batch.pk)

    def commit(self, batch, *, skip_errors: bool = False, user: str = "coordinator_a1"):
        batch_commit_request(user=self.cast.user(user), batch=batch, skip_errors=skip_errors)
        return batch_commit(batch_id=batch.pk)

    def load(self, content: bytes, **kwargs):
        skip = kwargs.pop("skip_errors", False)
        return self.commit(self.check(content, **kwargs), skip_errors=skip, user=kwargs.get("user", "coordinator_a1"))


@pytest.fixture
def importing(cast, media) -> Importing:
    return Importing(cast)
