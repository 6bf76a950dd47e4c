"""What diagnostics holds about a student, for the family's page, the export and erasure (privacy.registry).

The scores of finished results are figures the aggregates need: an erasure keeps them (the student row stays as an
anonymous row) and deletes every answer as it was given, and who of the parents answered the parent version."""

from django.db.models import Count, Q

from core.formatting import date_text
from diagnostics.models import Answer, Attempt, TicketDiagnostics
from diagnostics.policy import results_ground
from privacy.registry import ANONYMISED, DELETED, Section, SectionTable, personal_data


@personal_data.holder("diagnostics", order=60)
def held(student, *, full: bool) -> Section:
    figures = Attempt.objects.filter(student=student).aggregate(
        attempts=Count("pk"),
        finished=Count("pk", filter=Q(status=Attempt.Status.FINISHED)),
        by_parent=Count("pk", filter=Q(respondent__isnull=False)),
    )
    answers = Answer.objects.filter(attempt__student=student).count()
    section = Section(
        "diagnostics",
        "Профориентационная диагностика",
        facts=[
            ("Прохождений опросников", str(figures["attempts"])),
            ("Из них завершено", str(figures["finished"])),
            ("Из них заполнено родителем", str(figures["by_parent"])),
            ("Сохранённых ответов", str(answers)),
            ("Статусов диагностики «Билета в будущее»", str(TicketDiagnostics.objects.filter(student=student).count())),
        ],
    )
    if full:
        attempts = list(Attempt.objects.filter(student=student).select_related("version__instrument").order_by("started_at", "pk"))
        section.tables = [
            SectionTable(
                "Опросники и результаты",
                ["Начат", "Опросник", "Состояние", "Баллы по шкалам", "Низкая достоверность"],
                [
                    [date_text(a.started_at), a.version.instrument.title, a.get_status_display(),
                     _scores_text(a), "да" if a.low_confidence else "нет"]
                    for a in attempts
                ],
            )
        ]  # fmt: skip
        section.data = [
            {
                "started_at": a.started_at.isoformat(), "instrument": a.version.label, "status": a.status, "scores": _ordered_scores(a),
                "code": a.code, "low_confidence": a.low_confidence, "by_parent": a.respondent_id is not None,
                "answers": dict(a.answers.values_list("item", "option")),
            }
            for a in attempts
        ]  # fmt: skip
    return section


@personal_data.eraser("diagnostics", order=60)
def erase(student, act) -> None:
    count, _ = Answer.objects.filter(attempt__student=student).delete()
    act.add("Ответы на вопросы опросников", Answer, count, DELETED)
    count = Attempt.objects.filter(student=student, respondent__isnull=False).update(respondent=None, low_confidence_reason="")
    act.add("Кто из родителей заполнял опросник о ребёнке", Attempt, count, ANONYMISED)


RESULTS_HIDDEN = (
    "Результаты диагностики видят сам обучающийся, родители (если ребёнок согласен), психолог школы и педагог-навигатор класса."
)


@personal_data.record("diagnostics", order=60)
def record(student, *, viewer) -> Section:
    """The results of the student's record: each finished questionnaire the student answered themself, with the scores
    by scale and the Holland code — to those who see the results on the pages (diagnostics.policy.results_ground)."""
    if results_ground(viewer, student) is None:
        return Section("results", "Результаты диагностики", facts=[("Результаты", RESULTS_HIDDEN)], data={"shown": False, "items": []})
    attempts = list(
        Attempt.objects.filter(student=student, respondent__isnull=True, status=Attempt.Status.FINISHED)
        .select_related("version__instrument")
        .order_by("finished_at", "pk")
    )
    return Section(
        "results",
        "Результаты диагностики",
        facts=[("Завершённых опросников", str(len(attempts)))],
        tables=[
            SectionTable(
                "Опросники",
                ["Завершён", "Опросник", "Баллы по шкалам", "Код", "Низкая достоверность"],
                [[date_text(a.finished_at), a.version.instrument.title, _scores_text(a),
                  a.code or "—", "да" if a.low_confidence else "нет"] for a in attempts],
            )
        ],
        data={
            "shown": True,
            "items": [
                {"finished_at": a.finished_at.isoformat(), "instrument": a.version.instrument.title, "version": a.version.label,
                 "scores": _ordered_scores(a), "code": a.code, "low_confidence": a.low_confidence}
                for a in attempts
            ],
        },
    )  # fmt: skip


def _ordered_scores(attempt) -> dict:
    """The scores in the instrument's order of scales (R, I, A, S, E, C): PostgreSQL's jsonb keeps an object's keys in
    its own order, and a record printed «A: 0, C: 20, …» reads as another result."""
    order = [scale["code"] for scale in attempt.version.definition.get("scales", [])]
    scores = attempt.scores or {}
    return {key: scores[key] for key in [*order, *sorted(set(scores) - set(order))] if key in scores}


def _scores_text(attempt) -> str:
    return ", ".join(f"{key}: {value}" for key, value in _ordered_scores(attempt).items()) or "—"
