"""The catalogue as the ranking reads it: every active profession's profile, loaded once per process and kept while the
catalogue's stamp (the number of professions, the last logged change) stays the same."""

import threading
from dataclasses import dataclass

from django.db.models import Count, Max

from catalog.models import CatalogueChange, Profession, Sector, Subject
from guidance.ranking import Prepared, ProfessionProfile, profession_profile


@dataclass(frozen=True)
class Catalogue:
    stamp: str
    professions: tuple[ProfessionProfile, ...]
    subject_titles: dict[int, str]
    prepared: Prepared


_lock = threading.Lock()
_cached: Catalogue | None = None


def catalogue_stamp() -> str:
    figures = Profession.objects.filter(is_active=True).aggregate(n=Count("pk"), last=Max("pk"))
    change = CatalogueChange.objects.aggregate(last=Max("pk"))["last"] or 0
    return f"{figures['n']}:{figures['last'] or 0}:{change}"


def catalogue_current() -> Catalogue:
    global _cached
    stamp = catalogue_stamp()
    cached = _cached
    if cached is not None and cached.stamp == stamp:
        return cached
    with _lock:
        sector_titles = dict(Sector.objects.values_list("pk", "title"))
        professions = list(Profession.objects.filter(is_active=True).order_by("code"))
        ids = [p.pk for p in professions]
        sectors: dict[int, set[int]] = {pk: set() for pk in ids}
        for profession_id, sector_id in Profession.sectors.through.objects.filter(profession_id__in=ids).values_list(
            "profession_id", "sector_id"
        ):
            sectors[profession_id].add(sector_id)
        subjects: dict[int, set[int]] = {pk: set() for pk in ids}
        for profession_id, subject_id in Profession.subjects.through.objects.filter(profession_id__in=ids).values_list(
            "profession_id", "subject_id"
        ):
            subjects[profession_id].add(subject_id)
        profiles = tuple(
            profession_profile(
                id=p.pk,
                code=p.code,
                title=p.title,
                profile=p.profile,
                klimov=p.klimov,
                sector_ids=sectors[p.pk] | {p.main_sector_id},
                sector_titles={s: sector_titles.get(s, "") for s in sectors[p.pk] | {p.main_sector_id}},
                subject_ids=subjects[p.pk],
                demand=p.demand,
                market_is_demo=p.market_is_demo,
            )
            for p in professions
        )
        _cached = Catalogue(stamp, profiles, dict(Subject.objects.values_list("pk", "title")), Prepared(profiles))
        return _cached
