"""The monitoring forms of the roadmap: students' enrolments in additional-education programmes, the periods a
form is due for (a month of coverage, item 4.8; a half-year of the профминимум, item 5.5), each school's form
with the platform's figures frozen beside the school's corrections, and the rollups that keep the republic's
pages as cheap as the rows they show."""

import calendar
import datetime

from django.conf import settings
from django.db import models

from core.formatting import MONTHS, month_year
from orgs.models import Municipality, Organization, SchoolYear
from people.models import Student

# --- enrolments in additional-education programmes ---------------------------------------------------------


class Programme(models.Model):
    """An additional-education programme students of grades 6–11 attend, as the monitoring of coverage (item 4.8)
    names it: its provider, where it runs, its direction. The monitoring's own list, so that it does not wait on the
    catalogue; the regional operator keeps it in the admin (and an import may add to it)."""

    class Direction(models.TextChoices):
        TECHNICAL = "technical", "техническая"
        SCIENCE = "science", "естественнонаучная"
        ARTS = "arts", "художественная"
        SOCIAL = "social", "социально-гуманитарная"
        SPORTS = "sports", "физкультурно-спортивная"
        TOURISM = "tourism", "туристско-краеведческая"

    title = models.CharField("название", max_length=300)
    provider = models.ForeignKey(Organization, verbose_name="организация", on_delete=models.PROTECT, related_name="monitoring_programmes")
    municipality = models.ForeignKey(
        Municipality, verbose_name="где проходит", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        help_text="Пусто — для всей республики (в том числе дистанционно).",
    )  # fmt: skip
    direction = models.CharField("направленность", max_length=20, choices=Direction.choices)
    grade_from = models.PositiveSmallIntegerField("с класса", default=6)
    grade_to = models.PositiveSmallIntegerField("по класс", default=11)
    is_active = models.BooleanField("набор идёт", default=True)

    class Meta:
        verbose_name = "программа дополнительного образования"
        verbose_name_plural = "программы дополнительного образования"
        ordering = ["direction", "title", "pk"]
        constraints = [
            models.CheckConstraint(condition=models.Q(grade_to__gte=models.F("grade_from")), name="programme_grades_in_order"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def grades_text(self) -> str:
        return f"{self.grade_from}–{self.grade_to} классы" if self.grade_from != self.grade_to else f"{self.grade_from} класс"


class ProgrammeEnrolment(models.Model):
    """A student attends an additional-education programme from a day (to a day, or still). Entered by the school,
    or imported from the provider's list (monitoring.services.enrolment_upsert)."""

    class Source(models.TextChoices):
        ENTERED = "entered", "внесена в платформе"
        IMPORTED = "imported", "загружена из файла"

    student = models.ForeignKey(Student, verbose_name="обучающийся", on_delete=models.CASCADE, related_name="programme_enrolments")
    programme = models.ForeignKey(Programme, verbose_name="программа", on_delete=models.PROTECT, related_name="enrolments")
    starts_on = models.DateField("занимается с")
    ends_on = models.DateField("по", null=True, blank=True)
    source = models.CharField("источник", max_length=20, choices=Source.choices, default=Source.ENTERED)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="внёс", on_delete=models.SET_NULL, null=True, blank=True, related_name="+", db_index=False
    )
    created_at = models.DateTimeField("внесена", auto_now_add=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="изменил", on_delete=models.SET_NULL, null=True, blank=True, related_name="+", db_index=False
    )
    updated_at = models.DateTimeField("изменена", auto_now=True)

    class Meta:
        verbose_name = "запись в программу дополнительного образования"
        verbose_name_plural = "записи в программы дополнительного образования"
        ordering = ["starts_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__isnull=True) | models.Q(ends_on__gte=models.F("starts_on")), name="enrolment_ends_after_start"
            ),
        ]
        # Coverage asks «is this student in any programme on this day»: the student first, then the dates.
        indexes = [models.Index(fields=["student", "starts_on"], name="enrolment_student_day")]

    def __str__(self) -> str:
        return f"{self.student} — {self.programme}"

    def active_on(self, day: datetime.date) -> bool:
        return self.starts_on <= day and (self.ends_on is None or self.ends_on >= day)


# --- the periods a form is due for ---------------------------------------------------------------------------


class Period(models.Model):
    """What one form is about: a month of coverage (as of the month's last day) or a half-year of the профминимум
    (December and May by default; the ministry may move the date and the deadline)."""

    class Kind(models.TextChoices):
        COVERAGE = "coverage", "Охват дополнительным образованием"
        PROFMINIMUM = "profminimum", "Реализация профминимума (самоанализ школы)"

    school_year = models.ForeignKey(SchoolYear, verbose_name="учебный год", on_delete=models.CASCADE, related_name="+")
    kind = models.CharField("форма", max_length=20, choices=Kind.choices)
    number = models.PositiveSmallIntegerField("номер в году")
    as_of = models.DateField("данные на дату")
    due_on = models.DateField("срок сдачи")

    class Meta:
        verbose_name = "период мониторинга"
        verbose_name_plural = "периоды мониторинга"
        ordering = ["kind", "as_of"]
        constraints = [
            models.UniqueConstraint(fields=["school_year", "kind", "number"], name="unique_period_number"),
            models.CheckConstraint(condition=models.Q(due_on__gte=models.F("as_of")), name="period_due_after_as_of"),
        ]
        indexes = [models.Index(fields=["kind", "due_on"], name="period_kind_due")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.title}"

    @property
    def month(self) -> datetime.date:
        return self.as_of.replace(day=1)

    @property
    def title(self) -> str:
        """«Ноябрь 2025»: the month the form is about."""
        return month_year(self.as_of)

    @property
    def month_name(self) -> str:
        """«ноябрь»: for «форма за ноябрь»."""
        return MONTHS[self.as_of.month - 1]

    @property
    def roadmap_item(self) -> str:
        return "4.8" if self.kind == self.Kind.COVERAGE else "5.5"

    def is_open(self, today: datetime.date) -> bool:
        """A form opens on the day its figures are for (the month's last day): a month is reported once it is over."""
        return today >= self.as_of

    def is_overdue(self, today: datetime.date) -> bool:
        return today > self.due_on


def month_end(month: datetime.date) -> datetime.date:
    return month.replace(day=calendar.monthrange(month.year, month.month)[1])


# --- the schools' forms ------------------------------------------------------------------------------------------


class Report(models.Model):
    """One school's form for one period. `prefilled` is the platform's figures as they were when the school last
    saved (frozen from then on: an accepted form never moves), `values` the figures the school reports — the
    prefilled one unless corrected — and `reasons` why each corrected figure differs."""

    class Status(models.TextChoices):
        DRAFT = "draft", "черновик"
        SUBMITTED = "submitted", "сдана, ждёт приёмки"
        RETURNED = "returned", "возвращена на доработку"
        ACCEPTED = "accepted", "принята"

    period = models.ForeignKey(Period, verbose_name="период", on_delete=models.PROTECT, related_name="reports")
    school = models.ForeignKey(
        Organization, verbose_name="школа", on_delete=models.PROTECT, related_name="monitoring_reports",
        limit_choices_to={"kind": Organization.Kind.SCHOOL},
    )  # fmt: skip
    # The school's municipality, kept on the row so that a municipality's forms are one index range; a school that
    # moves takes its forms along (monitoring.rollups.on_school_municipality_changed).
    municipality = models.ForeignKey(Municipality, verbose_name="муниципалитет", on_delete=models.PROTECT, null=True, related_name="+")
    status = models.CharField("статус", max_length=20, choices=Status.choices, default=Status.DRAFT)
    prefilled = models.JSONField("данные платформы", default=dict)
    prefilled_on = models.DateField("данные платформы на дату", null=True, blank=True)
    values = models.JSONField("значения школы", default=dict)
    reasons = models.JSONField("причины исправлений", default=dict)
    texts = models.JSONField("самоанализ школы", default=dict)
    comment = models.TextField("комментарий министерства", blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="изменил", on_delete=models.SET_NULL, null=True, blank=True, related_name="+", db_index=False
    )
    updated_at = models.DateTimeField("изменена", auto_now=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="сдал", on_delete=models.SET_NULL, null=True, blank=True, related_name="+", db_index=False
    )
    submitted_at = models.DateTimeField("сдана", null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="принял или вернул", on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        db_index=False,
    )  # fmt: skip
    decided_at = models.DateTimeField("принята или возвращена", null=True, blank=True)

    SENT = (Status.SUBMITTED, Status.ACCEPTED)  # the school has handed it in

    class Meta:
        verbose_name = "форма мониторинга школы"
        verbose_name_plural = "формы мониторинга школ"
        constraints = [models.UniqueConstraint(fields=["period", "school"], name="one_report_per_school_period")]
        indexes = [models.Index(fields=["period", "municipality", "status"], name="report_period_municipality")]

    def __str__(self) -> str:
        return f"{self.school}: {self.period}"

    @property
    def is_sent(self) -> bool:
        return self.status in self.SENT

    @property
    def corrected(self) -> list[str]:
        return [key for key, value in self.values.items() if key in self.prefilled and value != self.prefilled[key]]


class ReportEvent(models.Model):
    """The history of a form: each save, submission, acceptance, return and reopening, with who, when, the
    comment or reason, and the figures as they stood."""

    class Action(models.TextChoices):
        SAVED = "saved", "сохранена школой"
        SUBMITTED = "submitted", "сдана школой"
        ACCEPTED = "accepted", "принята"
        RETURNED = "returned", "возвращена на доработку"
        REOPENED = "reopened", "открыта повторно после приёмки"

    report = models.ForeignKey(Report, verbose_name="форма", on_delete=models.CASCADE, related_name="events")
    action = models.CharField("что произошло", max_length=20, choices=Action.choices)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="кто", on_delete=models.SET_NULL, null=True, related_name="+")
    at = models.DateTimeField("когда", auto_now_add=True)
    comment = models.TextField("комментарий или причина", blank=True)
    values = models.JSONField("значения", default=dict)

    class Meta:
        verbose_name = "событие формы"
        verbose_name_plural = "история форм"
        ordering = ["at", "pk"]


class Reminder(models.Model):
    """A reminder sent about a period (to a school's coordinators, or a municipality's): kept so that each goes once."""

    class Kind(models.TextChoices):
        DUE_SOON = "due_soon", "срок скоро"
        OVERDUE = "overdue", "срок прошёл"

    period = models.ForeignKey(Period, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    scope = models.CharField(max_length=12)  # school | municipality | republic
    scope_id = models.BigIntegerField()
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["period", "kind", "scope", "scope_id"], name="unique_reminder")]


# --- rollups ---------------------------------------------------------------------------------------------------


class Scope(models.TextChoices):
    SCHOOL = "school", "школа"
    MUNICIPALITY = "municipality", "муниципалитет"
    REPUBLIC = "republic", "республика"


class CoverageFigure(models.Model):
    """Coverage of a scope as of a month's last day, from the platform's data (students placed in grades 6–11 that
    day, those of them in at least one programme, and their enrolments). Kept by monitoring.rollups; the republic
    is scope_id 0."""

    month = models.DateField()
    scope = models.CharField(max_length=12, choices=Scope.choices)
    scope_id = models.BigIntegerField()
    municipality_id_at = models.BigIntegerField(default=0)  # a school row: its municipality when computed
    students = models.IntegerField(default=0)
    covered = models.IntegerField(default=0)
    enrolments = models.IntegerField(default=0)
    computed_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["month", "scope", "scope_id"], name="unique_coverage_figure")]
        indexes = [
            models.Index(fields=["scope", "scope_id", "month"], name="coverage_scope_month"),
            models.Index(fields=["month", "scope", "municipality_id_at"], name="coverage_month_municipality"),
        ]


class ReportTotals(models.Model):
    """The schools' forms of a period summed for a municipality or the republic (scope_id 0): how many schools,
    how many handed in and accepted, and the sum of each figure of the forms handed in. Kept by monitoring.rollups."""

    period = models.ForeignKey(Period, on_delete=models.CASCADE, related_name="+")
    scope = models.CharField(max_length=12, choices=Scope.choices)
    scope_id = models.BigIntegerField()
    schools = models.IntegerField(default=0)
    drafts = models.IntegerField(default=0)  # started, saved, not handed in (or returned)
    submitted = models.IntegerField(default=0)
    accepted = models.IntegerField(default=0)
    values = models.JSONField(default=dict)
    computed_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["period", "scope", "scope_id"], name="unique_report_totals")]

    @property
    def sent(self) -> int:
        return self.submitted + self.accepted

    @property
    def missing(self) -> int:
        return max(0, self.schools - self.sent)


class RollupDue(models.Model):
    """What the periodic job must recompute: a month's coverage (of one school, or of every school as 0) or a
    period's totals. Writers add a row (a duplicate is ignored); the job takes and deletes them."""

    class Kind(models.TextChoices):
        COVERAGE = "coverage", "охват за месяц"
        TOTALS = "totals", "итоги форм периода"

    kind = models.CharField(max_length=12, choices=Kind.choices)
    key = models.BigIntegerField()  # coverage: the month as yyyymm; totals: the period's id
    school_id = models.BigIntegerField(default=0)  # coverage: one school, or 0 for every school
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["kind", "key", "school_id"], name="unique_rollup_due")]
