"""The professions catalogue as the platform's users read it: the list (search, a sector of «Россия — мои горизонты»)
and a profession's card — what the work is, its RIASEC profile and Klimov type, the education paths with their ОКСО
codes and the republic's programmes, demand (marked when it is demonstration data), pay, and what one can do now."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from access.context import home_context
from catalog.models import Sector
from catalog.next_steps import ProfessionRef, StepQuery, next_steps
from catalog.riasec import LETTERS, TYPE_NAMES
from catalog.selectors import profession_get, professions_search
from core.registry import registry

MAX_QUERY = 100


def _int(value) -> int | None:
    return int(value) if isinstance(value, str) and value.isdigit() and len(value) < 10 else None


@login_required
def professions(request: HttpRequest) -> HttpResponse:
    query = (request.GET.get("q") or "").strip()[:MAX_QUERY]
    sectors = list(Sector.objects.order_by("position", "title"))
    sector = next((s for s in sectors if s.pk == _int(request.GET.get("sector", ""))), None)
    # The same reads as the API's (catalog.selectors): exact matches of the query first, then by title.
    found = list(professions_search(query=query, sector=sector.code if sector is not None else "")[:300])
    return render(
        request,
        "catalog/professions.html",
        {"rows": found, "query": query, "sectors": sectors, "sector": sector, "page_title": "Каталог профессий",
         "links": registry.object_links(home_context(request), "catalogue", None),
         "breadcrumbs": [{"label": "Каталог профессий", "url": ""}]},
    )  # fmt: skip


@login_required
def profession(request: HttpRequest, pk: int) -> HttpResponse:
    found = profession_get(pk=pk)  # with its sectors, education paths and their active programmes, as the API reads it
    specialities = list(found.specialities.all())  # by ОКСО code
    programmes = [programme for speciality in specialities for programme in speciality.programmes.all()]
    other_sectors = sorted((s for s in found.sectors.all() if s.pk != found.main_sector_id), key=lambda s: (s.position, s.title))
    sectors = {found.main_sector_id, *(s.pk for s in found.sectors.all())}
    ref = ProfessionRef(found.pk, found.code, found.title, frozenset(sectors), frozenset(s.code for s in specialities))
    steps = next_steps.steps_for(StepQuery(professions=(ref,), today=timezone.localdate(), per_profession=5)).get(found.pk, [])
    profile = [(letter, TYPE_NAMES[letter], getattr(found, letter.lower())) for letter in LETTERS]
    return render(
        request,
        "catalog/profession.html",
        {"profession": found, "specialities": specialities, "programmes": programmes, "steps": steps, "profile": profile,
         "other_sectors": other_sectors,
         "page_title": found.title,
         "breadcrumbs": [{"label": "Каталог профессий", "url": "/catalog/"}, {"label": found.title, "url": ""}]},
    )  # fmt: skip
