"""The data the platform ships: the kinds of consent with the first wording of their texts (data/consents.json) and
the production calendar (data/working_calendar.json). A migration loads them; `shipped_data_ensure` puts back what a
database lost — a test database emptied by a transactional test, say — without touching what is there."""

import datetime
import json
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data"


def consent_kinds_load(*, kind_model, text_model, only_missing: bool = False) -> int:
    """Create the shipped kinds (and their first wording); with `only_missing`, only the kinds that are not there.
    The models are passed in so that a data migration can use its historical ones. Returns how many were created."""
    consents = json.loads((DATA / "consents.json").read_text(encoding="utf-8"))
    effective = datetime.date.fromisoformat(consents["effective_from"])
    present = set(kind_model.objects.values_list("code", flat=True)) if only_missing else set()
    created = 0
    for position, spec in enumerate(consents["kinds"], start=1):
        if spec["code"] in present:
            continue
        kind, _ = kind_model.objects.update_or_create(
            code=spec["code"],
            defaults={"title": spec["title"], "summary": spec["summary"], "is_publication": spec["is_publication"], "position": position},
        )
        text_model.objects.get_or_create(
            kind=kind, version=1, defaults={"text": spec["text"] + "\n\n" + consents["common_end"], "effective_from": effective}
        )
        created += 1
    return created


def shipped_data_ensure() -> bool:
    """Put back the shipped kinds and calendar if they are missing; True if anything was missing."""
    from privacy.models import CalendarDay, CalendarYear, ConsentKind, ConsentText
    from privacy.workdays import calendar_data, calendar_load

    restored = bool(consent_kinds_load(kind_model=ConsentKind, text_model=ConsentText, only_missing=True))
    if not CalendarYear.objects.exists():
        calendar_load(calendar_data(), year_model=CalendarYear, day_model=CalendarDay)
        restored = True
    return restored
