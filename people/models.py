"""People: students with their class history, parents, and staff holding roles in organisations."""

from django.conf import settings
from django.db import models

from core.models import SearchableModel
from orgs.models import Organization, SchoolClass


class Role(models.TextChoices):
    """Roles a person holds in an organisation. Student and parent are not memberships: they follow from
    the Student record and the ParentLink."""

    MINISTRY_ADMIN = "ministry_admin", "администратор министерства"
    MINISTRY_ANALYST = "ministry_analyst", "аналитик министерства"
    OPERATOR_STAFF = "operator_staff", "сотрудник регионального оператора (ЦОПП)"
    MUNICIPAL_COORDINATOR = "municipal_coordinator", "муниципальный координатор"
    SCHOOL_COORDINATOR = "school_coordinator", "школьный координатор профминимума"
    TEACHER_NAVIGATOR = "teacher_navigator", "педагог-навигатор"
    CLASS_TEACHER = "class_teacher", "классный руководитель"
    PSYCHOLOGIST = "psychologist", "педагог-психолог"
    PARTNER_REPRESENTATIVE = "partner_representative", "представитель партнёра"
    JURY_EXPERT = "jury_expert", "эксперт жюри"


class Person(SearchableModel):
    last_name = models.CharField("фамилия", max_length=100)
    first_name = models.CharField("имя", max_length=100)
    middle_name = models.CharField("отчество", max_length=100, blank=True)
    birth_date = models.DateField("дата рождения", null=True, blank=True)
    email = models.EmailField("e-mail", blank=True)
    phone = models.CharField("телефон", max_length=30, blank=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, verbose_name="учётная запись", on_delete=models.SET_NULL, null=True, blank=True,
        related_name="person",
    )  # fmt: skip

    search_fields = ("last_name", "first_name", "middle_name")

    class Meta:
        verbose_name = "человек"
        verbose_name_plural = "люди"
        ordering = ["last_name", "first_name", "middle_name"]

    def __str__(self) -> str:
        return self.full_name

    def save(self, *args, **kwargs):
        adding = self._state.adding
        super().save(*args, **kwargs)
        update_fields = kwargs.get("update_fields")
        if not adding and (update_fields is None or set(update_fields) & set(self.search_fields)):
            # A student row keeps a copy of its person's search text (see Student).
            Student.objects.filter(person_id=self.pk).exclude(search_text=self.search_text).update(search_text=self.search_text)

    @property
    def full_name(self) -> str:
        return " ".join(part for part in (self.last_name, self.first_name, self.middle_name) if part)

    @property
    def short_name(self) -> str:
        initials = "".join(f"{part[0]}." for part in (self.first_name, self.middle_name) if part)
        return f"{self.last_name} {initials}".strip()


class Student(SearchableModel):
    """A student. `search_text` is a copy of the person's: student search then reads student rows alone, narrowed
    by the current placement on the same row, with one trigram index on PostgreSQL (people/migrations/0002)."""

    person = models.OneToOneField(Person, verbose_name="человек", on_delete=models.PROTECT, related_name="student")
    # The current placement is kept beside the history so that scoping a query costs one indexed filter.
    current_school = models.ForeignKey(
        Organization, verbose_name="школа", on_delete=models.PROTECT, null=True, blank=True, related_name="students",
    )  # fmt: skip
    current_class = models.ForeignKey(
        SchoolClass, verbose_name="класс", on_delete=models.PROTECT, null=True, blank=True, related_name="students",
    )  # fmt: skip
    has_disabilities = models.BooleanField("ОВЗ", default=False)

    class Meta:
        verbose_name = "обучающийся"
        verbose_name_plural = "обучающиеся"
        # Student search reads a page of common names in name order from this index (the trigram index of
        # migration 0002 serves rare ones).
        indexes = [models.Index(fields=["search_text", "id"], name="people_student_search_order")]

    def __str__(self) -> str:
        return self.person.full_name

    def build_search_text(self) -> str:
        # Person.save keeps the copy current, so a save that did not load the person keeps it as it is.
        if self.search_text and not Student.person.is_cached(self):
            return self.search_text
        return self.person.build_search_text()


class Enrollment(models.Model):
    """A student's stay in one class; the history across classes, schools and years."""

    student = models.ForeignKey(Student, verbose_name="обучающийся", on_delete=models.CASCADE, related_name="enrollments")
    school_class = models.ForeignKey(SchoolClass, verbose_name="класс", on_delete=models.PROTECT, related_name="enrollments")
    started_on = models.DateField("с")
    ended_on = models.DateField("по", null=True, blank=True)

    class Meta:
        verbose_name = "зачисление в класс"
        verbose_name_plural = "история классов"
        ordering = ["started_on"]
        constraints = [
            models.UniqueConstraint(fields=["student"], condition=models.Q(ended_on__isnull=True), name="one_open_enrollment_per_student"),
        ]  # fmt: skip

    def __str__(self) -> str:
        return f"{self.student} — {self.school_class}"


class ParentLink(models.Model):
    class Kind(models.TextChoices):
        MOTHER = "mother", "мать"
        FATHER = "father", "отец"
        GUARDIAN = "guardian", "законный представитель"

    parent = models.ForeignKey(Person, verbose_name="родитель", on_delete=models.CASCADE, related_name="children_links")
    student = models.ForeignKey(Student, verbose_name="ребёнок", on_delete=models.CASCADE, related_name="parent_links")
    kind = models.CharField("кем приходится", max_length=20, choices=Kind.choices)

    class Meta:
        verbose_name = "родитель"
        verbose_name_plural = "родители"
        constraints = [models.UniqueConstraint(fields=["parent", "student"], name="unique_parent_link")]

    def __str__(self) -> str:
        return f"{self.parent} ({self.get_kind_display()}) — {self.student}"


class StaffMembership(models.Model):
    """A person holds a role in an organisation; one person may hold several."""

    person = models.ForeignKey(Person, verbose_name="человек", on_delete=models.CASCADE, related_name="memberships")
    organization = models.ForeignKey(
        Organization, verbose_name="организация", on_delete=models.CASCADE, related_name="memberships",
    )  # fmt: skip
    role = models.CharField("роль", max_length=40, choices=Role.choices)
    is_active = models.BooleanField("действует", default=True)

    class Meta:
        verbose_name = "должность (роль)"
        verbose_name_plural = "должности (роли)"
        constraints = [models.UniqueConstraint(fields=["person", "organization", "role"], name="unique_membership")]
        indexes = [models.Index(fields=["organization", "role"])]

    def __str__(self) -> str:
        return f"{self.person}: {self.get_role_display()}, {self.organization}"


class ClassAssignment(models.Model):
    """A teacher's own classes: the class teacher and the teacher-navigator who accompanies it."""

    class Kind(models.TextChoices):
        CLASS_TEACHER = "class_teacher", "классный руководитель"
        NAVIGATOR = "navigator", "педагог-навигатор"

    school_class = models.ForeignKey(SchoolClass, verbose_name="класс", on_delete=models.CASCADE, related_name="assignments")
    person = models.ForeignKey(Person, verbose_name="педагог", on_delete=models.CASCADE, related_name="class_assignments")
    kind = models.CharField("в качестве", max_length=20, choices=Kind.choices)

    class Meta:
        verbose_name = "закрепление за классом"
        verbose_name_plural = "закрепления за классами"
        constraints = [models.UniqueConstraint(fields=["school_class", "person", "kind"], name="unique_class_assignment")]

    def __str__(self) -> str:
        return f"{self.person} — {self.school_class} ({self.get_kind_display()})"
