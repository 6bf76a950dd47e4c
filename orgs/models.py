"""The regional network: municipalities, organisations of every kind, school years and classes."""

from django.core.exceptions import ValidationError
from django.db import models

from core.models import SearchableModel


class Municipality(SearchableModel):
    class Kind(models.TextChoices):
        CITY = "city", "городской округ"
        DISTRICT = "district", "муниципальный район"

    name = models.CharField("название", max_length=200, unique=True)
    kind = models.CharField("вид", max_length=20, choices=Kind.choices)
    code = models.CharField("код", max_length=20, unique=True)

    search_fields = ("name",)

    class Meta:
        verbose_name = "муниципалитет"
        verbose_name_plural = "муниципалитеты"
        ordering = ["kind", "name"]

    def __str__(self) -> str:
        return self.name


class Organization(SearchableModel):
    class Kind(models.TextChoices):
        MINISTRY = "ministry", "министерство"
        REGIONAL_OPERATOR = "regional_operator", "региональный оператор (ЦОПП)"
        MUNICIPAL_DEPARTMENT = "municipal_department", "муниципальный орган управления образованием"
        SCHOOL = "school", "общеобразовательная организация"
        COLLEGE = "college", "профессиональная образовательная организация (СПО)"
        UNIVERSITY = "university", "образовательная организация высшего образования"
        ADDITIONAL_EDUCATION = "additional_education", "организация дополнительного образования"
        EMPLOYER = "employer", "работодатель"
        OTHER = "other", "иная организация"

    name = models.CharField("полное название", max_length=500)
    short_name = models.CharField("краткое название", max_length=200)
    kind = models.CharField("тип", max_length=30, choices=Kind.choices, db_index=True)
    # Republic-level bodies (ministry, ЦОПП, universities) may have no municipality.
    municipality = models.ForeignKey(
        Municipality, verbose_name="муниципалитет", on_delete=models.PROTECT, null=True, blank=True,
        related_name="organizations",
    )  # fmt: skip
    inn = models.CharField("ИНН", max_length=12, blank=True)
    address = models.CharField("адрес", max_length=500, blank=True)
    website = models.URLField("сайт", blank=True)
    is_active = models.BooleanField("действует", default=True)

    search_fields = ("name", "short_name", "address")

    class Meta:
        verbose_name = "организация"
        verbose_name_plural = "организации"
        ordering = ["short_name"]
        indexes = [models.Index(fields=["municipality", "kind"])]

    def __str__(self) -> str:
        return self.short_name

    @property
    def is_school(self) -> bool:
        return self.kind == self.Kind.SCHOOL


class SchoolYear(models.Model):
    title = models.CharField("учебный год", max_length=9, unique=True, help_text="например, 2025/2026")
    starts_on = models.DateField("начало")
    ends_on = models.DateField("окончание")
    is_current = models.BooleanField("текущий", default=False)

    class Meta:
        verbose_name = "учебный год"
        verbose_name_plural = "учебные годы"
        ordering = ["-starts_on"]
        constraints = [
            models.UniqueConstraint(fields=["is_current"], condition=models.Q(is_current=True), name="one_current_school_year"),
            models.CheckConstraint(condition=models.Q(ends_on__gt=models.F("starts_on")), name="school_year_ends_after_start"),
        ]  # fmt: skip

    def __str__(self) -> str:
        return self.title


class SchoolClass(SearchableModel):
    class Kind(models.TextChoices):
        GENERAL = "general", "общеобразовательный"
        PRE_PROFILE = "pre_profile", "предпрофильный"
        PROFILE = "profile", "профильный"

    school = models.ForeignKey(
        Organization, verbose_name="школа", on_delete=models.PROTECT, related_name="classes",
        limit_choices_to={"kind": Organization.Kind.SCHOOL},
    )  # fmt: skip
    school_year = models.ForeignKey(SchoolYear, verbose_name="учебный год", on_delete=models.PROTECT, related_name="classes")
    grade = models.PositiveSmallIntegerField("параллель")
    letter = models.CharField("литера", max_length=3)
    kind = models.CharField("вид", max_length=20, choices=Kind.choices, default=Kind.GENERAL)
    profile = models.CharField("профиль", max_length=100, blank=True)

    search_fields = ("name", "profile")

    class Meta:
        verbose_name = "класс"
        verbose_name_plural = "классы"
        ordering = ["grade", "letter"]
        constraints = [
            models.UniqueConstraint(fields=["school", "school_year", "grade", "letter"], name="unique_class_per_school_year"),
            models.CheckConstraint(condition=models.Q(grade__gte=1, grade__lte=11), name="class_grade_1_to_11"),
        ]  # fmt: skip
        indexes = [models.Index(fields=["school_year", "school"])]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return f"{self.grade} «{self.letter}»"

    def clean(self) -> None:
        if self.school_id and self.school.kind != Organization.Kind.SCHOOL:
            raise ValidationError({"school": "Классы бывают только у общеобразовательных организаций."})
