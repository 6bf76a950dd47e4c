from django.conf import settings

from access.policy import ROLE_LABELS, viewer_for
from core.roles import active_role, nav_items, role_choices


def shell(request):
    context = {"demo_mode": settings.DEMO_MODE}
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return context
    viewer = viewer_for(user)
    role = active_role(request, viewer)
    context.update(
        viewer=viewer,
        active_role=role,
        active_role_label=ROLE_LABELS.get(role, "нет роли"),
        viewer_roles=role_choices(viewer),
        nav_items=nav_items(request, viewer, role),
    )
    return context
