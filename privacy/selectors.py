"""Reads of the personal-data capability, each narrowed by the access policy and privacy.policy: the family's own
page (what is held, who read it, the consents, the requests), the school's page of a student's consents, the
operator's queue of requests with the days left, breaches and whose data they touched, acts of destruction."""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Max, Q
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone

from access.models import PersonalDataRead
from access.policy import REPUBLIC_ROLES, ROLE_LABELS, SCHOOL_WIDE_ROLES, TEACHING_ROLES, Viewer, students_visible, viewer_for
from accounts.models import User
from core.formatting import count_text, date_text, datetime_text, plural_form
from orgs.models import Organization
from people.models import ClassAssignment, ParentLink, Person, Role, StaffMembership, Student
from privacy.holdings import reads_about
from privacy.models import Breach, ConsentKind, ConsentRecord, ConsentText, DestructionAct, ParentConfirmation, SubjectRequest
from privacy.policy import (
    PARENT,
    STUDENT,
    Answer,
    ConsentStatus,
    Reason,
    acting_party,
    consent_statuses,
    family_party,
    may_operate,
    may_record_paper,
)
from privacy.registry import Section, personal_data
from privacy.workdays import working_days_between

WORKING_DAYS = ("рабочий день", "рабочих дня", "рабочих дней")

# --- the students a page is about ----------------------------------------------------------------------------------


def family_students(*, viewer: Viewer) -> list[Student]:
    """The students whose own page the viewer opens: themself, their children."""
    ids = set(viewer.child_student_ids)
    if viewer.own_student_id:
        ids.add(viewer.own_student_id)
    if not ids:
        return []
    return list(
        students_visible(viewer)
        .filter(pk__in=ids)
        .select_related("person", "current_school", "current_class")
        .order_by("person__birth_date", "pk")
    )


def family_student_get(*, viewer: Viewer, pk: int) -> Student:
    """A student of the viewer's own family; anyone else's is a 404."""
    if pk != viewer.own_student_id and pk not in viewer.child_student_ids:
        raise Http404
    return get_object_or_404(students_visible(viewer).select_related("person", "current_school", "current_class"), pk=pk)


def record_student_get(*, viewer: Viewer, pk: int) -> Student:
    """A student whose record the viewer may download: anyone whose card the viewer sees (their own, their child, the
    staff of the student's school, class, municipality, the republic); what each part shows is the domains' call."""
    return get_object_or_404(students_visible(viewer).select_related("person", "current_school", "current_class"), pk=pk)


def staff_student_get(*, viewer: Viewer, pk: int) -> Student:
    """A student whose consents the viewer's school records (its coordinator; the republic's administrators)."""
    student = get_object_or_404(students_visible(viewer).select_related("person", "current_school", "current_class"), pk=pk)
    if not may_record_paper(viewer, student):
        raise Http404
    return student


# --- what is held, who read it ---------------------------------------------------------------------------------------


def held_sections(*, student: Student) -> list[Section]:
    return personal_data.sections(student, full=False)


@dataclass(frozen=True)
class ReaderRow:
    who: str  # a role and an organisation, never a name
    reads: int
    last: datetime.datetime


def _reader_labels(user_ids: set[int], student: Student) -> dict[int, str]:
    """How each reader is named on a family's page: by their role (and organisation) with respect to this student."""
    persons = dict(Person.objects.filter(user_id__in=user_ids).values_list("user_id", "pk"))
    parents = set(ParentLink.objects.filter(student=student, parent_id__in=persons.values()).values_list("parent_id", flat=True))
    memberships: dict[int, list[tuple[str, int, str]]] = defaultdict(list)
    for person_id, role, org_id, org_name in StaffMembership.objects.filter(person_id__in=persons.values(), is_active=True).values_list(
        "person_id", "role", "organization_id", "organization__short_name"
    ):
        memberships[person_id].append((role, org_id, org_name))
    superusers = set(User.objects.filter(pk__in=user_ids, is_superuser=True).values_list("pk", flat=True))
    labels = {}
    for user_id in user_ids:
        person_id = persons.get(user_id)
        if person_id is not None and person_id == student.person_id:
            labels[user_id] = "сам(а) обучающийся"
        elif person_id in parents:
            labels[user_id] = "родитель (законный представитель)"
        elif person_id in memberships:
            # The role closest to the student first: one held in their school.
            rows = sorted(memberships[person_id], key=lambda row: (row[1] != student.current_school_id, Role.values.index(row[0])))
            role, _, org_name = rows[0]
            labels[user_id] = f"{ROLE_LABELS.get(role, role)}, {org_name}"
        elif user_id in superusers:
            labels[user_id] = "администратор платформы"
        else:
            labels[user_id] = "учётная запись без роли"
    return labels


def readers_summary(student: Student) -> list[ReaderRow]:
    """Who read the student's data, from the read log: by role and organisation, with how often and when last."""
    rows = (
        PersonalDataRead.objects.filter(reads_about(student.person_id))
        .values("user_id")
        .annotate(reads=Count("pk"), last=Max("at"))
        .order_by()
    )
    rows = list(rows)
    labels = _reader_labels({row["user_id"] for row in rows if row["user_id"]}, student)
    grouped: dict[str, list] = {}
    for row in rows:
        who = labels.get(row["user_id"], "удалённая учётная запись") if row["user_id"] else "удалённая учётная запись или система"
        entry = grouped.setdefault(who, [0, row["last"]])
        entry[0] += row["reads"]
        entry[1] = max(entry[1], row["last"])
    return sorted((ReaderRow(who, reads, last) for who, (reads, last) in grouped.items()), key=lambda row: row.last, reverse=True)


# --- consents --------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ConsentRow:
    """One consent on a page: its state for the student, what the viewer may do about it, and its history."""

    status: ConsentStatus
    viewer_party: str | None  # the party the viewer decides as, when they may
    viewer_answer: Answer | None  # the viewer's own standing decision
    history: list[ConsentRecord]
    note: str  # who still has to decide, or why not

    @property
    def kind(self) -> ConsentKind:
        return self.status.kind

    @property
    def text(self) -> ConsentText | None:
        return self.status.text

    @property
    def state_label(self) -> str:
        return {Answer.YES: "Дано", Answer.NO: "Не дано или отозвано", Answer.ASK: "Нужно решение"}[self.status.answer]

    @property
    def can_give(self) -> bool:
        return self.viewer_party is not None and self.text is not None and self.viewer_answer != Answer.YES

    @property
    def can_withdraw(self) -> bool:
        return self.viewer_party is not None and self.viewer_answer == Answer.YES


PARTY_GENITIVE = {STUDENT: "обучающегося", PARENT: "родителя"}


def _status_note(status: ConsentStatus, viewer_party: str | None) -> str:
    """Where each party stands: «Согласие родителя дано 3 ноября 2026. Нужно ваше решение.»"""
    parts = []
    for state in status.states:
        mine = state.party == viewer_party
        subject = "Ваше согласие" if mine else f"Согласие {PARTY_GENITIVE[state.party]}"
        if state.answer == Answer.YES:
            parts.append(f"{subject} дано {date_text(state.record.decided_on)}.")
        elif state.answer == Answer.NO:
            parts.append(f"{subject} отозвано {date_text(state.record.decided_on)}.")
        elif state.reason == Reason.OUTDATED:
            parts.append(f"{subject} дано на прежнюю редакцию текста: нужно решение по новой.")
        elif state.reason == Reason.LAPSED:
            parts.append(f"{subject}, данное до 14 лет обучающегося, больше не действует: нужно решение заново.")
        elif state.reason == Reason.NO_TEXT:
            parts.append("Текст согласия ещё не опубликован.")
        else:
            parts.append("Нужно ваше решение." if mine else f"Нужно решение {PARTY_GENITIVE[state.party]}.")
    return " ".join(parts)


def consent_rows(*, viewer: Viewer, student: Student, today: datetime.date | None = None) -> list[ConsentRow]:
    today = today or timezone.localdate()
    statuses = consent_statuses(student_ids=[student.pk], today=today)
    party = acting_party(viewer, student, today=today)
    history: dict[int, list[ConsentRecord]] = defaultdict(list)
    for record in ConsentRecord.objects.filter(student=student).select_related("text").order_by("-decided_on", "-at", "-pk"):
        history[record.kind_id].append(record)
    rows = []
    for (_, _code), status in sorted(statuses.items(), key=lambda item: (item[1].kind.position, item[1].kind.pk)):
        own = status.state_of(party) if party else None
        rows.append(
            ConsentRow(
                status=status,
                viewer_party=party,
                viewer_answer=own.answer if own else None,
                history=history.get(status.kind.pk, []),
                note=_status_note(status, party),
            )
        )
    return rows


def consent_kind_get(*, code: str) -> ConsentKind:
    return get_object_or_404(ConsentKind.objects.filter(is_active=True), code=code)


@dataclass(frozen=True)
class Prompt:
    """What a capability shows when it gets «ask» (or «no»): whose decision is missing and where to give it."""

    text: str
    url: str = ""
    action: str = ""
    tone: str = "info"


def consent_prompt(*, viewer: Viewer, student: Student, purpose: str) -> Prompt | None:
    """The right prompt for this viewer about this student's consent `purpose`, or None when it is given."""
    status = consent_statuses(student_ids=[student.pk], purposes=[purpose])[(student.pk, purpose)]
    if status.answer == Answer.YES:
        return None
    kind = status.kind
    party = family_party(viewer, student)
    acting = acting_party(viewer, student)
    family_url = reverse("privacy:consent", args=[student.pk, kind.code])
    if status.answer == Answer.NO:
        who = ", ".join("обучающимся" if state.party == STUDENT else "родителем" for state in status.states if state.answer == Answer.NO)
        text = f"Согласие «{kind.title}» отозвано {who}."
        if acting is not None:
            return Prompt(text, family_url, "Изменить решение", "warning")
        return Prompt(text, tone="warning")
    own = status.state_of(acting) if acting else None
    if own is not None and own.answer == Answer.ASK:
        if own.reason == Reason.OUTDATED:
            text = f"Текст согласия «{kind.title}» изменился. Прочитайте новую редакцию и примите решение."
        elif own.reason == Reason.LAPSED:
            text = (
                f"Обучающемуся исполнилось 14 лет: согласие «{kind.title}», данное родителем раньше, больше не действует. "
                "Теперь решают и обучающийся, и родитель."
            )
        else:
            text = f"Нужно ваше согласие «{kind.title}»: {kind.summary}"
        others = [state for state in status.states if state.party != acting and state.answer == Answer.ASK]
        if others:
            text += f" Нужно и согласие {PARTY_GENITIVE[others[0].party]}."
        return Prompt(text, family_url, "Прочитать согласие и решить")
    waiting = [PARTY_GENITIVE[p] for p in status.waiting_for]
    missing = " и ".join(waiting) if waiting else ""
    if party is not None:
        if party == PARENT and acting is None and PARENT in status.parties:
            return Prompt(
                f"Для согласия «{kind.title}» нужно решение родителя, но школа ещё не подтвердила, что вы родитель (законный "
                "представитель). Обратитесь к координатору профминимума школы с документом."
            )
        return Prompt(
            f"Согласие «{kind.title}» ещё не дано: нужно решение {missing}.", reverse("privacy:student", args=[student.pk]), "Согласия"
        )
    if may_record_paper(viewer, student):
        return Prompt(
            f"Согласие «{kind.title}» не оформлено: нужно решение {missing}. Подписанное на бумаге согласие загрузите на странице согласий.",
            reverse("privacy:staff_student", args=[student.pk]),
            "Согласия обучающегося",
        )
    return Prompt(f"Согласие «{kind.title}» не оформлено: нужно решение {missing}.")


# --- the school's page of a student's consents -------------------------------------------------------------------------


@dataclass(frozen=True)
class ParentRow:
    link: ParentLink
    confirmation: ParentConfirmation | None


def parent_rows(*, student: Student) -> list[ParentRow]:
    links = list(ParentLink.objects.filter(student=student).select_related("parent").order_by("pk"))
    confirmations = {c.link_id: c for c in ParentConfirmation.objects.filter(link__in=links)}
    return [ParentRow(link, confirmations.get(link.pk)) for link in links]


# --- requests ---------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RequestRow:
    request: SubjectRequest
    days_left: int | None  # working days to the deadline (negative: overdue); None when closed

    @property
    def left_text(self) -> str:
        if self.days_left is None:
            return ""
        if self.days_left == 0:
            return "срок сегодня"
        if self.days_left < 0:
            return f"просрочен на {count_text(-self.days_left, *WORKING_DAYS)}"
        left = plural_form(self.days_left, "остался", "осталось", "осталось")
        return f"{left} {count_text(self.days_left, *WORKING_DAYS)}"

    @property
    def tone(self) -> str:
        if self.days_left is None:
            return ""
        return "danger" if self.days_left <= 1 else "warning" if self.days_left <= 3 else "info"


def _rows(requests, today: datetime.date) -> list[RequestRow]:
    return [RequestRow(r, working_days_between(today, r.deadline) if r.is_open else None) for r in requests]


def family_requests(*, student: Student, today: datetime.date | None = None) -> list[RequestRow]:
    requests = SubjectRequest.objects.filter(student=student).order_by("-received_at")
    return _rows(requests, today or timezone.localdate())


def request_queue(*, viewer: Viewer, show: str = "open", today: datetime.date | None = None) -> list[RequestRow]:
    """The operator's queue: open requests by deadline (the nearest first), or the closed ones, the latest first."""
    if not may_operate(viewer):
        raise Http404
    requests = SubjectRequest.objects.select_related("student__person", "student__current_school")
    if show == "closed":
        requests = requests.exclude(status=SubjectRequest.Status.RECEIVED).order_by("-completed_at")[:200]
    else:
        requests = requests.filter(status=SubjectRequest.Status.RECEIVED).order_by("deadline", "received_at")
    return _rows(requests, today or timezone.localdate())


def open_requests_summary(*, viewer: Viewer) -> tuple[int, SubjectRequest | None]:
    """How many requests wait and the one due first (two indexed queries), for the operator's home."""
    if not may_operate(viewer):
        return 0, None
    waiting = SubjectRequest.objects.filter(status=SubjectRequest.Status.RECEIVED)
    return waiting.count(), waiting.order_by("deadline", "received_at").first()


def operator_request_get(*, viewer: Viewer, pk: int) -> SubjectRequest:
    if not may_operate(viewer):
        raise Http404
    return get_object_or_404(
        SubjectRequest.objects.select_related("student__person", "student__current_school", "student__current_class"), pk=pk
    )


def download_request_get(*, viewer: Viewer, pk: int) -> SubjectRequest:
    """An export the viewer may download: their family's, or any for the operator."""
    request = get_object_or_404(SubjectRequest.objects.select_related("student__person"), pk=pk, kind=SubjectRequest.Kind.EXPORT)
    if not may_operate(viewer) and family_party(viewer, request.student) is None:
        raise Http404
    if not request.export_file:
        raise Http404
    return request


# --- acts of destruction -------------------------------------------------------------------------------------------------


def act_get(*, viewer: Viewer, pk: int) -> DestructionAct:
    if not may_operate(viewer):
        raise Http404
    return get_object_or_404(DestructionAct.objects.select_related("request", "student"), pk=pk)


def act_context(act: DestructionAct) -> dict:
    return {
        "act": act,
        "made_text": datetime_text(act.made_at),
        "request": act.request,
        "received_text": date_text(act.request.received_at) if act.request else "",
        "total_rows": sum(item["rows"] for item in act.items),
        "extract": [{**entry, "at_text": datetime_text(datetime.datetime.fromisoformat(entry["at"]))} for entry in act.log_extract],
    }


# --- breaches -----------------------------------------------------------------------------------------------------------


NOTICE_HOURS = 24
FINDINGS_HOURS = 72


@dataclass(frozen=True)
class BreachDeadline:
    label: str
    due: datetime.datetime
    done_at: datetime.datetime | None
    now: datetime.datetime

    @property
    def due_text(self) -> str:
        return datetime_text(self.due)

    @property
    def state(self) -> str:
        if self.done_at is not None:
            return f"направлено {datetime_text(self.done_at)}"
        left = self.due - self.now
        if left.total_seconds() < 0:
            hours = int(-left.total_seconds() // 3600)
            return f"просрочено на {count_text(hours, 'час', 'часа', 'часов')}" if hours else "просрочено"
        hours = int(left.total_seconds() // 3600)
        return f"осталось {count_text(hours, 'час', 'часа', 'часов')}" if hours else "осталось меньше часа"

    @property
    def tone(self) -> str:
        if self.done_at is not None:
            return "done"
        return "danger" if self.due - self.now < datetime.timedelta(hours=6) else "warning"


def breach_deadlines(breach: Breach, *, now: datetime.datetime | None = None) -> list[BreachDeadline]:
    now = now or timezone.now()
    return [
        BreachDeadline("Уведомить Роскомнадзор об инциденте (24 часа)", breach.detected_at + datetime.timedelta(hours=NOTICE_HOURS),
                       breach.notified_at, now),
        BreachDeadline("Сообщить результаты внутреннего расследования (72 часа)",
                       breach.detected_at + datetime.timedelta(hours=FINDINGS_HOURS), breach.reported_at, now),
    ]  # fmt: skip


def breach_list(*, viewer: Viewer) -> list[Breach]:
    if not may_operate(viewer):
        raise Http404
    return list(Breach.objects.select_related("scope_user", "scope_organization").order_by("-detected_at")[:200])


def breach_get(*, viewer: Viewer, pk: int) -> Breach:
    if not may_operate(viewer):
        raise Http404
    return get_object_or_404(Breach.objects.select_related("scope_user", "scope_organization"), pk=pk)


def breach_scope_text(breach: Breach) -> str:
    if breach.scope == Breach.Scope.ACCOUNT:
        return f"учётная запись {breach.scope_user.username}" if breach.scope_user else "учётная запись (удалена)"
    if breach.scope == Breach.Scope.ORGANIZATION:
        return f"организация «{breach.scope_organization.short_name}»" if breach.scope_organization else "организация (удалена)"
    return f"роль «{ROLE_LABELS.get(breach.scope_role, breach.scope_role)}»"


def breach_accounts(breach: Breach):
    """The accounts in the breach's scope."""
    users = User.objects.all()
    if breach.scope == Breach.Scope.ACCOUNT:
        return users.filter(pk=breach.scope_user_id) if breach.scope_user_id else users.none()
    if breach.scope == Breach.Scope.ORGANIZATION:
        if breach.scope_organization_id is None:
            return users.none()
        return users.filter(person__memberships__organization_id=breach.scope_organization_id).distinct()
    role = breach.scope_role
    if role == "parent":
        return users.filter(person__children_links__isnull=False).distinct()
    if role == "student":
        return users.filter(person__student__isnull=False)
    return users.filter(person__memberships__role=role, person__memberships__is_active=True).distinct()


def _visible_by_role(role: str) -> Q:
    """Students a role grants sight of, for all holders of the role at once (access.policy's rules, aggregated)."""
    holders = StaffMembership.objects.filter(role=role, is_active=True, organization__is_active=True)
    if role in REPUBLIC_ROLES:
        return Q()
    if role == Role.MUNICIPAL_COORDINATOR:
        return Q(current_school__municipality_id__in=holders.values("organization__municipality_id"))
    if role in SCHOOL_WIDE_ROLES:
        return Q(current_school_id__in=holders.filter(organization__kind=Organization.Kind.SCHOOL).values("organization_id"))
    if role in TEACHING_ROLES:
        classes = ClassAssignment.objects.filter(
            person__memberships__role=role, person__memberships__is_active=True, school_class__school_year__is_current=True
        ).values("school_class_id")
        return Q(current_class_id__in=classes)
    if role == "parent":
        return Q(parent_links__parent__user__isnull=False)
    if role == "student":
        return Q(person__user__isnull=False)
    return Q(pk__in=[])


def breach_exposed_students(breach: Breach):
    """Students whose data the scope's accounts could open by the access policy (as it stands now)."""
    if breach.scope == Breach.Scope.ROLE:
        return Student.objects.filter(_visible_by_role(breach.scope_role)).distinct()
    condition = Q(pk__in=[])
    for user in breach_accounts(breach)[:500]:
        condition |= Q(pk__in=students_visible(viewer_for(user)).values("pk"))
    return Student.objects.filter(condition)


def breach_read_person_ids(breach: Breach) -> set[int]:
    """People whose data the scope's accounts read within the window, from the read log."""
    ids: set[int] = set()
    rows = PersonalDataRead.objects.filter(
        user__in=breach_accounts(breach).values("pk"), at__gte=breach.window_start, at__lte=breach.window_end
    ).values_list("person_id", "person_ids")
    for person_id, person_ids in rows.iterator():
        if person_id:
            ids.add(person_id)
        ids.update(person_ids or [])
    return ids


@dataclass
class AffectedPage:
    read_count: int
    exposed_count: int
    total: int
    rows: list[dict] = field(default_factory=list)
    page: int = 1
    pages: int = 1


def breach_affected(*, breach: Breach, page: int = 1, per_page: int = 50) -> AffectedPage:
    """Whose data were in the scope: read in the window (the read log) or open to it (the access policy); the
    people read first, then by name."""
    read_ids = breach_read_person_ids(breach)
    exposed = breach_exposed_students(breach)
    exposed_person_ids = exposed.values("person_id")
    persons = Person.objects.filter(Q(pk__in=read_ids) | Q(pk__in=exposed_person_ids))
    total = persons.count()
    exposed_count = exposed.count()
    pages = max(1, -(-total // per_page))
    page = min(max(1, page), pages)
    ordered = sorted(
        persons.values_list("pk", "last_name", "first_name", "middle_name"),
        key=lambda row: (row[0] not in read_ids, row[1], row[2], row[0]),
    )
    chunk = ordered[(page - 1) * per_page : page * per_page]
    students = {
        s.person_id: s
        for s in Student.objects.filter(person_id__in=[row[0] for row in chunk]).select_related("current_school", "current_class")
    }
    rows = []
    for person_id, last, first, middle in chunk:
        student = students.get(person_id)
        rows.append(
            {
                "person_id": person_id,
                "name": " ".join(part for part in (last, first, middle) if part),
                "where": (f"{student.current_school.short_name}, {student.current_class.name}" if student and student.current_class_id
                          else "обучающийся" if student else "не обучающийся (сотрудник или родитель)"),
                "read": person_id in read_ids,
            }
        )  # fmt: skip
    return AffectedPage(len(read_ids), exposed_count, total, rows, page, pages)


# --- the school's consents ----------------------------------------------------------------------------------------------


def school_get(*, viewer: Viewer, pk: int) -> Organization:
    """A school whose consents the viewer records: its coordinator's, or any for the republic's administrators."""
    from access.policy import is_regional_staff, schools_visible

    school = get_object_or_404(schools_visible(viewer), pk=pk)
    if not (is_regional_staff(viewer) or school.pk in viewer.coordinated_school_ids):
        raise Http404
    return school


@dataclass(frozen=True)
class SchoolRow:
    student: Student
    answers: list[Answer]  # one per kind, in the order of the kinds
    parents: list[tuple[ParentLink, bool]]  # each link, confirmed or not


@dataclass
class SchoolPage:
    kinds: list[ConsentKind]
    rows: list[SchoolRow]
    total: int
    page: int
    pages: int


def school_consents(
    *, school: Organization, class_id: int | None = None, unconfirmed: bool = False, page: int = 1, per_page: int = 50
) -> SchoolPage:
    """The school's students with the state of each consent and their parents' confirmation, a page at a time."""
    students = Student.objects.filter(current_school=school).select_related("person", "current_class")
    if class_id:
        students = students.filter(current_class_id=class_id)
    if unconfirmed:
        students = students.filter(parent_links__confirmation__isnull=True, parent_links__isnull=False).distinct()
    students = students.order_by("current_class__grade", "current_class__letter", "person__last_name", "person__first_name", "pk")
    total = students.count()
    pages = max(1, -(-total // per_page))
    page = min(max(1, page), pages)
    chunk = list(students[(page - 1) * per_page : page * per_page])
    kinds = list(ConsentKind.objects.filter(is_active=True))
    statuses = consent_statuses(student_ids=[s.pk for s in chunk]) if chunk else {}
    links: dict[int, list[tuple[ParentLink, bool]]] = defaultdict(list)
    for link in (
        ParentLink.objects.filter(student__in=chunk).select_related("parent").annotate(confirmed=Count("confirmation")).order_by("pk")
    ):
        links[link.student_id].append((link, bool(link.confirmed)))
    rows = [SchoolRow(s, [statuses[(s.pk, kind.code)].answer for kind in kinds], links.get(s.pk, [])) for s in chunk]
    return SchoolPage(kinds, rows, total, page, pages)
