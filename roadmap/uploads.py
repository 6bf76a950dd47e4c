"""Evidence files of roadmap reports: PDF, Word (DOC, DOCX), Excel (XLSX), and photographs or scans (JPEG, PNG), up
to 10 МБ, judged by their content (core.uploads, as a school's order on its level is), with this form's messages."""

from core.formatting import count_text
from core.uploads import DOC, DOCX, JPEG, PDF, PNG, XLSX, ArchiveTooLarge, FileKind, UploadRules, unpacked_size_text, upload_check
from core.uploads import kind_of_stored as kind_of_stored

EvidenceKind = FileKind
EVIDENCE_KINDS = (PDF, DOC, DOCX, XLSX, JPEG, PNG)
WHAT = "PDF, DOC, DOCX, XLSX, JPEG или PNG, до 10 МБ"
NOT_EVIDENCE = f"Файл не похож на документ или снимок ({WHAT}): приложите подтверждение в одном из этих форматов."
RESAVE = "Сохраните файл заново или приложите его в PDF."


def _archive_refused(error: ArchiveTooLarge) -> str:
    if error.parts is not None:
        return f"Файл не принят: в нём {count_text(error.parts, 'часть', 'части', 'частей')}. {RESAVE}"
    return f"Файл не принят: при распаковке он занял бы {unpacked_size_text(error.unpacked)}. {RESAVE}"


EVIDENCE_RULES = UploadRules(
    accepted=EVIDENCE_KINDS,
    missing=f"Выберите файл ({WHAT}).",
    empty=f"Файл пустой: приложите подтверждение ({WHAT}).",
    not_accepted=NOT_EVIDENCE,
    archive_refused=_archive_refused,
)


def evidence_file_check(file) -> FileKind:
    """The kind of an uploaded evidence file, or a ValidationError in Russian naming what is wrong."""
    return upload_check(file, EVIDENCE_RULES)
