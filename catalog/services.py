"""Writes to the catalogue from outside the admin: every change is a CatalogueChange, like the admin's saves, so the
stored recommendations see a new catalogue version."""

import datetime
from dataclasses import dataclass

from django.db import transaction

from catalog.models import CatalogueChange, Profession, Programme


@dataclass(frozen=True)
class ProgrammeWrite:
    """One programme as an operator's list gives it: the stable key (institution, ОКСО code, profile, form), what
    it says, and the professions it leads to. `programme_id` is the row it updates (None: a new one)."""

    institution_id: int
    speciality_id: int
    profile: str
    form: str
    title: str
    url: str
    is_active: bool
    profession_ids: tuple[int, ...] = ()
    programme_id: int | None = None
    label: str = ""  # how the change log names it («09.02.07 … — колледж»), to spare a query per row


def programmes_save(*, by, writes: list[ProgrammeWrite], today: datetime.date, source: str = "") -> dict:
    """Create or update the programmes of an operator's list. Each one counts as confirmed by `by` today (the
    operator vouches for the list), each speciality gains the professions named with it (a profession's education
    paths are its ОКСО codes), and each change is recorded. Returns {"created": n, "updated": n}."""
    created = updated = 0
    changes: list[CatalogueChange] = []
    with transaction.atomic():
        existing = Programme.objects.select_for_update().in_bulk([w.programme_id for w in writes if w.programme_id])
        links = Profession.specialities.through
        linked = set(
            links.objects.filter(speciality_id__in={w.speciality_id for w in writes}).values_list("profession_id", "speciality_id")
        )
        new_links: list = []
        for write in writes:
            fields = {
                "title": write.title, "url": write.url, "is_active": write.is_active, "is_confirmed": True, "confirmed_by": by,
                "confirmed_on": today, **({"source": source[:500]} if source else {}),
            }  # fmt: skip
            programme = existing.get(write.programme_id) if write.programme_id else None
            if programme is None:
                programme = Programme(
                    institution_id=write.institution_id, speciality_id=write.speciality_id, profile=write.profile, form=write.form, **fields
                )
                programme.save()
                created += 1
                verb = "добавлено"
            else:
                for name, value in fields.items():
                    setattr(programme, name, value)
                programme.save()
                updated += 1
                verb = "изменено"
            changes.append(
                CatalogueChange(by=by, what=f"Образовательная программа «{write.label or programme}»: {verb} загрузкой списка"[:300])
            )
            for profession_id in write.profession_ids:
                if (profession_id, write.speciality_id) not in linked:
                    linked.add((profession_id, write.speciality_id))
                    new_links.append(links(profession_id=profession_id, speciality_id=write.speciality_id))
        links.objects.bulk_create(new_links)
        if new_links:
            changes.append(CatalogueChange(by=by, what=f"Связей профессий с путями обучения добавлено загрузкой списка: {len(new_links)}"))
        CatalogueChange.objects.bulk_create(changes, batch_size=1000)
    return {"created": created, "updated": updated}
