"""Writes of offers, registrations, attendance, partners and mentors. Every rule a caller could bypass is kept here.

Places: `Offer.taken` counts confirmed places and places held for someone from the waiting list. Every write that
moves it locks the offer's row first (SELECT … FOR UPDATE on PostgreSQL; SQLite's transactions take the database's
write lock at their start), so sign-ups to one offer queue for a moment and never overfill it; the table's own
constraint `taken <= capacity` refuses any write that would. A full offer puts people on its waiting list in the
order they asked; a place that frees up is offered to the first in line and held for HOLD hours (the periodic job
`events.holds_expire` passes an unanswered one on).

Hours: the host marks attendance; the hours go to the профминимум ledger through its one crediting service
(`profminimum.services.hours_credit`), keyed by the offer, in the offer's direction. A parent meeting credits each
child of each attending parent in «работа с родителями». An attended trial also becomes a TrialRecord."""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone

from core.formatting import count_text, date_text, datetime_text, hours_text
from core.search import normalize_search_text
from events.models import (
    ACTIVE_STATUSES,
    Agreement,
    ExcursionRoute,
    Feedback,
    GroupSignup,
    JointPlan,
    JointPlanItem,
    Mentor,
    MentorAssignment,
    MentorMeeting,
    Offer,
    Partner,
    Registration,
    RouteStop,
    TrialRecord,
    new_short_code,
)
from notifications.services import notify
from orgs.models import Organization, SchoolYear
from people.models import Enrollment, ParentLink, Person, Student
from privacy.policy import EXCURSIONS, Answer, may_process, may_process_many
from profminimum.models import Direction
from profminimum.services import hours_credit, hours_withdraw
from profminimum.uploads import order_document_check

HOLD = datetime.timedelta(hours=48)
MAX_HOURS = Decimal("40")
STATUS = Registration.Status


def source_key(offer: Offer) -> str:
    """The key of the offer in the hours ledger (profminimum.Activity.source_key)."""
    return f"events.offer:{offer.pk}"


def offer_url(offer: Offer) -> str:
    return reverse("events:offer", args=[offer.pk])


# --- offers -----------------------------------------------------------------------------------------------------


OFFER_FIELDS = (
    "kind", "title", "description", "provider", "starts_at", "ends_at", "place", "online_url", "municipality", "sector",
    "professions", "competency", "route", "grade_min", "grade_max", "capacity", "hours", "direction",
)  # fmt: skip
# What registrants are told about when it changes.
NOTIFIED_FIELDS = {"starts_at": "время", "ends_at": "время", "place": "место", "online_url": "ссылка"}


def _offer_clean(offer: Offer) -> None:
    errors: dict[str, str] = {}
    if offer.starts_at and offer.ends_at and offer.ends_at <= offer.starts_at:
        errors["ends_at"] = "Окончание должно быть позже начала."
    if offer.starts_at and offer.ends_at and offer.ends_at - offer.starts_at > datetime.timedelta(days=14):
        errors["ends_at"] = "Предложение длится не больше двух недель: серию занятий заведите отдельными датами."
    if not offer.place and not offer.online_url:
        errors["place"] = "Укажите место проведения или ссылку для участия онлайн."
    if offer.grade_min is not None and offer.grade_max is not None:
        if not (1 <= offer.grade_min <= 11 and 1 <= offer.grade_max <= 11):
            errors["grade_min"] = "Классы — от 1 до 11."
        elif offer.grade_min > offer.grade_max:
            errors["grade_max"] = "«По класс» не может быть меньше «с класса»."
    if offer.capacity is not None and not 1 <= offer.capacity <= 5000:
        errors["capacity"] = "Мест — от 1 до 5000."
    if offer.hours is not None:
        if offer.hours < 0 or offer.hours > MAX_HOURS:
            errors["hours"] = "Часов — от 0 до 40."
        elif (offer.hours * 2) % 1 != 0:
            errors["hours"] = "Часы указываются с шагом 0,5."
    if offer.kind == Offer.Kind.PARENT_MEETING and offer.direction != Direction.Code.PARENTS:
        errors["direction"] = "Родительское собрание засчитывается детям в направлении «работа с родителями»."
    if offer.kind == Offer.Kind.TRIAL and not (offer.professions or offer.competency):
        errors["professions"] = "Для профессиональной пробы укажите профессию или компетенцию."
    if offer.kind == Offer.Kind.EXCURSION and offer.route_id is None:
        errors["route"] = "Экскурсия проходит по маршруту из каталога: выберите маршрут."
    if errors:
        raise ValidationError(errors)


def offer_create(*, by, **values) -> Offer:
    values = {key: values[key] for key in OFFER_FIELDS if key in values}
    offer = Offer(created_by=by, status=Offer.Status.DRAFT, **values)
    if offer.kind == Offer.Kind.PARENT_MEETING:
        offer.direction = Direction.Code.PARENTS
    _offer_clean(offer)
    offer.save()
    return offer


@transaction.atomic
def offer_update(*, offer: Offer, by, **values) -> Offer:
    """Change an offer; people signed up are told when its time or place changes. A capacity below the places
    already taken is refused; a larger one offers the new places to the waiting list."""
    offer = _lock(offer)
    before = {name: getattr(offer, name) for name in NOTIFIED_FIELDS}
    for key in OFFER_FIELDS:
        if key in values:
            setattr(offer, key, values[key])
    if offer.kind == Offer.Kind.PARENT_MEETING:
        offer.direction = Direction.Code.PARENTS
    if offer.capacity is not None and offer.capacity < offer.taken:
        raise ValidationError({"capacity": f"Уже занято {count_text(offer.taken, 'место', 'места', 'мест')}: мест не может быть меньше."})
    if offer.status != Offer.Status.DRAFT and Registration.objects.filter(offer=offer, attended__isnull=False).exists():
        hours_changed = Offer.objects.filter(pk=offer.pk).exclude(hours=offer.hours, direction=offer.direction).exists()
        if hours_changed:
            raise ValidationError({"hours": "Посещаемость уже отмечена и часы зачтены: часы и направление менять нельзя."})
    _offer_clean(offer)
    offer.save()
    changed = sorted({label for name, label in NOTIFIED_FIELDS.items() if before[name] != getattr(offer, name)})
    if changed and offer.status == Offer.Status.PUBLISHED:
        _tell_registrants(
            offer,
            subject=f"Изменения: {offer.title}",
            text=f"Изменились {', '.join(changed)}. {offer.title}: {_when_where(offer)}.",
        )
    _promote(offer, now=timezone.now())
    return offer


def offer_publish(*, offer: Offer, by) -> Offer:
    if offer.status == Offer.Status.CANCELLED:
        raise ValidationError("Отменённое предложение опубликовать нельзя: создайте новое.")
    if offer.starts_at <= timezone.now():
        raise ValidationError("Начало уже прошло: опубликовать можно только предстоящее.")
    _offer_clean(offer)
    Offer.objects.filter(pk=offer.pk).update(status=Offer.Status.PUBLISHED)
    offer.status = Offer.Status.PUBLISHED
    return offer


@transaction.atomic
def offer_cancel(*, offer: Offer, reason: str, by) -> Offer:
    offer = _lock(offer)
    reason = (reason or "").strip()[:300]
    if not reason:
        raise ValidationError({"cancel_reason": "Укажите причину отмены: её получат все записавшиеся."})
    if Registration.objects.filter(offer=offer, attended=True).exists():
        raise ValidationError("Посещаемость уже отмечена: отменить состоявшееся нельзя.")
    was_published = offer.status == Offer.Status.PUBLISHED
    offer.status, offer.cancel_reason = Offer.Status.CANCELLED, reason
    offer.save(update_fields=["status", "cancel_reason", "updated_at"])
    if was_published:
        _tell_registrants(
            offer, subject=f"Отменено: {offer.title}", text=f"{offer.title} ({_when_where(offer)}) отменено. Причина: {reason}"
        )
    return offer


# --- registrations ----------------------------------------------------------------------------------------------


def _lock(offer: Offer) -> Offer:
    """The offer's row, locked until the transaction ends: every write that moves its places goes through here."""
    return Offer.objects.select_for_update(of=("self",)).get(pk=offer.pk)


def _when_where(offer: Offer) -> str:
    where = offer.place or "онлайн"
    return f"{datetime_text(offer.starts_at)}, {where}"


def _signup_open(offer: Offer, now: datetime.datetime) -> None:
    if offer.status != Offer.Status.PUBLISHED:
        raise ValidationError("Запись закрыта: предложение отменено или ещё не опубликовано.")
    if offer.starts_at <= now:
        raise ValidationError("Запись закрыта: мероприятие уже началось.")


def _student_fits(offer: Offer, student: Student) -> None:
    if offer.for_parents:
        raise ValidationError("На родительское собрание записываются родители.")
    school_class = student.current_class
    if school_class is None:
        raise ValidationError("Обучающийся не числится ни в одном классе: записать нельзя.")
    if not offer.grade_min <= school_class.grade <= offer.grade_max:
        raise ValidationError(f"Предложение — {offer.grades_for}, а {student.person.short_name} учится в {school_class.grade} классе.")


def _consent_refused(offer: Offer, student: Student) -> bool:
    return offer.is_excursion and may_process(student=student, purpose=EXCURSIONS) == Answer.NO


def _place(offer: Offer, registration: Registration) -> None:
    """Confirm the registration if a place is free, else put it on the waiting list (the offer is locked)."""
    if offer.taken < offer.capacity:
        # The filter repeats the check in the database, and the table's constraint stands behind both.
        moved = Offer.objects.filter(pk=offer.pk, taken__lt=F("capacity")).update(taken=F("taken") + 1)
        if moved:
            offer.taken += 1
            registration.status = STATUS.CONFIRMED
            return
    registration.status = STATUS.WAITING


def _insert(registration: Registration) -> None:
    """Save a new registration; a short code taken on the offer is drawn again, a second active registration of the
    same person is refused."""
    for _ in range(5):
        try:
            with transaction.atomic():
                registration.save()
            return
        except IntegrityError as error:
            if (
                "code" in str(error).lower()
                and Registration.objects.filter(offer_id=registration.offer_id, code=registration.code).exists()
            ):
                registration.code = new_short_code()
                registration.pk = None
                continue
            raise ValidationError("Уже есть запись на это предложение.") from None
    raise ValidationError("Не удалось выдать короткий код: попробуйте ещё раз.")


@dataclass
class SignupResult:
    registration: Registration
    position: int = 0  # in the waiting list, from 1


def waiting_position(registration: Registration) -> int:
    if registration.status != STATUS.WAITING:
        return 0
    earlier = Registration.objects.filter(
        offer_id=registration.offer_id, status=STATUS.WAITING, queued_at__lt=registration.queued_at
    ).count()
    same_moment = Registration.objects.filter(
        offer_id=registration.offer_id, status=STATUS.WAITING, queued_at=registration.queued_at, pk__lt=registration.pk
    ).count()
    return earlier + same_moment + 1


@transaction.atomic
def registration_create(*, offer: Offer, student: Student | None = None, parent: Person | None = None, by) -> SignupResult:
    """Sign a student (or, for a parent meeting, a parent) up: a free place is confirmed at once, otherwise the person
    joins the waiting list. An excursion the family refused consent for is refused; one still without consent is
    accepted and the family is asked (the visit needs the consent before it takes place)."""
    now = timezone.now()
    offer = _lock(offer)
    _signup_open(offer, now)
    if (student is None) == (parent is None):
        raise ValueError("registration_create: a student or a parent")
    if parent is not None:
        if not offer.for_parents:
            raise ValidationError("Родители записываются только на родительские собрания.")
        if not ParentLink.objects.filter(parent=parent).exists():
            raise ValidationError("Записаться на родительское собрание может родитель обучающегося.")
        if Registration.objects.filter(offer=offer, parent=parent, status__in=ACTIVE_STATUSES).exists():
            raise ValidationError("Вы уже записаны на это собрание.")
    else:
        student = Student.objects.select_related("person", "current_class").get(pk=student.pk)
        _student_fits(offer, student)
        if Registration.objects.filter(offer=offer, student=student, status__in=ACTIVE_STATUSES).exists():
            raise ValidationError(f"{student.person.short_name} уже записан(а) на это предложение.")
        if _consent_refused(offer, student):
            raise ValidationError("Согласие на участие в экскурсиях не дано или отозвано: записаться нельзя, пока семья не даст согласие.")
    registration = Registration(offer=offer, student=student, parent=parent, queued_at=now, registered_by=by)
    _place(offer, registration)
    _insert(registration)
    result = SignupResult(registration, waiting_position(registration))
    _tell_signed_up([result], offer)
    return result


@dataclass
class GroupResult:
    group: GroupSignup
    confirmed: list[Registration] = field(default_factory=list)
    waiting: list[Registration] = field(default_factory=list)
    refused: list[tuple[Student, str]] = field(default_factory=list)


@transaction.atomic
def group_signup(*, offer: Offer, school_class, student_ids: Iterable[int], by) -> GroupResult:
    """A teacher signs up students of a class: up to the free places are confirmed, in the order of the class list,
    the rest join the waiting list; those who cannot go (already signed up, consent refused) are listed with why."""
    now = timezone.now()
    offer = _lock(offer)
    _signup_open(offer, now)
    if offer.for_parents:
        raise ValidationError("На родительское собрание записываются родители, не классы.")
    wanted = set(student_ids)
    students = list(
        Student.objects.filter(pk__in=wanted, current_class=school_class)
        .select_related("person", "current_class")
        .order_by("person__last_name", "person__first_name", "pk")
    )
    if not students:
        raise ValidationError({"students": "Отметьте обучающихся класса, которых записываете."})
    already = set(
        Registration.objects.filter(offer=offer, student__in=students, status__in=ACTIVE_STATUSES).values_list("student_id", flat=True)
    )
    refused_consent = set()
    if offer.is_excursion:
        answers = may_process_many(student_ids=[s.pk for s in students], purpose=EXCURSIONS)
        refused_consent = {pk for pk, answer in answers.items() if answer == Answer.NO}
    group = GroupSignup.objects.create(offer=offer, school_class=school_class, teacher=by)
    result = GroupResult(group)
    signed = []
    for student in students:
        if student.pk in already:
            result.refused.append((student, "уже записан(а)"))
            continue
        if student.pk in refused_consent:
            result.refused.append((student, "нет согласия на экскурсии"))
            continue
        try:
            _student_fits(offer, student)
        except ValidationError as error:
            result.refused.append((student, error.messages[0]))
            continue
        registration = Registration(offer=offer, student=student, queued_at=now, registered_by=by, group=group)
        _place(offer, registration)
        _insert(registration)
        (result.confirmed if registration.status == STATUS.CONFIRMED else result.waiting).append(registration)
        signed.append(SignupResult(registration, waiting_position(registration)))
    _tell_signed_up(signed, offer)
    return result


@transaction.atomic
def registration_cancel(*, registration: Registration, by, reason: str = "") -> Registration:
    """Cancel a place or leave the waiting list; a place freed is offered to the first in line."""
    offer = _lock(registration.offer)
    registration = Registration.objects.select_for_update(of=("self",)).get(pk=registration.pk)
    if registration.status not in ACTIVE_STATUSES:
        raise ValidationError("Эта запись уже не действует.")
    if registration.attended is not None:
        raise ValidationError("Посещаемость уже отмечена: запись отменить нельзя.")
    now = timezone.now()
    if offer.starts_at <= now:
        raise ValidationError("Мероприятие уже началось: отменить запись нельзя.")
    freed = registration.status in (STATUS.CONFIRMED, STATUS.OFFERED)
    registration.status = STATUS.CANCELLED
    registration.held_until = None
    registration.save(update_fields=["status", "held_until", "changed_at"])
    if freed:
        Offer.objects.filter(pk=offer.pk).update(taken=F("taken") - 1)
        offer.taken -= 1
        _promote(offer, now=now)
    return registration


def _promote(offer: Offer, *, now: datetime.datetime) -> list[Registration]:
    """Offer the free places to the first in line, each held for HOLD (up to the start). The offer is locked."""
    promoted = []
    if offer.status != Offer.Status.PUBLISHED or offer.starts_at <= now:
        return promoted
    while offer.taken < offer.capacity:
        first = (
            Registration.objects.select_for_update(of=("self",))
            .filter(offer=offer, status=STATUS.WAITING)
            .order_by("queued_at", "pk")
            .first()
        )
        if first is None:
            break
        first.status = STATUS.OFFERED
        first.held_until = min(now + HOLD, offer.starts_at)
        first.save(update_fields=["status", "held_until", "changed_at"])
        Offer.objects.filter(pk=offer.pk).update(taken=F("taken") + 1)
        offer.taken += 1
        promoted.append(first)
    for registration in promoted:
        _tell(
            registration,
            subject=f"Освободилось место: {offer.title}",
            text=(
                f"Для вас освободилось место: {offer.title}, {_when_where(offer)}. Место держится до "
                f"{datetime_text(registration.held_until)} — подтвердите его, иначе оно перейдёт следующему в листе ожидания."
            ),
        )
    return promoted


@transaction.atomic
def registration_accept(*, registration: Registration, by) -> Registration:
    """Take the place offered from the waiting list while it is held."""
    _lock(registration.offer)
    registration = Registration.objects.select_for_update(of=("self",)).get(pk=registration.pk)
    if registration.status == STATUS.CONFIRMED:
        return registration
    if registration.status != STATUS.OFFERED:
        raise ValidationError("Место не предложено: подтверждать нечего.")
    if registration.held_until is None or registration.held_until <= timezone.now():
        raise ValidationError("Срок подтверждения истёк: место передано следующему в листе ожидания.")
    registration.status, registration.held_until = STATUS.CONFIRMED, None
    registration.save(update_fields=["status", "held_until", "changed_at"])
    return registration


def holds_expire(*, now: datetime.datetime | None = None) -> int:
    """The periodic job: places offered and not taken in time go to the next in line. Returns how many lapsed."""
    now = now or timezone.now()
    lapsed = 0
    offer_ids = sorted(set(Registration.objects.filter(status=STATUS.OFFERED, held_until__lte=now).values_list("offer_id", flat=True)))
    for offer_id in offer_ids:
        with transaction.atomic():
            offer = Offer.objects.select_for_update(of=("self",)).get(pk=offer_id)
            expired = list(
                Registration.objects.select_for_update(of=("self",)).filter(offer=offer, status=STATUS.OFFERED, held_until__lte=now)
            )
            for registration in expired:
                registration.status = STATUS.EXPIRED
                registration.save(update_fields=["status", "changed_at"])
                _tell(
                    registration,
                    subject=f"Место не подтверждено: {offer.title}",
                    text=f"Вы не подтвердили предложенное место вовремя, и оно передано следующему в листе ожидания: {offer.title}.",
                )
            if expired:
                Offer.objects.filter(pk=offer.pk).update(taken=F("taken") - len(expired))
                offer.taken -= len(expired)
                lapsed += len(expired)
                _promote(offer, now=now)
    return lapsed


def reminders_send(*, now: datetime.datetime | None = None) -> int:
    """The periodic job: a reminder the day before to everyone with a confirmed place (once), and to the parents of
    those still without the consent an excursion needs."""
    now = now or timezone.now()
    due = list(
        Registration.objects.filter(
            status=STATUS.CONFIRMED, reminded_at__isnull=True, offer__status=Offer.Status.PUBLISHED,
            offer__starts_at__gt=now, offer__starts_at__lte=now + datetime.timedelta(hours=24),
        ).select_related("offer", "student__person__user", "parent__user")[:2000]
    )  # fmt: skip
    consent = {}
    excursion_students = [r.student_id for r in due if r.offer.is_excursion and r.student_id]
    if excursion_students:
        consent = may_process_many(student_ids=excursion_students, purpose=EXCURSIONS)
    for registration in due:
        offer = registration.offer
        _tell(registration, subject=f"Напоминание: {offer.title}", text=f"Завтра: {offer.title}, {_when_where(offer)}.")
        if registration.student_id and consent.get(registration.student_id) == Answer.ASK:
            _tell_parents(
                registration.student,
                subject="Нужно согласие на экскурсию",
                text=f"Завтра экскурсия «{offer.title}». Без согласия родителей на участие в экскурсиях ребёнка не смогут отметить.",
                url=reverse("privacy:student", args=[registration.student_id]),
            )
    Registration.objects.filter(pk__in=[r.pk for r in due]).update(reminded_at=now)
    return len(due)


# --- attendance ---------------------------------------------------------------------------------------------------


@dataclass
class MarkResult:
    marked: int = 0
    credited_students: int = 0
    hours: Decimal = Decimal("0")
    problems: list[str] = field(default_factory=list)


def _direction_for(offer: Offer, day: datetime.date) -> Direction:
    year = SchoolYear.objects.filter(starts_on__lte=day, ends_on__gte=day).order_by("-starts_on").first()
    direction = Direction.objects.filter(normative__school_year=year, code=offer.direction).first() if year else None
    if direction is None:
        raise ValidationError(f"На {date_text(day)} нет нормативной версии профминимума с направлением «{offer.get_direction_display()}».")
    return direction


def _placed_on(student_ids: Iterable[int], day: datetime.date) -> set[int]:
    """Of these students, those in a class on the day (the ledger attributes hours to it)."""
    year = SchoolYear.objects.filter(starts_on__lte=day, ends_on__gte=day).order_by("-starts_on").first()
    if year is None:
        return set()
    return set(
        Enrollment.objects.filter(student_id__in=list(student_ids), school_class__school_year=year).values_list("student_id", flat=True)
    )


def _credited_students(offer: Offer) -> set[int]:
    """The students the offer's attendance credits: those present, or for a parent meeting the children of every
    parent present."""
    present = Registration.objects.filter(offer=offer, attended=True)
    if offer.for_parents:
        parents = present.values_list("parent_id", flat=True)
        return set(ParentLink.objects.filter(parent_id__in=parents).values_list("student_id", flat=True))
    return set(present.values_list("student_id", flat=True))


@transaction.atomic
def attendance_mark(*, offer: Offer, marks: dict[int, bool], by, notes: dict[int, str] | None = None) -> MarkResult:
    """Mark registrations present or absent (by registration id) and move the hours: credited to those now credited
    and not before, withdrawn from those credited before and not now. Only confirmed places are marked; an excursion
    needs the consent on the day of the visit."""
    offer = _lock(offer)
    now = timezone.now()
    if offer.status != Offer.Status.PUBLISHED:
        raise ValidationError("Предложение не опубликовано или отменено: отмечать посещаемость нельзя.")
    if offer.starts_at > now:
        raise ValidationError(f"Мероприятие ещё не началось ({datetime_text(offer.starts_at)}): посещаемость отмечается на месте.")
    day = timezone.localtime(offer.starts_at).date()
    result = MarkResult()
    registrations = {
        r.pk: r
        for r in Registration.objects.select_for_update(of=("self",))
        .filter(offer=offer, pk__in=list(marks))
        .select_related("student__person", "parent")
    }
    consent = {}
    if offer.is_excursion:
        ids = [r.student_id for r in registrations.values() if r.student_id and marks.get(r.pk)]
        consent = may_process_many(student_ids=ids, purpose=EXCURSIONS, today=day) if ids else {}
    before = _credited_students(offer)
    changed = []
    for pk, present in marks.items():
        registration = registrations.get(pk)
        if registration is None:
            continue
        name = registration.attendee.short_name
        if registration.status != STATUS.CONFIRMED:
            result.problems.append(f"{name}: место не подтверждено ({registration.get_status_display()}) — не отмечен(а).")
            continue
        if present and offer.is_excursion and consent.get(registration.student_id) != Answer.YES:
            result.problems.append(f"{name}: нет согласия родителей на участие в экскурсиях — присутствие не отмечено.")
            continue
        note = (notes or {}).get(pk)
        if registration.attended == present and note is None:
            continue
        registration.attended = present
        registration.attended_at = now
        registration.marked_by = by
        if note is not None:
            registration.host_note = note.strip()[:1000]
        changed.append(registration)
    Registration.objects.bulk_update(changed, ["attended", "attended_at", "marked_by", "host_note"])
    result.marked = len(changed)
    after = _credited_students(offer)
    _hours_move(offer, day=day, before=before, after=after, by=by, result=result)
    if offer.is_trial:
        _trial_records_sync(offer, day=day)
    return result


def _hours_move(offer: Offer, *, day, before: set[int], after: set[int], by, result: MarkResult) -> None:
    if not offer.hours:
        return
    gained, lost = sorted(after - before), sorted(before - after)
    if gained:
        placed = _placed_on(gained, day)
        unplaced = len(gained) - len(placed)
        if unplaced:
            result.problems.append(
                f"Не числятся в классе на {date_text(day)}: {count_text(unplaced, 'обучающийся', 'обучающихся', 'обучающихся')} — часы им не зачтены."
            )
        if placed:
            hours_credit(
                source_key=source_key(offer), title=offer.title, direction=_direction_for(offer, day), hours=offer.hours, day=day,
                student_ids=sorted(placed), organizer=offer.provider, by=by,
            )  # fmt: skip
            result.credited_students += len(placed)
            result.hours += offer.hours * len(placed)
    if lost:
        result.hours -= hours_withdraw(source_key=source_key(offer), student_ids=lost, reason="отметка о присутствии снята", by=by)


def _trial_records_sync(offer: Offer, *, day: datetime.date) -> None:
    present = {r.pk: r for r in Registration.objects.filter(offer=offer, attended=True, student__isnull=False).select_related("student")}
    TrialRecord.objects.filter(registration__offer=offer).exclude(registration_id__in=list(present)).delete()
    existing = set(TrialRecord.objects.filter(registration_id__in=list(present)).values_list("registration_id", flat=True))
    placements = _placements_on([r.student_id for r in present.values()], day)
    rows = []
    for pk, registration in present.items():
        placement = placements.get(registration.student_id)
        if pk in existing or placement is None:
            continue
        rows.append(
            TrialRecord(
                student_id=registration.student_id, held_on=day, title=offer.title[:300], site_id=offer.provider_id,
                site_name=offer.provider.short_name, site_key=f"org:{offer.provider_id}", school_id=placement[0],
                municipality_id=placement[1], registration=registration, source=TrialRecord.Source.MARKED,
            )
        )  # fmt: skip
    TrialRecord.objects.bulk_create(rows)


def _placements_on(student_ids: list[int], day: datetime.date) -> dict[int, tuple[int, int]]:
    """(school, municipality) of each student's class on the day, falling back to their current school."""
    placements: dict[int, tuple[int, int]] = {}
    enrollments = (
        Enrollment.objects.filter(student_id__in=student_ids, started_on__lte=day)
        .exclude(ended_on__lt=day)
        .values_list("student_id", "school_class__school_id", "school_class__school__municipality_id")
    )
    for student_id, school_id, municipality_id in enrollments:
        if municipality_id is not None:
            placements[student_id] = (school_id, municipality_id)
    missing = [pk for pk in student_ids if pk not in placements]
    for student_id, school_id, municipality_id in Student.objects.filter(pk__in=missing, current_school__isnull=False).values_list(
        "pk", "current_school_id", "current_school__municipality_id"
    ):
        if municipality_id is not None:
            placements[student_id] = (school_id, municipality_id)
    return placements


def check_in(*, offer: Offer, registration: Registration, by) -> MarkResult:
    """One student at the door: by their QR code or short code (events.tickets found the registration)."""
    if registration.offer_id != offer.pk:
        raise ValidationError("Это код другого мероприятия.")
    if registration.status != STATUS.CONFIRMED:
        raise ValidationError(f"{registration.attendee.short_name}: {registration.get_status_display()} — отметить нельзя.")
    result = attendance_mark(offer=offer, marks={registration.pk: True}, by=by)
    if result.problems:
        raise ValidationError(result.problems[0])
    return result


def trial_record_import(
    *, student: Student, held_on: datetime.date, title: str, site_name: str = "", site: Organization | None = None
) -> TrialRecord:
    """A trial from the federal platform's export: counted by the indicators exactly as one marked here. The same
    student, day and site twice is recorded once."""
    site_key = f"org:{site.pk}" if site is not None else "name:" + normalize_search_text(site_name)[:300]
    existing = TrialRecord.objects.filter(student=student, held_on=held_on, site_key=site_key).first()
    if existing is not None:
        return existing
    placement = _placements_on([student.pk], held_on).get(student.pk)
    if placement is None:
        raise ValidationError("Обучающийся не числится в школе на дату пробы.")
    return TrialRecord.objects.create(
        student=student, held_on=held_on, title=(title or "Профессиональная проба")[:300], site=site,
        site_name=(site.short_name if site else site_name)[:300], site_key=site_key, school_id=placement[0],
        municipality_id=placement[1], source=TrialRecord.Source.IMPORTED,
    )  # fmt: skip


# --- feedback -------------------------------------------------------------------------------------------------------


def feedback_leave(*, registration: Registration, useful: bool, rating: int, comment: str) -> Feedback:
    if registration.attended is not True:
        raise ValidationError("Отзыв оставляют после посещения.")
    if not isinstance(rating, int) or not 1 <= rating <= 5:
        raise ValidationError({"rating": "Оценка — от 1 до 5."})
    feedback, _ = Feedback.objects.update_or_create(
        registration=registration, defaults={"useful": bool(useful), "rating": rating, "comment": (comment or "").strip()[:2000]}
    )
    return feedback


# --- notifications --------------------------------------------------------------------------------------------------


def _users_of(registration: Registration) -> list:
    person = registration.student.person if registration.student_id else registration.parent
    return [person.user] if person is not None and person.user_id else []


def _tell(registration: Registration, *, subject: str, text: str) -> None:
    users = _users_of(registration)
    if users:
        notify(users=users, subject=subject, text=text, url=offer_url(registration.offer), kind="events.registration")


def _tell_parents(student: Student, *, subject: str, text: str, url: str) -> None:
    users = [link.parent.user for link in ParentLink.objects.filter(student=student).select_related("parent__user") if link.parent.user_id]
    if users:
        notify(users=users, subject=subject, text=text, url=url, kind="events.consent")


def _tell_signed_up(results: list[SignupResult], offer: Offer) -> None:
    if not results:
        return
    consent = {}
    if offer.is_excursion:
        consent = may_process_many(student_ids=[r.registration.student_id for r in results], purpose=EXCURSIONS)
    for result in results:
        registration = result.registration
        if registration.status == STATUS.CONFIRMED:
            hours = f" Засчитывается {hours_text(offer.hours)} профминимума." if offer.hours else ""
            _tell(
                registration, subject=f"Вы записаны: {offer.title}", text=f"Место подтверждено: {offer.title}, {_when_where(offer)}.{hours}"
            )
        else:
            _tell(
                registration,
                subject=f"Лист ожидания: {offer.title}",
                text=f"Мест пока нет: вы {result.position}-й в листе ожидания. Если место освободится, мы сообщим.",
            )
        if registration.student_id and consent.get(registration.student_id) == Answer.ASK:
            _tell_parents(
                registration.student,
                subject="Нужно согласие на участие в экскурсии",
                text=(
                    f"Ребёнок записан на экскурсию «{offer.title}» ({_when_where(offer)}). Чтобы он смог участвовать, нужно "
                    "согласие на участие в экскурсиях до дня экскурсии."
                ),
                url=reverse("privacy:student", args=[registration.student_id]),
            )


def _tell_registrants(offer: Offer, *, subject: str, text: str) -> None:
    registrations = Registration.objects.filter(offer=offer, status__in=ACTIVE_STATUSES).select_related(
        "student__person__user", "parent__user"
    )
    users = [user for registration in registrations for user in _users_of(registration)]
    if users:
        notify(users=users, subject=subject, text=text, url=offer_url(offer), kind="events.change")


# --- partners, agreements, joint plans --------------------------------------------------------------------------------


def partner_save(
    *, organization: Organization, description: str = "", sectors=(), is_trial_site: bool = False, contact: str = ""
) -> Partner:
    from access.policy import PARTNER_KINDS

    if organization.kind not in PARTNER_KINDS:
        raise ValidationError({"organization": "Партнёром бывает работодатель, колледж, вуз или организация дополнительного образования."})
    partner, _ = Partner.objects.update_or_create(
        organization=organization,
        defaults={
            "description": description.strip(),
            "sectors": list(sectors),
            "is_trial_site": is_trial_site,
            "contact": contact.strip()[:300],
        },
    )
    return partner


def agreement_add(*, partner: Partner, number: str, signed_on, valid_from, valid_until, subject: str, file, by) -> Agreement:
    """An agreement with its document, checked like a school's order: PDF, DOC or DOCX by content, at most 10 МБ."""
    errors = {}
    if not (number or "").strip():
        errors["number"] = "Укажите номер договора."
    if not (subject or "").strip():
        errors["subject"] = "Укажите предмет договора."
    if valid_until is not None and valid_from is not None and valid_until < valid_from:
        errors["valid_until"] = "Срок действия не может закончиться раньше, чем начался."
    if signed_on and signed_on > timezone.localdate():
        errors["signed_on"] = "Дата заключения не может быть в будущем."
    if errors:
        raise ValidationError(errors)
    kind = None
    if file is not None:
        try:
            kind = order_document_check(file)
        except ValidationError as error:
            raise ValidationError({"file": error.messages}) from None
    agreement = Agreement(
        partner=partner, number=number.strip()[:50], signed_on=signed_on, valid_from=valid_from, valid_until=valid_until,
        subject=subject.strip(), created_by=by,
    )  # fmt: skip
    if file is not None:
        agreement.file.save(f"agreement.{kind.extension}", file, save=False)
    agreement.save()
    return agreement


def joint_plan_create(
    *, partner: Partner, school_year: SchoolYear, title: str, items: list[tuple[str, datetime.date, str]], by
) -> JointPlan:
    title = (title or "").strip()
    if not title:
        raise ValidationError({"title": "Назовите план."})
    errors = []
    for what, due_on, _ in items:
        if not (school_year.starts_on <= due_on <= school_year.ends_on):
            errors.append(f"«{what}»: срок {date_text(due_on)} вне {school_year} учебного года.")
    if errors:
        raise ValidationError({"items": errors})
    with transaction.atomic():
        plan = JointPlan.objects.create(partner=partner, school_year=school_year, title=title[:300], created_by=by)
        JointPlanItem.objects.bulk_create(
            [
                JointPlanItem(plan=plan, what=what.strip()[:300], due_on=due_on, responsible=(who or "").strip()[:200])
                for what, due_on, who in items
            ]
        )
    return plan


def plan_item_toggle(*, item: JointPlanItem, done: bool) -> JointPlanItem:
    item.done = bool(done)
    item.save(update_fields=["done"])
    return item


# --- excursion routes -------------------------------------------------------------------------------------------------


def route_create(*, title, host, duration_minutes, safety_notes, stops: list[tuple[str, str, int]], by=None, **values) -> ExcursionRoute:
    errors = {}
    if not (safety_notes or "").strip():
        errors["safety_notes"] = "Опишите требования безопасности: их читают педагоги и родители до поездки."
    if not stops:
        errors["stops"] = "У маршрута должна быть хотя бы одна остановка."
    if not 15 <= (duration_minutes or 0) <= 720:
        errors["duration_minutes"] = "Продолжительность — от 15 минут до 12 часов."
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        route = ExcursionRoute.objects.create(
            title=title.strip()[:300], host=host, duration_minutes=duration_minutes, safety_notes=safety_notes.strip(), **values
        )
        RouteStop.objects.bulk_create(
            [RouteStop(route=route, position=i + 1, title=t[:200], description=d[:500], minutes=m) for i, (t, d, m) in enumerate(stops)]
        )
    return route


# --- mentors ----------------------------------------------------------------------------------------------------------


def mentor_create(*, person: Person, organization: Organization | None, sector: str, competencies: str = "", about: str = "") -> Mentor:
    if Mentor.objects.filter(person=person).exists():
        raise ValidationError("Этот человек уже есть в базе наставников.")
    return Mentor.objects.create(
        person=person, organization=organization, sector=sector, competencies=competencies.strip()[:300], about=about.strip()
    )


def mentor_vetting_record(
    *, mentor: Mentor, vetting: str, checked_on: datetime.date | None, expires_on: datetime.date | None, by
) -> Mentor:
    """Record the criminal-record check: the fact, the date of the certificate and how long it is valid. The
    certificate itself is never stored — only these three facts."""
    errors = {}
    if vetting not in Mentor.Vetting.values:
        errors["vetting"] = "Выберите итог проверки."
    if vetting == Mentor.Vetting.CLEARED:
        if checked_on is None:
            errors["record_checked_on"] = "Укажите дату справки."
        if expires_on is None:
            errors["record_check_expires_on"] = "Укажите, до какого дня справка действительна."
        if checked_on and checked_on > timezone.localdate():
            errors["record_checked_on"] = "Дата справки не может быть в будущем."
        if checked_on and expires_on and expires_on < checked_on:
            errors["record_check_expires_on"] = "Справка не может истечь раньше, чем выдана."
    if errors:
        raise ValidationError(errors)
    mentor.vetting = vetting
    mentor.record_checked_on = checked_on
    mentor.record_check_expires_on = expires_on if vetting == Mentor.Vetting.CLEARED else None
    mentor.vetting_recorded_by = by
    mentor.vetting_recorded_at = timezone.now()
    mentor.save()
    if vetting != Mentor.Vetting.CLEARED:
        # A mentor no longer cleared keeps no mentee.
        MentorAssignment.objects.filter(mentor=mentor, ended_on__isnull=True).update(ended_on=timezone.localdate())
    return mentor


def mentor_assign(*, mentor: Mentor, student: Student, goal: str, started_on: datetime.date | None = None, by) -> MentorAssignment:
    """An unvetted mentor — no check recorded, refused, or the certificate expired — is not assigned."""
    today = timezone.localdate()
    started_on = started_on or today
    if not mentor.is_active:
        raise ValidationError("Наставник не работает: закрепить нельзя.")
    if not mentor.is_vetted(started_on) or not mentor.is_vetted(today):
        raise ValidationError(
            "Наставник не прошёл проверку: нет действующей справки об отсутствии судимости. Закрепить за обучающимся нельзя."
        )
    if not (goal or "").strip():
        raise ValidationError({"goal": "Укажите цель наставничества."})
    if started_on > today + datetime.timedelta(days=90):
        raise ValidationError({"started_on": "Начало — не позже чем через три месяца."})
    try:
        with transaction.atomic():
            return MentorAssignment.objects.create(
                mentor=mentor, student=student, started_on=started_on, goal=goal.strip()[:300], assigned_by=by
            )
    except IntegrityError:
        raise ValidationError("Этот наставник уже закреплён за обучающимся.") from None


def mentor_assignment_end(*, assignment: MentorAssignment, ended_on: datetime.date | None = None) -> MentorAssignment:
    assignment.ended_on = ended_on or timezone.localdate()
    if assignment.ended_on < assignment.started_on:
        raise ValidationError({"ended_on": "Окончание не может быть раньше начала."})
    assignment.save(update_fields=["ended_on"])
    return assignment


def mentor_meeting_log(*, assignment: MentorAssignment, held_on: datetime.date, minutes: int, topic: str, notes: str, by) -> MentorMeeting:
    errors = {}
    if held_on > timezone.localdate():
        errors["held_on"] = "Встреча ещё не состоялась: запишите её после."
    if held_on < assignment.started_on:
        errors["held_on"] = "Встреча раньше начала наставничества."
    if not 5 <= (minutes or 0) <= 600:
        errors["minutes"] = "Продолжительность — от 5 до 600 минут."
    if not (topic or "").strip():
        errors["topic"] = "Укажите тему встречи."
    if errors:
        raise ValidationError(errors)
    if not assignment.mentor.is_vetted(held_on):
        raise ValidationError("На дату встречи у наставника не было действующей справки: такую встречу записать нельзя.")
    return MentorMeeting.objects.create(
        assignment=assignment, held_on=held_on, minutes=minutes, topic=topic.strip()[:300], notes=(notes or "").strip(), recorded_by=by
    )
