"""An import's life: the upload (what the file is, judged at once), the check in the background (the preview: every
row's problems, what the commit will do), the commit in the background (everything or nothing — or everything
but the bad rows, when the user chose to skip them).

The check and the commit read the stored file again: the commit runs the whole check once more inside its
transaction, since the database may have changed since the preview."""

import datetime
import hashlib
import logging
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from access.models import AccessChange
from access.policy import viewer_for
from access.services import access_change_log
from accounts.models import User
from core.formatting import count_text
from core.uploads import upload_size
from imports.accounts import first_password, first_password_hash, login_for, parent_code, parent_code_normalize
from imports.framework import Context, check_file, checked_freeze, checked_thaw
from imports.importers import IMPORTERS
from imports.models import ImportBatch, ImportProblem, ParentCode, YearChangeover
from imports.policy import (
    changeover_schools,
    import_kinds,
    import_schools,
    may_issue_parent_password,
    may_issue_student_password,
    password_classes,
)
from imports.reader import FileRefused, open_source
from imports.values import class_name
from orgs.models import Organization, SchoolClass, SchoolYear
from orgs.selectors import school_year_current
from people.models import ParentLink, Person, Student
from people.services import students_enroll, students_graduate

logger = logging.getLogger(__name__)

# How many problems a batch keeps for its page (a file of 50,000 bad rows is summed up beyond this).
PROBLEMS_KEPT = 5000


def batch_upload(*, user, kind: str, upload, school=None) -> ImportBatch:
    """Take an uploaded file for checking: refused at once (ValidationError, in Russian) when it is no table at all —
    empty, too large, a picture, an old Excel book, a broken archive; else stored, and its check queued."""
    viewer = viewer_for(user)
    if kind not in IMPORTERS or kind not in import_kinds(viewer, tuple(IMPORTERS)):
        raise PermissionDenied
    if school is not None and not import_schools(viewer).filter(pk=school.pk).exists():
        raise PermissionDenied
    if upload is None:
        raise ValidationError({"file": "Файл: выберите файл со списком — таблицу Excel (XLSX) или CSV."})
    name = str(getattr(upload, "name", "") or "файл")[:200]
    try:
        open_source(upload, name)
    except FileRefused as refusal:
        raise ValidationError({"file": str(refusal)}) from None
    size = upload_size(upload)
    upload.seek(0)
    with transaction.atomic():
        batch = ImportBatch(
            kind=kind, created_by=user, created_by_name=user.get_username()[:150], school=school,
            municipality=school.municipality if school is not None else None, file_name=name, file_size=size,
        )  # fmt: skip
        batch.file.save(name if name.lower().endswith((".xlsx", ".csv")) else f"{name}.xlsx", ContentFile(upload.read()), save=False)
        batch.save()
        transaction.on_commit(lambda: _enqueue("check", batch.pk))
    return batch


def _enqueue(what: str, batch_id: int) -> None:
    from imports.tasks import batch_check_task, batch_commit_task

    task = batch_check_task if what == "check" else batch_commit_task
    try:
        task.enqueue(batch_id=batch_id)
    except Exception:
        logger.exception("Не удалось поставить в очередь загрузку %s", batch_id)
        ImportBatch.objects.filter(pk=batch_id).update(
            status=ImportBatch.Status.FAILED, message="Очередь фоновых задач недоступна: загрузите файл ещё раз позже."
        )


def _context(batch: ImportBatch) -> Context:
    user = batch.committed_by or batch.created_by
    return Context(user=user, viewer=viewer_for(user), school=batch.school)


def _progress(batch_id: int, total: int):
    def report(done: int) -> None:
        ImportBatch.objects.filter(pk=batch_id).update(progress_done=done, progress_total=max(total, done))

    return report


def _estimate_rows(batch: ImportBatch) -> int:
    """A guess at the number of rows for the progress bar before the file is read: about 60 bytes per row of an
    XLSX's compressed sheet, 80 of a CSV."""
    return max(1, batch.file_size // (60 if batch.file_name.lower().endswith(".xlsx") else 80))


def batch_check(*, batch_id: int) -> ImportBatch:
    """The preview: read and check every row, keep the problems and what the commit would do. Writes nothing else."""
    batch = ImportBatch.objects.select_related("school", "created_by").get(pk=batch_id)
    if batch.status not in {ImportBatch.Status.QUEUED, ImportBatch.Status.CHECKING}:
        return batch
    ImportBatch.objects.filter(pk=batch.pk).update(
        status=ImportBatch.Status.CHECKING, phase="Проверяем строки", progress_done=0, progress_total=_estimate_rows(batch)
    )
    importer = IMPORTERS[batch.kind]
    try:
        ctx = _context(batch)
        if ctx.year is None:
            raise FileRefused("В платформе нет текущего учебного года: загрузка начнётся, когда он будет заведён.")
        with batch.file.open("rb") as stored:
            source = open_source(stored, batch.file_name)
            checked = check_file(source, importer, ctx, progress=_progress(batch.pk, _estimate_rows(batch)))
    except FileRefused as refusal:
        return _refused(batch, str(refusal))
    except Exception:
        logger.exception("Проверка загрузки %s не удалась", batch.pk)
        return _refused(batch, "Файл не удалось проверить из-за внутренней ошибки; администраторы платформы уже знают о ней.")
    with transaction.atomic():
        ImportProblem.objects.filter(batch=batch).delete()
        _problems_save(batch, checked.rows, checked.header.unused)
        batch.status = ImportBatch.Status.CHECKED
        batch.file_format = checked.description[:120]
        batch.header_row = checked.header.row
        batch.rows_total = len(checked.rows)
        batch.rows_bad = len(checked.bad)
        batch.progress_done = batch.progress_total = len(checked.rows)
        batch.plan = {**checked.summary, "unused": checked.header.unused[:30]}
        batch.parsed = checked_freeze(checked, importer)
        batch.phase = ""
        batch.checked_at = timezone.now()
        batch.save()
    return batch


def _refused(batch: ImportBatch, message: str) -> ImportBatch:
    with transaction.atomic():
        ImportProblem.objects.filter(batch=batch).delete()
        ImportProblem.objects.create(batch=batch, message=message[:600])
        batch.status = ImportBatch.Status.REFUSED
        batch.message = message
        batch.phase = ""
        batch.save()
    return batch


def _problems_save(batch: ImportBatch, rows, unused) -> None:
    problems = []
    for row in rows:
        for column, value, message in row.problems:
            problems.append(ImportProblem(batch=batch, row=row.number, column=column[:200], value=value[:200], message=message[:600]))
            if len(problems) >= PROBLEMS_KEPT:
                break
        if len(problems) >= PROBLEMS_KEPT:
            break
    ImportProblem.objects.bulk_create(problems, batch_size=1000)


def batch_commit_request(*, user, batch: ImportBatch, skip_errors: bool) -> ImportBatch:
    """The user confirms the preview: the commit is queued. With bad rows, only when they chose to skip them."""
    with transaction.atomic():
        batch = ImportBatch.objects.select_for_update().get(pk=batch.pk)
        if batch.status != ImportBatch.Status.CHECKED:
            raise ValidationError(f"Этот файл сейчас нельзя загрузить: он {batch.get_status_display()}.")
        if batch.rows_bad and not skip_errors:
            raise ValidationError(
                f"В файле {count_text(batch.rows_bad, 'строка', 'строки', 'строк')} с ошибками: исправьте их и загрузите файл снова "
                "или отметьте «Пропустить строки с ошибками»."
            )
        if batch.rows_bad >= batch.rows_total:
            raise ValidationError("Загружать нечего: ошибки во всех строках файла.")
        batch.status = ImportBatch.Status.COMMIT_QUEUED
        batch.skip_errors = bool(skip_errors)
        batch.committed_by = user
        batch.progress_done = 0
        batch.phase = "Ждёт очереди"
        batch.save()
        transaction.on_commit(lambda: _enqueue("commit", batch.pk))
    return batch


def batch_commit(*, batch_id: int) -> ImportBatch:
    """Write the file: the check again, then every row (or every good row, when skipping) in one transaction. When
    the file now has bad rows that the user did not agree to skip, nothing is written."""
    batch = ImportBatch.objects.select_related("school", "created_by", "committed_by").get(pk=batch_id)
    if batch.status not in {ImportBatch.Status.COMMIT_QUEUED, ImportBatch.Status.COMMITTING}:
        return batch
    ImportBatch.objects.filter(pk=batch.pk).update(status=ImportBatch.Status.COMMITTING, phase="Проверяем строки ещё раз", progress_done=0)
    importer = IMPORTERS[batch.kind]
    try:
        with transaction.atomic():
            ctx = _context(batch)
            checked = checked_thaw(bytes(batch.parsed), importer, ctx) if batch.parsed else None
            if checked is None:
                with batch.file.open("rb") as stored:
                    checked = check_file(open_source(stored, batch.file_name), importer, ctx)
            if checked.bad and not batch.skip_errors:
                raise FileRefused(
                    f"С момента проверки в файле появились ошибки ({count_text(len(checked.bad), 'строка', 'строки', 'строк')}): "
                    "ничего не загружено. Посмотрите их ниже."
                )
            result = importer.apply(checked.good, ctx)
            ImportProblem.objects.filter(batch=batch).delete()
            _problems_save(batch, checked.rows, checked.header.unused)
            batch.status = ImportBatch.Status.DONE
            batch.rows_total = len(checked.rows)
            batch.rows_bad = len(checked.bad)
            batch.created_count = result.get("created", 0)
            batch.updated_count = result.get("updated", 0)
            batch.unchanged_count = sum(1 for row in checked.good if row.action == "same")
            batch.skipped_count = len(checked.bad)
            batch.accounts_created = result.get("accounts", 0)
            batch.progress_done = batch.progress_total = len(checked.rows)
            batch.phase = ""
            batch.message = _done_message(batch, importer.nouns, extra=result.get("extra", ""))
            batch.finished_at = timezone.now()
            batch.parsed = None
            batch.save()
    except Exception as error:  # whatever went wrong, nothing is written and the page says so
        if isinstance(error, FileRefused):
            message = str(error)
        elif isinstance(error, ValidationError):
            message = "; ".join(error.messages)
        else:
            logger.exception("Загрузка %s не удалась", batch.pk)
            message = "Внутренняя ошибка при записи; администраторы платформы уже знают о ней. Попробуйте загрузить файл позже."
        ImportBatch.objects.filter(pk=batch.pk).update(
            status=ImportBatch.Status.FAILED, phase="", message=f"Ничего не загружено. {message}"[:2000], finished_at=timezone.now()
        )
        batch.refresh_from_db()
    return batch


def _done_message(batch: ImportBatch, nouns: tuple[str, str, str], *, extra: str = "") -> str:
    """«Загружено. Новых: 3 пробы, …»; `extra` — what else an importer wrote besides its rows' kind."""
    parts = [
        f"Новых: {count_text(batch.created_count, *nouns)}",
        f"обновлено: {batch.updated_count}",
        f"без изменений: {batch.unchanged_count}",
    ]
    if batch.skipped_count:
        parts.append(f"пропущено строк с ошибками: {batch.skipped_count}")
    if extra:
        parts.append(extra)
    return "Загружено. " + ", ".join(parts) + "."


# --- first passwords -----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class IssuedPassword:
    """A line of the printed list: whose, the login and the one-time password (never stored)."""

    who: str  # «ученик» | «родитель: Дзагоева Алина»
    name: str
    login: str
    password: str


@transaction.atomic
def first_passwords_issue(*, user, school_class, person_ids, ip_address: str | None = None) -> list[IssuedPassword]:
    """New one-time passwords for the chosen students of the class and their parents: the sheet the class teacher
    prints is the only place they exist. A person without an account gets one; each account must change the
    password at the first sign-in. A person the viewer may not give a password to is passed over."""
    viewer = viewer_for(user)
    if not password_classes(viewer).filter(pk=school_class.pk).exists():
        raise PermissionDenied
    chosen = {int(pk) for pk in person_ids}
    issued: list[IssuedPassword] = []
    students = list(
        Student.objects.filter(current_class=school_class)
        .select_related("person__user")
        .order_by("person__last_name", "person__first_name", "pk")
    )
    for student in students:
        if student.person_id in chosen and may_issue_student_password(viewer, student):
            issued.append(_issue(user, student.person, "ученик", ip_address))
    links = ParentLink.objects.filter(student__in=students, parent_id__in=chosen).select_related("parent__user", "student__person")
    done: set[int] = set()
    for link in links.order_by("parent__last_name", "parent__first_name", "pk"):
        if link.parent_id in done or not may_issue_parent_password(viewer, link.parent, link.student):
            continue
        done.add(link.parent_id)
        issued.append(_issue(user, link.parent, f"родитель: {link.student.person.short_name}", ip_address))
    return issued


def _issue(actor, person: Person, who: str, ip_address: str | None) -> IssuedPassword:
    password = first_password()
    account = person.user
    if account is None:
        account = User.objects.create(
            username=login_for(person.last_name, person.pk), first_name=person.first_name[:150], last_name=person.last_name[:150],
            email=person.email, must_change_password=True,
        )  # fmt: skip
        Person.objects.filter(pk=person.pk).update(user=account)
    account.password = first_password_hash(password)
    account.must_change_password = True
    account.save(update_fields=["password", "must_change_password"])
    access_change_log(
        actor=actor, action=AccessChange.Action.PASSWORD_CHANGED, ip_address=ip_address, target_user=account, target_person=person,
        description="Выдан одноразовый пароль (лист первых паролей класса)",
    )  # fmt: skip
    return IssuedPassword(who, person.full_name, account.username, password)


# --- the school-year changeover ----------------------------------------------------------------------------------------


@dataclass
class ChangeoverPlan:
    """What moving a school to the current school year will do: each class of last year up a grade (the class of
    the new year with the same letter, made when missing), grade 11 graduated on the last day of last year."""

    school: object
    from_year: object = None
    to_year: object = None
    moves: list = None  # [(class of last year, the new class's name, students)]
    graduates: int = 0
    classes_new: list = None
    reason: str = ""  # why nothing can be done, when nothing can

    @property
    def students(self) -> int:
        return sum(count for _, _, count in self.moves or []) + self.graduates


def changeover_plan(*, school) -> ChangeoverPlan:
    to_year = school_year_current()
    plan = ChangeoverPlan(school=school, to_year=to_year, moves=[], classes_new=[])
    if to_year is None:
        plan.reason = "В платформе нет текущего учебного года."
        return plan
    plan.from_year = SchoolYear.objects.filter(starts_on__lt=to_year.starts_on).order_by("-starts_on").first()
    if plan.from_year is None:
        plan.reason = "Прошлого учебного года в платформе нет: переводить некого."
        return plan
    if YearChangeover.objects.filter(school=school, from_year=plan.from_year).exists():
        plan.reason = f"Школа уже переведена из {plan.from_year} в {to_year} учебный год."
        return plan
    existing = {(c.grade, c.letter) for c in SchoolClass.objects.filter(school=school, school_year=to_year)}
    counts = dict(
        Student.objects.filter(current_school=school, current_class__school_year=plan.from_year)
        .values_list("current_class_id")
        .annotate(n=Count("pk"))
        .values_list("current_class_id", "n")
    )
    for school_class in SchoolClass.objects.filter(pk__in=counts).order_by("grade", "letter"):
        if school_class.grade >= 11:
            plan.graduates += counts[school_class.pk]
            continue
        target = (school_class.grade + 1, school_class.letter)
        if target not in existing:
            plan.classes_new.append(class_name(*target))
            existing.add(target)
        plan.moves.append((school_class, class_name(*target), counts[school_class.pk]))
    if not plan.students:
        plan.reason = f"Все обучающиеся школы уже в классах {to_year} учебного года: переводить некого."
    return plan


@transaction.atomic
def changeover_apply(*, user, school) -> YearChangeover:
    """Move the school's students to the current school year as `changeover_plan` says, keeping their history."""
    if not changeover_schools(viewer_for(user)).filter(pk=school.pk).exists():
        raise PermissionDenied
    Organization.objects.select_for_update().filter(pk=school.pk).first()
    plan = changeover_plan(school=school)
    if plan.reason:
        raise ValidationError(plan.reason)
    from_year, to_year = plan.from_year, plan.to_year
    students = list(
        Student.objects.filter(current_school=school, current_class__school_year=from_year).values_list(
            "pk", "current_class__grade", "current_class__letter"
        )
    )
    classes = {(c.grade, c.letter): c for c in SchoolClass.objects.filter(school=school, school_year=to_year)}
    created = 0
    placements, graduates = [], []
    for student_id, grade, letter in students:
        if grade >= 11:
            graduates.append(student_id)
            continue
        key = (grade + 1, letter)
        if key not in classes:
            classes[key] = SchoolClass.objects.create(school=school, school_year=to_year, grade=key[0], letter=letter)
            created += 1
        placements.append((student_id, classes[key].pk, school.pk))
    students_graduate(student_ids=graduates, on=from_year.ends_on)
    students_enroll(school_year=to_year, placements=placements, on=to_year.starts_on)
    return YearChangeover.objects.create(
        school=school,
        from_year=from_year,
        to_year=to_year,
        by=user,
        promoted=len(placements),
        graduated=len(graduates),
        classes_created=created,
    )


# --- parents' one-time codes ------------------------------------------------------------------------------------------

PARENT_CODE_DAYS = 30


def _code_hash(code: str) -> str:
    return hashlib.sha256(parent_code_normalize(code).encode()).hexdigest()


@transaction.atomic
def parent_codes_issue(*, user, school_class) -> list[tuple[str, str]]:
    """A new one-time code for the family of each student of the class, voiding the unused ones printed before:
    [(student's name, code)], the sheet the class teacher hands out. Only the codes' hashes are kept."""
    viewer = viewer_for(user)
    if not password_classes(viewer).filter(pk=school_class.pk).exists():
        raise PermissionDenied
    students = list(
        Student.objects.filter(current_class=school_class)
        .select_related("person")
        .order_by("person__last_name", "person__first_name", "pk")
    )
    ParentCode.objects.filter(student__in=students, used_at__isnull=True).delete()
    expires = timezone.now() + datetime.timedelta(days=PARENT_CODE_DAYS)
    issued = []
    for student in students:
        code = parent_code()
        ParentCode.objects.create(student=student, code_hash=_code_hash(code), issued_by=user, expires_at=expires)
        issued.append((student.person.full_name, code))
    return issued


@transaction.atomic
def parent_code_use(*, user, code: str, kind: str) -> Student:
    """A parent enters the code the school gave the family: their person is linked to the child as `kind`."""
    if kind not in ParentLink.Kind.values:
        raise ValidationError({"kind": "Выберите, кем вы приходитесь ребёнку."})
    person = Person.objects.filter(user=user).first()
    if person is None:
        raise ValidationError({"code": "Ваша учётная запись не связана с человеком в платформе: обратитесь в школу."})
    found = ParentCode.objects.select_for_update().filter(code_hash=_code_hash(code or "")).select_related("student__person").first()
    if found is None or found.used_at is not None or found.expires_at < timezone.now():
        raise ValidationError(
            {"code": "Код не подходит: проверьте, как он написан, или попросите в школе новый (код действует 30 дней и один раз)."}
        )
    if found.student.person_id == person.pk:
        raise ValidationError({"code": "Этот код — для родителей, а не для самого обучающегося."})
    ParentLink.objects.get_or_create(parent=person, student=found.student, defaults={"kind": kind})
    found.used_at, found.used_by = timezone.now(), user
    found.save(update_fields=["used_at", "used_by"])
    return found.student
