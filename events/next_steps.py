"""The offers as next steps of the recommendations (catalog.next_steps): upcoming published offers open to the
student — their grade, their municipality or the whole republic — that introduce a recommended profession, with
the date and the free places. Discovered by CatalogConfig.ready; the catalogue does not import events."""

from django.urls import reverse
from django.utils import timezone

from catalog.next_steps import NextStep, StepQuery, next_steps
from core.formatting import count_text
from core.search import normalize_search_text
from events.models import Offer
from events.selectors import upcoming_offers_for
from people.models import Student

_KINDS = {Offer.Kind.TRIAL: "trial", Offer.Kind.EXCURSION: "excursion", Offer.Kind.OPEN_DAY: "open_day"}


def _stems(title: str) -> list[str]:
    """The words of a profession's name an offer's text is searched for (as events.selectors matches them)."""
    words = [word for word in normalize_search_text(title).split()[:3] if len(word) >= 4]
    return [word[:-2] if len(word) > 6 else word for word in words]


def _step(offer: Offer, free: int) -> NextStep:
    places = "мест нет — можно встать в лист ожидания" if free <= 0 else f"свободно {count_text(free, 'место', 'места', 'мест')}"
    return NextStep(
        kind=_KINDS.get(offer.kind, "event"), title=offer.title, url=reverse("events:offer", args=[offer.pk]),
        on=timezone.localtime(offer.starts_at).date(), where=offer.provider.short_name, detail=f"{offer.get_kind_display()}, {places}",
    )  # fmt: skip


@next_steps.provider("events.offers", order=30)
def upcoming_offers(query: StepQuery) -> dict[int, list[NextStep]]:
    if query.student_id is None or not query.professions:
        return {}
    student = Student.objects.select_related("current_class", "current_school").filter(pk=query.student_id).first()
    if student is None:
        return {}
    titles = [ref.title for ref in query.professions]
    found = upcoming_offers_for(student=student, professions=titles, limit=query.per_profession * len(titles))
    result: dict[int, list[NextStep]] = {}
    for ref in query.professions:
        stems = _stems(ref.title)
        steps = [_step(item.offer, item.free) for item in found if any(stem in item.offer.search_text for stem in stems)]
        if steps:
            result[ref.id] = steps[: query.per_profession]
    return result
