"""A signed paper consent scanned by the school: PDF, JPEG or PNG up to 10 МБ, judged by its content
(core.uploads, as a school's order on its профминимум level is), with this form's messages."""

from core.uploads import JPEG, PDF, PNG, FileKind, UploadRules, upload_check
from core.uploads import kind_of_stored as kind_of_stored

ScanKind = FileKind
SCAN_KINDS = (PDF, JPEG, PNG)

WHAT = "PDF, JPEG или PNG, до 10 МБ"
NOT_A_SCAN = f"Файл не похож на скан ({WHAT}): приложите подписанное согласие в одном из этих форматов."

SCAN_RULES = UploadRules(
    accepted=SCAN_KINDS,
    missing=f"Приложите скан подписанного согласия ({WHAT}).",
    empty=f"Файл пустой: приложите скан подписанного согласия ({WHAT}).",
    not_accepted=NOT_A_SCAN,
    archive_refused=lambda error: NOT_A_SCAN,  # no archive is accepted: never asked
)


def signed_paper_check(file) -> FileKind:
    """The kind of an uploaded scan, or a ValidationError in Russian naming what is wrong."""
    return upload_check(file, SCAN_RULES)
