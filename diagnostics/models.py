"""Diagnostics: instruments defined as data (a file per version, frozen once published), assignments of an instrument to a
class with a time window, attempts with every answer as it was given, and each version's quality from the answers.

An answer points at the version it was given in through its attempt (`Attempt.version`, protected): a published
version's definition never changes (InstrumentVersion.save refuses it), so old answers are always read against the
items they were given to."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models

from orgs.models import Organization, SchoolClass, SchoolYear
from people.models import Person, Student


class Instrument(models.Model):
    """A questionnaire, across its versions: what it is called, whom it is for and which profile its results feed."""

    class Audience(models.TextChoices):
        STUDENT = "student", "обучающийся"
        PARENT = "parent", "родитель об обучающемся"

    class Profile(models.TextChoices):
        """Which part of a student's interest profile the results feed (diagnostics.selectors.InterestProfile)."""

        RIASEC = "riasec", "интересы по типам Холланда (RIASEC)"
        KLIMOV = "klimov", "типы профессий по структуре Климова"
        READINESS = "readiness", "готовность к выбору"
        NONE = "", "не входит в профиль"

    code = models.SlugField("код", max_length=60, unique=True)
    title = models.CharField("название", max_length=200)
    audience = models.CharField("кто отвечает", max_length=20, choices=Audience.choices, default=Audience.STUDENT)
    profile = models.CharField("профиль", max_length=20, choices=Profile.choices, blank=True, default="")
    is_shipped = models.BooleanField("поставляется с платформой", default=False)
    is_active = models.BooleanField("предлагается для назначения", default=True)
    created_at = models.DateTimeField("добавлен", auto_now_add=True)

    class Meta:
        verbose_name = "методика диагностики"
        verbose_name_plural = "методики диагностики"
        ordering = ["-is_shipped", "title"]

    def __str__(self) -> str:
        return self.title


class InstrumentVersion(models.Model):
    """One published version of an instrument: the file's content as it was published. Frozen: answers point at it."""

    class Source(models.TextChoices):
        SHIPPED = "shipped", "поставляется с платформой"
        UPLOADED = "uploaded", "загружена оператором"

    instrument = models.ForeignKey(Instrument, verbose_name="методика", on_delete=models.PROTECT, related_name="versions")
    version = models.CharField("версия", max_length=20)
    definition = models.JSONField("описание (файл методики)")
    checksum = models.CharField("контрольная сумма SHA-256", max_length=64)
    source = models.CharField("источник", max_length=20, choices=Source.choices)
    licence_note = models.TextField("основание использования текстов", blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="загрузил", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    published_at = models.DateTimeField("опубликована", auto_now_add=True)
    is_current = models.BooleanField("выдаётся при новых назначениях", default=True)

    class Meta:
        verbose_name = "версия методики"
        verbose_name_plural = "версии методик"
        ordering = ["instrument__title", "-published_at"]
        constraints = [
            models.UniqueConstraint(fields=["instrument", "version"], name="unique_instrument_version"),
            models.UniqueConstraint(fields=["instrument"], condition=models.Q(is_current=True), name="one_current_version"),
        ]

    def __str__(self) -> str:
        return f"{self.instrument.title}, версия {self.version}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            stored = InstrumentVersion.objects.filter(pk=self.pk).values_list("checksum", "definition").first()
            if stored is not None and (stored[0] != self.checksum or stored[1] != self.definition):
                raise ValidationError("Опубликованная версия методики не меняется: ответы ссылаются на неё. Загрузите новую версию.")
        super().save(*args, **kwargs)

    @property
    def label(self) -> str:
        return f"{self.instrument.code}@{self.version}"


class Assignment(models.Model):
    """An instrument given to a class for a time window: its students take it between the two days."""

    version = models.ForeignKey(InstrumentVersion, verbose_name="версия методики", on_delete=models.PROTECT, related_name="assignments")
    school_class = models.ForeignKey(SchoolClass, verbose_name="класс", on_delete=models.PROTECT, related_name="diagnostic_assignments")
    opens_on = models.DateField("с")
    closes_on = models.DateField("по")
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="назначил", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField("назначено", auto_now_add=True)

    class Meta:
        verbose_name = "назначение диагностики"
        verbose_name_plural = "назначения диагностики"
        ordering = ["-opens_on", "-pk"]
        indexes = [models.Index(fields=["school_class", "closes_on"], name="diag_assignment_class")]
        constraints = [
            models.CheckConstraint(condition=models.Q(closes_on__gte=models.F("opens_on")), name="assignment_closes_after_opening")
        ]

    def __str__(self) -> str:
        return f"{self.version.instrument.title} — {self.school_class}"

    @property
    def source_key(self) -> str:
        """The профминимум's key of the hours this assignment credits (one activity per assignment)."""
        return f"diagnostics:assignment:{self.pk}"


class Attempt(models.Model):
    """One sitting of an instrument by one respondent: the student about themself, or a parent about their child."""

    class Status(models.TextChoices):
        IN_PROGRESS = "in_progress", "идёт"
        FINISHED = "finished", "завершён"
        WITHDRAWN = "withdrawn", "отозван"

    student = models.ForeignKey(Student, verbose_name="обучающийся", on_delete=models.CASCADE, related_name="diagnostic_attempts")
    respondent = models.ForeignKey(
        Person, verbose_name="кто отвечал", on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        help_text="родитель, если отвечал он; пусто — сам обучающийся",
    )  # fmt: skip
    version = models.ForeignKey(InstrumentVersion, verbose_name="версия методики", on_delete=models.PROTECT, related_name="attempts")
    assignment = models.ForeignKey(
        Assignment, verbose_name="назначение", on_delete=models.PROTECT, null=True, blank=True, related_name="attempts"
    )
    status = models.CharField("состояние", max_length=20, choices=Status.choices, default=Status.IN_PROGRESS)
    started_at = models.DateTimeField("начат")
    shown_at = models.DateTimeField("вопрос показан", help_text="когда показан вопрос, на который ждём ответа")
    finished_at = models.DateTimeField("завершён", null=True, blank=True)
    seconds_total = models.PositiveIntegerField("заняло секунд", null=True, blank=True)
    median_seconds = models.FloatField("медиана секунд на вопрос", null=True, blank=True)
    is_retake = models.BooleanField("повторное прохождение", default=False)
    low_confidence = models.BooleanField("низкая достоверность", default=False)
    low_confidence_reason = models.CharField("почему низкая достоверность", max_length=300, blank=True)
    scores = models.JSONField("баллы по шкалам", default=dict, blank=True)
    normalised = models.JSONField("баллы по шкалам от 0 до 1", default=dict, blank=True)
    code = models.CharField("код Холланда", max_length=3, blank=True)
    credited = models.BooleanField("часы зачтены", default=False)
    withdrawn_at = models.DateTimeField("отозван", null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="отозвал", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    withdrawn_reason = models.CharField("причина отзыва", max_length=300, blank=True)

    class Meta:
        verbose_name = "прохождение диагностики"
        verbose_name_plural = "прохождения диагностики"
        ordering = ["-started_at", "-pk"]
        indexes = [
            models.Index(fields=["student", "status", "finished_at"], name="diag_attempt_student"),
            models.Index(fields=["assignment", "student"], name="diag_attempt_assignment"),
            models.Index(fields=["version", "status"], name="diag_attempt_version"),
        ]

    def __str__(self) -> str:
        return f"{self.version} — {self.student}"

    @property
    def by_parent(self) -> bool:
        return self.respondent_id is not None

    @property
    def is_finished(self) -> bool:
        return self.status == self.Status.FINISHED

    @property
    def is_reliable(self) -> bool:
        return self.status == self.Status.FINISHED and not self.low_confidence


class Answer(models.Model):
    """One answer as it was given: the item's number and the option's key in the attempt's version, and how long it took
    from the moment the item was shown."""

    attempt = models.ForeignKey(Attempt, verbose_name="прохождение", on_delete=models.CASCADE, related_name="answers")
    item = models.PositiveSmallIntegerField("вопрос №")
    option = models.CharField("вариант", max_length=10)
    milliseconds = models.PositiveIntegerField("время ответа, мс")
    answered_at = models.DateTimeField("ответ дан")

    class Meta:
        verbose_name = "ответ"
        verbose_name_plural = "ответы"
        ordering = ["item"]
        constraints = [models.UniqueConstraint(fields=["attempt", "item"], name="one_answer_per_item")]

    def __str__(self) -> str:
        return f"№ {self.item}: {self.option}"


class QualityReport(models.Model):
    """A version's quality from the answers collected (recomputed in the background): Cronbach's α per scale, item-total
    correlations, the RIASEC hexagon check. `figures` is diagnostics.quality.Quality as data."""

    version = models.OneToOneField(InstrumentVersion, verbose_name="версия методики", on_delete=models.CASCADE, related_name="quality")
    computed_at = models.DateTimeField("рассчитано")
    respondents = models.PositiveIntegerField("ответивших (достоверно)")
    is_pilot = models.BooleanField("пилотная", default=True)
    figures = models.JSONField("показатели", default=dict)

    class Meta:
        verbose_name = "качество методики"
        verbose_name_plural = "качество методик"


class TicketDiagnostics(models.Model):
    """Where a student stands with the online diagnostics of the federal platform «Билет в будущее» in a school year, as
    the region's export says (imports.importers.ticket). The platform's scoring is proprietary: only the status and
    its date come in. The school is the one the export named, so the indicators stay attributed there."""

    class Status(models.TextChoices):
        PASSED = "passed", "пройдена"
        STARTED = "started", "начата, не завершена"
        NOT_STARTED = "not_started", "не начата"

    student = models.ForeignKey(Student, verbose_name="обучающийся", on_delete=models.CASCADE, related_name="ticket_diagnostics")
    school_year = models.ForeignKey(SchoolYear, verbose_name="учебный год", on_delete=models.PROTECT, related_name="+")
    school = models.ForeignKey(Organization, verbose_name="школа", on_delete=models.PROTECT, related_name="+")
    status = models.CharField("диагностика «Билета в будущее»", max_length=20, choices=Status.choices)
    passed_on = models.DateField("дата прохождения", null=True, blank=True)
    updated_at = models.DateTimeField("загружено", auto_now=True)

    class Meta:
        verbose_name = "диагностика «Билета в будущее»"
        verbose_name_plural = "диагностика «Билета в будущее»"
        constraints = [models.UniqueConstraint(fields=["student", "school_year"], name="diagnostics_ticket_one_per_year")]
        indexes = [models.Index(fields=["school_year", "status"])]

    def __str__(self) -> str:
        return f"{self.get_status_display()} ({self.school_year})"
