"""Bench cases of the events app: `events.calendar_page` — the public calendar of the current month with 5,000
offers in the catalogue (target ≤ 150 ms server time), unfiltered and with the filters a student uses. The floor
is the simplest correct read of the month: every published offer starting in it, fetched as rows."""

import datetime
from collections.abc import Iterable

from django.test import Client
from django.utils import timezone

from core.bench import BenchRun, Measurement, bench_case, median_ms
from events.demo import PROVIDER_KINDS, _Builder
from events.models import Offer
from orgs.models import Organization

CATALOGUE = 5_000


def _catalogue_of(size: int, run: BenchRun) -> None:
    """Published offers up to `size`, spread over the school year's days, as the demo builder makes them."""
    have = Offer.objects.filter(status=Offer.Status.PUBLISHED).count()
    if have >= size:
        return
    builder = _Builder(seed=2)
    providers = list(Organization.objects.filter(kind__in=PROVIDER_KINDS, is_active=True).order_by("pk"))
    if builder.year is None or not providers:
        run.log("Внимание: нет учебного года или организаций-партнёров — календарь меряется без предложений")
        return
    start = timezone.make_aware(datetime.datetime.combine(builder.year.starts_on, datetime.time(9)))
    span = (builder.year.ends_on - builder.year.starts_on).days
    offers = [
        builder._offer(providers[n % len(providers)], starts_at=start + datetime.timedelta(days=builder.rng.randrange(span), hours=builder.rng.randrange(9)))
        for n in range(size - have)
    ]  # fmt: skip
    Offer.objects.bulk_create(offers, batch_size=1000)
    run.log(f"Каталог мероприятий: добавлено {size - have} предложений, всего {size}")


def _month_rows(first: datetime.date) -> None:
    last = (first + datetime.timedelta(days=32)).replace(day=1)
    start = timezone.make_aware(datetime.datetime.combine(first, datetime.time.min))
    end = timezone.make_aware(datetime.datetime.combine(last, datetime.time.min))
    list(
        Offer.objects.filter(status=Offer.Status.PUBLISHED, starts_at__gte=start, starts_at__lt=end).values_list("pk", "title", "starts_at")
    )


@bench_case
def calendar_page(run: BenchRun) -> Iterable[Measurement]:
    _catalogue_of(CATALOGUE, run)
    client = Client(raise_request_exception=False)
    first = timezone.localdate().replace(day=1)
    floor = median_ms(lambda: _month_rows(first), repeat=9, warmup=1)
    for name, url in (
        ("events.calendar_page", "/events/calendar/"),
        ("events.calendar_page_filtered", "/events/calendar/?grade=8&sector=agriculture&free=on"),
        ("events.catalogue_page", "/events/?grade=8&free=on"),
    ):
        status = client.get(url).status_code
        if status != 200:
            run.log(f"Внимание: {url} ответила {status}")
        yield Measurement(name, "ms", median_ms(lambda url=url: client.get(url)), floor=floor)
