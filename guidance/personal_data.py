"""What guidance holds about a student, for the family's page, the export and erasure (privacy.registry): stated
preferences, «не подходит» with its reasons, the recommendations computed and the trajectory. None of it is a figure a
report needs: an erasure deletes it all."""

from core.formatting import date_text
from diagnostics.policy import results_ground
from guidance.models import Dismissal, Goal, Preference, Recommendation, Trajectory
from guidance.selectors import trajectory_of
from privacy.registry import DELETED, Section, SectionTable, personal_data


@personal_data.holder("guidance", order=61)
def held(student, *, full: bool) -> Section:
    goals = list(Goal.objects.filter(trajectory__student=student).select_related("profession").prefetch_related("steps"))
    section = Section(
        "guidance",
        "Рекомендации и траектория",
        facts=[
            ("Рекомендованных профессий", str(Recommendation.objects.filter(student=student).count())),
            ("Отмечено «не подходит»", str(Dismissal.objects.filter(student=student).count())),
            ("Целей траектории", str(len(goals))),
        ],
    )
    if full:
        section.tables = [
            SectionTable(
                "Траектория",
                ["Цель", "Профессия", "Почему", "Шаги"],
                [[g.get_kind_display(), g.profession.title, g.why, "; ".join(f"{s.title} — {date_text(s.due_on)}" for s in g.steps.all())] for g in goals],
            )
        ]  # fmt: skip
        section.data = [
            {
                "kind": g.kind,
                "profession": g.profession.code,
                "why": g.why,
                "steps": [[s.title, s.due_on.isoformat()] for s in g.steps.all()],
            }
            for g in goals
        ]
    return section


@personal_data.eraser("guidance", order=61)
def erase(student, act) -> None:
    for what, model in (
        ("Траектория", Trajectory),
        ("Рекомендации", Recommendation),
        ("Отметки «не подходит»", Dismissal),
        ("Предпочтения", Preference),
    ):
        count, _ = model.objects.filter(student=student).delete()
        act.add(what, model, count, DELETED)


TRAJECTORY_HIDDEN = "Траекторию видят сам обучающийся, родители (если ребёнок согласен), психолог школы и педагог-навигатор класса."


@personal_data.record("guidance", order=61)
def record(student, *, viewer) -> Section:
    """The trajectory of the student's record: its goals with the way to each and the dated steps, and whether a
    teacher-navigator or psychologist confirmed it — to those who see it on the guidance page (the results' ground)."""
    if results_ground(viewer, student) is None:
        return Section("trajectory", "Траектория", facts=[("Траектория", TRAJECTORY_HIDDEN)], data={"shown": False, "goals": []})
    trajectory = trajectory_of(student)
    goals = list(trajectory.goals.all()) if trajectory else []
    confirmed = trajectory.confirmed_at if trajectory else None
    steps = [(goal, step) for goal in goals for step in goal.steps.all()]
    return Section(
        "trajectory",
        "Траектория",
        facts=[
            ("Целей", str(len(goals))),
            ("Шагов сделано", f"{sum(step.done for _, step in steps)} из {len(steps)}"),
            ("Подтверждена", date_text(confirmed) if confirmed else "нет"),
        ],
        tables=[
            SectionTable("Цели", ["Цель", "Профессия", "Где учиться", "Почему"],
                         [[g.get_kind_display(), g.profession.title, _way(g), g.why] for g in goals]),
            SectionTable("Шаги", ["Профессия", "Шаг", "К какому дню", "Сделано"],
                         [[g.profession.title, s.title, date_text(s.due_on), "да" if s.done else "нет"] for g, s in steps]),
        ],
        data={
            "shown": True,
            "confirmed_at": confirmed.isoformat() if confirmed else None,
            "goals": [
                {"kind": g.kind, "profession": g.profession.title, "profession_code": g.profession.code,
                 "okso": g.speciality.code if g.speciality_id else (g.programme.speciality.code if g.programme_id else None),
                 "programme": g.programme.title if g.programme_id else None,
                 "institution": g.programme.institution.short_name if g.programme_id else None, "why": g.why,
                 "steps": [{"title": s.title, "due_on": s.due_on.isoformat(), "done": s.done} for s in g.steps.all()]}
                for g in goals
            ],
        },
    )  # fmt: skip


def _way(goal) -> str:
    if goal.programme_id:
        return f"{goal.programme.speciality.code} «{goal.programme.title}», {goal.programme.institution.short_name}"
    if goal.speciality_id:
        return f"{goal.speciality.code} «{goal.speciality.title}»"
    return "—"
