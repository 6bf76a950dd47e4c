"""Uploaded order documents (a school's order on its профминимум level): what a file really is, judged by
its content and never by its name or by the content type the browser claims.

PDF starts with «%PDF-»; an old Word document (.doc) is an OLE compound file (D0 CF 11 E0 A1 B1 1A E1);
a .docx is a ZIP archive holding word/document.xml."""

import zipfile
from dataclasses import dataclass

from django.core.exceptions import ValidationError

MAX_ORDER_BYTES = 10 * 1024 * 1024  # 10 МБ

PDF_MAGIC = b"%PDF-"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = b"PK\x03\x04"


@dataclass(frozen=True)
class DocumentKind:
    extension: str
    content_type: str
    label: str


PDF = DocumentKind("pdf", "application/pdf", "PDF")
DOC = DocumentKind("doc", "application/msword", "DOC")
DOCX = DocumentKind("docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "DOCX")
KINDS_BY_EXTENSION = {kind.extension: kind for kind in (PDF, DOC, DOCX)}

NOT_A_DOCUMENT = "Файл не похож на PDF, DOC или DOCX: приложите приказ в одном из этих форматов."


def megabytes(size: int) -> str:
    """«10,4 МБ»: one decimal, Russian decimal comma."""
    return f"{size / (1024 * 1024):.1f}".replace(".", ",") + " МБ"


def document_kind(file) -> DocumentKind | None:
    """What the file's content says it is, or None. Reads from the start and leaves the file at the start."""
    file.seek(0)
    head = file.read(8)
    try:
        if head.startswith(PDF_MAGIC):
            return PDF
        if head.startswith(OLE_MAGIC):
            return DOC
        if head.startswith(ZIP_MAGIC):
            file.seek(0)
            try:
                with zipfile.ZipFile(file) as archive:
                    names = set(archive.namelist())
            except (zipfile.BadZipFile, OSError, ValueError):
                return None
            return DOCX if "word/document.xml" in names else None
        return None
    finally:
        file.seek(0)


def order_document_check(file) -> DocumentKind:
    """The kind of an uploaded order, or a ValidationError in Russian naming what is wrong."""
    if file is None:
        raise ValidationError("Приложите файл приказа (PDF, DOC или DOCX, до 10 МБ).")
    size = getattr(file, "size", None)
    if size is None:
        file.seek(0, 2)
        size = file.tell()
        file.seek(0)
    if size == 0:
        raise ValidationError("Файл пустой: приложите приказ (PDF, DOC или DOCX, до 10 МБ).")
    if size > MAX_ORDER_BYTES:
        raise ValidationError(f"Файл слишком большой ({megabytes(size)}): допускается не больше 10 МБ.")
    kind = document_kind(file)
    if kind is None:
        raise ValidationError(NOT_A_DOCUMENT)
    return kind


def kind_of_stored(name: str) -> DocumentKind | None:
    """The kind of a stored order by the extension the platform gave it when it checked the content."""
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    return KINDS_BY_EXTENSION.get(extension)
