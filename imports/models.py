"""The import log and what imports keep: each uploaded file with its check and its outcome, the problems of its
rows, the school's own student numbers (the stable key of a re-import), parents' one-time codes and the record of
each school's changeover to a new school year."""

from django.conf import settings
from django.db import models

from orgs.models import Municipality, Organization, SchoolYear
from people.models import Student


class ImportBatch(models.Model):
    """One uploaded file: checked (the preview), then committed or not. The row is the import log (who, when, which
    file, how many rows did what) and outlives the file, which is deleted with the problems after the retention
    period (imports.personal_data)."""

    class Kind(models.TextChoices):
        SCHOOLS = "schools", "школы"
        CLASSES = "classes", "классы"
        STUDENTS = "students", "обучающиеся и родители"
        STAFF = "staff", "сотрудники и их роли"
        TICKET = "ticket", "«Билет в будущее»: пробы"
        ADDITIONAL = "additional", "дополнительное образование: зачисления"
        PROGRAMMES = "programmes", "программы колледжей и вузов"

    class Status(models.TextChoices):
        QUEUED = "queued", "ждёт проверки"
        CHECKING = "checking", "проверяется"
        CHECKED = "checked", "проверен, ждёт загрузки"
        REFUSED = "refused", "файл не принят"
        COMMIT_QUEUED = "commit_queued", "ждёт загрузки"
        COMMITTING = "committing", "загружается"
        DONE = "done", "загружен"
        FAILED = "failed", "не загружен"

    kind = models.CharField("что загружается", max_length=20, choices=Kind.choices)
    status = models.CharField("состояние", max_length=20, choices=Status.choices, default=Status.QUEUED)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="кто загрузил", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_by_name = models.CharField("кто загрузил (логин)", max_length=150, blank=True)
    created_at = models.DateTimeField("когда загружен", auto_now_add=True, db_index=True)
    # The one school the file is for (a school coordinator's, or one chosen by a wider role); None: the file names
    # the school of each row.
    school = models.ForeignKey(
        Organization, verbose_name="школа", on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
    )  # fmt: skip
    # The municipality the uploader acted for (a municipal coordinator's): who else sees the batch in the log.
    municipality = models.ForeignKey(
        Municipality, verbose_name="муниципалитет", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    file = models.FileField("файл", upload_to="imports/%Y/%m/", blank=True, max_length=300)
    file_name = models.CharField("имя файла", max_length=255)
    file_size = models.PositiveBigIntegerField("размер файла", default=0)
    file_format = models.CharField("формат", max_length=120, blank=True)
    header_row = models.PositiveIntegerField("строка заголовков", null=True, blank=True)
    rows_total = models.PositiveIntegerField("строк с данными", default=0)
    rows_bad = models.PositiveIntegerField("строк с ошибками", default=0)
    created_count = models.PositiveIntegerField("создано", default=0)
    updated_count = models.PositiveIntegerField("обновлено", default=0)
    unchanged_count = models.PositiveIntegerField("без изменений", default=0)
    skipped_count = models.PositiveIntegerField("пропущено строк с ошибками", default=0)
    accounts_created = models.PositiveIntegerField("создано учётных записей", default=0)
    skip_errors = models.BooleanField("пропустить строки с ошибками", default=False)
    progress_done = models.PositiveIntegerField("обработано строк", default=0)
    progress_total = models.PositiveIntegerField("всего строк (оценка)", default=0)
    phase = models.CharField("этап", max_length=200, blank=True)
    message = models.TextField("итог", blank=True)
    # What the commit will do (the preview) and then what it did: counts and lists in words, for the page.
    plan = models.JSONField("план загрузки", default=dict, blank=True)
    checked_at = models.DateTimeField("проверен", null=True, blank=True)
    # The preview's parse of the rows (imports.framework.checked_freeze), which the commit plans again; cleared
    # once the file is committed.
    parsed = models.BinaryField("разобранные строки", null=True, blank=True, editable=False)
    committed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="кто загрузил в базу", on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+",
    )  # fmt: skip
    finished_at = models.DateTimeField("загружен в базу", null=True, blank=True)
    file_deleted_at = models.DateTimeField("файл удалён", null=True, blank=True)

    class Meta:
        verbose_name = "загрузка файла"
        verbose_name_plural = "журнал загрузок"
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["school", "created_at"]), models.Index(fields=["status", "created_at"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.file_name}"

    @property
    def is_running(self) -> bool:
        return self.status in {self.Status.QUEUED, self.Status.CHECKING, self.Status.COMMIT_QUEUED, self.Status.COMMITTING}

    @property
    def rows_good(self) -> int:
        return max(self.rows_total - self.rows_bad, 0)


class ImportProblem(models.Model):
    """A problem of a file (row None) or of one of its rows: the row as the spreadsheet numbers it, the column as the
    file names it, and the reason in Russian."""

    batch = models.ForeignKey(ImportBatch, verbose_name="загрузка", on_delete=models.CASCADE, related_name="problems")
    row = models.PositiveIntegerField("строка", null=True, blank=True)
    column = models.CharField("столбец", max_length=200, blank=True)
    value = models.CharField("значение", max_length=200, blank=True)
    message = models.CharField("что не так", max_length=600)

    class Meta:
        verbose_name = "ошибка в файле"
        verbose_name_plural = "ошибки в файлах"
        ordering = ["row", "pk"]
        indexes = [models.Index(fields=["batch", "row"])]

    def __str__(self) -> str:
        return f"строка {self.row}: {self.message}" if self.row else self.message


class StudentSchoolId(models.Model):
    """The school's own number of a student (its register or electronic journal id): the stable key by which a
    re-import of the school's list finds the student again."""

    student = models.ForeignKey(Student, verbose_name="обучающийся", on_delete=models.CASCADE, related_name="school_ids")
    school = models.ForeignKey(Organization, verbose_name="школа", on_delete=models.CASCADE, related_name="+")
    code = models.CharField("номер в школе", max_length=50)

    class Meta:
        verbose_name = "номер обучающегося в школе"
        verbose_name_plural = "номера обучающихся в школах"
        constraints = [
            models.UniqueConstraint(fields=["school", "code"], name="unique_school_student_code"),
            models.UniqueConstraint(fields=["student", "school"], name="one_code_per_student_and_school"),
        ]

    def __str__(self) -> str:
        return f"{self.code} ({self.school})"


class ParentCode(models.Model):
    """A one-time code the class teacher prints for a student's family: a parent who enters it is linked to the
    child (and gets an account if they have none). Only the code's hash is kept; printing the list issues new codes
    and voids the old ones."""

    student = models.ForeignKey(Student, verbose_name="обучающийся", on_delete=models.CASCADE, related_name="+")
    code_hash = models.CharField(max_length=64, unique=True, editable=False)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="кто выдал", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    issued_at = models.DateTimeField("выдан", auto_now_add=True)
    expires_at = models.DateTimeField("действует до")
    used_at = models.DateTimeField("использован", null=True, blank=True)
    used_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="кем использован", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = "код для родителя"
        verbose_name_plural = "коды для родителей"
        indexes = [models.Index(fields=["student", "used_at"])]

    def __str__(self) -> str:
        return f"код для родителей обучающегося № {self.student_id}"


class YearChangeover(models.Model):
    """A school moved its students to the next school year: up a grade, grade 11 graduated."""

    school = models.ForeignKey(Organization, verbose_name="школа", on_delete=models.CASCADE, related_name="+")
    from_year = models.ForeignKey(SchoolYear, verbose_name="из учебного года", on_delete=models.PROTECT, related_name="+")
    to_year = models.ForeignKey(SchoolYear, verbose_name="в учебный год", on_delete=models.PROTECT, related_name="+")
    by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="кто", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    at = models.DateTimeField("когда", auto_now_add=True)
    promoted = models.PositiveIntegerField("переведено", default=0)
    graduated = models.PositiveIntegerField("выпущено", default=0)
    classes_created = models.PositiveIntegerField("создано классов", default=0)

    class Meta:
        verbose_name = "переход на новый учебный год"
        verbose_name_plural = "переходы на новый учебный год"
        constraints = [models.UniqueConstraint(fields=["school", "from_year"], name="one_changeover_per_school_year")]

    def __str__(self) -> str:
        return f"{self.school}: {self.from_year} → {self.to_year}"
