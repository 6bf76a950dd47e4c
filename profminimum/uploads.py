"""A school's order on its профминимум level (and a partner's agreement, events): PDF, DOC or DOCX up to 10 МБ,
judged by its content (core.uploads), with this form's messages."""

from core.formatting import count_text
from core.uploads import DOC, DOCX, OFFICE_BOUNDS, PDF, ArchiveTooLarge, FileKind, UploadRules, file_kind, unpacked_size_text, upload_check
from core.uploads import kind_of_stored as kind_of_stored

DocumentKind = FileKind
ORDER_KINDS = (PDF, DOC, DOCX)
DOCX_MAX_MEMBERS = OFFICE_BOUNDS.max_members

NOT_A_DOCUMENT = "Файл не похож на PDF, DOC или DOCX: приложите приказ в одном из этих форматов."
RESAVE = "Сохраните приказ в Word заново или приложите его в PDF."
INFLATES_TOO_MUCH = "Файл DOCX не принят: при распаковке он занял бы {unpacked} — в настоящем приказе столько данных не бывает. " + RESAVE
TOO_MANY_PARTS = "Файл DOCX не принят: в нём {parts} — в настоящем приказе их десятки. " + RESAVE


def _archive_refused(error: ArchiveTooLarge) -> str:
    if error.parts is not None:
        return TOO_MANY_PARTS.format(parts=count_text(error.parts, "часть", "части", "частей"))
    return INFLATES_TOO_MUCH.format(unpacked=unpacked_size_text(error.unpacked))


ORDER_RULES = UploadRules(
    accepted=ORDER_KINDS,
    missing="Приложите файл приказа (PDF, DOC или DOCX, до 10 МБ).",
    empty="Файл пустой: приложите приказ (PDF, DOC или DOCX, до 10 МБ).",
    not_accepted=NOT_A_DOCUMENT,
    archive_refused=_archive_refused,
)


def document_kind(file) -> FileKind | None:
    """What the file's content says it is (PDF, DOC, DOCX), or None; a .docx whose archive would inflate past the
    bounds raises ArchiveTooLarge."""
    return file_kind(file, ORDER_KINDS)


def order_document_check(file) -> FileKind:
    """The kind of an uploaded order, or a ValidationError in Russian naming what is wrong."""
    return upload_check(file, ORDER_RULES)
