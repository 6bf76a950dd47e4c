"""Minors' personal data (152-ФЗ): consents as records, the parent links a school confirmed, requests of the
families with their legal deadlines, acts of destruction, retention periods, suspected leaks, the calendar of
working days the deadlines are counted in, and the event log of all of it.

Nothing here copies a person's name, birth date, e-mail or login: rows point at people by reference, so an
erasure that anonymises the person leaves these rows as evidence without personal data."""

from django.conf import settings
from django.db import models

from orgs.models import Organization
from people.models import ParentLink, Person, Student

# --- consents -----------------------------------------------------------------------------------------------


class ConsentKind(models.Model):
    """A purpose a consent is asked for («передача результатов родителям»). Each is a separate document, never
    bundled with another and never a condition of the service; its wording lives in its versions."""

    code = models.SlugField("код", max_length=40, unique=True, help_text="Код, по которому возможности платформы спрашивают согласие.")
    title = models.CharField("название", max_length=200)
    summary = models.CharField("коротко: что разрешает", max_length=300)
    # Art. 10.1: data the person allows to be made public need a consent of their own.
    is_publication = models.BooleanField("согласие на распространение (ст. 10.1)", default=False)
    position = models.PositiveSmallIntegerField("порядок", default=0)
    is_active = models.BooleanField("действует", default=True)

    class Meta:
        verbose_name = "вид согласия"
        verbose_name_plural = "виды согласий"
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.title


class ConsentText(models.Model):
    """One wording of a consent. The latest version in force is the one asked for; a consent given to an older
    one is asked again."""

    kind = models.ForeignKey(ConsentKind, verbose_name="вид согласия", on_delete=models.CASCADE, related_name="texts")
    version = models.PositiveIntegerField("редакция")
    text = models.TextField("текст согласия")
    effective_from = models.DateField("действует с")
    created_at = models.DateTimeField("создана", auto_now_add=True)

    class Meta:
        verbose_name = "текст согласия"
        verbose_name_plural = "тексты согласий"
        ordering = ["kind", "-version"]
        constraints = [models.UniqueConstraint(fields=["kind", "version"], name="unique_consent_text_version")]

    def __str__(self) -> str:
        return f"{self.kind}: редакция {self.version}"


def paper_upload_path(instance: "ConsentRecord", filename: str) -> str:
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"consents/{instance.student_id}/{instance.kind_id}-{instance.party}-{instance.decided_on:%Y%m%d}.{extension}"


class ConsentRecord(models.Model):
    """One decision on one consent for one student: given or withdrawn, by whom (the student or a parent), on
    which wording, when and how. Records are appended, never edited; the latest of each party decides."""

    class Decision(models.TextChoices):
        GIVEN = "given", "дано"
        WITHDRAWN = "withdrawn", "отозвано"

    class Party(models.TextChoices):
        STUDENT = "student", "обучающийся"
        PARENT = "parent", "родитель (законный представитель)"

    class Channel(models.TextChoices):
        PLATFORM = "platform", "в платформе"
        PAPER = "paper", "на бумаге, скан загружен школой"

    # One index, (student, kind): decisions are read per student; each more index would slow the bulk of the
    # demo and of a school's paper consents down for lookups nobody makes.
    student = models.ForeignKey(
        Student, verbose_name="обучающийся", on_delete=models.CASCADE, related_name="consent_records", db_index=False
    )
    kind = models.ForeignKey(ConsentKind, verbose_name="вид согласия", on_delete=models.PROTECT, related_name="records", db_index=False)
    text = models.ForeignKey(ConsentText, verbose_name="редакция текста", on_delete=models.PROTECT, related_name="records", db_index=False)
    party = models.CharField("чьё решение", max_length=10, choices=Party.choices)
    decision = models.CharField("решение", max_length=10, choices=Decision.choices)
    # Who decided: the student themself or the parent (a person, not an account: a signed paper has no login).
    by_person = models.ForeignKey(
        Person, verbose_name="кто решил", on_delete=models.SET_NULL, null=True, blank=True, related_name="+", db_index=False
    )
    channel = models.CharField("как", max_length=10, choices=Channel.choices)
    # The day the decision was made (signed, for a paper): the age rules and the order of decisions go by it.
    decided_on = models.DateField("дата решения")
    paper_file = models.FileField("скан подписанного согласия", upload_to=paper_upload_path, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="кто внёс", on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        db_index=False,
    )  # fmt: skip
    at = models.DateTimeField("внесено", auto_now_add=True)

    class Meta:
        verbose_name = "решение о согласии"
        verbose_name_plural = "согласия: решения"
        ordering = ["decided_on", "at", "pk"]
        indexes = [models.Index(fields=["student", "kind"], name="consent_student_kind")]

    def __str__(self) -> str:
        return f"{self.kind}: {self.get_decision_display()} ({self.get_party_display()}, {self.decided_on:%d.%m.%Y})"


class ParentConfirmation(models.Model):
    """The school confirmed that a linked parent is the child's parent or legal representative (by the documents
    it saw): only a confirmed parent gives or withdraws a consent or asks for the child's data."""

    class Basis(models.TextChoices):
        BIRTH_CERTIFICATE = "birth_certificate", "свидетельство о рождении ребёнка"
        GUARDIANSHIP = "guardianship", "акт об опеке или попечительстве"
        OTHER = "other", "иной документ, подтверждающий полномочия"

    link = models.OneToOneField(ParentLink, verbose_name="связь родителя и ребёнка", on_delete=models.CASCADE, related_name="confirmation")
    basis = models.CharField("по какому документу", max_length=20, choices=Basis.choices)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="кто подтвердил", on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        db_index=False,
    )  # fmt: skip
    confirmed_at = models.DateTimeField("когда", auto_now_add=True)

    class Meta:
        verbose_name = "подтверждение родителя"
        verbose_name_plural = "подтверждения родителей"

    def __str__(self) -> str:
        return f"{self.link}: {self.get_basis_display()}"


# --- the calendar of working days ---------------------------------------------------------------------------


class CalendarYear(models.Model):
    """A year of the Russian production calendar loaded as data, with the act it follows."""

    year = models.PositiveSmallIntegerField("год", primary_key=True)
    source = models.CharField("основание", max_length=500)
    is_preliminary = models.BooleanField("предварительный", default=False, help_text="Переносы выходных ещё не утверждены постановлением.")

    class Meta:
        verbose_name = "год производственного календаря"
        verbose_name_plural = "производственный календарь: годы"
        ordering = ["year"]

    def __str__(self) -> str:
        return str(self.year)


class CalendarDay(models.Model):
    """A day of a loaded year: working or not, and why."""

    class Kind(models.TextChoices):
        WORKING = "working", "рабочий день"
        WEEKEND = "weekend", "выходной день"
        HOLIDAY = "holiday", "нерабочий праздничный день"
        TRANSFERRED = "transferred", "перенесённый выходной"
        WORKING_WEEKEND = "working_weekend", "рабочий день по переносу (суббота или воскресенье)"

    day = models.DateField("день", primary_key=True)
    kind = models.CharField("вид", max_length=20, choices=Kind.choices)

    class Meta:
        verbose_name = "день производственного календаря"
        verbose_name_plural = "производственный календарь: дни"
        ordering = ["day"]

    def __str__(self) -> str:
        return f"{self.day:%d.%m.%Y}: {self.get_kind_display()}"

    @property
    def is_working(self) -> bool:
        return self.kind in (self.Kind.WORKING, self.Kind.WORKING_WEEKEND)


# --- requests of the families, and acts of destruction ------------------------------------------------------


def export_upload_path(instance: "SubjectRequest", filename: str) -> str:
    return f"exports/request-{instance.pk}.zip"


class SubjectRequest(models.Model):
    """A family's request about a student's data, with the day it came and the legal deadline."""

    class Kind(models.TextChoices):
        EXPORT = "export", "выгрузка данных"
        ERASURE = "erasure", "удаление данных"

    class Status(models.TextChoices):
        RECEIVED = "received", "принят, исполняется"
        DONE = "done", "исполнен"
        REFUSED = "refused", "отклонён"

    kind = models.CharField("что просят", max_length=10, choices=Kind.choices)
    status = models.CharField("состояние", max_length=10, choices=Status.choices, default=Status.RECEIVED)
    student = models.ForeignKey(Student, verbose_name="чьи данные", on_delete=models.PROTECT, related_name="privacy_requests")
    party = models.CharField("кто просит", max_length=10, choices=ConsentRecord.Party.choices)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="учётная запись заявителя", on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+",
    )  # fmt: skip
    received_at = models.DateTimeField("получен")
    deadline = models.DateField("срок исполнения")
    # The deadline crossed a year the calendar has not been loaded for: counted by weekdays alone.
    deadline_estimated = models.BooleanField("срок оценён без календаря", default=False)
    completed_at = models.DateTimeField("исполнен", null=True, blank=True)
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="кто исполнил", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    export_file = models.FileField("архив выгрузки", upload_to=export_upload_path, blank=True)
    refusal = models.CharField("причина отказа", max_length=500, blank=True)

    class Meta:
        verbose_name = "запрос о персональных данных"
        verbose_name_plural = "запросы о персональных данных"
        ordering = ["deadline", "received_at"]
        indexes = [models.Index(fields=["status", "deadline"], name="privacy_request_queue")]

    def __str__(self) -> str:
        return f"№ {self.pk}: {self.get_kind_display()}"

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.RECEIVED


class DestructionAct(models.Model):
    """The act of destruction of a person's data: what was destroyed or anonymised, in which tables and how many
    rows, with the matching extract of the event log. It names the subject by the platform's numbers only, so
    it holds no personal data itself."""

    class Reason(models.TextChoices):
        REQUEST = "request", "по запросу об удалении данных"
        RETENTION = "retention", "истёк срок хранения, цель обработки достигнута"

    student = models.ForeignKey(Student, verbose_name="обучающийся (обезличен)", on_delete=models.PROTECT, related_name="+")
    request = models.OneToOneField(
        SubjectRequest, verbose_name="запрос", on_delete=models.PROTECT, null=True, blank=True, related_name="act"
    )
    reason = models.CharField("основание", max_length=10, choices=Reason.choices)
    made_at = models.DateTimeField("составлен", auto_now_add=True)
    made_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="кто уничтожил", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # [{"what": "...", "table": "people.Person", "rows": 1, "how": "обезличено"}]
    items = models.JSONField("что уничтожено", default=list)
    # [{"at": "...", "action": "...", "actor": "...", "details": {...}}]: the event log about this student.
    log_extract = models.JSONField("выписка из журнала событий", default=list)

    class Meta:
        verbose_name = "акт об уничтожении персональных данных"
        verbose_name_plural = "акты об уничтожении персональных данных"
        ordering = ["-made_at"]

    def __str__(self) -> str:
        return f"Акт № {self.pk}"


# --- retention ------------------------------------------------------------------------------------------------


class RetentionRule(models.Model):
    """How long one kind of record is kept (the periodic task purges or anonymises what is older). The kinds are
    registered in code (privacy.registry); their periods are data, editable in the administration."""

    key = models.CharField("вид записей (код)", max_length=60, unique=True)
    title = models.CharField("что хранится", max_length=200)
    period_days = models.PositiveIntegerField("срок хранения, дней")
    basis = models.CharField("почему такой срок", max_length=300, blank=True)
    is_active = models.BooleanField("удалять по истечении срока", default=True)
    last_run_at = models.DateTimeField("последний запуск", null=True, blank=True)
    last_run_rows = models.PositiveIntegerField("удалено или обезличено при последнем запуске", default=0)

    class Meta:
        verbose_name = "срок хранения"
        verbose_name_plural = "сроки хранения"
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title


# --- breaches ---------------------------------------------------------------------------------------------------


class Breach(models.Model):
    """A suspected leak: which accounts (one, an organisation's or a role's) in which time window. Counted from
    the moment it was detected: the regulator is told within 24 hours and the findings follow within 72."""

    class Scope(models.TextChoices):
        ACCOUNT = "account", "учётная запись"
        ORGANIZATION = "organization", "организация"
        ROLE = "role", "роль"

    detected_at = models.DateTimeField("обнаружена")
    description = models.TextField("что произошло")
    scope = models.CharField("затронуты", max_length=15, choices=Scope.choices)
    scope_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="учётная запись", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    scope_organization = models.ForeignKey(
        Organization, verbose_name="организация", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    scope_role = models.CharField("роль", max_length=40, blank=True)
    window_start = models.DateTimeField("с")
    window_end = models.DateTimeField("по")
    registered_at = models.DateTimeField("зарегистрирована", auto_now_add=True)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="кто зарегистрировал", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    notified_at = models.DateTimeField("уведомление в Роскомнадзор направлено", null=True, blank=True)
    reported_at = models.DateTimeField("результаты расследования направлены", null=True, blank=True)

    class Meta:
        verbose_name = "инцидент с персональными данными"
        verbose_name_plural = "инциденты с персональными данными"
        ordering = ["-detected_at"]
        constraints = [
            models.CheckConstraint(condition=models.Q(window_end__gte=models.F("window_start")), name="breach_window_ends_after_start"),
        ]

    def __str__(self) -> str:
        return f"Инцидент № {self.pk}"


# --- the event log ----------------------------------------------------------------------------------------------


class PrivacyEvent(models.Model):
    """What was done with personal data and consents: appended, never edited. `details` holds numbers and codes
    only (tables, counts, a consent's code), never a person's name."""

    class Action(models.TextChoices):
        CONSENT_GIVEN = "consent_given", "согласие дано"
        CONSENT_WITHDRAWN = "consent_withdrawn", "согласие отозвано"
        PARENT_CONFIRMED = "parent_confirmed", "родитель подтверждён школой"
        PARENT_UNCONFIRMED = "parent_unconfirmed", "подтверждение родителя снято"
        REQUEST_RECEIVED = "request_received", "запрос получен"
        REQUEST_REFUSED = "request_refused", "запрос отклонён"
        EXPORT_MADE = "export_made", "выгрузка сформирована"
        EXPORT_DOWNLOADED = "export_downloaded", "выгрузка скачана"
        ERASED = "erased", "данные уничтожены или обезличены"
        RETENTION_RUN = "retention_run", "удалено по истечении срока хранения"
        BREACH_REGISTERED = "breach_registered", "инцидент зарегистрирован"
        BREACH_NOTIFIED = "breach_notified", "уведомление об инциденте направлено"
        BREACH_REPORTED = "breach_reported", "результаты расследования направлены"

    at = models.DateTimeField("когда", auto_now_add=True, db_index=True)
    action = models.CharField("что сделано", max_length=20, choices=Action.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="кто", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # The actor's role as they acted («родитель», «сотрудник ЦОПП»): the log reads without their name.
    actor_role = models.CharField("в какой роли", max_length=100, blank=True)
    student = models.ForeignKey(Student, verbose_name="чьи данные", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    request = models.ForeignKey(
        SubjectRequest, verbose_name="запрос", on_delete=models.SET_NULL, null=True, blank=True, related_name="events"
    )
    breach = models.ForeignKey(Breach, verbose_name="инцидент", on_delete=models.SET_NULL, null=True, blank=True, related_name="events")
    details = models.JSONField("подробности", default=dict, blank=True)

    class Meta:
        verbose_name = "событие с персональными данными"
        verbose_name_plural = "журнал событий с персональными данными"
        ordering = ["at", "pk"]
        indexes = [models.Index(fields=["student", "at"], name="privacy_event_student")]

    def __str__(self) -> str:
        return f"{self.at:%d.%m.%Y %H:%M}: {self.get_action_display()}"
