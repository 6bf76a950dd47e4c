"""Guidance: a student's stated preferences, the professions recommended to them (stored, recomputed when their results,
preferences or the catalogue change), the recommendations they said do not fit, and their individual trajectory — a
main goal and at least one backup, each a profession with an education path and dated steps, commented on and
confirmed by the teacher-navigator."""

from django.conf import settings
from django.db import models

from catalog.models import Profession, Programme, Sector, Speciality, Subject
from people.models import Student


class Preference(models.Model):
    """What the student said they like: sectors of «Россия — мои горизонты» and favourite school subjects."""

    student = models.OneToOneField(Student, verbose_name="обучающийся", on_delete=models.CASCADE, related_name="guidance_preference")
    sectors = models.ManyToManyField(Sector, verbose_name="интересные отрасли", blank=True, related_name="+")
    subjects = models.ManyToManyField(Subject, verbose_name="любимые предметы", blank=True, related_name="+")
    updated_at = models.DateTimeField("изменено", auto_now=True)

    class Meta:
        verbose_name = "предпочтения обучающегося"
        verbose_name_plural = "предпочтения обучающихся"


class Dismissal(models.Model):
    """The student said a recommended profession does not fit them, and why: the next ranking leaves it out."""

    class Reason(models.TextChoices):
        NOT_INTERESTED = "not_interested", "неинтересно"
        TRIED = "tried", "пробовал(а), не понравилось"
        HEALTH = "health", "не подходит по здоровью"
        FAR = "far", "негде учиться рядом"
        OTHER = "other", "другое"

    student = models.ForeignKey(Student, verbose_name="обучающийся", on_delete=models.CASCADE, related_name="guidance_dismissals")
    profession = models.ForeignKey(Profession, verbose_name="профессия", on_delete=models.CASCADE, related_name="+")
    reason = models.CharField("почему не подходит", max_length=20, choices=Reason.choices)
    note = models.CharField("пояснение", max_length=300, blank=True)
    at = models.DateTimeField("когда", auto_now_add=True)

    class Meta:
        verbose_name = "«не подходит»"
        verbose_name_plural = "«не подходит»: отметки"
        constraints = [models.UniqueConstraint(fields=["student", "profession"], name="guidance_one_dismissal")]


class Recommendation(models.Model):
    """A profession recommended to a student, at its place in the ranking, with the figures behind it and the reason shown.
    `basis` is the fingerprint of what the ranking was computed from (results, preferences, «не подходит», the
    catalogue): rows of another basis are stale and are recomputed."""

    student = models.ForeignKey(Student, verbose_name="обучающийся", on_delete=models.CASCADE, related_name="recommendations")
    profession = models.ForeignKey(Profession, verbose_name="профессия", on_delete=models.CASCADE, related_name="+")
    rank = models.PositiveSmallIntegerField("место")
    score = models.FloatField("итоговая оценка")
    correlation = models.FloatField("корреляция профилей")
    iachan = models.PositiveSmallIntegerField("индекс Иачана (0–28)")
    brown_gore = models.PositiveSmallIntegerField("индекс Брауна — Гора (0–18)")
    reason = models.CharField("почему", max_length=500)
    basis = models.CharField("основание расчёта", max_length=64)
    computed_at = models.DateTimeField("рассчитано")

    class Meta:
        verbose_name = "рекомендация"
        verbose_name_plural = "рекомендации"
        ordering = ["student", "rank"]
        constraints = [models.UniqueConstraint(fields=["student", "rank"], name="guidance_one_rank")]


class Trajectory(models.Model):
    """A student's individual trajectory: its goals (a main one and backups), the teacher-navigator's comment and
    confirmation. A change of the goals after confirmation asks for confirmation again."""

    student = models.OneToOneField(Student, verbose_name="обучающийся", on_delete=models.CASCADE, related_name="trajectory")
    updated_at = models.DateTimeField("изменена")
    comment = models.TextField("комментарий педагога-навигатора", blank=True)
    commented_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="прокомментировал", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    confirmed_at = models.DateTimeField("подтверждена", null=True, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="подтвердил", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = "индивидуальная траектория"
        verbose_name_plural = "индивидуальные траектории"

    @property
    def has_backup(self) -> bool:
        return any(goal.kind == Goal.Kind.BACKUP for goal in self.goals.all())


class Goal(models.Model):
    """A goal of the trajectory: a profession and the way to it (a programme of a college or university, or an ОКСО code),
    why the student chose it, and dated steps."""

    class Kind(models.TextChoices):
        MAIN = "main", "основная цель"
        BACKUP = "backup", "запасной вариант"

    trajectory = models.ForeignKey(Trajectory, verbose_name="траектория", on_delete=models.CASCADE, related_name="goals")
    kind = models.CharField("что это", max_length=10, choices=Kind.choices)
    position = models.PositiveSmallIntegerField("порядок", default=0)
    profession = models.ForeignKey(Profession, verbose_name="профессия", on_delete=models.PROTECT, related_name="+")
    programme = models.ForeignKey(
        Programme, verbose_name="программа обучения", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    speciality = models.ForeignKey(Speciality, verbose_name="код ОКСО", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    why = models.CharField("почему этот выбор", max_length=500)

    class Meta:
        verbose_name = "цель траектории"
        verbose_name_plural = "цели траектории"
        ordering = ["trajectory", "position"]


class Step(models.Model):
    """A step toward a goal with its date («сдать ОГЭ по химии — июнь»)."""

    goal = models.ForeignKey(Goal, verbose_name="цель", on_delete=models.CASCADE, related_name="steps")
    title = models.CharField("шаг", max_length=200)
    due_on = models.DateField("к какому дню")
    done = models.BooleanField("сделано", default=False)

    class Meta:
        verbose_name = "шаг траектории"
        verbose_name_plural = "шаги траектории"
        ordering = ["goal", "due_on", "pk"]
