"""The active role of a signed-in person: which home page and menu they see. Scope (what they may read)
is always the union of all their roles, decided by access.policy."""

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
    if kind in {"republic", "municipality", "school", "teacher"}:
        items.append(("Поиск обучающихся", reverse("people:student_search")))
    if kind in {"republic", "municipality", "school", "partner"}:
        items.append(("Организации", reverse("orgs:organization_list")))
    if can_administer_system(viewer):
        items.append(("Администрирование", reverse("admin:index")))
    path = request.path
    return [
        {"label": label, "url": url, "active": path == url or (url != "/" and path.startswith(url))}
        for label, url in items
    ]


def role_choices(viewer: Viewer) -> list[tuple[str, str]]:
    return [(role, ROLE_LABELS[role]) for role in viewer.roles]
