"""Профминимум: the normative version of each school year, each school's level, career-guidance
activities, attendance, the hours ledger and the rollups that keep every dashboard cheap to read."""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models

from core.formatting import date_text
from core.models import SearchableModel
from orgs.models import Municipality, Organization, SchoolClass, SchoolYear
from people.models import Student

HOURS = {"max_digits": 7, "decimal_places": 1}  # one student's or one activity's hours
# A scope's total: the republic's million students × 80 h already needs 9 digits; a country would need 10.
SCOPE_HOURS = {"max_digits": 14, "decimal_places": 1}


# --- normative data: per school year, edited by the ministry -----------------------------------------


class NormativeVersion(models.Model):
    """The rules in force for one school year (re-issued in 2023, 2024, 2025): levels, directions,
    per-direction minima, the course programme and the region's holidays."""

    school_year = models.OneToOneField(SchoolYear, verbose_name="учебный год", on_delete=models.PROTECT, related_name="normative")
    title = models.CharField("название", max_length=300)
    basis = models.TextField("основание (нормативные документы)", blank=True)
    copied_from = models.ForeignKey("self", verbose_name="скопирована из", on_delete=models.SET_NULL, null=True, blank=True)
    updated_at = models.DateTimeField("изменена", auto_now=True)

    class Meta:
        verbose_name = "нормативная версия профминимума"
        verbose_name_plural = "нормативные версии профминимума"
        ordering = ["-school_year__starts_on"]

    def __str__(self) -> str:
        return f"{self.title} ({self.school_year})"


class Level(models.Model):
    class Code(models.TextChoices):
        BASIC = "basic", "базовый"
        MAIN = "main", "основной"
        ADVANCED = "advanced", "продвинутый"

    normative = models.ForeignKey(NormativeVersion, verbose_name="нормативная версия", on_delete=models.CASCADE, related_name="levels")
    code = models.CharField("уровень", max_length=20, choices=Code.choices)
    min_hours = models.DecimalField("минимум часов в год", **HOURS)

    class Meta:
        verbose_name = "уровень профминимума"
        verbose_name_plural = "уровни профминимума"
        ordering = ["min_hours"]
        constraints = [models.UniqueConstraint(fields=["normative", "code"], name="unique_level_per_normative")]

    def __str__(self) -> str:
        return f"{self.get_code_display()} (от {self.min_hours:g} ч)"


class Direction(models.Model):
    """A direction whose hours count toward the minimum (DOMAIN.md §2)."""

    class Code(models.TextChoices):
        PROFILE_CLASSES = "profile_classes", "профильные и предпрофильные классы"
        LESSONS = "lessons", "урочная деятельность"
        COURSE = "course", "внеурочная деятельность (курс «Россия — мои горизонты»)"
        UPBRINGING = "upbringing", "воспитательная работа"
        ADDITIONAL_EDUCATION = "additional_education", "дополнительное образование"
        PROFESSIONAL_TRAINING = "professional_training", "профессиональное обучение"
        PARENTS = "parents", "работа с родителями"

    normative = models.ForeignKey(NormativeVersion, verbose_name="нормативная версия", on_delete=models.CASCADE, related_name="directions")
    code = models.CharField("код", max_length=30, choices=Code.choices)
    name = models.CharField("название", max_length=200)
    position = models.PositiveSmallIntegerField("порядок", default=0)

    class Meta:
        verbose_name = "направление профминимума"
        verbose_name_plural = "направления профминимума"
        ordering = ["position"]
        constraints = [models.UniqueConstraint(fields=["normative", "code"], name="unique_direction_per_normative")]

    def __str__(self) -> str:
        return self.name


class DirectionMinimum(models.Model):
    level = models.ForeignKey(Level, verbose_name="уровень", on_delete=models.CASCADE, related_name="direction_minima")
    direction = models.ForeignKey(Direction, verbose_name="направление", on_delete=models.CASCADE, related_name="minima")
    min_hours = models.DecimalField("минимум часов", **HOURS)

    class Meta:
        verbose_name = "минимум по направлению"
        verbose_name_plural = "минимумы по направлениям"
        constraints = [models.UniqueConstraint(fields=["level", "direction"], name="unique_direction_minimum")]

    def clean(self) -> None:
        if self.level_id and self.direction_id and self.level.normative_id != self.direction.normative_id:
            raise ValidationError("Уровень и направление должны относиться к одной нормативной версии.")


class CreditRule(models.Model):
    """How many hours, in which direction, a kind of work done outside a lesson credits (a completed diagnostic,
    say): data of the year's normative version, edited by the ministry."""

    class Kind(models.TextChoices):
        DIAGNOSTICS = "diagnostics", "завершённая диагностика"

    normative = models.ForeignKey(
        NormativeVersion, verbose_name="нормативная версия", on_delete=models.CASCADE, related_name="credit_rules"
    )
    kind = models.CharField("что засчитывается", max_length=30, choices=Kind.choices)
    direction = models.ForeignKey("Direction", verbose_name="направление", on_delete=models.PROTECT, related_name="+")
    hours = models.DecimalField("академических часов", **HOURS)

    class Meta:
        verbose_name = "правило зачёта часов"
        verbose_name_plural = "правила зачёта часов"
        constraints = [models.UniqueConstraint(fields=["normative", "kind"], name="unique_credit_rule")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.hours} ч"


class CourseLesson(models.Model):
    """A lesson of the programme of «Россия — мои горизонты» (34 a year)."""

    class Kind(models.TextChoices):
        CAREER_GUIDANCE = "career_guidance", "профориентационное занятие"
        PRACTICE = "practice", "практико-ориентированное занятие (проба)"
        INDUSTRY = "industry", "отраслевое занятие"
        REGIONAL = "regional", "региональный компонент"

    normative = models.ForeignKey(
        NormativeVersion, verbose_name="нормативная версия", on_delete=models.CASCADE, related_name="course_lessons"
    )
    number = models.PositiveSmallIntegerField("номер")
    topic = models.CharField("тема", max_length=300)
    kind = models.CharField("тип занятия", max_length=20, choices=Kind.choices)
    sector = models.CharField("отрасль", max_length=200, blank=True)

    class Meta:
        verbose_name = "занятие курса «Россия — мои горизонты»"
        verbose_name_plural = "программа курса «Россия — мои горизонты»"
        ordering = ["number"]
        constraints = [models.UniqueConstraint(fields=["normative", "number"], name="unique_course_lesson_number")]

    def __str__(self) -> str:
        return f"{self.number}. {self.topic}"


class Holiday(models.Model):
    """Holidays the region sets: no course lesson is scheduled inside them."""

    normative = models.ForeignKey(NormativeVersion, verbose_name="нормативная версия", on_delete=models.CASCADE, related_name="holidays")
    title = models.CharField("название", max_length=200)
    starts_on = models.DateField("с")
    ends_on = models.DateField("по")

    class Meta:
        verbose_name = "каникулы или праздник"
        verbose_name_plural = "каникулы и праздники"
        ordering = ["starts_on"]
        constraints = [models.CheckConstraint(condition=models.Q(ends_on__gte=models.F("starts_on")), name="holiday_ends_after_start")]

    def __str__(self) -> str:
        return self.title


# --- each school's level for the year -----------------------------------------------------------------


def order_upload_path(instance: "SchoolLevel", filename: str) -> str:
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"orders/{instance.school_year_id}/school-{instance.school_id}.{extension}"


class SchoolLevel(models.Model):
    """The level a school implements in a school year, with the school's order behind it."""

    class Status(models.TextChoices):
        CHOSEN = "chosen", "выбран школой, ждёт утверждения"
        APPROVED = "approved", "утверждён министерством"
        SET_BY_MINISTRY = "set_by_ministry", "установлен министерством"

    school = models.ForeignKey(
        Organization, verbose_name="школа", on_delete=models.CASCADE, related_name="profminimum_levels",
        limit_choices_to={"kind": Organization.Kind.SCHOOL},
    )  # fmt: skip
    school_year = models.ForeignKey(SchoolYear, verbose_name="учебный год", on_delete=models.PROTECT, related_name="+")
    level = models.ForeignKey(Level, verbose_name="уровень", on_delete=models.PROTECT, related_name="schools")
    status = models.CharField("статус", max_length=20, choices=Status.choices)
    order_file = models.FileField("приказ школы", upload_to=order_upload_path, blank=True)
    order_number = models.CharField("номер приказа", max_length=50, blank=True)
    order_date = models.DateField("дата приказа", null=True, blank=True)
    chosen_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="выбрал", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    chosen_at = models.DateTimeField("выбран", null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="утвердил", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField("утверждён", null=True, blank=True)

    class Meta:
        verbose_name = "уровень профминимума школы"
        verbose_name_plural = "уровни профминимума школ"
        constraints = [models.UniqueConstraint(fields=["school", "school_year"], name="one_level_per_school_year")]

    def __str__(self) -> str:
        return f"{self.school}: {self.level}"

    def order_text(self) -> str:
        """The school's order, said the same wherever it is shown (the level page, the school's dashboard):
        «№ 45-од от 12 августа 2026», with «, файл не приложен» when the document itself is missing; "" when there
        is no order (a level the ministry set)."""
        if not (self.order_number or self.order_file):
            return ""
        text = f"№ {self.order_number}" if self.order_number else "без номера"
        if self.order_date:
            text += f" от {date_text(self.order_date)}"
        if not self.order_file:
            text += ", файл не приложен"
        return text


class SchoolLevelChange(models.Model):
    """The history of a school's level in a year: from which day which level (none: the choice was withdrawn).
    Students are judged on a date by the level in force on that date."""

    school = models.ForeignKey(Organization, verbose_name="школа", on_delete=models.CASCADE, related_name="+")
    school_year = models.ForeignKey(SchoolYear, verbose_name="учебный год", on_delete=models.CASCADE, related_name="+", db_index=False)
    level = models.ForeignKey(Level, verbose_name="уровень", on_delete=models.PROTECT, null=True, related_name="+")
    effective_on = models.DateField("действует с")
    recorded_at = models.DateTimeField("записано", auto_now_add=True)

    class Meta:
        verbose_name = "изменение уровня школы"
        verbose_name_plural = "история уровней школ"
        ordering = ["effective_on", "pk"]
        indexes = [models.Index(fields=["school_year", "school", "effective_on"], name="level_change_school_day")]


# --- activities and attendance ------------------------------------------------------------------------


class Activity(SearchableModel):
    """Any career-guidance activity; a course lesson is one for one class."""

    search_fields = ("title",)

    # No single-column indexes on the school year and the school: the (school_year, starts_at) and (school,
    # starts_at) indexes below serve them, and each index is written again by every activity marked.
    school_year = models.ForeignKey(SchoolYear, verbose_name="учебный год", on_delete=models.PROTECT, related_name="+", db_index=False)
    direction = models.ForeignKey(
        Direction, verbose_name="направление", on_delete=models.PROTECT, related_name="activities", db_index=False
    )
    title = models.CharField("название", max_length=300)
    starts_at = models.DateTimeField("дата и время")
    duration_hours = models.DecimalField("продолжительность, академических часов", max_digits=4, decimal_places=1)
    # The school that runs it (and whose staff mark it); empty for municipal and regional events.
    school = models.ForeignKey(
        Organization, verbose_name="школа", on_delete=models.PROTECT, null=True, blank=True, related_name="activities", db_index=False
    )
    organizer = models.ForeignKey(
        Organization, verbose_name="организатор", on_delete=models.PROTECT, null=True, blank=True, related_name="organized_activities",
    )  # fmt: skip
    place = models.CharField("место", max_length=300, blank=True)
    course_lesson = models.ForeignKey(
        CourseLesson, verbose_name="занятие курса", on_delete=models.PROTECT, null=True, blank=True, related_name="activities"
    )
    classes = models.ManyToManyField(SchoolClass, verbose_name="классы целиком", blank=True, related_name="activities")
    students = models.ManyToManyField(Student, verbose_name="отдельные обучающиеся", blank=True, related_name="chosen_activities")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="создал", on_delete=models.SET_NULL, null=True, blank=True, related_name="+", db_index=False
    )
    created_at = models.DateTimeField("создано", auto_now_add=True)
    marked_at = models.DateTimeField("посещаемость отмечена", null=True, blank=True)
    # What outside the schedule this activity records (a diagnostic assignment, an offer's session): the crediting
    # service finds it by this key. Empty for the activities a school schedules itself.
    source_key = models.CharField("источник", max_length=100, blank=True, default="", editable=False)
    # Deleted activities stay for the history; their hours are reversed in the ledger.
    deleted_at = models.DateTimeField("удалено", null=True, blank=True)
    deleted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="удалил", on_delete=models.SET_NULL, null=True, blank=True, related_name="+", db_index=False
    )

    class Meta:
        verbose_name = "профориентационное мероприятие"
        verbose_name_plural = "профориентационные мероприятия"
        ordering = ["starts_at"]
        indexes = [
            models.Index(fields=["school", "starts_at"]),
            models.Index(fields=["school_year", "starts_at"]),
            models.Index(fields=["source_key"], condition=~models.Q(source_key=""), name="activity_source"),
            # The lessons still to be marked, which every school's and municipality's home counts.
            models.Index(
                fields=["school", "starts_at"],
                condition=models.Q(marked_at__isnull=True, deleted_at__isnull=True),
                name="activity_unmarked",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        if self.duration_hours is not None:
            if self.duration_hours <= 0 or self.duration_hours > 40:
                raise ValidationError({"duration_hours": "Продолжительность — от 0,5 до 40 академических часов."})
            if (self.duration_hours * 2) % 1 != 0:
                raise ValidationError({"duration_hours": "Продолжительность указывается с шагом 0,5 часа."})


class Attendance(models.Model):
    """A student's attendance of an activity; the hours it credited are kept beside it, so a correction
    or deletion reverses exactly that. One row per student and activity: never credited twice."""

    activity = models.ForeignKey(Activity, verbose_name="мероприятие", on_delete=models.PROTECT, related_name="attendances")
    student = models.ForeignKey(Student, verbose_name="обучающийся", on_delete=models.PROTECT, related_name="attendances")
    present = models.BooleanField("присутствовал", default=True)
    excuse = models.CharField("причина отсутствия", max_length=200, blank=True)
    credited_hours = models.DecimalField("зачтено часов", **HOURS, default=Decimal("0"))
    # Where the student was when marked: the hours stay attributed there even after a transfer.
    # Indexes only where a query filters: the unique (activity, student) and the student's history.
    school = models.ForeignKey(Organization, verbose_name="школа", on_delete=models.PROTECT, related_name="+", db_index=False)
    school_class = models.ForeignKey(SchoolClass, verbose_name="класс", on_delete=models.PROTECT, related_name="+", db_index=False)
    marked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="отметил", on_delete=models.SET_NULL, null=True, related_name="+", db_index=False
    )
    marked_at = models.DateTimeField("отмечено", auto_now=True)

    class Meta:
        verbose_name = "посещение"
        verbose_name_plural = "посещения"
        constraints = [models.UniqueConstraint(fields=["activity", "student"], name="one_attendance_per_student_activity")]


class AttendanceCorrection(models.Model):
    """Every change of a saved mark: who, when, from what to what."""

    attendance = models.ForeignKey(Attendance, verbose_name="посещение", on_delete=models.CASCADE, related_name="corrections")
    was_present = models.BooleanField("было: присутствовал")
    now_present = models.BooleanField("стало: присутствовал")
    was_excuse = models.CharField("было: причина", max_length=200, blank=True)
    now_excuse = models.CharField("стало: причина", max_length=200, blank=True)
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="кто", on_delete=models.SET_NULL, null=True, related_name="+")
    changed_at = models.DateTimeField("когда", auto_now_add=True)

    class Meta:
        verbose_name = "исправление отметки"
        verbose_name_plural = "исправления отметок"
        ordering = ["changed_at"]


# --- the ledger ---------------------------------------------------------------------------------------


class HoursEntry(models.Model):
    """The append-only hours ledger: every credit and every reversal, signed."""

    class Reason(models.TextChoices):
        ATTENDED = "attended", "посещение"
        CORRECTED = "corrected", "исправление отметки"
        ACTIVITY_DELETED = "activity_deleted", "мероприятие удалено"

    # The ledger is written far more than it is read (the rollups are read): one index, for a student's lines.
    student = models.ForeignKey(Student, verbose_name="обучающийся", on_delete=models.PROTECT, related_name="hours_entries", db_index=False)
    activity = models.ForeignKey(
        Activity, verbose_name="мероприятие", on_delete=models.PROTECT, related_name="hours_entries", db_index=False
    )
    direction = models.ForeignKey(Direction, verbose_name="направление", on_delete=models.PROTECT, related_name="+", db_index=False)
    school_year = models.ForeignKey(SchoolYear, verbose_name="учебный год", on_delete=models.PROTECT, related_name="+", db_index=False)
    school = models.ForeignKey(Organization, verbose_name="школа", on_delete=models.PROTECT, related_name="+", db_index=False)
    school_class = models.ForeignKey(SchoolClass, verbose_name="класс", on_delete=models.PROTECT, related_name="+", db_index=False)
    municipality = models.ForeignKey(Municipality, verbose_name="муниципалитет", on_delete=models.PROTECT, related_name="+", db_index=False)
    hours = models.DecimalField("часы", **HOURS)
    reason = models.CharField("основание", max_length=20, choices=Reason.choices)
    occurred_on = models.DateField("дата мероприятия")
    created_at = models.DateTimeField("записано", auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="кто", on_delete=models.SET_NULL, null=True, related_name="+", db_index=False
    )

    class Meta:
        verbose_name = "запись журнала часов"
        verbose_name_plural = "журнал часов"
        indexes = [models.Index(fields=["student", "school_year"])]


# --- rollups, kept current on every write -------------------------------------------------------------


class StudentYearHours(models.Model):
    """One student's hours in one school year, with the placement compliance is judged by."""

    student = models.ForeignKey(Student, verbose_name="обучающийся", on_delete=models.CASCADE, related_name="year_hours")
    school_year = models.ForeignKey(SchoolYear, verbose_name="учебный год", on_delete=models.PROTECT, related_name="+")
    school = models.ForeignKey(Organization, verbose_name="школа сейчас", on_delete=models.PROTECT, related_name="+")
    school_class = models.ForeignKey(SchoolClass, verbose_name="класс сейчас", on_delete=models.PROTECT, related_name="+")
    municipality = models.ForeignKey(Municipality, verbose_name="муниципалитет", on_delete=models.PROTECT, related_name="+")
    level = models.ForeignKey(Level, verbose_name="уровень школы", on_delete=models.PROTECT, null=True, related_name="+")
    total_hours = models.DecimalField("всего часов", **HOURS, default=Decimal("0"))
    # {direction id: hours}; the per-direction minima are judged on it.
    hours_by_direction = models.JSONField("часы по направлениям", default=dict)
    directions_met = models.BooleanField("минимумы по направлениям выполнены", default=True)

    class Meta:
        verbose_name = "часы обучающегося за год"
        verbose_name_plural = "часы обучающихся за год"
        constraints = [models.UniqueConstraint(fields=["student", "school_year"], name="one_hours_row_per_student_year")]
        indexes = [models.Index(fields=["school_year", "school_class"]), models.Index(fields=["school_year", "school"])]


class Scope(models.TextChoices):
    CLASS = "class", "класс"
    SCHOOL = "school", "школа"
    MUNICIPALITY = "municipality", "муниципалитет"
    REPUBLIC = "republic", "республика"


# --- rollups: append-only rows that reads add up ------------------------------------------------------------
#
# Writers never update a shared total: each write appends its deltas as new rows (pending=True), so teachers
# saving at once never wait for one another on the republic's or a municipality's row. A read adds up every
# row of its keys, folded or not, so it is right at once. The fold (rollups.rollups_fold, run by the periodic
# job every minute) replaces the rows of each pending key by their sum, keeping the tables as small as what
# they describe. The values are in one column so that the fold is one statement per table.


class ScopeRollup(models.Model):
    """A row of a rollup: one school year, one scope (class, school, municipality or the republic as 0)."""

    school_year = models.ForeignKey(SchoolYear, on_delete=models.CASCADE, related_name="+", db_index=False)
    scope = models.CharField(max_length=12, choices=Scope.choices)
    scope_id = models.BigIntegerField()
    pending = models.BooleanField(default=True)  # appended by a writer, not yet folded

    class Meta:
        abstract = True


class HoursHistogram(ScopeRollup):
    """How many students of a scope have exactly these hours now (under this level, with or without the
    per-direction minima met). States by any date from today on follow from it without touching the ledger."""

    level_pk = models.BigIntegerField(default=0)  # the Level's id; 0 while the school has chosen none
    hours = models.DecimalField(**HOURS)
    directions_met = models.BooleanField()
    students = models.IntegerField(default=0)

    KEY = ("scope", "scope_id", "level_pk", "hours", "directions_met")
    VALUE = "students"

    class Meta:
        indexes = [
            models.Index(fields=["school_year", "scope", "scope_id"], name="histogram_scope"),
            models.Index(fields=["school_year"], condition=models.Q(pending=True), name="histogram_pending"),
        ]


class HistogramChange(ScopeRollup):
    """The histogram's changes by the day they take effect: a student moving from one bucket to another on the
    day of an activity, of a transfer or of a change of the school's level. The histogram as of a past date is
    the last checkpoint before it plus the changes after the checkpoint up to the date."""

    day = models.DateField()
    level_pk = models.BigIntegerField(default=0)
    hours = models.DecimalField(**HOURS)
    directions_met = models.BooleanField()
    students = models.IntegerField(default=0)

    KEY = ("scope", "scope_id", "day", "level_pk", "hours", "directions_met")
    VALUE = "students"

    class Meta:
        indexes = [
            models.Index(fields=["school_year", "scope", "scope_id", "day"], name="histogram_change_scope_day"),
            models.Index(fields=["school_year"], condition=models.Q(pending=True), name="histogram_change_pending"),
        ]


class HistogramCheckpoint(ScopeRollup):
    """The histogram as of the end of a day (a past month's last day): every change up to it, added up."""

    day = models.DateField()
    level_pk = models.BigIntegerField(default=0)
    hours = models.DecimalField(**HOURS)
    directions_met = models.BooleanField()
    students = models.IntegerField(default=0)

    KEY = ("scope", "scope_id", "day", "level_pk", "hours", "directions_met")
    VALUE = "students"

    class Meta:
        indexes = [
            models.Index(fields=["school_year", "day", "scope", "scope_id"], name="histogram_checkpoint_scope"),
            models.Index(fields=["school_year"], condition=models.Q(pending=True), name="histogram_checkpoint_pending"),
        ]


class CheckpointDay(models.Model):
    """A day whose checkpoint is complete for every scope: reads may start from it, writers add to it."""

    school_year = models.ForeignKey(SchoolYear, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["school_year", "day"], name="unique_checkpoint_day")]


class ScopeDayHours(ScopeRollup):
    """Hours delivered in a scope by direction on a day (attributed to where the student was when credited):
    hours by direction and the pace over the year, as of any date."""

    direction = models.ForeignKey(Direction, on_delete=models.CASCADE, related_name="+", db_index=False)
    day = models.DateField()
    hours = models.DecimalField(**SCOPE_HOURS, default=Decimal("0"))

    KEY = ("scope", "scope_id", "direction_id", "day")
    VALUE = "hours"

    class Meta:
        indexes = [
            models.Index(fields=["school_year", "scope", "scope_id", "day"], name="day_hours_scope_day"),
            models.Index(fields=["school_year"], condition=models.Q(pending=True), name="day_hours_pending"),
        ]


class ScopeDayLessons(ScopeRollup):
    """Course lessons held (attendance saved) in a scope on a day, counted per class."""

    day = models.DateField()
    lessons = models.IntegerField(default=0)

    KEY = ("scope", "scope_id", "day")
    VALUE = "lessons"

    class Meta:
        indexes = [
            models.Index(fields=["school_year", "scope", "scope_id", "day"], name="day_lessons_scope_day"),
            models.Index(fields=["school_year"], condition=models.Q(pending=True), name="day_lessons_pending"),
        ]


ROLLUP_MODELS = (HoursHistogram, HistogramChange, HistogramCheckpoint, ScopeDayHours, ScopeDayLessons)
