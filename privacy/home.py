"""What the personal-data capability adds to the portal (see core.registry): the family's «Персональные данные»
with the consents that wait for the person's own decision, the school coordinator's consents of the school, and the
operator's queue of requests and breaches with their deadlines. Each hook costs a few indexed queries."""

from django.urls import reverse
from django.utils import timezone

from access.policy import home_school_id
from core.formatting import count_text, date_text
from core.registry import Attention, MenuItem, Panel, registry
from people.models import ParentLink
from privacy.models import Breach
from privacy.policy import Answer, acting_party, consent_statuses, may_operate, may_record_paper

FAMILY_PATHS = r"^/privacy/(students/\d+/.*)?$"
OPERATOR_PATHS = r"^/privacy/(requests|acts|breaches|retention)/"
CONSENTS = ("согласию", "согласиям", "согласиям")


def _family(ctx):
    """The students of the viewer's family with the consents that wait for the viewer's own decision, read once per
    request: [(student, party the viewer acts as, codes waiting, statuses)]."""
    cache = ctx.request.__dict__.setdefault("_privacy_home", {})
    if "family" in cache:
        return cache["family"]
    from privacy.selectors import family_students

    result = []
    viewer = ctx.viewer
    if ctx.kind in {"parent", "student"}:
        students = family_students(viewer=viewer)
        statuses = consent_statuses(student_ids=[s.pk for s in students], today=ctx.today) if students else {}
        for student in students:
            party = acting_party(viewer, student, today=ctx.today)
            mine = {code: status for (pk, code), status in statuses.items() if pk == student.pk}
            waiting = [
                code
                for code, status in mine.items()
                if party and (state := status.state_of(party)) is not None and state.answer == Answer.ASK
            ]
            result.append((student, party, waiting, mine))
    cache["family"] = result
    return result


@registry.menu("privacy.family", order=60)
def family_menu(ctx) -> MenuItem | None:
    if ctx.kind in {"parent", "student"} and (ctx.viewer.child_student_ids or ctx.viewer.own_student_id):
        return MenuItem("Персональные данные", reverse("privacy:home"), current_on=FAMILY_PATHS)
    return None


@registry.menu("privacy.school", order=35)
def school_menu(ctx) -> MenuItem | None:
    if ctx.kind == "school" and (pk := home_school_id(ctx.viewer)) and pk in ctx.viewer.coordinated_school_ids:
        return MenuItem("Согласия", reverse("privacy:school", args=[pk]), current_on=r"^/privacy/school/")
    return None


@registry.menu("privacy.operator", order=85)
def operator_menu(ctx) -> MenuItem | None:
    if ctx.kind == "republic" and may_operate(ctx.viewer):
        return MenuItem("Персональные данные", reverse("privacy:queue"), current_on=OPERATOR_PATHS)
    return None


@registry.links("privacy", order=60)
def object_links(ctx, subject: str, obj) -> list[MenuItem]:
    if subject != "student":
        return []
    # The student's card is shown only to those who see the student: each of them may download the record.
    record = [
        MenuItem("Выгрузить карточку обучающегося (PDF)", reverse("privacy:record", args=[obj.pk, "pdf"])),
        MenuItem("Выгрузить карточку обучающегося (JSON)", reverse("privacy:record", args=[obj.pk, "json"])),
    ]
    if obj.pk == ctx.viewer.own_student_id or obj.pk in ctx.viewer.child_student_ids:
        return [MenuItem("Персональные данные и согласия", reverse("privacy:student", args=[obj.pk])), *record]
    if may_record_paper(ctx.viewer, obj):
        return [MenuItem("Согласия и родители", reverse("privacy:staff_student", args=[obj.pk])), *record]
    return record


@registry.attention("privacy.family", order=5)
def family_attention(ctx) -> list[Attention]:
    items = []
    for student, party, waiting, _ in _family(ctx):
        if not waiting:
            continue
        consents = count_text(len(waiting), *CONSENTS)
        text = (
            f"Нужно ваше решение по {consents}" if party == "student" else f"{student.person.first_name}: нужно ваше решение по {consents}"
        )
        items.append(
            Attention(text, reverse("privacy:student", args=[student.pk]), "info", "Прочитайте тексты согласий и решите, давать ли их.")
        )
    return items


@registry.panel("privacy.family", order=70)
def family_panel(ctx) -> Panel | None:
    family = _family(ctx)
    if not family:
        return None
    rows = []
    for student, _, waiting, statuses in family:
        answers = [status.answer for status in statuses.values()]
        rows.append(
            {
                "student": student,
                "given": answers.count(Answer.YES),
                "refused": answers.count(Answer.NO),
                "asked": answers.count(Answer.ASK),
                "waiting": len(waiting),
                "url": reverse("privacy:student", args=[student.pk]),
            }
        )
    return Panel("Персональные данные и согласия", "privacy/panels/family.html", {"rows": rows, "own": ctx.kind == "student"})


@registry.attention("privacy.school", order=40)
def school_attention(ctx) -> list[Attention]:
    """The school coordinator: parents the school has not confirmed yet (without it they cannot give consents)."""
    pk = home_school_id(ctx.viewer)
    if ctx.kind != "school" or pk is None or pk not in ctx.viewer.coordinated_school_ids:
        return []
    waiting = ParentLink.objects.filter(student__current_school_id=pk, confirmation__isnull=True).count()
    if not waiting:
        return []
    return [
        Attention(
            f"{count_text(waiting, 'родитель не подтверждён', 'родителя не подтверждены', 'родителей не подтверждены')} школой",
            reverse("privacy:school", args=[pk]) + "?unconfirmed=1",
            "info",
            "Без подтверждения по документу родитель не может дать согласие за ребёнка.",
        )
    ]


@registry.attention("privacy.operator", order=50)
def operator_attention(ctx) -> list[Attention]:
    """The operator: requests waiting with the nearest deadline; breaches whose 24- or 72-hour notice is not sent."""
    if ctx.kind != "republic" or not may_operate(ctx.viewer):
        return []
    from privacy.selectors import RequestRow, breach_deadlines, open_requests_summary, working_days_between

    items = []
    count, first = open_requests_summary(viewer=ctx.viewer)
    if count:
        row = RequestRow(first, working_days_between(ctx.today, first.deadline))
        items.append(
            Attention(
                f"{count_text(count, 'запрос', 'запроса', 'запросов')} о персональных данных {'ждёт' if count == 1 else 'ждут'} исполнения",
                reverse("privacy:queue"),
                "danger" if row.days_left is not None and row.days_left <= 1 else "warning",
                f"Ближайший срок — {date_text(first.deadline)}: {row.left_text}.",
            )
        )
    for breach in Breach.objects.filter(reported_at__isnull=True).order_by("detected_at")[:3]:
        pending = [deadline for deadline in breach_deadlines(breach, now=timezone.now()) if deadline.done_at is None]
        if pending:
            items.append(
                Attention(
                    f"Инцидент № {breach.pk}: {pending[0].label.lower()}",
                    reverse("privacy:breach", args=[breach.pk]),
                    "danger",
                    f"Срок — {pending[0].due_text}, {pending[0].state}.",
                )
            )
    return items
