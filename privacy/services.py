"""Writes of the personal-data capability: consents given and withdrawn (in the platform or on a signed paper),
parent links confirmed, the families' requests with their deadlines, exports, erasure, breaches and retention.
Every one of them is written to the event log (PrivacyEvent) in the same transaction."""

import datetime
import logging

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from access.policy import ROLE_LABELS, Viewer, viewer_for
from access.services import personal_data_read_log
from accounts.models import User
from core.formatting import date_text
from notifications.services import notify
from orgs.models import Organization
from people.models import ParentLink, Role, Student
from privacy.models import (
    Breach,
    ConsentKind,
    ConsentRecord,
    DestructionAct,
    ParentConfirmation,
    PrivacyEvent,
    SubjectRequest,
)
from privacy.policy import (
    ADULT_FROM,
    CHILD_ALONE_FROM,
    PARENT,
    STUDENT,
    acting_party,
    age_on,
    family_party,
    may_operate,
    may_record_paper,
    parties_required,
    texts_in_force,
)
from privacy.shipped import shipped_data_ensure
from privacy.uploads import signed_paper_check
from privacy.workdays import Deadline, calendar_days_after, working_days_after

logger = logging.getLogger(__name__)

Action = PrivacyEvent.Action
Decision = ConsentRecord.Decision

# The legal deadlines of the families' requests (152-ФЗ): an answer with the person's data within ten working
# days of the request (ч. 1 ст. 14, ч. 2 ст. 20); destruction within thirty days of a withdrawn consent
# (ч. 5 ст. 21), which an erasure request is.
DEADLINES = {
    SubjectRequest.Kind.EXPORT: (10, "working", "ч. 2 ст. 20 Федерального закона № 152-ФЗ: ответ — в течение 10 рабочих дней"),
    SubjectRequest.Kind.ERASURE: (30, "calendar", "ч. 5 ст. 21 Федерального закона № 152-ФЗ: уничтожение — в течение 30 дней"),
}
# How far back a signed paper may be dated: a school that digs out last year's forms still records them.
PAPER_OLDEST = datetime.timedelta(days=3 * 366)
# The earliest moment a breach may be dated (its detection and window): the platform holds nothing older.
BREACH_EARLIEST = datetime.datetime(2000, 1, 1, tzinfo=datetime.UTC)


# --- the event log ----------------------------------------------------------------------------------------------


def actor_role(viewer: Viewer, student: Student | None = None) -> str:
    """The actor's role for the log, without their name: «родитель», «обучающийся», «сотрудник ЦОПП, ЦОПП»."""
    if student is not None:
        party = family_party(viewer, student)
        if party == STUDENT:
            return "обучающийся"
        if party == PARENT:
            return "родитель (законный представитель)"
    role = viewer.primary_role
    if role is None:
        return "система"
    label = ROLE_LABELS.get(role, role)
    organization = Organization.objects.filter(pk__in=viewer.home_org_ids).order_by("pk").values_list("short_name", flat=True).first()
    return f"{label}, {organization}" if organization and role in Role.values else label


def event_log(
    *, action: str, actor=None, role: str = "", student=None, request=None, breach=None, details: dict | None = None
) -> PrivacyEvent:
    return PrivacyEvent.objects.create(
        action=action,
        actor=actor if getattr(actor, "pk", None) else None,
        actor_role=role[:100],
        student=student,
        request=request,
        breach=breach,
        details=details or {},
    )


# --- consents ---------------------------------------------------------------------------------------------------


def _kind(code: str) -> ConsentKind:
    kind = ConsentKind.objects.filter(code=code, is_active=True).first()
    if kind is None and shipped_data_ensure():
        kind = ConsentKind.objects.filter(code=code, is_active=True).first()
    if kind is None:
        raise ValidationError("Такого согласия нет или оно больше не запрашивается.")
    return kind


REFUSALS = {
    "consent": {
        "stranger": "Решение о согласии принимает сам обучающийся или его родитель (законный представитель).",
        "young": f"До {CHILD_ALONE_FROM} лет согласие за обучающегося даёт родитель (законный представитель).",
        "adult": f"Обучающемуся исполнилось {ADULT_FROM} лет: согласие он даёт сам.",
    },
    "request": {
        "stranger": "Запрос о данных обучающегося подаёт он сам или его родитель (законный представитель).",
        "young": f"До {CHILD_ALONE_FROM} лет запросы о данных обучающегося подаёт родитель (законный представитель).",
        "adult": f"Обучающемуся исполнилось {ADULT_FROM} лет: запросы о своих данных он подаёт сам.",
    },
}
NOT_CONFIRMED = (
    "Школа ещё не подтвердила, что вы родитель (законный представитель) обучающегося. Обратитесь к координатору "
    "профминимума школы с документом (свидетельством о рождении или актом об опеке)."
)


def decide_refusal(viewer: Viewer, student: Student, *, today: datetime.date, about: str = "consent") -> str:
    """Why the viewer may not decide on this student's consents (`about` "consent") or file a request about their
    data ("request"), in Russian; "" when they may."""
    texts = REFUSALS[about]
    party = family_party(viewer, student)
    if party is None:
        return texts["stranger"]
    if party not in parties_required(age_on(student.person.birth_date, today)):
        return texts["young"] if party == STUDENT else texts["adult"]
    if acting_party(viewer, student, today=today) is None:
        return NOT_CONFIRMED
    return ""


@transaction.atomic
def consent_decide(*, user, student: Student, kind_code: str, decision: str, has_read: bool = False) -> ConsentRecord:
    """The student or a confirmed parent gives or withdraws a consent in the platform, on the wording in force."""
    viewer = viewer_for(user)
    today = timezone.localdate()
    refusal = decide_refusal(viewer, student, today=today)
    if refusal:
        raise ValidationError(refusal)
    party = acting_party(viewer, student, today=today)
    kind = _kind(kind_code)
    text = texts_in_force([kind], today).get(kind.pk)
    if text is None:
        raise ValidationError(f"Текст согласия «{kind.title}» ещё не опубликован: дать его пока нельзя.")
    if decision not in Decision.values:
        raise ValidationError("Выберите: дать согласие или отозвать его.")
    if decision == Decision.GIVEN and not has_read:
        raise ValidationError("Отметьте, что вы прочитали текст согласия: без этого согласие не принимается.")
    record = ConsentRecord.objects.create(
        student=student, kind=kind, text=text, party=party, decision=decision, by_person_id=viewer.person_id,
        channel=ConsentRecord.Channel.PLATFORM, decided_on=today, recorded_by=user,
    )  # fmt: skip
    event_log(
        action=Action.CONSENT_GIVEN if decision == Decision.GIVEN else Action.CONSENT_WITHDRAWN,
        actor=user, role=actor_role(viewer, student), student=student,
        details={"consent": kind.code, "version": text.version, "party": party, "channel": record.channel, "record": record.pk},
    )  # fmt: skip
    return record


@transaction.atomic
def consent_paper_record(
    *, user, student: Student, kind_code: str, party: str, decision: str, signed_on: datetime.date, file, parent_link_id: int | None = None
) -> ConsentRecord:
    """The school records a consent signed on paper, with the scan. The age rules apply on the day it was signed;
    the wording is the one in force that day (an older one is then asked again)."""
    viewer = viewer_for(user)
    if not may_record_paper(viewer, student):
        raise PermissionDenied
    kind = _kind(kind_code)
    today = timezone.localdate()
    if decision not in Decision.values:
        raise ValidationError({"decision": "Выберите: согласие дано или отозвано."})
    if party not in ConsentRecord.Party.values:
        raise ValidationError({"party": "Выберите, кто подписал: обучающийся или родитель."})
    if signed_on > today:
        raise ValidationError({"signed_on": "Дата подписи не может быть позже сегодняшней."})
    if signed_on < today - PAPER_OLDEST:
        raise ValidationError({"signed_on": f"Дата подписи — не раньше {date_text(today - PAPER_OLDEST)}."})
    birth_date = student.person.birth_date
    if birth_date is not None and signed_on < birth_date:
        raise ValidationError({"signed_on": "Дата подписи раньше даты рождения обучающегося."})
    text = texts_in_force([kind], signed_on).get(kind.pk)
    if text is None:
        raise ValidationError({"signed_on": f"На {date_text(signed_on)} текст согласия «{kind.title}» ещё не действовал."})
    required = parties_required(age_on(birth_date, signed_on))
    if party not in required:
        age = age_on(birth_date, signed_on)
        if party == STUDENT:
            raise ValidationError(
                {"party": f"В день подписи обучающемуся было {age} — согласие подписывает родитель (законный представитель)."}
            )
        raise ValidationError({"party": f"В день подписи обучающемуся было {age} — согласие подписывает он сам."})
    if party == PARENT:
        link = ParentLink.objects.filter(pk=parent_link_id, student=student).select_related("parent").first() if parent_link_id else None
        if link is None:
            raise ValidationError({"parent_link": "Выберите родителя, который подписал согласие."})
        if not ParentConfirmation.objects.filter(link=link).exists():
            raise ValidationError({"parent_link": "Сначала подтвердите, что это родитель (законный представитель): по документу."})
        by_person = link.parent
    else:
        by_person = student.person
    scan = signed_paper_check(file)
    file.name = f"scan.{scan.extension}"
    record = ConsentRecord(
        student=student, kind=kind, text=text, party=party, decision=decision, by_person=by_person,
        channel=ConsentRecord.Channel.PAPER, decided_on=signed_on, recorded_by=user, paper_file=file,
    )  # fmt: skip
    record.save()
    event_log(
        action=Action.CONSENT_GIVEN if decision == Decision.GIVEN else Action.CONSENT_WITHDRAWN,
        actor=user, role=actor_role(viewer), student=student,
        details={"consent": kind.code, "version": text.version, "party": party, "channel": record.channel, "record": record.pk},
    )  # fmt: skip
    return record


@transaction.atomic
def parent_link_confirm(*, user, link: ParentLink, basis: str) -> ParentConfirmation:
    """The school saw the document: this linked parent is the child's parent or legal representative."""
    viewer = viewer_for(user)
    if not may_record_paper(viewer, link.student):
        raise PermissionDenied
    if basis not in ParentConfirmation.Basis.values:
        raise ValidationError({"basis": "Выберите документ, по которому школа подтверждает родителя."})
    confirmation, created = ParentConfirmation.objects.get_or_create(link=link, defaults={"basis": basis, "confirmed_by": user})
    if created:
        event_log(
            action=Action.PARENT_CONFIRMED, actor=user, role=actor_role(viewer), student=link.student,
            details={"parent_link": link.pk, "basis": basis},
        )  # fmt: skip
    return confirmation


@transaction.atomic
def parent_link_unconfirm(*, user, link: ParentLink) -> None:
    viewer = viewer_for(user)
    if not may_record_paper(viewer, link.student):
        raise PermissionDenied
    deleted, _ = ParentConfirmation.objects.filter(link=link).delete()
    if deleted:
        event_log(
            action=Action.PARENT_UNCONFIRMED, actor=user, role=actor_role(viewer), student=link.student, details={"parent_link": link.pk}
        )


# --- requests ---------------------------------------------------------------------------------------------------


def request_deadline(kind: str, received_on: datetime.date) -> Deadline:
    count, unit, _ = DEADLINES[kind]
    return working_days_after(received_on, count) if unit == "working" else calendar_days_after(received_on, count)


@transaction.atomic
def request_create(*, user, student: Student, kind: str, now: datetime.datetime | None = None) -> tuple[SubjectRequest, bool]:
    """A family asks for the student's data or for its erasure: registered with the day it came and the legal
    deadline. Asked by whoever decides the student's consents. An open request of the same kind is returned as it
    is (created False) rather than registered twice."""
    viewer = viewer_for(user)
    now = now or timezone.now()
    today = timezone.localdate(now)
    if kind not in SubjectRequest.Kind.values:
        raise ValidationError("Выберите, что нужно: выгрузка данных или их удаление.")
    refusal = decide_refusal(viewer, student, today=today, about="request")
    if refusal:
        raise ValidationError(refusal)
    party = acting_party(viewer, student, today=today)
    open_request = (
        SubjectRequest.objects.select_for_update().filter(student=student, kind=kind, status=SubjectRequest.Status.RECEIVED).first()
    )
    if open_request is not None:
        return open_request, False
    deadline = request_deadline(kind, today)
    request = SubjectRequest.objects.create(
        kind=kind, student=student, party=party, requested_by=user, received_at=now, deadline=deadline.day,
        deadline_estimated=deadline.estimated,
    )  # fmt: skip
    event_log(
        action=Action.REQUEST_RECEIVED, actor=user, role=actor_role(viewer, student), student=student, request=request,
        details={"kind": kind, "deadline": deadline.day.isoformat()},
    )  # fmt: skip
    if kind == SubjectRequest.Kind.EXPORT:
        transaction.on_commit(lambda: _export_enqueue(request.pk))
    return request, True


def _export_enqueue(request_id: int) -> None:
    from privacy.tasks import export_build_task

    # Should the queue refuse, the request stays in the operator's queue, who can make the export there.
    try:
        export_build_task.enqueue(request_id=request_id)
    except Exception:
        logger.exception("Не удалось поставить в очередь выгрузку по запросу %s", request_id)


@transaction.atomic
def export_build(*, request_id: int, by=None) -> SubjectRequest:
    """Make the ZIP of an export request (a readable PDF and a JSON) and close the request. By the worker (`by`
    None) or by the operator from the queue."""
    from privacy.export import export_archive

    request = SubjectRequest.objects.select_for_update().select_related("student__person").get(pk=request_id)
    if request.kind != SubjectRequest.Kind.EXPORT or not request.is_open:
        return request
    if by is not None and not may_operate(viewer_for(by)):
        raise PermissionDenied
    now = timezone.now()
    request.export_file.save(f"request-{request.pk}.zip", ContentFile(export_archive(request, now=now)), save=False)
    request.status = SubjectRequest.Status.DONE
    request.completed_at = now
    request.completed_by = by
    request.save(update_fields=["export_file", "status", "completed_at", "completed_by"])
    event_log(
        action=Action.EXPORT_MADE, actor=by, role=actor_role(viewer_for(by)) if by else "система (фоновая задача)",
        student=request.student, request=request, details={"on_time": timezone.localdate(now) <= request.deadline},
    )  # fmt: skip
    personal_data_read_log(
        user=by, subject=f"выгрузка персональных данных по запросу № {request.pk}", channel="export", person_id=request.student.person_id
    )
    _tell_requester(
        request, "Выгрузка данных готова",
        f"Архив по запросу № {request.pk} (PDF и JSON) можно скачать на странице «Персональные данные» в течение 30 дней.",
        url=reverse("privacy:student", args=[request.student_id]),
    )  # fmt: skip
    return request


def _tell_requester(request: SubjectRequest, subject: str, text: str, url: str = "") -> None:
    """The family hears how its request ended (the child is never named: the notification outlives an erasure)."""
    # Read afresh: an erasure asked by the student themself has just deleted their account.
    requester = User.objects.filter(pk=request.requested_by_id).first() if request.requested_by_id else None
    if requester is not None:
        notify(users=[requester], subject=subject, text=text, url=url, kind=f"privacy.{request.kind}")


@transaction.atomic
def export_downloaded(*, user, request: SubjectRequest) -> None:
    viewer = viewer_for(user)
    event_log(
        action=Action.EXPORT_DOWNLOADED, actor=user, role=actor_role(viewer, request.student), student=request.student, request=request
    )
    personal_data_read_log(
        user=user, subject=f"скачана выгрузка персональных данных № {request.pk}", channel="export", person_id=request.student.person_id
    )


@transaction.atomic
def request_refuse(*, user, request: SubjectRequest, reason: str) -> SubjectRequest:
    """The operator declines a request (a law requires the data kept), saying why."""
    viewer = viewer_for(user)
    if not may_operate(viewer):
        raise PermissionDenied
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "Укажите причину отказа: заявитель увидит её."})
    if len(reason) > 500:
        raise ValidationError({"reason": "Причина отказа — не длиннее 500 символов."})
    request = SubjectRequest.objects.select_for_update().get(pk=request.pk)
    if not request.is_open:
        raise ValidationError("Запрос уже закрыт.")
    request.status = SubjectRequest.Status.REFUSED
    request.refusal = reason
    request.completed_at = timezone.now()
    request.completed_by = user
    request.save(update_fields=["status", "refusal", "completed_at", "completed_by"])
    event_log(action=Action.REQUEST_REFUSED, actor=user, role=actor_role(viewer), student=request.student, request=request)
    _tell_requester(
        request, f"Запрос № {request.pk} отклонён", f"Запрос ({request.get_kind_display()}) отклонён. Причина: {reason}",
        url=reverse("privacy:student", args=[request.student_id]),
    )  # fmt: skip
    return request


@transaction.atomic
def erasure_execute(*, user, request: SubjectRequest) -> DestructionAct:
    """The operator carries out an erasure request: the student's data are removed or anonymised (the figures
    reports need stay), and the act of destruction is made with the extract of the event log."""
    from privacy.erasure import student_erase

    viewer = viewer_for(user)
    if not may_operate(viewer):
        raise PermissionDenied
    request = SubjectRequest.objects.select_for_update().select_related("student__person").get(pk=request.pk)
    if request.kind != SubjectRequest.Kind.ERASURE or not request.is_open:
        raise ValidationError("Этот запрос уже исполнен или отклонён.")
    act = student_erase(student=request.student, by=user, role=actor_role(viewer), reason=DestructionAct.Reason.REQUEST, request=request)
    request.status = SubjectRequest.Status.DONE
    request.completed_at = timezone.now()
    request.completed_by = user
    request.save(update_fields=["status", "completed_at", "completed_by"])
    _tell_requester(
        request, f"Запрос № {request.pk} исполнен: данные уничтожены",
        f"Персональные данные по запросу № {request.pk} уничтожены или обезличены; составлен акт № {act.pk} от "
        f"{date_text(act.made_at)}. Копию акта можно запросить у регионального оператора.",
    )  # fmt: skip
    return act


# --- breaches ---------------------------------------------------------------------------------------------------


@transaction.atomic
def breach_register(
    *,
    user,
    detected_at: datetime.datetime,
    description: str,
    scope: str,
    window_start: datetime.datetime,
    window_end: datetime.datetime,
    scope_user: User | None = None,
    scope_organization: Organization | None = None,
    scope_role: str = "",
) -> Breach:
    """The operator registers a suspected leak: its scope (an account, an organisation or a role) and time window."""
    viewer = viewer_for(user)
    if not may_operate(viewer):
        raise PermissionDenied
    errors = {}
    now = timezone.now()
    description = (description or "").strip()
    if not description:
        errors["description"] = "Опишите, что произошло: что заметили и где."
    for name, value in (("detected_at", detected_at), ("window_start", window_start), ("window_end", window_end)):
        if value < BREACH_EARLIEST or value > now + datetime.timedelta(days=1):
            errors[name] = f"Укажите дату с {BREACH_EARLIEST:%d.%m.%Y} по сегодняшний день."
    if detected_at > now + datetime.timedelta(minutes=5):
        errors.setdefault("detected_at", "Время обнаружения не может быть в будущем.")
    if window_end < window_start:
        errors["window_end"] = "Конец периода раньше его начала."
    if window_start > now:
        errors["window_start"] = "Начало периода не может быть в будущем."
    if scope == Breach.Scope.ACCOUNT and scope_user is None:
        errors["scope_user"] = "Укажите учётную запись (логин)."
    elif scope == Breach.Scope.ORGANIZATION and scope_organization is None:
        errors["scope_organization"] = "Выберите организацию."
    elif scope == Breach.Scope.ROLE and scope_role not in ROLE_LABELS:
        errors["scope_role"] = "Выберите роль."
    elif scope not in Breach.Scope.values:
        errors["scope"] = "Выберите, что затронуто: учётная запись, организация или роль."
    if errors:
        raise ValidationError(errors)
    breach = Breach.objects.create(
        detected_at=detected_at, description=description, scope=scope, window_start=window_start, window_end=window_end,
        scope_user=scope_user if scope == Breach.Scope.ACCOUNT else None,
        scope_organization=scope_organization if scope == Breach.Scope.ORGANIZATION else None,
        scope_role=scope_role if scope == Breach.Scope.ROLE else "", registered_by=user,
    )  # fmt: skip
    event_log(action=Action.BREACH_REGISTERED, actor=user, role=actor_role(viewer), breach=breach, details={"scope": scope})
    return breach


@transaction.atomic
def breach_mark(*, user, breach: Breach, step: str) -> Breach:
    """The operator records that the 24-hour notice (`notified`) or the 72-hour findings (`reported`) went out."""
    viewer = viewer_for(user)
    if not may_operate(viewer):
        raise PermissionDenied
    breach = Breach.objects.select_for_update().get(pk=breach.pk)
    now = timezone.now()
    if step == "notified" and breach.notified_at is None:
        breach.notified_at = now
        breach.save(update_fields=["notified_at"])
        event_log(action=Action.BREACH_NOTIFIED, actor=user, role=actor_role(viewer), breach=breach)
    elif step == "reported" and breach.reported_at is None:
        breach.reported_at = now
        breach.save(update_fields=["reported_at"])
        event_log(action=Action.BREACH_REPORTED, actor=user, role=actor_role(viewer), breach=breach)
    return breach
