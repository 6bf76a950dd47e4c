from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from access.policy import ROLE_LABELS, viewer_for
from access.services import personal_data_read_log
from accounts.models import ApiToken
from accounts.services import api_token_create, api_token_revoke
from core.middleware import AccessibilityMiddleware
from core.roles import SESSION_KEY, active_role, home_kind
from orgs.models import Organization
from orgs.selectors import municipality_get, municipality_list_with_counts, organization_get, school_class_list, school_list
from people.selectors import children_list, staff_list, student_card, teacher_class_list
from profminimum.selectors import student_year_hours_current


@login_required
def home(request: HttpRequest) -> HttpResponse:
    viewer = viewer_for(request.user)
    kind = home_kind(active_role(request, viewer))
    context: dict = {"kind": kind}
    if kind == "republic":
        rows = municipality_list_with_counts(viewer=viewer)
        context.update(
            rows=rows,
            total_schools=sum(row.schools for row in rows),
            total_classes=sum(row.classes for row in rows),
            total_students=sum(row.students for row in rows),
        )
    elif kind == "municipality":
        municipality = municipality_get(viewer=viewer, pk=min(viewer.municipality_ids))
        schools = school_list(viewer=viewer, municipality=municipality)
        context.update(
            municipality=municipality,
            schools=schools,
            total_classes=sum(row.classes for row in schools),
            total_students=sum(row.students for row in schools),
        )
    elif kind == "school":
        school = organization_get(viewer=viewer, pk=min(viewer.coordinated_school_ids or viewer.school_ids))
        classes = list(school_class_list(viewer=viewer, school=school))
        context.update(
            school=school,
            classes=classes,
            total_students=sum(c.student_count for c in classes),
            staff=staff_list(viewer=viewer, organization=school),
        )
    elif kind == "teacher":
        context["classes"] = teacher_class_list(viewer=viewer)
    elif kind == "parent":
        context["children"] = children_list(viewer=viewer)
    elif kind == "student":
        card = student_card(viewer=viewer, pk=viewer.own_student_id)
        personal_data_read_log(user=request.user, subject="своя карточка", channel="page", person_id=card.student.person_id)
        context["card"] = card
        context["hours"] = student_year_hours_current(viewer=viewer, student=card.student)
    elif kind == "partner":
        context["organizations"] = [organization_get(viewer=viewer, pk=pk) for pk in sorted(viewer.partner_org_ids)]
    return render(request, f"core/home_{kind}.html", context)


@login_required
@require_POST
def switch_role(request: HttpRequest) -> HttpResponse:
    viewer = viewer_for(request.user)
    role = request.POST.get("role", "")
    if role in viewer.roles:
        request.session[SESSION_KEY] = role
        messages.info(request, f"Вы работаете в роли: {ROLE_LABELS[role]}.")
    return redirect("core:home")


@require_POST
def toggle_accessibility(request: HttpRequest) -> HttpResponse:
    target = request.POST.get("next") or "/"
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        target = "/"
    response = redirect(target)
    if request.COOKIES.get(AccessibilityMiddleware.COOKIE) == "contrast":
        response.delete_cookie(AccessibilityMiddleware.COOKIE)
    else:
        response.set_cookie(AccessibilityMiddleware.COOKIE, "contrast", max_age=365 * 24 * 3600, samesite="Lax")
    return response


@login_required
def profile(request: HttpRequest) -> HttpResponse:
    new_key = None
    if request.method == "POST":
        if "revoke" in request.POST:
            token_id = request.POST["revoke"]
            if token_id.isdigit():
                api_token_revoke(user=request.user, token_id=int(token_id))
            messages.success(request, "Токен отозван.")
            return redirect("core:profile")
        name = request.POST.get("name", "").strip()
        if not name:
            messages.error(request, "Укажите, для чего нужен токен (поле «Назначение»).")
            return redirect("core:profile")
        _, new_key = api_token_create(user=request.user, name=name[:100])
    viewer = viewer_for(request.user)
    return render(
        request,
        "core/profile.html",
        {
            "roles": [ROLE_LABELS[role] for role in viewer.roles],
            "tokens": ApiToken.objects.filter(user=request.user),
            "new_key": new_key,
            "breadcrumbs": [{"label": "Профиль"}],
        },
    )


def healthz(request: HttpRequest) -> JsonResponse:
    Organization.objects.exists()
    return JsonResponse({"status": "ok"})
