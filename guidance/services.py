"""Writes of guidance: recomputing a student's recommendations (one, or every student with results at once), stated
preferences, «не подходит», and the trajectory with its goals, steps, the teacher-navigator's comment and confirmation.

Recommendations are stored with the fingerprint (`basis`) of what they were computed from; `recommendations_ensure`
returns the stored rows while the fingerprint holds and recomputes otherwise, and the background task
(guidance.tasks) recomputes a student's as soon as a result is finished or withdrawn (diagnostics.signals)."""

import datetime
import hashlib
from dataclasses import dataclass
from typing import NamedTuple

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.utils import timezone

from access.policy import viewer_for
from catalog.models import Profession, Programme, Sector, Speciality, Subject
from core.bulk import insert_model_rows
from diagnostics import policy as diagnostics_policy
from diagnostics.selectors import InterestProfile, student_interest_profiles
from guidance.catalogue import Catalogue, catalogue_current
from guidance.models import Dismissal, Goal, Preference, Recommendation, Step, Trajectory
from guidance.ranking import rank
from people.models import Student
from privacy.policy import GUIDANCE, Answer, may_process

MAX_GOALS = 3
MAX_STEPS = 5
_CHUNK = 1000
FIELDS = ("student_id", "profession_id", "rank", "score", "correlation", "iachan", "brown_gore", "reason", "basis", "computed_at")


# --- recommendations ----------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Inputs:
    profile: InterestProfile
    sector_ids: tuple[int, ...]
    subject_ids: tuple[int, ...]
    dismissed: tuple[int, ...]


def _basis(inputs: _Inputs, catalogue: Catalogue) -> str:
    parts = (
        sorted(inputs.profile.attempt_ids.items()), inputs.sector_ids, inputs.subject_ids, inputs.dismissed, catalogue.stamp,
    )  # fmt: skip
    return hashlib.sha256(repr(parts).encode()).hexdigest()[:32]


def _inputs(student_ids: list[int]) -> dict[int, _Inputs]:
    profiles = student_interest_profiles(student_ids=student_ids)
    if not profiles:
        return {}
    ids = list(profiles)
    sectors: dict[int, list[int]] = {}
    subjects: dict[int, list[int]] = {}
    for student_id, sector_id in Preference.sectors.through.objects.filter(preference__student_id__in=ids).values_list(
        "preference__student_id", "sector_id"
    ):
        sectors.setdefault(student_id, []).append(sector_id)
    for student_id, subject_id in Preference.subjects.through.objects.filter(preference__student_id__in=ids).values_list(
        "preference__student_id", "subject_id"
    ):
        subjects.setdefault(student_id, []).append(subject_id)
    dismissed: dict[int, list[int]] = {}
    for student_id, profession_id in Dismissal.objects.filter(student_id__in=ids).values_list("student_id", "profession_id"):
        dismissed.setdefault(student_id, []).append(profession_id)
    return {
        pk: _Inputs(profile, tuple(sorted(sectors.get(pk, ()))), tuple(sorted(subjects.get(pk, ()))), tuple(sorted(dismissed.get(pk, ()))))
        for pk, profile in profiles.items()
    }


class Row(NamedTuple):
    """A recommendation as computed, before it is stored (the columns of Recommendation, FIELDS' order)."""

    student_id: int
    profession_id: int
    rank: int
    score: float
    correlation: float
    iachan: int
    brown_gore: int
    reason: str
    basis: str


def _rows(student_id: int, inputs: _Inputs, catalogue: Catalogue) -> list[Row]:
    basis = _basis(inputs, catalogue)
    ranked = rank(
        riasec=inputs.profile.riasec, klimov=inputs.profile.klimov, professions=catalogue.prepared, sector_ids=inputs.sector_ids,
        subject_ids=inputs.subject_ids, dismissed=inputs.dismissed, subject_titles=catalogue.subject_titles,
    )  # fmt: skip
    return [
        Row(student_id, r.profession.id, place, r.score, r.correlation, r.iachan, r.brown_gore, r.reason, basis)
        for place, r in enumerate(ranked, start=1)
    ]


def recommendations_refresh(*, student_id: int) -> list[Row]:
    """Recompute one student's recommendations from their latest reliable results (none without them)."""
    return recommendations_refresh_many(student_ids=[student_id]).get(student_id, [])


def recommendations_refresh_many(*, student_ids) -> dict[int, list[Row]]:
    """Recompute the recommendations of many students, a chunk at a time (a handful of queries per chunk)."""
    catalogue = catalogue_current()
    ids = sorted(set(student_ids))
    result: dict[int, list[Recommendation]] = {}
    for start in range(0, len(ids), _CHUNK):
        chunk = ids[start : start + _CHUNK]
        inputs = _inputs(chunk)
        now = timezone.now()
        rows = {pk: _rows(pk, inputs[pk], catalogue) for pk in chunk if pk in inputs}
        stamp = connection.ops.adapt_datetimefield_value(now)
        with transaction.atomic():
            Recommendation.objects.filter(student_id__in=chunk).delete()
            insert_model_rows(
                Recommendation, FIELDS,
                ((*row, stamp) for student_rows in rows.values() for row in student_rows),
            )  # fmt: skip
        result.update(rows)
    return result


def recommendations_refresh_all() -> int:
    """Every student with a reliable RIASEC result (after a change of the catalogue); returns how many."""
    from diagnostics.selectors import reliable_results

    ids = sorted(set(reliable_results().filter(version__instrument__profile="riasec").values_list("student_id", flat=True)))
    recommendations_refresh_many(student_ids=ids)
    return len(ids)


def recommendations_ensure(*, student: Student) -> list[Recommendation]:
    """The student's stored recommendations if computed from today's inputs, else recomputed now."""
    stored = list(Recommendation.objects.filter(student=student).select_related("profession").order_by("rank"))
    inputs = _inputs([student.pk]).get(student.pk)
    if inputs is None:
        if stored:
            Recommendation.objects.filter(student=student).delete()
        return []
    if stored and stored[0].basis == _basis(inputs, catalogue_current()):
        return stored
    recommendations_refresh(student_id=student.pk)
    return list(Recommendation.objects.filter(student=student).select_related("profession").order_by("rank"))


# --- what the student says ------------------------------------------------------------------------------------------------


def _own(user, student: Student) -> None:
    if viewer_for(user).own_student_id != student.pk:
        raise PermissionDenied


@transaction.atomic
def preference_save(*, user, student: Student, sectors, subjects) -> Preference:
    """The sectors and favourite subjects the student chose (the next ranking uses them)."""
    _own(user, student)
    sectors, subjects = list(sectors), list(subjects)
    if len(sectors) > 9 or len(subjects) > 6:
        raise ValidationError("Отметьте не больше девяти отраслей и шести предметов.")
    preference, _ = Preference.objects.get_or_create(student=student)
    preference.sectors.set([s.pk if isinstance(s, Sector) else s for s in sectors])
    preference.subjects.set([s.pk if isinstance(s, Subject) else s for s in subjects])
    preference.save()
    return preference


@transaction.atomic
def recommendation_dismiss(*, user, student: Student, profession: Profession, reason: str, note: str = "") -> Dismissal:
    """The student says a profession does not fit, and why: the next ranking leaves it out."""
    _own(user, student)
    if reason not in Dismissal.Reason.values:
        raise ValidationError({"reason": "Выберите, почему профессия не подходит."})
    note = (note or "").strip()
    if len(note) > 300:
        raise ValidationError({"note": "Пояснение — не длиннее 300 символов."})
    if reason == Dismissal.Reason.OTHER and not note:
        raise ValidationError({"note": "Напишите коротко, почему профессия не подходит."})
    dismissal, _ = Dismissal.objects.update_or_create(student=student, profession=profession, defaults={"reason": reason, "note": note})
    return dismissal


@transaction.atomic
def dismissal_undo(*, user, student: Student, profession: Profession) -> None:
    _own(user, student)
    Dismissal.objects.filter(student=student, profession=profession).delete()


# --- the trajectory ---------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class GoalInput:
    kind: str
    profession: Profession
    why: str
    steps: list[tuple[str, datetime.date]]
    programme: Programme | None = None
    speciality: Speciality | None = None


def trajectory_save(*, user, student: Student, goals: list[GoalInput]) -> Trajectory:
    """The student's goals: exactly one main goal and at least one backup (another profession or another way to it), each
    with why and at least one dated step. Saving a change asks the teacher-navigator to confirm it again."""
    _own(user, student)
    consent = may_process(student=student, purpose=GUIDANCE)
    if consent != Answer.YES:
        raise ValidationError(
            "Согласие на профориентационное сопровождение отозвано: траекторию сохранить нельзя."
            if consent == Answer.NO
            else "Чтобы сохранить траекторию, нужно согласие на профориентационное сопровождение."
        )
    errors: list[str] = []
    mains = [g for g in goals if g.kind == Goal.Kind.MAIN]
    backups = [g for g in goals if g.kind == Goal.Kind.BACKUP]
    if len(mains) != 1:
        errors.append("Выберите одну основную цель.")
    if not backups:
        errors.append("Добавьте хотя бы один запасной вариант: профессию или другой путь обучения.")
    if len(goals) > MAX_GOALS:
        errors.append(f"Целей — не больше {MAX_GOALS}.")
    seen = set()
    today = timezone.localdate()
    for index, goal in enumerate(goals, start=1):
        label = "Основная цель" if goal.kind == Goal.Kind.MAIN else f"Запасной вариант {index - 1}"
        key = (goal.profession.pk, goal.programme.pk if goal.programme else None, goal.speciality.pk if goal.speciality else None)
        if key in seen:
            errors.append(f"{label}: совпадает с другой целью — запасной вариант должен быть другой профессией или другим путём.")
        seen.add(key)
        if not goal.why.strip():
            errors.append(f"{label}: напишите, почему вы выбрали эту цель.")
        elif len(goal.why) > 500:
            errors.append(f"{label}: «почему» — не длиннее 500 символов.")
        if not goal.steps:
            errors.append(f"{label}: добавьте хотя бы один шаг с датой.")
        if len(goal.steps) > MAX_STEPS:
            errors.append(f"{label}: шагов — не больше {MAX_STEPS}.")
        for title, due_on in goal.steps:
            if not title.strip() or len(title) > 200:
                errors.append(f"{label}: у шага должно быть название до 200 символов.")
            if due_on < today - datetime.timedelta(days=366) or due_on > today + datetime.timedelta(days=366 * 10):
                errors.append(f"{label}, шаг «{title[:40]}»: дата — в пределах десяти лет от сегодняшнего дня.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        trajectory, _ = Trajectory.objects.select_for_update().get_or_create(student=student, defaults={"updated_at": timezone.now()})
        trajectory.goals.all().delete()
        for position, goal in enumerate(sorted(goals, key=lambda g: g.kind != Goal.Kind.MAIN)):
            row = Goal.objects.create(
                trajectory=trajectory, kind=goal.kind, position=position, profession=goal.profession, programme=goal.programme,
                speciality=goal.speciality or (goal.programme.speciality if goal.programme else None), why=goal.why.strip(),
            )  # fmt: skip
            Step.objects.bulk_create([Step(goal=row, title=title.strip(), due_on=due_on) for title, due_on in goal.steps])
        trajectory.updated_at = timezone.now()
        trajectory.confirmed_at = trajectory.confirmed_by = None
        trajectory.save()
    return trajectory


def may_review(viewer, student: Student) -> bool:
    """The teacher-navigator of the student's class (or the school's psychologist) comments on and confirms it."""
    return diagnostics_policy.results_ground(viewer, student) in {diagnostics_policy.NAVIGATOR, diagnostics_policy.PSYCHOLOGIST}


@transaction.atomic
def trajectory_review(*, user, student: Student, comment: str, confirm: bool) -> Trajectory:
    if not may_review(viewer_for(user), student):
        raise PermissionDenied
    trajectory = Trajectory.objects.select_for_update().filter(student=student).first()
    if trajectory is None:
        raise ValidationError("Обучающийся ещё не составил траекторию.")
    comment = (comment or "").strip()
    if len(comment) > 2000:
        raise ValidationError({"comment": "Комментарий — не длиннее 2000 символов."})
    if confirm and not trajectory.has_backup:
        raise ValidationError("Подтвердить можно траекторию с запасным вариантом.")
    trajectory.comment, trajectory.commented_by = comment, user
    if confirm:
        trajectory.confirmed_at, trajectory.confirmed_by = timezone.now(), user
    trajectory.save(update_fields=["comment", "commented_by", "confirmed_at", "confirmed_by"])
    return trajectory
