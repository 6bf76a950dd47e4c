"""The professions catalogue (seed item 3.3), the education programmes of the republic's colleges and universities
with their ОКСО codes, and the additional-education programmes open to grades 6–11 (seed items 2.5, 3.1).

Every profession carries its RIASEC profile with the source of that profile, its Klimov type, the sectors of the
course «Россия — мои горизонты» it belongs to, its typical education paths (ОКСО codes) and the demand for it in
the republic, which an operator sets (the demo's is labelled demonstration data until then). A programme row the
project could not confirm from an official source stays marked «не подтверждено» until an operator confirms it.
Every change an operator makes is a CatalogueChange: its latest id is the catalogue's version, which stored
recommendations are computed against."""

import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from core.models import SearchableModel
from orgs.models import Municipality, Organization

OKSO_PATTERN = re.compile(r"^\d{2}\.\d{2}\.\d{2}$")
RIASEC_LETTERS = "RIASEC"
PROFILE_MIN, PROFILE_MAX = 1, 7  # the O*NET scale of occupational interests


class Sector(models.Model):
    """A sector of the economy as the course «Россия — мои горизонты» groups its industry lessons."""

    code = models.SlugField("код", max_length=40, unique=True)
    title = models.CharField("название", max_length=200)
    summary = models.TextField("что входит", blank=True)
    position = models.PositiveSmallIntegerField("порядок", default=0)

    class Meta:
        verbose_name = "отрасль курса «Россия — мои горизонты»"
        verbose_name_plural = "отрасли курса «Россия — мои горизонты»"
        ordering = ["position", "title"]

    def __str__(self) -> str:
        return self.title


class Subject(models.Model):
    """A school subject: a student names their favourite ones, a profession the ones it leans on."""

    code = models.SlugField("код", max_length=40, unique=True)
    title = models.CharField("название", max_length=100)
    position = models.PositiveSmallIntegerField("порядок", default=0)

    class Meta:
        verbose_name = "учебный предмет"
        verbose_name_plural = "учебные предметы"
        ordering = ["position", "title"]

    def __str__(self) -> str:
        return self.title


class Speciality(SearchableModel):
    """A profession, specialty or field of study of the ОКСО (ОК 009-2016): `XX.YY.ZZ`, YY the level."""

    class Level(models.TextChoices):
        SPO_WORKER = "spo_worker", "СПО — профессия (рабочие, служащие)"
        SPO_SPECIALIST = "spo_specialist", "СПО — специальность (специалисты среднего звена)"
        BACHELOR = "bachelor", "высшее — бакалавриат"
        SPECIALIST = "specialist", "высшее — специалитет"
        MASTER = "master", "высшее — магистратура"

    code = models.CharField("код ОКСО", max_length=8, unique=True)
    title = models.CharField("наименование", max_length=300)
    level = models.CharField("уровень", max_length=20, choices=Level.choices)
    is_current = models.BooleanField("действует", default=True, help_text="Снимите, если код заменён другим.")
    is_confirmed = models.BooleanField("подтверждено", default=False, help_text="Пара «код — наименование» сверена с перечнем.")
    verification = models.CharField("как сверено", max_length=500, blank=True)

    search_fields = ("code", "title")

    class Meta:
        verbose_name = "специальность (направление) по ОКСО"
        verbose_name_plural = "специальности и направления по ОКСО"
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"

    @property
    def is_spo(self) -> bool:
        return self.level in (self.Level.SPO_WORKER, self.Level.SPO_SPECIALIST)

    @property
    def level_short(self) -> str:
        return LEVEL_SHORT[self.level]

    def clean(self) -> None:
        if not OKSO_PATTERN.match(self.code or ""):
            raise ValidationError({"code": "Код ОКСО записывается как 09.02.07: три пары цифр через точку."})
        expected = level_for_code(self.code)
        if expected is None:
            raise ValidationError({"code": "Вторая пара цифр кода ОКСО — уровень: 01, 02, 03, 04 или 05."})
        if self.level and self.level != expected:
            raise ValidationError({"level": f"Код {self.code} — это уровень «{Speciality.Level(expected).label}»."})


LEVEL_BY_DIGITS = {
    "01": Speciality.Level.SPO_WORKER,
    "02": Speciality.Level.SPO_SPECIALIST,
    "03": Speciality.Level.BACHELOR,
    "04": Speciality.Level.MASTER,
    "05": Speciality.Level.SPECIALIST,
}
LEVEL_SHORT = {
    Speciality.Level.SPO_WORKER: "колледж (профессия)",
    Speciality.Level.SPO_SPECIALIST: "колледж (специальность)",
    Speciality.Level.BACHELOR: "вуз (бакалавриат)",
    Speciality.Level.SPECIALIST: "вуз (специалитет)",
    Speciality.Level.MASTER: "вуз (магистратура)",
}


def level_for_code(code: str) -> str | None:
    """The level an ОКСО code names by its second pair of digits, or None for a code that names none."""
    if not OKSO_PATTERN.match(code or ""):
        return None
    return LEVEL_BY_DIGITS.get(code[3:5])


_profile = [MinValueValidator(PROFILE_MIN), MaxValueValidator(PROFILE_MAX)]


class Profession(SearchableModel):
    class Klimov(models.TextChoices):
        NATURE = "nature", "человек — природа"
        TECHNIC = "technic", "человек — техника"
        HUMAN = "human", "человек — человек"
        SIGN = "sign", "человек — знаковая система"
        ART = "art", "человек — художественный образ"

    class Demand(models.TextChoices):
        HIGH = "high", "высокая"
        MEDIUM = "medium", "средняя"
        LOW = "low", "низкая"
        UNKNOWN = "unknown", "не оценена"

    class ProfileSource(models.TextChoices):
        PROJECT = "project", "оценка проекта по структуре профилей интересов O*NET"
        ONET = "onet", "O*NET (лицензия CC BY 4.0)"
        OPERATOR = "operator", "задан оператором каталога"

    code = models.SlugField("код", max_length=60, unique=True)
    title = models.CharField("название", max_length=200)
    summary = models.TextField("чем занимается", help_text="Два-три предложения своими словами: в чём состоит работа.")
    main_sector = models.ForeignKey(Sector, verbose_name="основная отрасль", on_delete=models.PROTECT, related_name="main_professions")
    sectors = models.ManyToManyField(Sector, verbose_name="отрасли", related_name="professions", blank=True)
    subjects = models.ManyToManyField(Subject, verbose_name="на какие предметы опирается", related_name="professions", blank=True)
    # The profile of occupational interests on the O*NET scale, 1 (not at all) to 7 (very much).
    r = models.DecimalField("R — реалистический", max_digits=3, decimal_places=2, validators=_profile)
    i = models.DecimalField("I — исследовательский", max_digits=3, decimal_places=2, validators=_profile)
    a = models.DecimalField("A — артистический", max_digits=3, decimal_places=2, validators=_profile)
    s = models.DecimalField("S — социальный", max_digits=3, decimal_places=2, validators=_profile)
    e = models.DecimalField("E — предприимчивый", max_digits=3, decimal_places=2, validators=_profile)
    c = models.DecimalField("C — конвенциональный", max_digits=3, decimal_places=2, validators=_profile)
    holland_code = models.CharField("код Голланда", max_length=3, editable=False)
    profile_source = models.CharField("источник профиля", max_length=20, choices=ProfileSource.choices, default=ProfileSource.PROJECT)
    profile_source_note = models.CharField(
        "уточнение источника", max_length=300, blank=True, help_text="Например, аналог в O*NET-SOC, по которому оценён профиль."
    )
    klimov = models.CharField("тип по Климову", max_length=20, choices=Klimov.choices)
    specialities = models.ManyToManyField(Speciality, verbose_name="типичные пути обучения", related_name="professions", blank=True)
    paths_note = models.CharField("о путях обучения", max_length=500, blank=True)
    demand = models.CharField("востребованность в республике", max_length=20, choices=Demand.choices, default=Demand.UNKNOWN)
    pay_from = models.PositiveIntegerField("зарплата от, ₽ в месяц", null=True, blank=True)
    pay_to = models.PositiveIntegerField("зарплата до, ₽ в месяц", null=True, blank=True)
    market_is_demo = models.BooleanField("демонстрационные данные", default=False)
    market_source = models.CharField("источник сведений о спросе и зарплате", max_length=300, blank=True)
    market_updated_on = models.DateField("сведения о спросе обновлены", null=True, blank=True)
    market_updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="кто обновил", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    is_active = models.BooleanField("в каталоге", default=True)

    search_fields = ("title", "summary")

    class Meta:
        verbose_name = "профессия"
        verbose_name_plural = "профессии"
        ordering = ["title"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(pay_from__isnull=True) | models.Q(pay_to__isnull=True) | models.Q(pay_to__gte=models.F("pay_from")),
                name="catalog_profession_pay_range",
            )
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def profile(self) -> dict[str, float]:
        return {letter: float(getattr(self, letter.lower())) for letter in RIASEC_LETTERS}

    def save(self, *args, **kwargs):
        from catalog.riasec import holland_code

        self.holland_code = holland_code(self.profile)
        if "update_fields" in kwargs and kwargs["update_fields"] is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "holland_code"}
        super().save(*args, **kwargs)


class Programme(SearchableModel):
    """An education programme of a college or university of the republic: an ОКСО code at an institution."""

    class Form(models.TextChoices):
        FULL_TIME = "full_time", "очная"
        PART_TIME = "part_time", "очно-заочная"
        EXTRAMURAL = "extramural", "заочная"
        UNKNOWN = "", "не указана"

    institution = models.ForeignKey(Organization, verbose_name="организация", on_delete=models.PROTECT, related_name="catalog_programmes")
    speciality = models.ForeignKey(Speciality, verbose_name="код ОКСО", on_delete=models.PROTECT, related_name="programmes")
    title = models.CharField("наименование программы", max_length=300)
    profile = models.CharField("профиль (направленность)", max_length=300, blank=True)
    form = models.CharField("форма обучения", max_length=20, choices=Form.choices, blank=True, default=Form.UNKNOWN)
    url = models.URLField("страница программы", blank=True)
    source = models.CharField("источник", max_length=500, blank=True)
    note = models.TextField("примечание", blank=True)
    is_confirmed = models.BooleanField("подтверждено оператором", default=False)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="кто подтвердил", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    confirmed_on = models.DateField("когда подтверждено", null=True, blank=True)
    is_active = models.BooleanField("ведёт приём", default=True)

    search_fields = ("title", "profile")

    class Meta:
        verbose_name = "образовательная программа"
        verbose_name_plural = "образовательные программы"
        ordering = ["speciality__code", "title"]
        constraints = [
            models.UniqueConstraint(fields=["institution", "speciality", "profile", "form"], name="catalog_programme_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.speciality.code} {self.title} — {self.institution}"


class AdditionalProgramme(SearchableModel):
    """A programme of additional education or of professional training («первая профессия») open to grades 6–11.

    The monitoring of additional-education coverage (seed item 4.8) links students' enrolments to these rows: the
    provider, the municipality where it runs, the direction and sector, the grades and `is_active` are its stable
    fields."""

    class Kind(models.TextChoices):
        ADDITIONAL = "additional", "дополнительная общеобразовательная программа"
        TRAINING = "training", "профессиональное обучение («первая профессия»)"

    class Direction(models.TextChoices):
        TECHNICAL = "technical", "техническая"
        SCIENCE = "science", "естественнонаучная"
        ARTS = "arts", "художественная"
        SOCIAL = "social", "социально-гуманитарная"
        SPORTS = "sports", "физкультурно-спортивная"
        TOURISM = "tourism", "туристско-краеведческая"

    title = models.CharField("название", max_length=300)
    summary = models.TextField("о программе", blank=True)
    provider = models.ForeignKey(Organization, verbose_name="организация", on_delete=models.PROTECT, related_name="additional_programmes")
    municipality = models.ForeignKey(
        Municipality, verbose_name="где проходит", on_delete=models.PROTECT, null=True, blank=True, related_name="additional_programmes",
        help_text="Пусто — для всей республики (в том числе дистанционно).",
    )  # fmt: skip
    kind = models.CharField("вид", max_length=20, choices=Kind.choices, default=Kind.ADDITIONAL)
    direction = models.CharField("направленность", max_length=20, choices=Direction.choices)
    sector = models.ForeignKey(
        Sector, verbose_name="отрасль", on_delete=models.PROTECT, null=True, blank=True, related_name="additional_programmes"
    )
    professions = models.ManyToManyField(
        Profession, verbose_name="к каким профессиям ведёт", related_name="additional_programmes", blank=True
    )
    grade_from = models.PositiveSmallIntegerField("с класса", default=6, validators=[MinValueValidator(1), MaxValueValidator(11)])
    grade_to = models.PositiveSmallIntegerField("по класс", default=11, validators=[MinValueValidator(1), MaxValueValidator(11)])
    schedule = models.CharField("когда занятия", max_length=200, blank=True)
    starts_on = models.DateField("начало занятий (набора)", null=True, blank=True)
    url = models.URLField("страница записи", blank=True)
    is_free = models.BooleanField("бесплатно", default=True)
    source = models.CharField("источник", max_length=300, blank=True)
    is_active = models.BooleanField("действует", default=True)
    updated_at = models.DateTimeField("изменено", auto_now=True)

    search_fields = ("title", "summary")

    class Meta:
        verbose_name = "программа дополнительного образования"
        verbose_name_plural = "программы дополнительного образования"
        ordering = ["title"]
        constraints = [
            models.CheckConstraint(condition=models.Q(grade_from__lte=models.F("grade_to")), name="catalog_additional_grades"),
        ]
        indexes = [models.Index(fields=["is_active", "municipality"])]

    def __str__(self) -> str:
        return self.title

    @property
    def grades_text(self) -> str:
        return f"{self.grade_from}–{self.grade_to} классы" if self.grade_from != self.grade_to else f"{self.grade_from} класс"


class CatalogueChange(models.Model):
    """One change of the catalogue by an operator or an import: the audit trail, and (its latest id) the version
    of the catalogue that recommendations are computed against."""

    at = models.DateTimeField("когда", auto_now_add=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="кто", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    what = models.CharField("что изменено", max_length=300)

    class Meta:
        verbose_name = "изменение каталога"
        verbose_name_plural = "изменения каталога"
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return self.what
