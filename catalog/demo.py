"""The catalogue of the demo region: the republic's institutions and programmes from the shipped reference, and a
regional demand for each profession — invented, labelled demonstration data until an operator sets it."""

import random

from catalog.models import Profession
from catalog.shipped import catalog_reference_load, catalog_shipped_ensure

DEMAND_WEIGHTS = (("high", 3), ("medium", 4), ("low", 2))


def build_catalog_demo(*, seed: int, stdout=None) -> dict[str, int]:
    rng = random.Random(seed * 7 + 11)
    catalog_shipped_ensure()
    created = catalog_reference_load()
    kinds, weights = zip(*DEMAND_WEIGHTS, strict=True)
    professions = list(Profession.objects.filter(demand=Profession.Demand.UNKNOWN).order_by("code"))
    for profession in professions:
        profession.demand = rng.choices(kinds, weights)[0]
        profession.market_is_demo = True
        profession.market_source = "демонстрационные данные: спрос выдуман для демо-региона"
    Profession.objects.bulk_update(professions, ["demand", "market_is_demo", "market_source"], batch_size=500)
    if stdout is not None:
        stdout.write(
            f"Каталог: организаций профобразования добавлено — {created['institutions']}, программ — {created['programmes']}; "
            f"спрос задан (демонстрационный) для {len(professions)} профессий\n"
        )
    return created | {"demand": len(professions)}
