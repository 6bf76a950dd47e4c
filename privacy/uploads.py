"""A signed paper consent scanned by the school: what the file really is, judged by its content and never by its
name or the content type the browser claims (the same way as a school's order on its профминимум level).

PDF starts with «%PDF-»; JPEG with FF D8 FF; PNG with its eight-byte signature."""

from dataclasses import dataclass

from django.core.exceptions import ValidationError

MAX_PAPER_BYTES = 10 * 1024 * 1024  # 10 МБ

PDF_MAGIC = b"%PDF-"
JPEG_MAGIC = b"\xff\xd8\xff"
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


@dataclass(frozen=True)
class ScanKind:
    extension: str
    content_type: str
    label: str


PDF = ScanKind("pdf", "application/pdf", "PDF")
JPEG = ScanKind("jpg", "image/jpeg", "JPEG")
PNG = ScanKind("png", "image/png", "PNG")
KINDS_BY_EXTENSION = {kind.extension: kind for kind in (PDF, JPEG, PNG)}

WHAT = "PDF, JPEG или PNG, до 10 МБ"
NOT_A_SCAN = f"Файл не похож на скан ({WHAT}): приложите подписанное согласие в одном из этих форматов."


def megabytes(size: int) -> str:
    """«10,4 МБ»: one decimal, Russian decimal comma."""
    return f"{size / (1024 * 1024):.1f}".replace(".", ",") + " МБ"


def scan_kind(file) -> ScanKind | None:
    """What the file's content says it is, or None. Reads from the start and leaves the file at the start."""
    file.seek(0)
    head = file.read(8)
    file.seek(0)
    if head.startswith(PDF_MAGIC):
        return PDF
    if head.startswith(JPEG_MAGIC):
        return JPEG
    if head.startswith(PNG_MAGIC):
        return PNG
    return None


def signed_paper_check(file) -> ScanKind:
    """The kind of an uploaded scan, or a ValidationError in Russian naming what is wrong."""
    if file is None:
        raise ValidationError(f"Приложите скан подписанного согласия ({WHAT}).")
    size = getattr(file, "size", None)
    if size is None:
        file.seek(0, 2)
        size = file.tell()
        file.seek(0)
    if size == 0:
        raise ValidationError(f"Файл пустой: приложите скан подписанного согласия ({WHAT}).")
    if size > MAX_PAPER_BYTES:
        raise ValidationError(f"Файл слишком большой ({megabytes(size)}): допускается не больше 10 МБ.")
    kind = scan_kind(file)
    if kind is None:
        raise ValidationError(NOT_A_SCAN)
    return kind


def kind_of_stored(name: str) -> ScanKind | None:
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    return KINDS_BY_EXTENSION.get(extension)
