"""The roadmap: a year's plan of items (seed order No. 866 and its copies for later years), who executes each,
its due periods, and the reports each responsible organisation files for each period, with their evidence and
their history.

A report is filed by the organisation's own people (roadmap.policy): the lead executor's report is the item's
report, which the ministry accepts or returns; every other executor files a contribution, which the lead
consolidates. A report keeps the figures the platform prefilled as they were when taken (a frozen copy), beside
the executor's corrections and their reasons, so that later changes in the data never change a filed report."""

from django.conf import settings
from django.db import models

from orgs.models import Organization, SchoolYear
from roadmap.source import Schedule


class Plan(models.Model):
    title = models.CharField("название", max_length=500)
    basis = models.CharField("основание", max_length=500, blank=True, help_text="приказ, которым план утверждён")
    year_title = models.CharField("учебный год", max_length=9, unique=True, help_text="например, 2026/2027")
    starts_on = models.DateField("начало года плана")
    ends_on = models.DateField("окончание года плана")
    school_year = models.OneToOneField(
        SchoolYear, verbose_name="учебный год платформы", on_delete=models.PROTECT, null=True, blank=True, related_name="roadmap_plan"
    )
    # The plan as the order prints it: read-only, the source every later year's plan is copied from.
    is_source = models.BooleanField("исходный текст приказа", default=False, editable=False)
    copied_from = models.ForeignKey(
        "self", verbose_name="скопирован из", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField("создан", auto_now_add=True)

    class Meta:
        verbose_name = "план дорожной карты"
        verbose_name_plural = "планы дорожной карты"
        ordering = ["-starts_on"]
        constraints = [
            models.UniqueConstraint(fields=["is_source"], condition=models.Q(is_source=True), name="roadmap_one_source_plan"),
            models.CheckConstraint(condition=models.Q(ends_on__gt=models.F("starts_on")), name="roadmap_plan_ends_after_start"),
        ]

    def __str__(self) -> str:
        return f"Дорожная карта на {self.year_title} учебный год"


class Section(models.Model):
    plan = models.ForeignKey(Plan, verbose_name="план", on_delete=models.CASCADE, related_name="sections")
    number = models.CharField("номер", max_length=10)
    title = models.TextField("название")
    position = models.PositiveSmallIntegerField("порядок")

    class Meta:
        verbose_name = "раздел плана"
        verbose_name_plural = "разделы плана"
        ordering = ["plan", "position"]
        constraints = [models.UniqueConstraint(fields=["plan", "position"], name="roadmap_section_position")]

    def __str__(self) -> str:
        return f"{self.number}. {self.title}"


class Item(models.Model):
    """One row of the plan, its texts exactly as printed (numbers, typos and all)."""

    plan = models.ForeignKey(Plan, verbose_name="план", on_delete=models.CASCADE, related_name="items")
    section = models.ForeignKey(Section, verbose_name="раздел", on_delete=models.PROTECT, related_name="items")
    position = models.PositiveSmallIntegerField("порядок")
    number = models.CharField("№ п/п", max_length=12, help_text="как в приказе, с точкой, если она там есть")
    # The key figure providers register under: the number without its trailing dot; a doubled number with its
    # occurrence («1.3(2)»). Kept when the number is edited and when the plan is copied.
    code = models.CharField("код", max_length=20)
    activity = models.TextField("наименование мероприятия")
    executors_text = models.TextField("ответственный исполнитель (соисполнитель)")
    expected_result = models.TextField("ожидаемый результат")
    deadline_text = models.CharField("сроки исполнения", max_length=200)
    schedule = models.CharField("периодичность", max_length=20, choices=Schedule.CHOICES)
    anchor = models.DateField("месяц или год срока", null=True, blank=True)

    class Meta:
        verbose_name = "мероприятие плана"
        verbose_name_plural = "мероприятия плана"
        ordering = ["plan", "position"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "position"], name="roadmap_item_position"),
            models.UniqueConstraint(fields=["plan", "code"], name="roadmap_item_code"),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.activity[:80]}"


class Executor(models.Model):
    """An executor the item names, linked to the one organisation (`every` off: the organisation of its kind, the
    ministry or the ЦОПП, or `organization` when an editor chose one) or to every organisation of its kinds."""

    item = models.ForeignKey(Item, verbose_name="мероприятие", on_delete=models.CASCADE, related_name="executors")
    position = models.PositiveSmallIntegerField("порядок")
    text = models.CharField("как названо в плане", max_length=500)
    kinds = models.JSONField("типы организаций", default=list, blank=True)
    every = models.BooleanField("каждая организация этих типов", default=False)
    organization = models.ForeignKey(
        Organization, verbose_name="организация", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    leads = models.BooleanField("ведущий исполнитель", default=False)

    class Meta:
        verbose_name = "исполнитель"
        verbose_name_plural = "исполнители"
        ordering = ["item", "position"]

    def __str__(self) -> str:
        return self.text

    @property
    def is_linked(self) -> bool:
        return bool(self.kinds or self.organization_id)


class Period(models.Model):
    """A due period of an item: what its reports cover, from when, and the day they are due."""

    item = models.ForeignKey(Item, verbose_name="мероприятие", on_delete=models.CASCADE, related_name="periods")
    position = models.PositiveSmallIntegerField("порядок")
    label = models.CharField("период", max_length=100)
    starts_on = models.DateField("с")
    due_on = models.DateField("срок")

    class Meta:
        verbose_name = "период отчёта"
        verbose_name_plural = "периоды отчётов"
        ordering = ["item", "due_on", "position"]
        indexes = [models.Index(fields=["due_on"])]
        constraints = [models.CheckConstraint(condition=models.Q(due_on__gte=models.F("starts_on")), name="roadmap_period_due_after_start")]

    def __str__(self) -> str:
        return f"{self.item.number}: {self.label}"


class Report(models.Model):
    """What one organisation reports on one period of an item: the lead's report or a contribution."""

    class State(models.TextChoices):
        DRAFT = "draft", "черновик"
        SUBMITTED = "submitted", "на проверке"
        RETURNED = "returned", "возвращён на доработку"
        ACCEPTED = "accepted", "принят"

    class Execution(models.TextChoices):
        DONE = "done", "выполнено"
        PARTLY = "partly", "выполнено частично"
        IN_PROGRESS = "in_progress", "выполняется"
        NOT_DONE = "not_done", "не выполнено"

    period = models.ForeignKey(Period, verbose_name="период", on_delete=models.PROTECT, related_name="reports")
    organization = models.ForeignKey(Organization, verbose_name="организация", on_delete=models.PROTECT, related_name="roadmap_reports")
    is_lead = models.BooleanField("отчёт ведущего исполнителя", default=False)
    state = models.CharField("состояние", max_length=20, choices=State.choices, default=State.DRAFT)
    execution = models.CharField("исполнение", max_length=20, choices=Execution.choices, blank=True)
    text = models.TextField("что сделано", blank=True)
    # The platform's figures as taken (key, label, value, kind, url, note), frozen: refreshed only on request
    # while the report is a draft or returned, never after it is accepted.
    prefilled = models.JSONField("данные платформы", default=list, blank=True)
    prefilled_at = models.DateTimeField("данные платформы взяты", null=True, blank=True)
    # {key: {"value": "…", "reason": "…"}}: the executor's corrections of the prefilled figures.
    corrections = models.JSONField("исправления", default=dict, blank=True)
    # [{"label": "…", "value": "…"}]: the executor's own figures where the platform has none.
    own_figures = models.JSONField("свои показатели", default=list, blank=True)
    created_at = models.DateTimeField("создан", auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="создал", on_delete=models.SET_NULL, null=True, related_name="+")
    updated_at = models.DateTimeField("изменён", auto_now=True)
    submitted_at = models.DateTimeField("сдан", null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="сдал", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField("решение", null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="принял решение", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # The reviewer's last word to the executor: why it was returned or reopened (the history keeps every one).
    comment = models.TextField("замечание", blank=True)

    class Meta:
        verbose_name = "отчёт по дорожной карте"
        verbose_name_plural = "отчёты по дорожной карте"
        constraints = [models.UniqueConstraint(fields=["period", "organization"], name="roadmap_one_report_per_period_org")]
        indexes = [models.Index(fields=["organization", "state"]), models.Index(fields=["state", "is_lead"])]

    def __str__(self) -> str:
        return f"{self.period}: {self.organization}"

    @property
    def is_editable(self) -> bool:
        return self.state in (self.State.DRAFT, self.State.RETURNED)


class ReportEvent(models.Model):
    """The history of a report: every submission (with what was submitted), decision and reopening."""

    class Action(models.TextChoices):
        CREATED = "created", "начат"
        SUBMITTED = "submitted", "сдан"
        RETURNED = "returned", "возвращён на доработку"
        ACCEPTED = "accepted", "принят"
        REOPENED = "reopened", "открыт заново"
        REFRESHED = "refreshed", "данные платформы обновлены"

    report = models.ForeignKey(Report, verbose_name="отчёт", on_delete=models.CASCADE, related_name="events")
    action = models.CharField("действие", max_length=20, choices=Action.choices)
    comment = models.TextField("комментарий", blank=True)
    snapshot = models.JSONField("что было сдано", default=dict, blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="кто", on_delete=models.SET_NULL, null=True, related_name="+")
    at = models.DateTimeField("когда", auto_now_add=True)

    class Meta:
        verbose_name = "событие отчёта"
        verbose_name_plural = "история отчётов"
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.report}: {self.get_action_display()}"


def evidence_upload_path(instance: "Evidence", filename: str) -> str:
    # The stored name is the platform's own (roadmap.services): its extension is the kind the content was checked to be.
    return f"roadmap/{instance.report_id}/{filename}"


class Evidence(models.Model):
    """A document or a link that shows the work was done."""

    report = models.ForeignKey(Report, verbose_name="отчёт", on_delete=models.CASCADE, related_name="evidence")
    title = models.CharField("название", max_length=300)
    file = models.FileField("файл", upload_to=evidence_upload_path, blank=True, max_length=300)
    content_kind = models.CharField("вид файла", max_length=10, blank=True)
    size = models.PositiveIntegerField("размер, байт", default=0)
    url = models.URLField("ссылка", blank=True, max_length=1000)
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="добавил", on_delete=models.SET_NULL, null=True, related_name="+")
    added_at = models.DateTimeField("добавлено", auto_now_add=True)

    class Meta:
        verbose_name = "подтверждение"
        verbose_name_plural = "подтверждения"
        ordering = ["added_at", "pk"]

    def __str__(self) -> str:
        return self.title

    @property
    def is_file(self) -> bool:
        return bool(self.file)


class Reminder(models.Model):
    """A reminder sent: one per period, organisation and kind, so the daily job never repeats itself."""

    period = models.ForeignKey(Period, on_delete=models.CASCADE, related_name="+")
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=20)
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["period", "organization", "kind"], name="roadmap_one_reminder")]
