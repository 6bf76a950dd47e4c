"""What the apps below privacy hold about a student — the network (people), accounts, the read log, notifications,
the admin's history — and privacy's own records: for the family's page and the export (holders) and for erasure
(erasers). They cannot import privacy, so privacy describes them here; the domains above describe themselves in
their own `personal_data.py`.

Erasure keeps the rows reports and evidence need and removes what names the person: the person row stays (the
student row and the профминимум's ledger point at it) with its names, birth date and contacts replaced; the
account is deleted; parent links are removed; the read log keeps its rows with the link to the person cut."""

from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.models import Q
from django.db.models.expressions import RawSQL

from access.models import AccessChange, PersonalDataRead
from accounts.models import ApiToken, LoginFailure, User
from core.formatting import date_text, datetime_text
from notifications.models import Notification
from people.models import Enrollment, ParentLink, Person, Student
from privacy.models import ConsentRecord, ParentConfirmation, SubjectRequest
from privacy.registry import ANONYMISED, DELETED, Section, SectionTable, personal_data

ERASED_LAST_NAME = "(данные удалены)"


def erased_label(student: Student) -> str:
    return f"№ {student.pk}"


def _yes_no(value: bool) -> str:
    return "да" if value else "нет"


# --- the read log: which rows are about a person ------------------------------------------------------------------


def reads_about(person_id: int) -> Q:
    """Rows of the read log about one person: their own card, or a list or export that named them."""
    if connection.vendor == "postgresql":
        return Q(person_id=person_id) | Q(person_ids__contains=[person_id])
    table = PersonalDataRead._meta.db_table
    column = PersonalDataRead._meta.get_field("person_ids").column
    listing = RawSQL(
        f"SELECT r.{connection.ops.quote_name('id')} FROM {connection.ops.quote_name(table)} r, "
        f"json_each(r.{connection.ops.quote_name(column)}) j WHERE j.value = %s",
        [person_id],
    )
    return Q(person_id=person_id) | Q(pk__in=listing)


# --- the network: the person, the school, the parents ------------------------------------------------------------


@personal_data.holder("people", order=10)
def people_held(student: Student, *, full: bool) -> list[Section]:
    person = student.person
    personal = Section(
        "person",
        "Личные данные",
        facts=[
            ("Фамилия, имя, отчество", person.full_name),
            ("Дата рождения", date_text(person.birth_date) if person.birth_date else "не указана"),
            ("E-mail", person.email or "не указан"),
            ("Телефон", person.phone or "не указан"),
            ("Особые условия обучения (ОВЗ)", _yes_no(student.has_disabilities)),
        ],
        data={
            "last_name": person.last_name, "first_name": person.first_name, "middle_name": person.middle_name,
            "birth_date": person.birth_date.isoformat() if person.birth_date else None, "email": person.email, "phone": person.phone,
            "has_disabilities": student.has_disabilities,
        },
    )  # fmt: skip
    enrollments = list(Enrollment.objects.filter(student=student).select_related("school_class__school", "school_class__school_year"))
    school = student.current_school.short_name if student.current_school_id else "—"
    school_class = student.current_class.name if student.current_class_id else "—"
    study = Section(
        "study",
        "Обучение",
        facts=[("Школа", school), ("Класс", school_class), ("Записей в истории классов", str(len(enrollments)))],
        data=[
            {
                "school_year": str(e.school_class.school_year), "school": e.school_class.school.short_name, "class": e.school_class.name,
                "from": e.started_on.isoformat(), "to": e.ended_on.isoformat() if e.ended_on else None,
            }
            for e in enrollments
        ],
    )  # fmt: skip
    if full:
        study.tables = [
            SectionTable(
                "История классов",
                ["Учебный год", "Школа", "Класс", "С", "По"],
                [
                    [str(e.school_class.school_year), e.school_class.school.short_name, e.school_class.name, date_text(e.started_on),
                     date_text(e.ended_on) if e.ended_on else "по настоящее время"]
                    for e in enrollments
                ],
            )
        ]  # fmt: skip
    links = list(ParentLink.objects.filter(student=student).select_related("parent").order_by("pk"))
    confirmed = set(ParentConfirmation.objects.filter(link__in=links).values_list("link_id", flat=True))
    parents = Section(
        "parents",
        "Родители (законные представители)",
        facts=[
            (
                link.get_kind_display().capitalize(),
                f"{link.parent.full_name}, {'подтверждён школой' if link.pk in confirmed else 'не подтверждён школой'}",
            )
            for link in links
        ]
        or [("Родители", "не указаны")],
        data=[{"name": link.parent.full_name, "kind": link.kind, "confirmed": link.pk in confirmed} for link in links],
    )
    return [personal, study, parents]


@personal_data.eraser("people", order=100)
def people_erase(student: Student, act) -> None:
    """Last: the person row stays for the student row and the ledger, with nothing left that names them."""
    links = ParentLink.objects.filter(student=student)
    act.add("Связи с родителями (законными представителями) и их подтверждения", ParentLink, links.count(), DELETED)
    links.delete()
    person = Person.objects.get(pk=student.person_id)
    person.last_name, person.first_name, person.middle_name = ERASED_LAST_NAME, erased_label(student), ""
    person.birth_date, person.email, person.phone, person.user = None, "", "", None
    person.save()  # rebuilds the search text, and the student row's copy of it
    act.add("Фамилия, имя, отчество, дата рождения, e-mail, телефон", Person, 1, ANONYMISED)
    if student.has_disabilities:
        Student.objects.filter(pk=student.pk).update(has_disabilities=False)
        act.add("Сведения об особых условиях обучения (ОВЗ)", Student, 1, DELETED)


# --- the account -------------------------------------------------------------------------------------------------


def _account(student: Student) -> User | None:
    return User.objects.filter(person__pk=student.person_id).first()


@personal_data.holder("accounts", order=20)
def accounts_held(student: Student, *, full: bool) -> Section:
    user = _account(student)
    if user is None:
        return Section("account", "Учётная запись", facts=[("Учётная запись", "нет")], data=None)
    tokens = ApiToken.objects.filter(user=user).count()
    return Section(
        "account",
        "Учётная запись",
        facts=[
            ("Логин", user.username),
            ("E-mail для входа", user.email or "не указан"),
            ("Последний вход", datetime_text(user.last_login) if user.last_login else "не входил(а)"),
            ("API-токенов", str(tokens)),
        ],
        data={"username": user.username, "email": user.email, "last_login": user.last_login.isoformat() if user.last_login else None,
              "api_tokens": tokens},
    )  # fmt: skip


@personal_data.eraser("accounts", order=90)
def accounts_erase(student: Student, act) -> None:
    """The account is deleted (its tokens and notifications go with it); the sign-in records that name its login or
    e-mail are deleted too."""
    user = _account(student)
    if user is None:
        return
    names = Q(username__iexact=user.username) | (Q(username__iexact=user.email) if user.email else Q(pk__in=[]))
    failures = LoginFailure.objects.filter(Q(user=user) | names)
    act.add("Неудачные попытки входа", LoginFailure, failures.count(), DELETED)
    failures.delete()
    try:
        from accounts.models import PasswordResetRequest
    except ImportError:
        PasswordResetRequest = None
    if PasswordResetRequest is not None:
        emails = Q(email__iexact=user.email) if user.email else Q(pk__in=[])
        resets = PasswordResetRequest.objects.filter(Q(user=user) | emails)
        act.add("Запросы восстановления пароля", PasswordResetRequest, resets.count(), DELETED)
        resets.delete()
    act.add("API-токены", ApiToken, ApiToken.objects.filter(user=user).count(), DELETED)
    act.add("Уведомления", Notification, Notification.objects.filter(user=user).count(), DELETED)
    Person.objects.filter(user=user).update(user=None)
    user.delete()
    act.add("Учётная запись (логин, e-mail, пароль)", User, 1, DELETED)


# --- the read log and the log of access changes ------------------------------------------------------------------


@personal_data.holder("access", order=90)
def access_held(student: Student, *, full: bool) -> Section | None:
    if not full:
        return None  # the page shows the readers in a section of its own
    from privacy.selectors import readers_summary

    rows = readers_summary(student)
    return Section(
        "reads",
        "Кто читал данные",
        tables=[SectionTable("Кто читал данные", ["Кто (роль, организация)", "Сколько раз", "Последний раз"],
                             [[row.who, str(row.reads), datetime_text(row.last)] for row in rows])],
        data=[{"who": row.who, "reads": row.reads, "last": row.last.isoformat()} for row in rows],
    )  # fmt: skip


def _without(ids: list, person_id: int) -> list:
    return [pk for pk in ids if pk != person_id]


@personal_data.eraser("access", order=85)
def access_erase(student: Student, act) -> None:
    """The read log keeps its rows (who read, when) with the link to the person cut; where the person read data
    themself, their login is replaced by the account's number. The log of access changes drops the logins,
    descriptions and changes that name them."""
    person_id = student.person_id
    about = PersonalDataRead.objects.filter(reads_about(person_id))
    count = 0
    for row in about.only("pk", "person_id", "person_ids"):
        row.person_id = None if row.person_id == person_id else row.person_id
        row.person_ids = _without(row.person_ids or [], person_id)
        row.save(update_fields=["person", "person_ids"])
        count += 1
    act.add(
        "Журнал чтения персональных данных: записи о чтении данных (ссылка на человека удалена, записи сохранены)",
        PersonalDataRead,
        count,
        ANONYMISED,
    )
    user = _account(student)
    if user is not None:
        count = PersonalDataRead.objects.filter(user=user).update(username=f"удалённая учётная запись № {user.pk}")
        act.add("Журнал чтения персональных данных: логин читавшего", PersonalDataRead, count, ANONYMISED)
    changes = AccessChange.objects.filter(Q(target_person_id=person_id) | (Q(target_user=user) if user else Q(pk__in=[])))
    count = changes.update(target_username="", description="", changes={})
    act.add("Журнал изменений прав и паролей: сведения об изменённой учётной записи", AccessChange, count, ANONYMISED)
    if user is not None:
        count = AccessChange.objects.filter(actor=user).update(actor_username="")
        act.add("Журнал изменений прав и паролей: логин того, кто изменял", AccessChange, count, ANONYMISED)


@personal_data.eraser("admin", order=88)
def admin_log_erase(student: Student, act) -> None:
    """The administration's history names the objects it changed: its entries about the person, the student and
    the account keep the action and drop the name."""
    targets = [(Person, student.person_id), (Student, student.pk)]
    user = _account(student)
    if user is not None:
        targets.append((User, user.pk))
    condition = Q(pk__in=[])
    for model, pk in targets:
        condition |= Q(content_type=ContentType.objects.get_for_model(model), object_id=str(pk))
    count = LogEntry.objects.filter(condition).update(object_repr="(данные удалены)", change_message="")
    act.add("История изменений в администрировании: названия изменённых записей", LogEntry, count, ANONYMISED)


# --- notifications to others that name the child ------------------------------------------------------------------


@personal_data.eraser("notifications", order=82)
def notifications_erase(student: Student, act) -> None:
    """Notifications the parents got about the child name the child: they are deleted (the child's own ones go
    with the account)."""
    person = student.person
    parents = Person.objects.filter(children_links__student=student, user__isnull=False).values("user_id")
    names = {f"{person.last_name} {person.first_name}", f"{person.first_name} {person.last_name}", person.short_name}
    condition = Q(pk__in=[])
    for name in names:
        if name.strip():
            condition |= Q(subject__icontains=name) | Q(text__icontains=name)
    notes = Notification.objects.filter(Q(user_id__in=parents) & condition)
    act.add("Уведомления родителям, где назван ребёнок", Notification, notes.count(), DELETED)
    notes.delete()


# --- privacy's own records ---------------------------------------------------------------------------------------


@personal_data.holder("privacy", order=80)
def privacy_held(student: Student, *, full: bool) -> Section:
    records = list(ConsentRecord.objects.filter(student=student).select_related("kind", "text").order_by("decided_on", "at", "pk"))
    requests = list(SubjectRequest.objects.filter(student=student).order_by("received_at"))
    section = Section(
        "consents",
        "Согласия и запросы",
        facts=[("Решений о согласиях", str(len(records))), ("Запросов о данных", str(len(requests)))],
        data={
            "consents": [
                {"consent": r.kind.code, "title": r.kind.title, "version": r.text.version, "party": r.party, "decision": r.decision,
                 "channel": r.channel, "decided_on": r.decided_on.isoformat()}
                for r in records
            ],
            "requests": [
                {"number": r.pk, "kind": r.kind, "status": r.status, "received_at": r.received_at.isoformat(), "deadline": r.deadline.isoformat()}
                for r in requests
            ],
        },
    )  # fmt: skip
    if full:
        section.tables = [
            SectionTable(
                "Решения о согласиях",
                ["Дата", "Согласие", "Редакция", "Чьё решение", "Решение", "Как"],
                [[date_text(r.decided_on), r.kind.title, str(r.text.version), r.get_party_display(), r.get_decision_display(),
                  r.get_channel_display()] for r in records],
            ),
            SectionTable(
                "Запросы о данных",
                ["Номер", "Что", "Получен", "Срок", "Состояние"],
                [[str(r.pk), r.get_kind_display(), datetime_text(r.received_at), date_text(r.deadline), r.get_status_display()]
                 for r in requests],
            ),
        ]  # fmt: skip
    return section


@personal_data.eraser("privacy", order=80)
def privacy_erase(student: Student, act) -> None:
    """Scans of signed papers and the archives of exports hold the person's data: deleted. The consent decisions
    and the requests themselves (codes and dates) stay as the record of how the data were handled."""
    from privacy.erasure import file_delete_on_commit

    papers = ConsentRecord.objects.filter(student=student).exclude(paper_file="")
    count = 0
    for record in papers:
        file_delete_on_commit(record.paper_file)
        count += 1
    papers.update(paper_file="")
    act.add("Сканы подписанных согласий", ConsentRecord, count, DELETED)
    exports = SubjectRequest.objects.filter(student=student).exclude(export_file="")
    count = 0
    for request in exports:
        file_delete_on_commit(request.export_file)
        count += 1
    exports.update(export_file="", refusal="")
    act.add("Архивы выгрузок данных", SubjectRequest, count, DELETED)
    # A refusal's reason is the operator's free text: it may name the person.
    SubjectRequest.objects.filter(student=student).exclude(refusal="").update(refusal="")
