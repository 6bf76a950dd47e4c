"""Each role's home page, composed from what the domain apps register (core.registry); the role switch;
the profile with API tokens; the balancer's liveness check."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from access.context import home_context
from access.policy import ACTIVE_ROLE_SESSION_KEY, ROLE_LABELS, viewer_for
from accounts.selectors import api_token_list
from accounts.services import api_token_create, api_token_revoke
from core.registry import Heading, registry

NO_ROLE = Heading(
    "Добро пожаловать",
    "У вашей учётной записи пока нет роли. Попросите школьного координатора или регионального оператора назначить её.",
)


@login_required
def home(request: HttpRequest) -> HttpResponse:
    ctx = home_context(request)
    heading = registry.home_heading(ctx) or NO_ROLE
    return render(
        request,
        "portal/home.html",
        {
            "kind": ctx.kind,
            "heading": heading,
            "attention": registry.attention_items(ctx),
            "panels": registry.panels(ctx),
        },
    )


@login_required
@require_POST
def switch_role(request: HttpRequest) -> HttpResponse:
    viewer = viewer_for(request.user)
    role = request.POST.get("role", "")
    if role in viewer.roles:
        request.session[ACTIVE_ROLE_SESSION_KEY] = role
        messages.info(request, f"Вы работаете в роли: {ROLE_LABELS[role]}.")
    return redirect("portal:home")


@login_required
def profile(request: HttpRequest) -> HttpResponse:
    new_key = None
    if request.method == "POST":
        if "revoke" in request.POST:
            token_id = request.POST["revoke"]
            if token_id.isdigit():
                api_token_revoke(user=request.user, token_id=int(token_id))
            messages.success(request, "Токен отозван.")
            return redirect("portal:profile")
        name = request.POST.get("name", "").strip()
        if not name:
            messages.error(request, "Укажите, для чего нужен токен (поле «Назначение»).")
            return redirect("portal:profile")
        _, new_key = api_token_create(user=request.user, name=name[:100])
    viewer = viewer_for(request.user)
    return render(
        request,
        "portal/profile.html",
        {
            "roles": [ROLE_LABELS[role] for role in viewer.roles],
            "tokens": api_token_list(user=request.user),
            "new_key": new_key,
            "breadcrumbs": [{"label": "Профиль"}],
        },
    )


def healthz(request: HttpRequest) -> JsonResponse:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})
