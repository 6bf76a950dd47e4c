"""Reads of the catalogue: professions, the colleges and universities that teach, their programmes. The catalogue
holds no personal data: every signed-in person reads the same (the pages and the API alike)."""

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404

from catalog.models import Profession, Programme, Speciality
from core.search import filter_by_search, search_rank_expression
from orgs.models import Organization

INSTITUTION_KINDS = (Organization.Kind.COLLEGE, Organization.Kind.UNIVERSITY)


def professions_search(*, query: str = "", sector: str = "", riasec: str = "", klimov: str = "") -> QuerySet[Profession]:
    """The professions in the catalogue, alphabetically (exact matches of the query first).

    `sector` is a sector's code (the main one or another the profession belongs to); `riasec` one to three
    letters the profession's Holland code begins with («S» — social first, «SA» — social, then artistic);
    `klimov` a Klimov type's code."""
    rows = Profession.objects.filter(is_active=True).select_related("main_sector")
    if query:
        rows = filter_by_search(rows, query)
    if sector:
        belongs = Profession.sectors.through.objects.filter(profession_id=OuterRef("pk"), sector__code=sector)
        rows = rows.filter(Q(main_sector__code=sector) | Q(Exists(belongs)))
    if riasec:
        rows = rows.filter(holland_code__startswith=riasec.upper())
    if klimov:
        rows = rows.filter(klimov=klimov)
    order = [search_rank_expression(query)] if query else []
    return rows.order_by(*order, "title", "pk")


def profession_get(*, pk: int) -> Profession:
    """One profession of the catalogue with its sectors and education paths (ОКСО), and the active programmes
    of those paths at the republic's institutions; one withdrawn from the catalogue is a 404."""
    programmes = Programme.objects.filter(is_active=True).select_related("institution").order_by("title", "pk")
    specialities = Speciality.objects.order_by("code").prefetch_related(Prefetch("programmes", queryset=programmes))
    rows = (
        Profession.objects.filter(is_active=True)
        .select_related("main_sector")
        .prefetch_related("sectors", Prefetch("specialities", queryset=specialities))
    )
    return get_object_or_404(rows, pk=pk)


def institutions_list(*, query: str = "", kind: str = "") -> QuerySet[Organization]:
    """The colleges and universities of the republic, by name, each with how many active programmes it has in the
    catalogue (`programme_count`)."""
    kinds = [kind] if kind else INSTITUTION_KINDS
    rows = Organization.objects.filter(kind__in=kinds, is_active=True).select_related("municipality")
    if query:
        rows = filter_by_search(rows, query)
    active = Q(catalog_programmes__is_active=True)
    return rows.annotate(programme_count=Count("catalog_programmes", filter=active)).order_by("short_name", "pk")


def programmes_list(
    *, institution_id: int | None = None, okso: str = "", level: str = "", confirmed: bool | None = None, query: str = ""
) -> QuerySet[Programme]:
    """The active programmes of the republic's institutions, by ОКСО code and title. `okso` is a whole code
    («09.02.07») or its start («09.02», «09»)."""
    rows = Programme.objects.filter(is_active=True).select_related("institution", "speciality")
    if institution_id is not None:
        rows = rows.filter(institution_id=institution_id)
    if okso:
        rows = rows.filter(speciality__code__startswith=okso)
    if level:
        rows = rows.filter(speciality__level=level)
    if confirmed is not None:
        rows = rows.filter(is_confirmed=confirmed)
    if query:
        rows = filter_by_search(rows, query)
    return rows.order_by("speciality__code", "title", "pk")
