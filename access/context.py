"""The HomeContext of a request: who is looking, in which role, on which day."""

from django.http import HttpRequest
from django.utils import timezone

from access.policy import active_role, landing_kind, viewer_for
from core.registry import HomeContext


def home_context(request: HttpRequest) -> HomeContext:
    cached = getattr(request, "_profnav_home_context", None)
    if cached is not None:
        return cached
    viewer = viewer_for(request.user)
    ctx = HomeContext(request=request, viewer=viewer, kind=landing_kind(active_role(request, viewer)), today=timezone.localdate())
    request._profnav_home_context = ctx
    return ctx
