"""What the imports hold about a student, for the family's page, the export and erasure, and how long an uploaded
file is kept (privacy.registry).

A file a school uploaded names its students and parents: it and the problems found in it (which quote the cells)
are kept for a month after the upload — long enough to look into a failed or doubtful import — and then deleted;
the log row of the upload stays (who loaded what kind of file, when, how many rows did what), without a name in it.
The school's own number of a student is held while the student is; erasure removes it."""

from django.utils import timezone

from imports.models import ImportBatch, ImportProblem, ParentCode, StudentSchoolId
from privacy.registry import DELETED, Section, personal_data


@personal_data.holder("imports", order=70)
def held(student, *, full: bool) -> Section | None:
    codes = list(StudentSchoolId.objects.filter(student=student).select_related("school").order_by("pk"))
    if not codes:
        return None
    section = Section("imports", "Номер в школе", facts=[(code.school.short_name, code.code) for code in codes])
    if full:
        section.data = [{"school": code.school.short_name, "code": code.code} for code in codes]
    return section


@personal_data.eraser("imports", order=70)
def erase(student, act) -> None:
    count, _ = StudentSchoolId.objects.filter(student=student).delete()
    act.add("Номер обучающегося в школе", StudentSchoolId, count, DELETED)
    count, _ = ParentCode.objects.filter(student=student).delete()
    act.add("Коды для привязки родителей", ParentCode, count, DELETED)


def _files_delete(batches) -> int:
    """Delete the files and the problems of the batches; keep their log rows."""
    count = 0
    for batch in batches.only("pk", "file"):
        if batch.file:
            batch.file.delete(save=False)
        ImportProblem.objects.filter(batch=batch).delete()
        ImportBatch.objects.filter(pk=batch.pk).update(file="", parsed=None, file_deleted_at=timezone.now())
        count += 1
    return count


@personal_data.purger(
    "imports.files", title="Загруженные файлы и найденные в них ошибки", days=30,
    basis="Месяц — чтобы разобраться в неудачной или сомнительной загрузке; данные из файла уже в платформе.",
    apply=_files_delete, describe=lambda row: f"загрузка № {row.pk} от {row.created_at:%d.%m.%Y}",
)  # fmt: skip
def files_expired(cutoff):
    return ImportBatch.objects.filter(created_at__lt=cutoff, file_deleted_at__isnull=True)
