"""What the профминимум contributes to the portal (see core.registry): its menu entries, the links it adds
to the pages of classes, students and schools, and the panels of each role's home page."""

from django.urls import reverse

from access.policy import home_municipality_id, home_school_id
from core.registry import MenuItem, Panel, registry
from profminimum.policy import can_decide_school_level, can_edit_normative, can_mark_attendance

# The compliance dashboards: the menu entry stays current on every level of the drill-down.
DASHBOARD_PATHS = r"^/profminimum/((municipalities|schools|classes|students)/\d+/)?$"


def dashboard_url(ctx) -> str:
    """The dashboard of the active role's own level, computed without a query; a teacher, a parent and a
    student go through /profminimum/, which opens their class, child or own page."""
    viewer = ctx.viewer
    if ctx.kind == "republic" and viewer.is_republic:
        return reverse("profminimum:dashboard")
    if ctx.kind == "municipality" and (pk := home_municipality_id(viewer)):
        return reverse("profminimum:dashboard_municipality", args=[pk])
    if ctx.kind == "school" and (pk := home_school_id(viewer)):
        return reverse("profminimum:dashboard_school", args=[pk])
    if ctx.kind == "teacher" and viewer.class_ids:
        return reverse("profminimum:dashboard")
    return ""


@registry.menu("profminimum.dashboard", order=10)
def dashboard_menu(ctx) -> MenuItem | None:
    url = dashboard_url(ctx)
    return MenuItem("Профминимум", url, current_on=DASHBOARD_PATHS) if url else None


@registry.menu("profminimum.levels", order=20)
def levels_menu(ctx) -> MenuItem | None:
    if ctx.kind == "republic" and can_decide_school_level(ctx.viewer):
        return MenuItem("Уровни школ", reverse("profminimum:level_list"))
    return None


@registry.menu("profminimum.normative", order=25)
def normative_menu(ctx) -> MenuItem | None:
    if ctx.kind == "republic" and (can_edit_normative(ctx.viewer) or ctx.viewer.is_republic):
        return MenuItem("Нормативы", reverse("profminimum:normative_list"))
    return None


@registry.links("profminimum", order=10)
def object_links(ctx, subject: str, obj) -> list[MenuItem]:
    if subject == "school_class":
        links = []
        if can_mark_attendance(ctx.viewer, obj) or ctx.viewer.is_republic or obj.school_id in ctx.viewer.school_ids:
            links.append(MenuItem("Расписание и посещаемость", reverse("profminimum:class_schedule", args=[obj.pk])))
        links.append(MenuItem("Часы профминимума", reverse("profminimum:dashboard_class", args=[obj.pk])))
        return links
    if subject == "student":
        return [MenuItem("Часы профминимума", reverse("profminimum:dashboard_student", args=[obj.pk]))]
    if subject == "organization" and obj.is_school:
        return [
            MenuItem("Профминимум школы", reverse("profminimum:dashboard_school", args=[obj.pk])),
            MenuItem("Уровень профминимума", reverse("profminimum:school_level", args=[obj.pk])),
        ]
    return []


@registry.panel("profminimum.links", order=20)
def school_links(ctx) -> Panel | None:
    if ctx.kind == "school" and (pk := home_school_id(ctx.viewer)):
        return Panel(
            "Профминимум",
            "profminimum/panels/school_links.html",
            {"dashboard": reverse("profminimum:dashboard_school", args=[pk]), "level": reverse("profminimum:school_level", args=[pk])},
        )
    return None


@registry.panel("profminimum.people", order=30)
def people_panels(ctx) -> list[Panel] | None:
    """The teacher's schedules, the student's own hours, each child's hours."""
    from profminimum import selectors  # the selectors import the models' heavier helpers; only homes need them

    viewer = ctx.viewer
    if ctx.kind == "teacher" and viewer.class_ids:
        classes = selectors.teacher_schedule_links(viewer=viewer)
        return [Panel("Расписание и посещаемость", "profminimum/panels/teacher_schedules.html", {"classes": classes})]
    if ctx.kind == "student" and viewer.own_student_id:
        return [
            Panel(
                "Мои часы профориентации",
                "profminimum/panels/student_hours.html",
                {"summary": selectors.student_home_summary(viewer=viewer, student_pk=viewer.own_student_id, today=ctx.today)},
            )
        ]
    if ctx.kind == "parent" and viewer.child_student_ids:
        summaries = [
            selectors.student_home_summary(viewer=viewer, student_pk=pk, today=ctx.today) for pk in sorted(viewer.child_student_ids)
        ]
        return [Panel("Часы профориентации", "profminimum/panels/children_hours.html", {"summaries": summaries}, wide=True)]
    return None
