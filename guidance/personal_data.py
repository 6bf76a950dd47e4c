"""What guidance holds about a student, for the family's page, the export and erasure (privacy.registry): stated
preferences, «не подходит» with its reasons, the recommendations computed and the trajectory. None of it is a figure a
report needs: an erasure deletes it all."""

from core.formatting import date_text
from guidance.models import Dismissal, Goal, Preference, Recommendation, Trajectory
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
