"""The republic's offer to students and the partners who provide it (seed items 3.2, 4.2, 4.5, 4.9–4.14).

- Partners: organisations of the network (employers, colleges, universities, additional education) with their
  agreements (the signed document checked like a school's order) and joint plans by school year.
- Offers: dated events of the kinds the seed names, professional trials and excursions (a dated visit along a
  route of the catalogue), each with its place, grades, capacity and the hours it credits in which direction.
- Registrations: a student's (or, for a parent meeting, a parent's) place, confirmed or waiting; a place offered
  from the waiting list is held for 48 hours. `Offer.taken` counts confirmed and held places and never exceeds
  the capacity: a constraint of the table, kept by writers that lock the offer's row.
- Attendance is marked on the registration; the hours go to the профминимум ledger through its one crediting
  service. A trial attended becomes a `TrialRecord`, the fact the «Билет в будущее» indicators count — the same
  rows an import of the federal platform's export writes.
- Mentors with the fact, date and expiry of their criminal-record check (never the certificate), their mentees
  and a log of meetings.
"""

import datetime
import secrets

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from core.models import SearchableModel
from events.sectors import SECTORS
from orgs.models import Municipality, Organization, SchoolClass, SchoolYear
from people.models import Person, Student
from profminimum.models import Direction

HOURS = {"max_digits": 4, "decimal_places": 1}
PARTNER_KINDS = (
    Organization.Kind.EMPLOYER,
    Organization.Kind.COLLEGE,
    Organization.Kind.UNIVERSITY,
    Organization.Kind.ADDITIONAL_EDUCATION,
    Organization.Kind.OTHER,
)
# A short code a host types when there is no camera: no letters that read alike (0/O, 1/I/L).
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
CODE_LENGTH = 6


def new_short_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


# --- partners ---------------------------------------------------------------------------------------------------


class Partner(models.Model):
    """An organisation of the network that works with the schools: its entry in the partners database."""

    organization = models.OneToOneField(
        Organization, verbose_name="организация", on_delete=models.CASCADE, related_name="partner",
        limit_choices_to={"kind__in": PARTNER_KINDS},
    )  # fmt: skip
    description = models.TextField("чем организация полезна школьникам", blank=True)
    sectors = models.JSONField("отрасли", default=list, blank=True)
    is_trial_site = models.BooleanField("площадка профессиональных проб", default=False)
    contact = models.CharField("контакты для школ", max_length=300, blank=True)
    created_at = models.DateTimeField("внесён", auto_now_add=True)

    class Meta:
        verbose_name = "партнёр"
        verbose_name_plural = "партнёры"
        ordering = ["organization__short_name"]

    def __str__(self) -> str:
        return self.organization.short_name


def agreement_upload_path(instance: "Agreement", filename: str) -> str:
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"agreements/{instance.partner_id}/{secrets.token_hex(8)}.{extension}"


class Agreement(models.Model):
    """A signed agreement with a partner (on cooperation, networking, a trial site): number, date, term, subject
    and the document itself."""

    partner = models.ForeignKey(Partner, verbose_name="партнёр", on_delete=models.CASCADE, related_name="agreements")
    number = models.CharField("номер", max_length=50)
    signed_on = models.DateField("дата заключения")
    valid_from = models.DateField("действует с")
    valid_until = models.DateField("действует по", null=True, blank=True, help_text="Пусто — бессрочно.")
    subject = models.TextField("предмет договора")
    file = models.FileField("документ", upload_to=agreement_upload_path, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="внёс", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField("внесён", auto_now_add=True)

    class Meta:
        verbose_name = "договор с партнёром"
        verbose_name_plural = "договоры с партнёрами"
        ordering = ["-signed_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_until__isnull=True) | Q(valid_until__gte=F("valid_from")), name="agreement_term_ends_after_start"
            ),
        ]

    def __str__(self) -> str:
        return f"№ {self.number}"

    def in_force(self, day: datetime.date) -> bool:
        return self.valid_from <= day and (self.valid_until is None or day <= self.valid_until)


class JointPlan(models.Model):
    """A plan of joint career-guidance work with a partner for a school year (seed item 3.2)."""

    partner = models.ForeignKey(Partner, verbose_name="партнёр", on_delete=models.CASCADE, related_name="plans")
    school_year = models.ForeignKey(SchoolYear, verbose_name="учебный год", on_delete=models.PROTECT, related_name="+")
    title = models.CharField("название", max_length=300)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="составил", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField("составлен", auto_now_add=True)

    class Meta:
        verbose_name = "план совместной работы"
        verbose_name_plural = "планы совместной работы"
        ordering = ["-school_year__starts_on", "title"]

    def __str__(self) -> str:
        return self.title


class JointPlanItem(models.Model):
    plan = models.ForeignKey(JointPlan, verbose_name="план", on_delete=models.CASCADE, related_name="items")
    what = models.CharField("мероприятие", max_length=300)
    due_on = models.DateField("срок")
    responsible = models.CharField("ответственный", max_length=200, blank=True)
    done = models.BooleanField("выполнено", default=False)

    class Meta:
        verbose_name = "пункт плана"
        verbose_name_plural = "пункты плана"
        ordering = ["due_on", "pk"]

    def __str__(self) -> str:
        return self.what


# --- excursion routes -----------------------------------------------------------------------------------------


class ExcursionRoute(SearchableModel):
    """A route of the catalogue of excursions to enterprises, colleges and universities (seed item 4.11)."""

    title = models.CharField("название", max_length=300)
    description = models.TextField("описание", blank=True)
    host = models.ForeignKey(Organization, verbose_name="принимающая организация", on_delete=models.PROTECT, related_name="routes")
    municipality = models.ForeignKey(
        Municipality, verbose_name="муниципалитет", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    sector = models.CharField("отрасль", max_length=30, choices=SECTORS, blank=True)
    duration_minutes = models.PositiveSmallIntegerField("продолжительность, минут")
    grade_min = models.PositiveSmallIntegerField("с класса", default=6)
    grade_max = models.PositiveSmallIntegerField("по класс", default=11)
    safety_notes = models.TextField("требования безопасности")
    is_active = models.BooleanField("в каталоге", default=True)
    created_at = models.DateTimeField("внесён", auto_now_add=True)

    search_fields = ("title", "description")

    class Meta:
        verbose_name = "экскурсионный маршрут"
        verbose_name_plural = "экскурсионные маршруты"
        ordering = ["title"]
        constraints = [
            models.CheckConstraint(condition=Q(grade_min__lte=F("grade_max")), name="route_grades_ordered"),
            models.CheckConstraint(condition=Q(duration_minutes__gte=15, duration_minutes__lte=720), name="route_duration_bounded"),
        ]

    def __str__(self) -> str:
        return self.title


class RouteStop(models.Model):
    route = models.ForeignKey(ExcursionRoute, verbose_name="маршрут", on_delete=models.CASCADE, related_name="stops")
    position = models.PositiveSmallIntegerField("порядок")
    title = models.CharField("остановка", max_length=200)
    description = models.CharField("что там покажут", max_length=500, blank=True)
    minutes = models.PositiveSmallIntegerField("минут", default=15)

    class Meta:
        verbose_name = "остановка маршрута"
        verbose_name_plural = "остановки маршрута"
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.title


# --- offers -----------------------------------------------------------------------------------------------------


class Offer(SearchableModel):
    """A dated offer of a provider: an event of one of the seed's kinds, a professional trial or an excursion."""

    class Kind(models.TextChoices):
        UNIVERSITY_SATURDAY = "university_saturday", "Университетская суббота"
        COLLEGE_SATURDAY = "college_saturday", "Суббота в СПО"
        OPEN_DAY = "open_day", "день открытых дверей"
        PROFESSION_DAY = "profession_day", "день профессии"
        MASTER_CLASS = "master_class", "мастер-класс"
        CONFERENCE = "conference", "конференция"
        REGIONAL_EVENT = "regional_event", "региональное мероприятие «Будущее за нами!»"
        NETWORKING = "networking", "встреча с работодателями"
        PARENT_MEETING = "parent_meeting", "родительское собрание"
        TRIAL = "trial", "профессиональная проба"
        EXCURSION = "excursion", "экскурсия"

    class Status(models.TextChoices):
        DRAFT = "draft", "черновик"
        PUBLISHED = "published", "опубликовано"
        CANCELLED = "cancelled", "отменено"

    kind = models.CharField("вид", max_length=30, choices=Kind.choices)
    title = models.CharField("название", max_length=300)
    description = models.TextField("описание", blank=True)
    provider = models.ForeignKey(Organization, verbose_name="организатор", on_delete=models.PROTECT, related_name="offers")
    starts_at = models.DateTimeField("начало")
    ends_at = models.DateTimeField("окончание")
    place = models.CharField("место проведения", max_length=300, blank=True)
    online_url = models.URLField("ссылка для участия онлайн", blank=True)
    municipality = models.ForeignKey(
        Municipality, verbose_name="муниципалитет", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    sector = models.CharField("отрасль", max_length=30, choices=SECTORS, blank=True)
    professions = models.CharField("профессии", max_length=300, blank=True, help_text="С какими профессиями знакомит, через запятую.")
    competency = models.CharField("компетенция", max_length=200, blank=True)
    route = models.ForeignKey(
        ExcursionRoute, verbose_name="маршрут", on_delete=models.PROTECT, null=True, blank=True, related_name="offers"
    )
    grade_min = models.PositiveSmallIntegerField("с класса", default=6)
    grade_max = models.PositiveSmallIntegerField("по класс", default=11)
    capacity = models.PositiveIntegerField("мест")
    # Confirmed places and places held for someone from the waiting list.
    taken = models.PositiveIntegerField("занято мест", default=0, editable=False)
    hours = models.DecimalField("засчитывается академических часов", **HOURS)
    direction = models.CharField("направление профминимума", max_length=30, choices=Direction.Code.choices)
    status = models.CharField("статус", max_length=12, choices=Status.choices, default=Status.DRAFT)
    cancel_reason = models.CharField("причина отмены", max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="создал", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField("создано", auto_now_add=True)
    updated_at = models.DateTimeField("изменено", auto_now=True)

    search_fields = ("title", "professions", "competency", "place")

    class Meta:
        verbose_name = "предложение"
        verbose_name_plural = "мероприятия, пробы и экскурсии"
        ordering = ["starts_at", "pk"]
        constraints = [
            # The guard of the last resort: however writers race, the table never holds more places than there are.
            models.CheckConstraint(condition=Q(taken__lte=F("capacity")), name="offer_taken_within_capacity"),
            models.CheckConstraint(condition=Q(capacity__gte=1, capacity__lte=5000), name="offer_capacity_bounded"),
            models.CheckConstraint(condition=Q(grade_min__lte=F("grade_max")), name="offer_grades_ordered"),
            models.CheckConstraint(condition=Q(ends_at__gt=F("starts_at")), name="offer_ends_after_start"),
        ]
        indexes = [
            models.Index(fields=["status", "starts_at"], name="offer_status_start"),
            models.Index(fields=["provider", "starts_at"], name="offer_provider_start"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def free(self) -> int:
        return max(0, self.capacity - self.taken)

    @property
    def is_trial(self) -> bool:
        return self.kind == self.Kind.TRIAL

    @property
    def is_excursion(self) -> bool:
        return self.kind == self.Kind.EXCURSION

    @property
    def for_parents(self) -> bool:
        return self.kind == self.Kind.PARENT_MEETING

    @property
    def grades_text(self) -> str:
        """«8 класс», «8–11 классы»."""
        return f"{self.grade_min} класс" if self.grade_min == self.grade_max else f"{self.grade_min}–{self.grade_max} классы"

    @property
    def grades_for(self) -> str:
        """«для 8 класса», «для 8–11 классов»."""
        return f"для {self.grade_min} класса" if self.grade_min == self.grade_max else f"для {self.grade_min}–{self.grade_max} классов"


class GroupSignup(models.Model):
    """A teacher signed up students of their class at once: the confirmed and the waiting are both shown to them."""

    offer = models.ForeignKey(Offer, verbose_name="предложение", on_delete=models.CASCADE, related_name="groups")
    school_class = models.ForeignKey(SchoolClass, verbose_name="класс", on_delete=models.PROTECT, related_name="+")
    teacher = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="педагог", on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField("когда", auto_now_add=True)

    class Meta:
        verbose_name = "запись группы"
        verbose_name_plural = "записи групп"
        ordering = ["-created_at"]


ACTIVE_STATUSES = ("confirmed", "waiting", "offered")


class Registration(models.Model):
    """One person's place on an offer: a student's, or a parent's for a parent meeting."""

    class Status(models.TextChoices):
        CONFIRMED = "confirmed", "место подтверждено"
        WAITING = "waiting", "в листе ожидания"
        OFFERED = "offered", "место предложено — ждёт ответа"
        CANCELLED = "cancelled", "запись отменена"
        EXPIRED = "expired", "предложенное место не подтверждено вовремя"

    offer = models.ForeignKey(Offer, verbose_name="предложение", on_delete=models.CASCADE, related_name="registrations")
    student = models.ForeignKey(
        Student, verbose_name="обучающийся", on_delete=models.CASCADE, null=True, blank=True, related_name="event_registrations"
    )
    parent = models.ForeignKey(
        Person, verbose_name="родитель", on_delete=models.CASCADE, null=True, blank=True, related_name="event_registrations"
    )
    status = models.CharField("статус", max_length=12, choices=Status.choices)
    # The waiting list's order: who asked first.
    queued_at = models.DateTimeField("записан")
    held_until = models.DateTimeField("место держится до", null=True, blank=True)
    group = models.ForeignKey(
        GroupSignup, verbose_name="запись группы", on_delete=models.SET_NULL, null=True, blank=True, related_name="registrations"
    )
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="записал", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    code = models.CharField("короткий код", max_length=CODE_LENGTH, default=new_short_code)
    attended = models.BooleanField("присутствовал", null=True, blank=True)
    attended_at = models.DateTimeField("отмечен", null=True, blank=True)
    marked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="отметил", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    host_note = models.TextField("заметка принимающей стороны", blank=True)
    reminded_at = models.DateTimeField("напомнили", null=True, blank=True)
    created_at = models.DateTimeField("создана", auto_now_add=True)
    changed_at = models.DateTimeField("статус изменён", auto_now=True)

    class Meta:
        verbose_name = "запись"
        verbose_name_plural = "записи"
        ordering = ["queued_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(student__isnull=False) & Q(parent__isnull=True)) | (Q(student__isnull=True) & Q(parent__isnull=False)),
                name="registration_student_or_parent",
            ),
            models.UniqueConstraint(
                fields=["offer", "student"],
                condition=Q(status__in=ACTIVE_STATUSES, student__isnull=False),
                name="one_active_registration_per_student",
            ),
            models.UniqueConstraint(
                fields=["offer", "parent"],
                condition=Q(status__in=ACTIVE_STATUSES, parent__isnull=False),
                name="one_active_registration_per_parent",
            ),
            models.UniqueConstraint(fields=["offer", "code"], name="registration_code_unique_per_offer"),
        ]
        indexes = [
            models.Index(fields=["offer", "status", "queued_at"], name="registration_queue"),
            models.Index(fields=["student", "status"], name="registration_student"),
            models.Index(fields=["status", "held_until"], condition=Q(status="offered"), name="registration_holds"),
        ]

    def __str__(self) -> str:
        return f"{self.offer}: {self.get_status_display()}"

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE_STATUSES

    @property
    def attendee(self) -> Person:
        return self.student.person if self.student_id else self.parent


class Feedback(models.Model):
    """What a student thought of an offer they attended."""

    registration = models.OneToOneField(Registration, verbose_name="запись", on_delete=models.CASCADE, related_name="feedback")
    useful = models.BooleanField("было полезно")
    rating = models.PositiveSmallIntegerField("оценка")
    comment = models.TextField("отзыв", blank=True)
    created_at = models.DateTimeField("оставлен", auto_now_add=True)

    class Meta:
        verbose_name = "отзыв"
        verbose_name_plural = "отзывы"
        constraints = [models.CheckConstraint(condition=Q(rating__gte=1, rating__lte=5), name="feedback_rating_1_to_5")]


class TrialRecord(models.Model):
    """A student's professional trial, wherever it was recorded: marked at the host here, or imported from the
    federal platform's export. The «Билет в будущее» indicators count these rows, whichever their source."""

    class Source(models.TextChoices):
        MARKED = "marked", "отмечена на площадке"
        IMPORTED = "imported", "загружена из выгрузки"

    student = models.ForeignKey(Student, verbose_name="обучающийся", on_delete=models.CASCADE, related_name="trial_records")
    held_on = models.DateField("дата")
    title = models.CharField("проба", max_length=300)
    site = models.ForeignKey(
        Organization, verbose_name="площадка", on_delete=models.PROTECT, null=True, blank=True, related_name="+", db_index=False
    )
    site_name = models.CharField("площадка (как записана)", max_length=300, blank=True)
    # What counts one site once: «org:<id>» for a known organisation, else its folded name.
    site_key = models.CharField(max_length=320)
    # Where the student was that day: the indicators stay attributed there after a transfer.
    school = models.ForeignKey(Organization, verbose_name="школа", on_delete=models.PROTECT, related_name="+", db_index=False)
    municipality = models.ForeignKey(Municipality, verbose_name="муниципалитет", on_delete=models.PROTECT, related_name="+", db_index=False)
    registration = models.OneToOneField(
        Registration, verbose_name="запись", on_delete=models.SET_NULL, null=True, blank=True, related_name="trial_record"
    )
    source = models.CharField("откуда", max_length=10, choices=Source.choices)
    created_at = models.DateTimeField("внесена", auto_now_add=True)

    class Meta:
        verbose_name = "профессиональная проба обучающегося"
        verbose_name_plural = "профессиональные пробы обучающихся"
        ordering = ["held_on", "pk"]
        indexes = [
            models.Index(fields=["held_on", "school"], name="trial_day_school"),
            models.Index(fields=["held_on", "municipality"], name="trial_day_municipality"),
            models.Index(fields=["student", "held_on"], name="trial_student_day"),
        ]


# --- mentors ----------------------------------------------------------------------------------------------------


class Mentor(SearchableModel):
    """A mentor by direction (seed item 4.14). Working with minors needs a certificate of no criminal record:
    only the fact, its date and its expiry are kept, never the certificate; an unvetted mentor is not assigned."""

    class Vetting(models.TextChoices):
        NOT_SUBMITTED = "not_submitted", "справка не представлена"
        CLEARED = "cleared", "справка об отсутствии судимости представлена"
        REFUSED = "refused", "к работе с детьми не допущен"

    person = models.OneToOneField(Person, verbose_name="человек", on_delete=models.PROTECT, related_name="mentor")
    organization = models.ForeignKey(
        Organization, verbose_name="организация", on_delete=models.PROTECT, null=True, blank=True, related_name="mentors"
    )
    sector = models.CharField("направление (отрасль)", max_length=30, choices=SECTORS)
    competencies = models.CharField("в чём помогает", max_length=300, blank=True)
    about = models.TextField("о наставнике", blank=True)
    vetting = models.CharField("проверка", max_length=20, choices=Vetting.choices, default=Vetting.NOT_SUBMITTED)
    record_checked_on = models.DateField("дата справки", null=True, blank=True)
    record_check_expires_on = models.DateField("справка действительна до", null=True, blank=True)
    vetting_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="проверку внёс", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    vetting_recorded_at = models.DateTimeField("проверка внесена", null=True, blank=True)
    is_active = models.BooleanField("работает", default=True)
    created_at = models.DateTimeField("внесён", auto_now_add=True)

    search_fields = ("competencies",)

    class Meta:
        verbose_name = "наставник"
        verbose_name_plural = "наставники"
        ordering = ["person__last_name", "person__first_name"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(vetting="cleared") | (Q(record_checked_on__isnull=False) & Q(record_check_expires_on__isnull=False)),
                name="mentor_cleared_has_dates",
            ),
        ]

    def __str__(self) -> str:
        return self.person.full_name

    def build_search_text(self) -> str:
        from core.search import normalize_search_text

        person = self.person if self.person_id else None
        return normalize_search_text(person.full_name if person else "", self.competencies)

    def is_vetted(self, today: datetime.date) -> bool:
        return (
            self.vetting == self.Vetting.CLEARED
            and self.record_checked_on is not None
            and self.record_check_expires_on is not None
            and self.record_checked_on <= today <= self.record_check_expires_on
        )


class MentorAssignment(models.Model):
    mentor = models.ForeignKey(Mentor, verbose_name="наставник", on_delete=models.PROTECT, related_name="assignments")
    student = models.ForeignKey(Student, verbose_name="наставляемый", on_delete=models.CASCADE, related_name="mentor_assignments")
    started_on = models.DateField("с")
    ended_on = models.DateField("по", null=True, blank=True)
    goal = models.CharField("цель", max_length=300)
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="закрепил", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField("закреплён", auto_now_add=True)

    class Meta:
        verbose_name = "закрепление наставника"
        verbose_name_plural = "закрепления наставников"
        ordering = ["-started_on", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["mentor", "student"], condition=Q(ended_on__isnull=True), name="one_open_mentorship_per_pair"),
        ]


class MentorMeeting(models.Model):
    assignment = models.ForeignKey(MentorAssignment, verbose_name="закрепление", on_delete=models.CASCADE, related_name="meetings")
    held_on = models.DateField("дата встречи")
    minutes = models.PositiveSmallIntegerField("минут")
    topic = models.CharField("тема", max_length=300)
    notes = models.TextField("итоги", blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="внёс", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField("внесена", auto_now_add=True)

    class Meta:
        verbose_name = "встреча с наставником"
        verbose_name_plural = "журнал встреч с наставниками"
        ordering = ["-held_on", "-pk"]
