"""Uploaded files judged by what they contain, never by their names or by the content type the browser claims. This
is the one place for the checks made on a school's order (profminimum), a signed paper consent (privacy), a
roadmap report's evidence (roadmap) and a table to import (imports). Each domain names the kinds it accepts and
words its own messages.

How each kind is recognised:
- PDF starts with «%PDF-».
- An old Word file (.doc) is an OLE compound file: D0 CF 11 E0 A1 B1 1A E1.
- JPEG starts with FF D8 FF; PNG with its eight-byte signature.
- DOCX and XLSX are ZIP archives that hold word/document.xml or xl/workbook.xml.

An Office file is judged by its archive's directory alone (the names and the sizes it declares), which is read
without inflating anything. An archive that would inflate past its bounds is refused all the same. A 10 МБ
upload can declare gigabytes (a ZIP bomb: a «.docx» of 1 ГБ of zeros packs into about 1 МБ), and whoever opens
the file later (Word on a ministry computer, an indexer) inflates it."""

import zipfile
from collections.abc import Callable, Collection
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError

from core.formatting import number

MAX_UPLOAD_BYTES = 10 * 1024 * 1024  # 10 МБ

PDF_MAGIC = b"%PDF-"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = b"PK\x03\x04"
JPEG_MAGIC = b"\xff\xd8\xff"
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


@dataclass(frozen=True)
class FileKind:
    extension: str  # the one the platform gives the stored file
    content_type: str
    label: str


PDF = FileKind("pdf", "application/pdf", "PDF")
DOC = FileKind("doc", "application/msword", "DOC")
DOCX = FileKind("docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "DOCX")
XLSX = FileKind("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "XLSX")
JPEG = FileKind("jpg", "image/jpeg", "JPEG")
PNG = FileKind("png", "image/png", "PNG")
KINDS_BY_EXTENSION = {kind.extension: kind for kind in (PDF, DOC, DOCX, XLSX, JPEG, PNG)}
_BY_MAGIC = ((PDF_MAGIC, PDF), (OLE_MAGIC, DOC), (JPEG_MAGIC, JPEG), (PNG_MAGIC, PNG))


@dataclass(frozen=True)
class ArchiveBounds:
    max_unpacked: int  # everything inside, unpacked
    max_members: int  # parts and pictures
    max_ratio: int  # unpacked : packed, over the archive and for any part larger than the floor below
    ratio_floor: int  # smaller parts may pack better than that (a page of repeated markup) and harm nobody


# A real document is a few pages, perhaps with some scans: a few megabytes unpacked. Its text packs about ten to one;
# its images barely pack.
OFFICE_BOUNDS = ArchiveBounds(max_unpacked=100 * 1024 * 1024, max_members=2000, max_ratio=100, ratio_floor=1024 * 1024)


class ArchiveTooLarge(Exception):
    """An archive whose directory declares more than its bounds allow. `parts` is set when it has too many parts;
    `unpacked` is what it declares in all. Each domain words the message."""

    def __init__(self, *, unpacked: int, parts: int | None = None):
        super().__init__(f"unpacked={unpacked} parts={parts}")
        self.unpacked, self.parts = unpacked, parts


def archive_check(archive: zipfile.ZipFile, bounds: ArchiveBounds = OFFICE_BOUNDS) -> None:
    """Raises ArchiveTooLarge if the archive's directory declares more than its bounds allow. Only the directory
    is read; nothing is inflated."""
    members = archive.infolist()
    unpacked = sum(member.file_size for member in members)
    packed = sum(member.compress_size for member in members)
    if len(members) > bounds.max_members:
        raise ArchiveTooLarge(unpacked=unpacked, parts=len(members))
    packs_too_well = unpacked > bounds.ratio_floor and unpacked > bounds.max_ratio * max(packed, 1)
    part_packs_too_well = any(
        member.file_size > bounds.ratio_floor and member.file_size > bounds.max_ratio * max(member.compress_size, 1) for member in members
    )
    if unpacked > bounds.max_unpacked or packs_too_well or part_packs_too_well:
        raise ArchiveTooLarge(unpacked=unpacked)


def megabytes(size: int) -> str:
    """«10,4 МБ»: one decimal, Russian decimal comma."""
    return f"{size / (1024 * 1024):.1f}".replace(".", ",") + " МБ"


def unpacked_size_text(size: int) -> str:
    """«250 МБ», «1 ГБ», «1,5 ГБ»: what an archive declares, which may be far beyond megabytes."""
    if size >= 1024**3:
        return f"{number(Decimal(size) / 1024**3)} ГБ"
    return f"{number(Decimal(size) / 1024**2)} МБ"


def upload_size(file) -> int:
    """The file's size in bytes; leaves the file at its start."""
    size = getattr(file, "size", None)
    if size is None:
        file.seek(0, 2)
        size = file.tell()
    file.seek(0)
    return size


def file_kind(file, accepted: Collection[FileKind]) -> FileKind | None:
    """Which of the accepted kinds the file's content says it is, or None. Reads from the start and leaves the file
    at the start. An accepted Office file whose archive would inflate past its bounds raises ArchiveTooLarge."""
    file.seek(0)
    head = file.read(8)
    try:
        for magic, kind in _BY_MAGIC:
            if head.startswith(magic):
                return kind if kind in accepted else None
        if head.startswith(ZIP_MAGIC) and (DOCX in accepted or XLSX in accepted):
            file.seek(0)
            try:
                with zipfile.ZipFile(file) as archive:
                    names = set(archive.namelist())
                    kind = DOCX if "word/document.xml" in names else XLSX if "xl/workbook.xml" in names else None
                    if kind not in accepted:
                        return None
                    archive_check(archive)
                    return kind
            except (zipfile.BadZipFile, OSError, ValueError, EOFError):
                return None
        return None
    finally:
        file.seek(0)


@dataclass(frozen=True)
class UploadRules:
    """What a form accepts, and its messages: no file, an empty file, a file of another kind, an archive that
    inflates too much (worded from the ArchiveTooLarge)."""

    accepted: tuple[FileKind, ...]
    missing: str
    empty: str
    not_accepted: str
    archive_refused: Callable[[ArchiveTooLarge], str]
    max_bytes: int = MAX_UPLOAD_BYTES


def upload_check(file, rules: UploadRules) -> FileKind:
    """The kind of an uploaded file, or a ValidationError in Russian naming what is wrong with it."""
    if file is None:
        raise ValidationError(rules.missing)
    size = upload_size(file)
    if size == 0:
        raise ValidationError(rules.empty)
    if size > rules.max_bytes:
        limit = f"{rules.max_bytes // (1024 * 1024)} МБ"
        raise ValidationError(f"Файл слишком большой ({megabytes(size)}): допускается не больше {limit}.")
    try:
        kind = file_kind(file, rules.accepted)
    except ArchiveTooLarge as error:
        raise ValidationError(rules.archive_refused(error)) from None
    if kind is None:
        raise ValidationError(rules.not_accepted)
    return kind


def kind_of_stored(name: str) -> FileKind | None:
    """The kind of a stored file by the extension the platform gave it when it checked the content."""
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    return KINDS_BY_EXTENSION.get(extension)
