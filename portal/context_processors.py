import re

from django.conf import settings

from access.context import home_context
from access.policy import ROLE_LABELS, active_role
from core.registry import registry


def shell(request):
    """The header of every page: the menu the domains register, the role switch, demo mode."""
    context = {"demo_mode": settings.DEMO_MODE}
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return context
    ctx = home_context(request)
    role = active_role(request, ctx.viewer)
    path = request.path
    items = registry.menu_items(ctx)
    # The most specific entry is the current one: the longest url prefix, or an entry's own pattern.
    current = None
    for item in items:
        if path == item.url or (item.current_on and re.match(item.current_on, path)):
            current = item
            break
    if current is None:
        prefixed = [item for item in items if item.url != "/" and path.startswith(item.url)]
        current = max(prefixed, key=lambda item: len(item.url), default=None)
    context.update(
        viewer=ctx.viewer,
        active_role=role,
        active_role_label=ROLE_LABELS.get(role, "нет роли"),
        viewer_roles=[(code, ROLE_LABELS[code]) for code in ctx.viewer.roles],
        nav_items=[{"label": item.label, "url": item.url, "active": item is current} for item in items],
    )
    return context
