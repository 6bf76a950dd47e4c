"""Writes of diagnostics: publishing an uploaded instrument, assigning it to a class, starting an attempt, saving each
answer as it is given, finishing (scoring, the confidence check, the hours), a retake, withdrawing a result. Every rule
a caller could bypass is enforced here; the pages only parse and call.

The hours of a finished diagnostic go through the профминимум's one crediting service
(profminimum.services.hours_credit) with the year's CreditRule of kind «diagnostics»: one activity per assignment
(source key `diagnostics:assignment:<id>`). Only the first finished attempt of a student in an assignment can credit,
and only a reliable one: retakes and low-confidence results credit nothing (issue 10's Decisions)."""

import datetime
import logging
import statistics
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from access.policy import viewer_for
from core.formatting import date_text
from diagnostics import policy
from diagnostics.format import InstrumentFileError, compiled, instrument_parse
from diagnostics.models import Answer, Assignment, Attempt, Instrument, InstrumentVersion, TicketDiagnostics
from diagnostics.scoring import confidence, score
from diagnostics.shipped import ShippedChanged, version_publish
from diagnostics.signals import results_changed
from notifications.services import notify
from orgs.models import SchoolYear
from people.models import Student
from privacy.policy import DIAGNOSTICS, confirmed_parent_ids, may_process
from privacy.policy import Answer as Consent

log = logging.getLogger(__name__)

MAX_ITEM_MS = 10 * 60 * 1000  # a pause longer than ten minutes on one item counts as ten minutes
MAX_WINDOW_DAYS = 183
MAX_FILE_BYTES = 1_000_000


class ForeignOption(ValidationError):
    """An answer naming an item or an option the attempt's version does not have: refused whole (400), nothing saved."""


# --- instruments --------------------------------------------------------------------------------------------------


def instrument_upload(*, user, raw: bytes, licence_note: str, licence_confirmed: bool) -> InstrumentVersion:
    """The regional operator publishes an instrument file (one the region holds a licence for) in the shipped format."""
    if not policy.may_upload(viewer_for(user)):
        raise PermissionDenied
    licence_note = (licence_note or "").strip()
    if not licence_confirmed:
        raise ValidationError({"licence_confirmed": "Подтвердите, что у региона есть право использовать тексты этой методики."})
    if not licence_note:
        raise ValidationError({"licence_note": "Укажите основание: договор, лицензию или автора текстов."})
    if len(licence_note) > 2000:
        raise ValidationError({"licence_note": "Основание — не длиннее 2000 символов."})
    if len(raw) > MAX_FILE_BYTES:
        raise ValidationError({"file": "Файл методики — не больше 1 МБ."})
    try:
        data = instrument_parse(raw)
    except InstrumentFileError as error:
        raise ValidationError({"file": error.problems}) from None
    existing = Instrument.objects.filter(code=data["code"]).first()
    if existing is not None and existing.is_shipped:
        raise ValidationError({"file": f"Код «{data['code']}» занят методикой, которая поставляется с платформой: выберите другой код."})
    try:
        version, created = version_publish(data=data, source=InstrumentVersion.Source.UPLOADED, licence_note=licence_note, user=user)
    except ShippedChanged as error:
        raise ValidationError({"file": str(error)}) from None
    if not created:
        raise ValidationError({"file": f"Версия {data['version']} методики «{data['title']}» уже загружена."})
    return version


def instrument_set_active(*, user, instrument: Instrument, active: bool) -> Instrument:
    """Offer an instrument for new assignments, or stop offering it (attempts and results stay)."""
    if not policy.may_upload(viewer_for(user)):
        raise PermissionDenied
    instrument.is_active = bool(active)
    instrument.save(update_fields=["is_active"])
    return instrument


# --- assigning ----------------------------------------------------------------------------------------------------


def assignment_create(*, user, school_class, version: InstrumentVersion, opens_on: datetime.date, closes_on: datetime.date) -> Assignment:
    """Give an instrument to a class for a time window; its students are told (those whose consent was withdrawn are not)."""
    viewer = viewer_for(user)
    if not policy.may_assign(viewer, school_class):
        raise PermissionDenied
    instrument = version.instrument
    errors: dict[str, str] = {}
    if not instrument.is_active or not version.is_current:
        errors["version"] = "Эта методика сейчас не назначается: выберите другую."
    elif instrument.audience != Instrument.Audience.STUDENT:
        errors["version"] = "Опросник для родителей не назначается классу: родители проходят его сами, из своего кабинета."
    today = timezone.localdate()
    year: SchoolYear = school_class.school_year
    if closes_on < opens_on:
        errors["closes_on"] = "Окончание не может быть раньше начала."
    elif closes_on < today:
        errors["closes_on"] = "Окончание уже прошло: выберите день не раньше сегодняшнего."
    elif (closes_on - opens_on).days > MAX_WINDOW_DAYS:
        errors["closes_on"] = "Срок — не больше полугода."
    if not (year.starts_on <= opens_on <= year.ends_on) and "opens_on" not in errors:
        errors["opens_on"] = f"Начало должно быть в {year.title} учебном году ({date_text(year.starts_on)} — {date_text(year.ends_on)})."
    elif closes_on > year.ends_on and "closes_on" not in errors:
        errors["closes_on"] = f"Окончание — не позже конца учебного года ({date_text(year.ends_on)})."
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        overlapping = (
            Assignment.objects.select_for_update()
            .filter(school_class=school_class, version__instrument=instrument, opens_on__lte=closes_on, closes_on__gte=opens_on)
            .first()
        )
        if overlapping is not None:
            raise ValidationError(
                {"version": f"«{instrument.title}» уже назначена этому классу с {date_text(overlapping.opens_on)} по "
                            f"{date_text(overlapping.closes_on)}."}
            )  # fmt: skip
        assignment = Assignment.objects.create(
            version=version, school_class=school_class, opens_on=opens_on, closes_on=closes_on, assigned_by=user
        )
        students = list(Student.objects.filter(current_class=school_class).select_related("person__user"))
        consents = _consents([s.pk for s in students])
        notify(
            users=[s.person.user for s in students if consents.get(s.pk) != Consent.NO],
            subject=f"Вам назначен опросник «{instrument.title}»",
            text=f"Пройдите его с {date_text(opens_on)} по {date_text(closes_on)}. Это займёт около {compiled(version).minutes} мин.",
            url=reverse("diagnostics:home"), kind="diagnostics.assigned", email=False,
        )  # fmt: skip
    return assignment


def _consents(student_ids) -> dict[int, str]:
    from privacy.policy import may_process_many

    return may_process_many(student_ids=student_ids, purpose=DIAGNOSTICS) if student_ids else {}


# --- taking a test --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Taker:
    """Who answers: the student about themself (respondent None) or a parent (their person) about the child."""

    student: Student
    respondent_id: int | None


def taker_for(*, user, student: Student, version: InstrumentVersion) -> Taker:
    """Who answers this version about this student, or PermissionDenied/ValidationError saying why they may not."""
    viewer = viewer_for(user)
    audience = version.instrument.audience
    if audience == Instrument.Audience.STUDENT:
        if viewer.own_student_id != student.pk:
            raise PermissionDenied
        taker = Taker(student, None)
    else:
        if student.pk not in viewer.child_student_ids:
            raise PermissionDenied
        if viewer.person_id not in confirmed_parent_ids(student):
            raise ValidationError("Опросник для родителей доступен, когда школа подтвердит, что вы родитель (законный представитель).")
        taker = Taker(student, viewer.person_id)
    consent = may_process(student=student, purpose=DIAGNOSTICS)
    if consent == Consent.NO:
        raise ValidationError("Согласие на профориентационную диагностику отозвано: пройти опросник нельзя.")
    if consent == Consent.ASK:
        raise ValidationError("Чтобы пройти опросник, нужно согласие на профориентационную диагностику.")
    return taker


def _owned(attempt: Attempt, user) -> None:
    viewer = viewer_for(user)
    if attempt.respondent_id is None:
        if viewer.own_student_id != attempt.student_id:
            raise PermissionDenied
    elif viewer.person_id != attempt.respondent_id:
        raise PermissionDenied


def assignment_open_for(assignment: Assignment, student: Student, *, today: datetime.date | None = None) -> str | None:
    """Why the student cannot take this assignment now, or None."""
    today = today or timezone.localdate()
    if student.current_class_id != assignment.school_class_id:
        return "Этот опросник назначен другому классу."
    if today < assignment.opens_on:
        return f"Опросник откроется {date_text(assignment.opens_on)}."
    if today > assignment.closes_on:
        return f"Срок прохождения закончился {date_text(assignment.closes_on)}."
    return None


@transaction.atomic
def attempt_start(*, user, student: Student, version: InstrumentVersion | None = None, assignment: Assignment | None = None) -> Attempt:
    """Start (or resume) an attempt: of an assignment of the student's class, or of an instrument on one's own (a parent:
    the parent version about their child). An attempt under way for the same version and respondent is resumed."""
    if assignment is not None:
        version = assignment.version
        reason = assignment_open_for(assignment, student)
        if reason:
            raise ValidationError(reason)
    if version is None:
        raise ValidationError("Выберите опросник.")
    if assignment is None and (not version.instrument.is_active or not version.is_current):
        raise ValidationError("Этот опросник сейчас не предлагается.")
    taker = taker_for(user=user, student=student, version=version)
    Student.objects.select_for_update().filter(pk=student.pk).first()  # one attempt under way per student and version
    running = Attempt.objects.filter(
        student=student, version=version, respondent_id=taker.respondent_id, status=Attempt.Status.IN_PROGRESS
    ).first()
    if running is not None:
        if assignment is not None and running.assignment_id is None:
            running.assignment = assignment
            running.save(update_fields=["assignment"])
        return running
    now = timezone.now()
    return Attempt.objects.create(
        student=student, respondent_id=taker.respondent_id, version=version, assignment=assignment, started_at=now, shown_at=now,
        is_retake=_earlier_finished(student, version.instrument_id, taker.respondent_id, assignment).exists(),
    )  # fmt: skip


def _earlier_finished(student: Student, instrument_id: int, respondent_id: int | None, assignment: Assignment | None, *, exclude=None):
    """The finished attempts that make a new one a retake: of the same instrument by the same respondent in this assignment,
    or in this school year."""
    attempts = Attempt.objects.filter(
        student=student, version__instrument_id=instrument_id, respondent_id=respondent_id, status=Attempt.Status.FINISHED
    )
    if exclude is not None:
        attempts = attempts.exclude(pk=exclude)
    year = SchoolYear.objects.filter(is_current=True).first()
    since = year.starts_on if year else timezone.localdate() - datetime.timedelta(days=365)
    condition = {"assignment": assignment} if assignment is not None else {"finished_at__date__gte": since}
    return attempts.filter(**condition)


def attempt_shown(*, attempt: Attempt) -> None:
    """The item waiting for an answer was shown now: its time counts from here (a reload restarts it, a pause doesn't
    count)."""
    if attempt.status == Attempt.Status.IN_PROGRESS:
        attempt.shown_at = timezone.now()
        Attempt.objects.filter(pk=attempt.pk).update(shown_at=attempt.shown_at)


def answer_save(*, user, attempt: Attempt, item_number, option_key) -> Answer:
    """Save one answer as it is given (a second answer to the same item replaces the first). An item or an option the
    version does not have is refused whole — ForeignOption, nothing saved."""
    _owned(attempt, user)
    instrument = compiled(attempt.version)
    try:
        number = int(str(item_number))
    except ValueError:
        number = 0
    item = instrument.item(number) if 0 < number <= 10_000 else None
    if item is None:
        raise ForeignOption(f"В этом опроснике нет вопроса № {str(item_number)[:20]}: ответ не сохранён.")
    key = str(option_key or "").strip()
    if not key:
        raise ValidationError(f"Вопрос № {item.number}: выберите ответ.")
    if item.option(key) is None:
        raise ForeignOption(f"У вопроса № {item.number} нет варианта «{key[:20]}»: ответ не сохранён.")
    with transaction.atomic():
        locked = Attempt.objects.select_for_update().get(pk=attempt.pk)
        if locked.status != Attempt.Status.IN_PROGRESS:
            raise ValidationError("Опросник уже завершён: ответы больше не меняются.")
        now = timezone.now()
        milliseconds = max(0, min(MAX_ITEM_MS, int((now - locked.shown_at).total_seconds() * 1000)))
        answer, _ = Answer.objects.update_or_create(
            attempt=locked, item=item.number, defaults={"option": key, "milliseconds": milliseconds, "answered_at": now}
        )
        Attempt.objects.filter(pk=locked.pk).update(shown_at=now)
    attempt.shown_at = now
    return answer


def unanswered(attempt: Attempt) -> list[int]:
    answered = set(attempt.answers.values_list("item", flat=True))
    return [item.number for item in compiled(attempt.version).items if item.number not in answered]


def attempt_finish(*, user, attempt: Attempt) -> Attempt:
    """Finish: every item answered (else refused, naming the items), scored, judged for confidence, the time recorded; the
    hours credited for the first reliable result of an assignment; results_changed sent for a student's own result."""
    _owned(attempt, user)
    with transaction.atomic():
        attempt = (
            Attempt.objects.select_for_update(of=("self",))
            .select_related("version__instrument", "assignment__school_class")
            .get(pk=attempt.pk)
        )
        if attempt.status != Attempt.Status.IN_PROGRESS:
            raise ValidationError("Опросник уже завершён.")
        instrument = compiled(attempt.version)
        rows = list(attempt.answers.values_list("item", "option", "milliseconds"))
        answers = {item: option for item, option, _ in rows}
        missing = [item.number for item in instrument.items if item.number not in answers]
        if missing:
            shown = ", ".join(f"№ {n}" for n in missing[:15]) + (" и другие" if len(missing) > 15 else "")
            raise ValidationError(f"Остались без ответа вопросы: {shown}. Ответьте на них, чтобы завершить опросник.")
        result = score(instrument, answers)
        milliseconds = {item: ms for item, _, ms in rows}
        judged = confidence(instrument, answers, milliseconds)
        now = timezone.now()
        attempt.status = Attempt.Status.FINISHED
        attempt.finished_at = now
        attempt.seconds_total = round(sum(milliseconds.values()) / 1000)
        attempt.median_seconds = round(statistics.median(milliseconds.values()) / 1000, 2) if milliseconds else None
        attempt.low_confidence, attempt.low_confidence_reason = judged.low, judged.reason[:300]
        attempt.scores, attempt.normalised, attempt.code = result.scores, result.normalised, result.code
        attempt.is_retake = _earlier_finished(
            attempt.student, attempt.version.instrument_id, attempt.respondent_id, attempt.assignment, exclude=attempt.pk
        ).exists()
        attempt.save()
        if attempt.assignment_id and attempt.respondent_id is None and not attempt.low_confidence and not attempt.is_retake:
            attempt.credited = _credit(attempt)
            if attempt.credited:
                attempt.save(update_fields=["credited"])
        if attempt.respondent_id is None:
            results_changed.send(sender=Attempt, student_id=attempt.student_id)
    return attempt


def _credit(attempt: Attempt) -> bool:
    """Credit the diagnostics hours of an assignment to the student through the профминимум's ledger."""
    from profminimum.models import CreditRule
    from profminimum.services import hours_credit

    day = timezone.localdate(attempt.finished_at)
    rule = (
        CreditRule.objects.filter(
            kind=CreditRule.Kind.DIAGNOSTICS, normative__school_year__starts_on__lte=day, normative__school_year__ends_on__gte=day
        )
        .select_related("direction__normative")
        .first()
    )
    if rule is None or not rule.hours:
        return False
    assignment = attempt.assignment
    try:
        with transaction.atomic():
            hours_credit(
                source_key=assignment.source_key, title=f"Диагностика: {attempt.version.instrument.title}", direction=rule.direction,
                hours=rule.hours, day=day, student_ids=[attempt.student_id], school=assignment.school_class.school,
            )  # fmt: skip
    except ValidationError as error:
        # The result stands; the hours are not credited (say, the student was not placed in that year, or the year's rule
        # changed after others were credited for this assignment). The log says why.
        log.warning("diagnostics: hours not credited for attempt %s: %s", attempt.pk, "; ".join(error.messages))
        return False
    return True


def attempt_retake(*, user, attempt: Attempt) -> Attempt:
    """Start the same instrument again (offered after a low-confidence result): in the same assignment while it is open,
    on one's own otherwise. A retake credits nothing."""
    _owned(attempt, user)
    if attempt.status == Attempt.Status.IN_PROGRESS:
        return attempt
    assignment = attempt.assignment
    if assignment is not None and assignment_open_for(assignment, attempt.student) is None:
        return attempt_start(user=user, student=attempt.student, assignment=assignment)
    version = attempt.version if attempt.version.is_current else attempt.version.instrument.versions.filter(is_current=True).first()
    return attempt_start(user=user, student=attempt.student, version=version)


def attempt_withdraw(*, user, attempt: Attempt, reason: str) -> Attempt:
    """The school's psychologist withdraws a result found unreliable: it no longer counts anywhere, and the hours it
    credited are taken back."""
    from profminimum.services import hours_withdraw

    if not policy.may_withdraw(viewer_for(user), attempt.student):
        raise PermissionDenied
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "Укажите причину: её увидят обучающийся и педагог-навигатор."})
    if len(reason) > 300:
        raise ValidationError({"reason": "Причина — не длиннее 300 символов."})
    with transaction.atomic():
        attempt = Attempt.objects.select_for_update(of=("self",)).select_related("assignment").get(pk=attempt.pk)
        if attempt.status != Attempt.Status.FINISHED:
            raise ValidationError("Отозвать можно только завершённый результат.")
        if attempt.credited and attempt.assignment_id:
            hours_withdraw(
                source_key=attempt.assignment.source_key, student_ids=[attempt.student_id], reason=f"результат отозван: {reason}", by=user
            )
        attempt.status = Attempt.Status.WITHDRAWN
        attempt.withdrawn_at, attempt.withdrawn_by, attempt.withdrawn_reason = timezone.now(), user, reason
        attempt.credited = False
        attempt.save(update_fields=["status", "withdrawn_at", "withdrawn_by", "withdrawn_reason", "credited"])
        if attempt.respondent_id is None:
            results_changed.send(sender=Attempt, student_id=attempt.student_id)
    return attempt


# --- «Билет в будущее» ---------------------------------------------------------------------------------------------------


def ticket_diagnostics_import(*, student: Student, school_year: SchoolYear, school, status: str, passed_on: datetime.date | None) -> str:
    """The status of the federal platform's diagnostics for the student in the school year, from the region's export:
    «create», «update» or «same» (a re-import of the same file changes nothing). A date is kept only for a passed one."""
    passed_on = passed_on if status == TicketDiagnostics.Status.PASSED else None
    with transaction.atomic():
        current = TicketDiagnostics.objects.select_for_update().filter(student=student, school_year=school_year).first()
        if current is None:
            TicketDiagnostics.objects.create(student=student, school_year=school_year, school=school, status=status, passed_on=passed_on)
            return "create"
        if (current.status, current.passed_on, current.school_id) == (status, passed_on, school.pk):
            return "same"
        current.status, current.passed_on, current.school = status, passed_on, school
        current.save(update_fields=["status", "passed_on", "school", "updated_at"])
        return "update"
