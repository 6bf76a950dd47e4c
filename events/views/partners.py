"""The partners database (seed item 3.2): organisations that work with the schools, their agreements (the signed
document is kept outside the web root and given only to those the policy allows) and joint plans by school year."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.views.decorators.http import require_POST

from access.policy import PARTNER_KINDS, viewer_for
from events.forms import AgreementForm, JointPlanForm, PartnerForm, form_errors, service_errors
from events.models import JointPlanItem, Offer
from events.policy import agreements_visible, may_manage_partners, may_see_partners, partners_visible
from events.sectors import SECTOR_LABELS
from events.services import agreement_add, joint_plan_create, partner_save, plan_item_toggle
from orgs.models import Organization
from orgs.selectors import school_year_current
from profminimum.uploads import kind_of_stored


@login_required
def partners_view(request: HttpRequest) -> HttpResponse:
    viewer = viewer_for(request.user)
    if not may_see_partners(viewer):
        raise Http404
    kind = request.GET.get("kind", "")
    partners = (
        partners_visible(viewer)
        .select_related("organization__municipality")
        .annotate(agreements_count=Count("agreements", distinct=True), offers_count=Count("organization__offers", filter=Q(organization__offers__status=Offer.Status.PUBLISHED), distinct=True))
        .order_by("organization__short_name")
    )  # fmt: skip
    if kind in PARTNER_KINDS:
        partners = partners.filter(organization__kind=kind)
    rows = [{"p": p, "sectors": ", ".join(SECTOR_LABELS.get(code, code) for code in p.sectors)} for p in partners]
    kinds = [(k, Organization.Kind(k).label) for k in PARTNER_KINDS]
    return render(
        request, "events/partners.html",
        {"rows": rows, "kind": kind, "kinds": kinds, "may_manage": may_manage_partners(viewer), "page_title": "Партнёры", "breadcrumbs": [{"label": "Партнёры"}]},
    )  # fmt: skip


@login_required
def partner_new_view(request: HttpRequest) -> HttpResponse:
    viewer = viewer_for(request.user)
    if not may_manage_partners(viewer):
        raise Http404
    form = PartnerForm(request.POST or None)
    form.fields["organization"].queryset = Organization.objects.filter(
        kind__in=PARTNER_KINDS, is_active=True, partner__isnull=True
    ).order_by("short_name")
    if request.method == "POST" and form.is_valid():
        try:
            partner = partner_save(**form.cleaned_data)
        except ValidationError as error:
            service_errors(form, error)
        else:
            messages.success(request, "Партнёр внесён в базу.")
            return redirect("events:partner", pk=partner.pk)
    return render(
        request, "events/partner_form.html",
        {"form": form, "errors": form_errors(form) if form.is_bound else [], "page_title": "Новый партнёр",
         "breadcrumbs": [{"label": "Партнёры", "url": reverse("events:partners")}, {"label": "Новый партнёр"}]},
    )  # fmt: skip


@login_required
def partner_view(request: HttpRequest, pk: int) -> HttpResponse:
    viewer = viewer_for(request.user)
    partner = get_object_or_404(partners_visible(viewer).select_related("organization__municipality"), pk=pk)
    agreements = list(agreements_visible(viewer).filter(partner=partner))
    manage = may_manage_partners(viewer)
    own = partner.organization_id in viewer.partner_org_ids
    agreement_form = AgreementForm()
    plan_form = JointPlanForm()
    if request.method == "POST" and manage:
        if request.POST.get("form") == "agreement":
            agreement_form = AgreementForm(request.POST, request.FILES)
            if agreement_form.is_valid():
                try:
                    agreement_add(partner=partner, by=request.user, **agreement_form.cleaned_data)
                except ValidationError as error:
                    service_errors(agreement_form, error)
                else:
                    messages.success(request, "Договор добавлен.")
                    return redirect("events:partner", pk=partner.pk)
        elif request.POST.get("form") == "plan":
            plan_form = JointPlanForm(request.POST)
            year = school_year_current()
            if plan_form.is_valid() and year is not None:
                try:
                    joint_plan_create(
                        partner=partner,
                        school_year=year,
                        title=plan_form.cleaned_data["title"],
                        items=plan_form.cleaned_data["items"],
                        by=request.user,
                    )
                except ValidationError as error:
                    service_errors(plan_form, error)
                else:
                    messages.success(request, "План совместной работы сохранён.")
                    return redirect("events:partner", pk=partner.pk)
    plans = list(partner.plans.select_related("school_year").prefetch_related("items")) if (manage or own or viewer.is_republic) else []
    upcoming = list(Offer.objects.filter(provider=partner.organization, status=Offer.Status.PUBLISHED).order_by("-starts_at")[:10])
    return render(
        request, "events/partner.html",
        {
            "partner": partner, "agreements": agreements, "plans": plans, "upcoming": upcoming, "manage": manage,
            "sectors": [SECTOR_LABELS.get(code, code) for code in partner.sectors],
            "agreement_form": agreement_form, "plan_form": plan_form,
            "agreement_errors": form_errors(agreement_form) if agreement_form.is_bound else [],
            "plan_errors": form_errors(plan_form) if plan_form.is_bound else [],
            "page_title": partner.organization.short_name,
            "breadcrumbs": [{"label": "Партнёры", "url": reverse("events:partners")}, {"label": partner.organization.short_name}],
        },
    )  # fmt: skip


@login_required
def agreement_file_view(request: HttpRequest, pk: int) -> HttpResponse:
    agreement = get_object_or_404(agreements_visible(viewer_for(request.user)), pk=pk)
    if not agreement.file:
        raise Http404
    kind = kind_of_stored(agreement.file.name)
    if kind is None:
        raise Http404
    return FileResponse(
        agreement.file.open("rb"), as_attachment=True, filename=f"dogovor-{agreement.pk}.{kind.extension}", content_type=kind.content_type
    )


@login_required
@require_POST
def plan_item_view(request: HttpRequest, pk: int) -> HttpResponse:
    viewer = viewer_for(request.user)
    if not may_manage_partners(viewer):
        raise Http404
    item = get_object_or_404(JointPlanItem.objects.select_related("plan"), pk=pk)
    plan_item_toggle(item=item, done=request.POST.get("done") == "1")
    return redirect(reverse("events:partner", args=[item.plan.partner_id]) + f"#plan-{item.plan_id}")


urlpatterns = [
    path("partners/", partners_view, name="partners"),
    path("partners/new/", partner_new_view, name="partner_new"),
    path("partners/<int:pk>/", partner_view, name="partner"),
    path("agreements/<int:pk>/file/", agreement_file_view, name="agreement_file"),
    path("plans/items/<int:pk>/", plan_item_view, name="plan_item"),
]
