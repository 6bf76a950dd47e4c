"""What guidance adds to the portal (core.registry): the student's menu entry, panel and reminder (the recommendations,
the trajectory to make or to get confirmed); the trajectories a teacher-navigator or a school's psychologist has to
confirm; a link on a student's card for those who may see their guidance. A few indexed queries per hook."""

from django.urls import reverse

from core.formatting import count_text
from core.registry import Attention, MenuItem, Panel, registry
from diagnostics import policy as diagnostics_policy
from guidance.models import Goal, Recommendation, Trajectory

PATHS = r"^/guidance/"


def _trajectory(ctx):
    cache = ctx.request.__dict__.setdefault("_guidance_home", {})
    if "trajectory" not in cache:
        cache["trajectory"] = (
            Trajectory.objects.filter(student_id=ctx.viewer.own_student_id).prefetch_related("goals").first()
            if ctx.viewer.own_student_id
            else None
        )
    return cache["trajectory"]


@registry.menu("guidance", order=16)
def menu(ctx) -> MenuItem | None:
    if ctx.kind == "student" and ctx.viewer.own_student_id:
        return MenuItem("Что мне подходит", reverse("guidance:mine"), current_on=PATHS)
    return None


@registry.links("guidance", order=41)
def object_links(ctx, subject: str, obj) -> list[MenuItem]:
    if subject == "student" and diagnostics_policy.results_ground(ctx.viewer, obj) not in {None, diagnostics_policy.SELF}:
        return [MenuItem("Рекомендации и траектория", reverse("guidance:student", args=[obj.pk]))]
    return []


@registry.attention("guidance.student", order=21)
def student_attention(ctx) -> list[Attention]:
    if ctx.kind != "student" or not ctx.viewer.own_student_id:
        return []
    if not Recommendation.objects.filter(student_id=ctx.viewer.own_student_id).exists():
        return []
    trajectory = _trajectory(ctx)
    if trajectory is None or not any(goal.kind == Goal.Kind.BACKUP for goal in trajectory.goals.all()):
        return [Attention("Составьте траекторию: основная цель и запасной вариант", f"{reverse('guidance:mine')}#trajectory", "info",
                          "Рекомендации уже готовы — выберите из них или из каталога.")]  # fmt: skip
    return []


@registry.panel("guidance.student", order=26)
def student_panel(ctx) -> Panel | None:
    if ctx.kind != "student" or not ctx.viewer.own_student_id:
        return None
    top = list(Recommendation.objects.filter(student_id=ctx.viewer.own_student_id).select_related("profession").order_by("rank")[:3])
    return Panel("Что мне подходит", "guidance/panels/student.html", {"top": top, "trajectory": _trajectory(ctx)})


def _waiting(ctx):
    condition = diagnostics_policy.staff_results_condition(ctx.viewer, student="student")
    return Trajectory.objects.filter(condition, confirmed_at__isnull=True).select_related("student__person").order_by("updated_at")


@registry.panel("guidance.staff", order=46)
def staff_panel(ctx) -> Panel | None:
    if ctx.kind not in {"teacher", "school"}:
        return None
    if not (diagnostics_policy.psychologist_school_ids(ctx.viewer) or diagnostics_policy.navigator_class_ids(ctx.viewer)):
        return None
    waiting = _waiting(ctx)
    return Panel("Траектории обучающихся", "guidance/panels/staff.html", {"count": waiting.count(), "first": list(waiting[:5])})


@registry.attention("guidance.staff", order=46)
def staff_attention(ctx) -> list[Attention]:
    if ctx.kind not in {"teacher", "school"}:
        return []
    if not (diagnostics_policy.psychologist_school_ids(ctx.viewer) or diagnostics_policy.navigator_class_ids(ctx.viewer)):
        return []
    waiting = _waiting(ctx)
    first = waiting.first()
    if first is None:
        return []
    count = waiting.count()
    return [Attention(f"{count_text(count, 'траектория ждёт', 'траектории ждут', 'траекторий ждут')} подтверждения",
                      reverse("guidance:student", args=[first.student_id]), "info", "Прокомментируйте и подтвердите план обучающегося.")]  # fmt: skip
