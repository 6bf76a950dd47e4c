"""The active role of a signed-in person: which home page and menu they see. Scope (what they may read)
is always the union of all their roles, decided by access.policy."""

import re

from django.urls import reverse

from access.policy import PARENT, REPUBLIC_ROLES, ROLE_LABELS, SCHOOL_WIDE_ROLES, STUDENT, TEACHING_ROLES, Viewer, can_administer_system
from people.models import Role

SESSION_KEY = "active_role"


def active_role(request, viewer: Viewer) -> str | None:
    chosen = request.session.get(SESSION_KEY)
    return chosen if chosen in viewer.roles else viewer.primary_role


def home_kind(role: str | None) -> str:
    """Which home page a role lands on."""
    if role in REPUBLIC_ROLES:
        return "republic"
    if role == Role.MUNICIPAL_COORDINATOR:
        return "municipality"
    if role in SCHOOL_WIDE_ROLES:
        return "school"
    if role in TEACHING_ROLES:
        return "teacher"
    if role == Role.PARTNER_REPRESENTATIVE:
        return "partner"
    if role == Role.JURY_EXPERT:
        return "jury"
    if role == PARENT:
        return "parent"
    if role == STUDENT:
        return "student"
    return "none"


def nav_items(request, viewer: Viewer, role: str | None) -> list[dict]:
    kind = home_kind(role)
    home_labels = {
        "republic": "Республика", "municipality": "Мой муниципалитет", "school": "Моя школа",
        "teacher": "Мои классы", "parent": "Мои дети", "student": "Мой план", "partner": "Моя организация",
        "jury": "Мои конкурсы",
    }  # fmt: skip
    items = [(home_labels.get(kind, "Главная"), reverse("core:home"))]
    profminimum_url = profminimum_dashboard_url(viewer, kind)
    if profminimum_url:
        items.append(("Профминимум", profminimum_url))
    if kind in {"republic", "municipality", "school", "teacher"}:
        items.append(("Поиск обучающихся", reverse("people:student_search")))
    if kind in {"republic", "municipality", "school", "partner"}:
        items.append(("Организации", reverse("orgs:organization_list")))
    if can_administer_system(viewer):
        items.append(("Администрирование", reverse("admin:index")))
    path = request.path
    return [
        {
            "label": label, "url": url,
            "active": path == url or (url != "/" and path.startswith(url)) or (url == profminimum_url and _is_dashboard(path)),
        }
        for label, url in items
    ]  # fmt: skip


# The compliance dashboards of the профминимум (profminimum/views/dashboards.py): the menu item stays current on
# every level of the drill-down.
_DASHBOARD_PATH = re.compile(r"^/profminimum/((municipalities|schools|classes|students)/\d+/)?$")


def _is_dashboard(path: str) -> bool:
    return bool(_DASHBOARD_PATH.match(path))


def profminimum_dashboard_url(viewer: Viewer, kind: str) -> str:
    """The dashboard of the active role's own level, computed without a query; a teacher goes through
    /profminimum/, which opens their class (or their school's list of their classes)."""
    if kind == "republic" and viewer.is_republic:
        return reverse("profminimum:dashboard")
    if kind == "municipality" and viewer.municipality_ids:
        return reverse("profminimum:dashboard_municipality", args=[min(viewer.municipality_ids)])
    if kind == "school" and (viewer.coordinated_school_ids or viewer.school_ids):
        return reverse("profminimum:dashboard_school", args=[min(viewer.coordinated_school_ids or viewer.school_ids)])
    if kind == "teacher" and viewer.class_ids:
        return reverse("profminimum:dashboard")
    return ""


def role_choices(viewer: Viewer) -> list[tuple[str, str]]:
    return [(role, ROLE_LABELS[role]) for role in viewer.roles]
