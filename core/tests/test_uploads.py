"""The kernel's judgement of an uploaded file (core.uploads), which the order, consent, evidence and import forms
share: a file is what its content says, among the kinds a form accepts, and an archive that would inflate past its
bounds is refused with what it declares."""

import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from core.uploads import (
    DOC,
    DOCX,
    JPEG,
    OFFICE_BOUNDS,
    PDF,
    PNG,
    XLSX,
    ArchiveTooLarge,
    UploadRules,
    file_kind,
    kind_of_stored,
    upload_check,
)


def _zip(*names: str, payload: bytes = b"<x/>") -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name in names:
            archive.writestr(name, payload)
    return buffer.getvalue()


FILES = {
    "pdf": b"%PDF-1.7\n...",
    "doc": b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 64,
    "jpeg": b"\xff\xd8\xff\xe0" + b"\0" * 64,
    "png": b"\x89PNG\r\n\x1a\n" + b"\0" * 64,
    "docx": _zip("[Content_Types].xml", "word/document.xml"),
    "xlsx": _zip("[Content_Types].xml", "xl/workbook.xml"),
    "zip": _zip("readme.txt"),
    "text": "Приказ № 1".encode(),
}
ALL = (PDF, DOC, DOCX, XLSX, JPEG, PNG)


@pytest.mark.parametrize(
    ("name", "expected"),
    [("pdf", PDF), ("doc", DOC), ("jpeg", JPEG), ("png", PNG), ("docx", DOCX), ("xlsx", XLSX), ("zip", None), ("text", None)],
)
def test_a_file_is_the_kind_its_content_says_whatever_it_is_called(name, expected):
    upload = io.BytesIO(FILES[name])
    assert file_kind(upload, ALL) == expected
    assert upload.tell() == 0  # left at its start, for whoever stores it


def test_a_kind_the_form_does_not_accept_is_not_recognised():
    documents = (PDF, DOC, DOCX)
    assert file_kind(io.BytesIO(FILES["jpeg"]), documents) is None
    assert file_kind(io.BytesIO(FILES["xlsx"]), documents) is None
    assert file_kind(io.BytesIO(FILES["docx"]), (PDF, JPEG, PNG)) is None


def test_an_office_file_that_declares_more_than_a_real_document_is_refused_without_inflating_it():
    bomb = _zip("[Content_Types].xml", "word/document.xml", payload=b"\0" * (5 * 1024 * 1024))  # packs ~1000:1
    with pytest.raises(ArchiveTooLarge) as refused:
        file_kind(io.BytesIO(bomb), ALL)
    assert refused.value.parts is None and refused.value.unpacked > 5 * 1024 * 1024
    many = _zip("word/document.xml", *[f"word/media/{n}.png" for n in range(OFFICE_BOUNDS.max_members)])
    with pytest.raises(ArchiveTooLarge) as refused:
        file_kind(io.BytesIO(many), ALL)
    assert refused.value.parts == OFFICE_BOUNDS.max_members + 1


RULES = UploadRules(
    accepted=(PDF,), missing="Приложите файл.", empty="Файл пустой.", not_accepted="Нужен PDF.",
    archive_refused=lambda error: "Архив слишком велик.", max_bytes=1024 * 1024,
)  # fmt: skip


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (None, "Приложите файл."),
        (SimpleUploadedFile("a.pdf", b""), "Файл пустой."),
        (SimpleUploadedFile("a.pdf", b"%PDF-" + b"0" * (1024 * 1024)), "Файл слишком большой (1,0 МБ): допускается не больше 1 МБ."),
        (SimpleUploadedFile("a.pdf", FILES["text"]), "Нужен PDF."),
    ],
    ids=["missing", "empty", "too-big", "another-kind"],
)
def test_each_refusal_names_its_reason_in_russian(upload, message):
    with pytest.raises(ValidationError) as refused:
        upload_check(upload, RULES)
    assert refused.value.messages == [message]


def test_a_stored_file_is_served_as_the_kind_its_extension_was_given():
    assert kind_of_stored("orders/12/приказ.docx") == DOCX
    assert kind_of_stored("scans/3.JPG") == JPEG
    assert kind_of_stored("без-расширения") is None
