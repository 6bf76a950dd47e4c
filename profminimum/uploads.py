"""Uploaded order documents (a school's order on its профминимум level): what a file really is, judged by
its content and never by its name or by the content type the browser claims.

PDF starts with «%PDF-»; an old Word document (.doc) is an OLE compound file (D0 CF 11 E0 A1 B1 1A E1);
a .docx is a ZIP archive holding word/document.xml.

A .docx is judged by its archive's directory alone (names and the sizes it declares), which is read without
inflating anything. An archive that would inflate past a bound is refused all the same — a 10 МБ upload can
declare gigabytes (a ZIP bomb: a «.docx» of 1 ГБ of zeros packs into about 1 МБ) — because whoever opens the
order later (Word on a ministry computer, an indexer) inflates it. A real order is a few pages with perhaps
some scans: a few megabytes unpacked, text that packs about ten to one, images that barely pack."""

import zipfile
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError

from core.formatting import count_text, number

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

# The bounds of a .docx archive, from its declared sizes.
DOCX_MAX_UNPACKED = 100 * 1024 * 1024  # everything inside, unpacked
DOCX_MAX_MEMBERS = 2000  # parts and pictures
DOCX_MAX_RATIO = 100  # unpacked : packed, over the archive and for any part larger than the floor below
DOCX_RATIO_FLOOR = 1024 * 1024  # smaller parts may pack better than that (a page of repeated markup) and harm nobody
RESAVE = "Сохраните приказ в Word заново или приложите его в PDF."
INFLATES_TOO_MUCH = "Файл DOCX не принят: при распаковке он занял бы {unpacked} — в настоящем приказе столько данных не бывает. " + RESAVE
TOO_MANY_PARTS = "Файл DOCX не принят: в нём {parts} — в настоящем приказе их десятки. " + RESAVE


def megabytes(size: int) -> str:
    """«10,4 МБ»: one decimal, Russian decimal comma."""
    return f"{size / (1024 * 1024):.1f}".replace(".", ",") + " МБ"


def unpacked_size_text(size: int) -> str:
    """«250 МБ», «1 ГБ», «1,5 ГБ»: what an archive declares, which may be far beyond megabytes."""
    if size >= 1024**3:
        return f"{number(Decimal(size) / 1024**3)} ГБ"
    return f"{number(Decimal(size) / 1024**2)} МБ"


class ArchiveTooLarge(Exception):
    """A .docx whose archive declares more than the bounds above; the message says what, in Russian."""


def _archive_check(archive: zipfile.ZipFile) -> None:
    """Raises ArchiveTooLarge if the archive's directory declares more than a real document holds. Reads the
    directory only: nothing is inflated."""
    members = archive.infolist()
    unpacked = sum(member.file_size for member in members)
    packed = sum(member.compress_size for member in members)
    too_many = len(members) > DOCX_MAX_MEMBERS
    too_big = unpacked > DOCX_MAX_UNPACKED
    packs_too_well = unpacked > DOCX_RATIO_FLOOR and unpacked > DOCX_MAX_RATIO * max(packed, 1)
    part_packs_too_well = any(
        member.file_size > DOCX_RATIO_FLOOR and member.file_size > DOCX_MAX_RATIO * max(member.compress_size, 1) for member in members
    )
    if too_many:
        raise ArchiveTooLarge(TOO_MANY_PARTS.format(parts=count_text(len(members), "часть", "части", "частей")))
    if too_big or packs_too_well or part_packs_too_well:
        raise ArchiveTooLarge(INFLATES_TOO_MUCH.format(unpacked=unpacked_size_text(unpacked)))


def document_kind(file) -> DocumentKind | None:
    """What the file's content says it is, or None. Reads from the start and leaves the file at the start.
    A .docx whose archive would inflate past the bounds raises ArchiveTooLarge."""
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
                    is_docx = "word/document.xml" in names
                    if is_docx:
                        _archive_check(archive)
            except (zipfile.BadZipFile, OSError, ValueError):
                return None
            return DOCX if is_docx else None
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
    try:
        kind = document_kind(file)
    except ArchiveTooLarge as error:
        raise ValidationError(str(error)) from None
    if kind is None:
        raise ValidationError(NOT_A_DOCUMENT)
    return kind


def kind_of_stored(name: str) -> DocumentKind | None:
    """The kind of a stored order by the extension the platform gave it when it checked the content."""
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    return KINDS_BY_EXTENSION.get(extension)
