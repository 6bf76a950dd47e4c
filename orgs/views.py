from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from access.policy import viewer_for
from core.breadcrumbs import page_trail, school_trail
from orgs.models import Organization
from orgs.selectors import municipality_get, organization_get, organization_search, school_class_list, school_list
from people.selectors import staff_list


@login_required
def municipality_detail(request: HttpRequest, pk: int) -> HttpResponse:
    viewer = viewer_for(request.user)
    municipality = municipality_get(viewer=viewer, pk=pk)
    query = request.GET.get("q", "").strip()
    schools = school_list(viewer=viewer, municipality=municipality, query=query)
    context = {
        "municipality": municipality,
        "schools": schools,
        "query": query,
        "breadcrumbs": page_trail([{"label": "Республика", "url": "/"}] if viewer.is_republic else [], municipality.name),
    }
    template = "orgs/_school_rows.html" if request.htmx else "orgs/municipality_detail.html"
    return render(request, template, context)


@login_required
def organization_list(request: HttpRequest) -> HttpResponse:
    viewer = viewer_for(request.user)
    query = request.GET.get("q", "").strip()
    kind = request.GET.get("kind", "")
    kind = kind if kind in Organization.Kind.values else ""
    organizations = organization_search(viewer=viewer, query=query, kind=kind)[:200]
    context = {"organizations": organizations, "query": query, "kind": kind, "kinds": Organization.Kind.choices}
    template = "orgs/_organization_rows.html" if request.htmx else "orgs/organization_list.html"
    return render(request, template, context)


@login_required
def organization_detail(request: HttpRequest, pk: int) -> HttpResponse:
    viewer = viewer_for(request.user)
    organization = organization_get(viewer=viewer, pk=pk)
    trail = school_trail(viewer, organization)[:-1] if organization.is_school else []
    context: dict = {"organization": organization, "breadcrumbs": page_trail(trail, organization.short_name)}
    if organization.is_school:
        classes = list(school_class_list(viewer=viewer, school=organization))
        context.update(classes=classes, staff=staff_list(viewer=viewer, organization=organization))
    return render(request, "orgs/organization_detail.html", context)
