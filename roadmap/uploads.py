"""Evidence files of roadmap reports: what a file really is, judged by its content and never by its name or the
content type the browser claims (as a school's order on its level is, profminimum.uploads).

Accepted: PDF, Word (DOC, DOCX), Excel (XLSX), and photographs or scans (JPEG, PNG), up to 10 МБ. An Office file
is a ZIP archive, judged by its directory alone (names and declared sizes), read without inflating anything; an
archive that would inflate past what a real document holds is refused (a ZIP bomb)."""

import zipfile
from dataclasses import dataclass

from django.core.exceptions import ValidationError

from core.formatting import count_text
from profminimum.uploads import DOCX_MAX_MEMBERS, DOCX_MAX_RATIO, DOCX_MAX_UNPACKED, DOCX_RATIO_FLOOR, megabytes, unpacked_size_text

MAX_EVIDENCE_BYTES = 10 * 1024 * 1024  # 10 МБ
WHAT = "PDF, DOC, DOCX, XLSX, JPEG или PNG, до 10 МБ"

PDF_MAGIC = b"%PDF-"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = b"PK\x03\x04"
JPEG_MAGIC = b"\xff\xd8\xff"
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


@dataclass(frozen=True)
class EvidenceKind:
    extension: str
    content_type: str
    label: str


PDF = EvidenceKind("pdf", "application/pdf", "PDF")
DOC = EvidenceKind("doc", "application/msword", "DOC")
DOCX = EvidenceKind("docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "DOCX")
XLSX = EvidenceKind("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "XLSX")
JPEG = EvidenceKind("jpg", "image/jpeg", "JPEG")
PNG = EvidenceKind("png", "image/png", "PNG")
KINDS_BY_EXTENSION = {kind.extension: kind for kind in (PDF, DOC, DOCX, XLSX, JPEG, PNG)}

NOT_EVIDENCE = f"Файл не похож на документ или снимок ({WHAT}): приложите подтверждение в одном из этих форматов."
RESAVE = "Сохраните файл заново или приложите его в PDF."


class ArchiveTooLarge(Exception):
    pass


def _archive_check(archive: zipfile.ZipFile) -> None:
    members = archive.infolist()
    unpacked = sum(member.file_size for member in members)
    packed = sum(member.compress_size for member in members)
    if len(members) > DOCX_MAX_MEMBERS:
        raise ArchiveTooLarge(f"Файл не принят: в нём {count_text(len(members), 'часть', 'части', 'частей')}. {RESAVE}")
    packs_too_well = unpacked > DOCX_RATIO_FLOOR and unpacked > DOCX_MAX_RATIO * max(packed, 1)
    part_packs_too_well = any(
        member.file_size > DOCX_RATIO_FLOOR and member.file_size > DOCX_MAX_RATIO * max(member.compress_size, 1) for member in members
    )
    if unpacked > DOCX_MAX_UNPACKED or packs_too_well or part_packs_too_well:
        raise ArchiveTooLarge(f"Файл не принят: при распаковке он занял бы {unpacked_size_text(unpacked)}. {RESAVE}")


def evidence_kind(file) -> EvidenceKind | None:
    """What the file's content says it is, or None; raises ArchiveTooLarge for an Office file that would inflate past
    the bounds. Leaves the file at its start."""
    file.seek(0)
    head = file.read(8)
    try:
        if head.startswith(PDF_MAGIC):
            return PDF
        if head.startswith(OLE_MAGIC):
            return DOC
        if head.startswith(JPEG_MAGIC):
            return JPEG
        if head.startswith(PNG_MAGIC):
            return PNG
        if head.startswith(ZIP_MAGIC):
            file.seek(0)
            try:
                with zipfile.ZipFile(file) as archive:
                    names = set(archive.namelist())
                    kind = DOCX if "word/document.xml" in names else XLSX if "xl/workbook.xml" in names else None
                    if kind is not None:
                        _archive_check(archive)
                    return kind
            except (zipfile.BadZipFile, OSError, ValueError, EOFError):
                return None
        return None
    finally:
        file.seek(0)


def evidence_file_check(file) -> EvidenceKind:
    """The kind of an uploaded evidence file, or a ValidationError in Russian naming what is wrong."""
    if file is None:
        raise ValidationError(f"Выберите файл ({WHAT}).")
    size = getattr(file, "size", None)
    if size is None:
        file.seek(0, 2)
        size = file.tell()
        file.seek(0)
    if size == 0:
        raise ValidationError(f"Файл пустой: приложите подтверждение ({WHAT}).")
    if size > MAX_EVIDENCE_BYTES:
        raise ValidationError(f"Файл слишком большой ({megabytes(size)}): допускается не больше 10 МБ.")
    try:
        kind = evidence_kind(file)
    except ArchiveTooLarge as error:
        raise ValidationError(str(error)) from None
    if kind is None:
        raise ValidationError(NOT_EVIDENCE)
    return kind


def kind_of_stored(name: str) -> EvidenceKind | None:
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    return KINDS_BY_EXTENSION.get(extension)
