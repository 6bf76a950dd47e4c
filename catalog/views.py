"""The professions catalogue as the platform's users read it: the list (search, a sector of «Россия — мои горизонты»)
and a profession's card — what the work is, its RIASEC profile and Klimov type, the education paths with their ОКСО
codes and the republic's programmes, demand (marked when it is demonstration data), pay, and what one can do now."""

from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from access.context import home_context
from catalog.models import Profession, Programme, Sector
from catalog.next_steps import ProfessionRef, StepQuery, next_steps
from catalog.riasec import LETTERS, TYPE_NAMES
from core.registry import registry
from core.search import filter_by_search

MAX_QUERY = 100


def _int(value) -> int | None:
    return int(value) if isinstance(value, str) and value.isdigit() and len(value) < 10 else None


@login_required
def professions(request: HttpRequest) -> HttpResponse:
    query = (request.GET.get("q") or "").strip()[:MAX_QUERY]
    sectors = list(Sector.objects.order_by("position", "title"))
    sector = next((s for s in sectors if s.pk == _int(request.GET.get("sector", ""))), None)
    rows = Profession.objects.filter(is_active=True).select_related("main_sector").order_by("title")
    if query:
        rows = filter_by_search(rows, query)
    if sector is not None:
        rows = rows.filter(Q(sectors=sector) | Q(main_sector=sector)).distinct()
    found = list(rows[:300])
    return render(
        request,
        "catalog/professions.html",
        {"rows": found, "query": query, "sectors": sectors, "sector": sector, "page_title": "Каталог профессий",
         "links": registry.object_links(home_context(request), "catalogue", None),
         "breadcrumbs": [{"label": "Каталог профессий", "url": ""}]},
    )  # fmt: skip


@login_required
def profession(request: HttpRequest, pk: int) -> HttpResponse:
    found = get_object_or_404(Profession.objects.filter(is_active=True).select_related("main_sector"), pk=pk)
    specialities = list(found.specialities.order_by("code"))
    programmes = list(
        Programme.objects.filter(is_active=True, speciality__in=specialities)
        .select_related("institution", "speciality")
        .order_by("speciality__code", "title")
    )
    sectors = {found.main_sector_id, *found.sectors.values_list("pk", flat=True)}
    ref = ProfessionRef(found.pk, found.code, found.title, frozenset(sectors), frozenset(s.code for s in specialities))
    steps = next_steps.steps_for(StepQuery(professions=(ref,), today=timezone.localdate(), per_profession=5)).get(found.pk, [])
    profile = [(letter, TYPE_NAMES[letter], getattr(found, letter.lower())) for letter in LETTERS]
    return render(
        request,
        "catalog/profession.html",
        {"profession": found, "specialities": specialities, "programmes": programmes, "steps": steps, "profile": profile,
         "other_sectors": found.sectors.exclude(pk=found.main_sector_id).order_by("position"),
         "page_title": found.title,
         "breadcrumbs": [{"label": "Каталог профессий", "url": "/catalog/"}, {"label": found.title, "url": ""}]},
    )  # fmt: skip
