"""The instruments the platform ships (diagnostics/instruments/*.json), published into the database after every
migration and put back lazily where a database lost them (a test database emptied by a transactional test).

A shipped file whose version is already published is compared by checksum: a changed file under the same version is an
error (answers point at the published one) — change its "version" to publish it as a new version."""

import logging
from pathlib import Path

from django.db import transaction

from diagnostics.format import checksum, instrument_parse

log = logging.getLogger(__name__)

INSTRUMENTS = Path(__file__).resolve().parent / "instruments"


def shipped_files() -> list[Path]:
    return sorted(INSTRUMENTS.glob("*.json"))


def shipped_definitions() -> list[dict]:
    return [instrument_parse(path.read_bytes()) for path in shipped_files()]


class ShippedChanged(RuntimeError):
    pass


def version_publish(*, data: dict, source: str, licence_note: str = "", user=None, is_shipped: bool = False):
    """Publish a checked definition as a version of its instrument (made the first time), the one new assignments get.
    Returns (version, created). The same code and version again: the stored one if identical, an error otherwise."""
    from diagnostics.models import Instrument, InstrumentVersion

    digest = checksum(data)
    with transaction.atomic():
        instrument, _ = Instrument.objects.select_for_update().get_or_create(
            code=data["code"],
            defaults={
                "title": data["title"].strip(),
                "audience": data["audience"],
                "profile": data.get("profile", ""),
                "is_shipped": is_shipped,
            },
        )
        existing = InstrumentVersion.objects.filter(instrument=instrument, version=data["version"]).first()
        if existing is not None:
            if existing.checksum != digest:
                raise ShippedChanged(
                    f"Версия {data['version']} методики «{data['code']}» уже опубликована с другим содержанием: "
                    "опубликованная версия не меняется, укажите новый номер версии."
                )
            return existing, False
        InstrumentVersion.objects.filter(instrument=instrument, is_current=True).update(is_current=False)
        version = InstrumentVersion.objects.create(
            instrument=instrument, version=data["version"], definition=data, checksum=digest, source=source,
            licence_note=licence_note, uploaded_by=user, is_current=True,
        )  # fmt: skip
        changed = []
        for field, value in (("title", data["title"].strip()), ("audience", data["audience"]), ("profile", data.get("profile", ""))):
            if getattr(instrument, field) != value:
                setattr(instrument, field, value)
                changed.append(field)
        if changed:
            instrument.save(update_fields=changed)
        return version, True


def shipped_instruments_ensure() -> int:
    """Publish every shipped file not published yet; returns how many were published."""
    from diagnostics.models import InstrumentVersion

    present = set(InstrumentVersion.objects.filter(source=InstrumentVersion.Source.SHIPPED).values_list("instrument__code", "version"))
    published = 0
    for data in shipped_definitions():
        if (data["code"], data["version"]) in present:
            continue
        _, created = version_publish(
            data=data, source=InstrumentVersion.Source.SHIPPED, licence_note=data.get("licence", ""), is_shipped=True
        )
        published += int(created)
    return published


def on_post_migrate(sender, using="default", **kwargs) -> None:
    from diagnostics.models import InstrumentVersion

    if using != "default":
        return
    try:
        InstrumentVersion.objects.exists()
    except Exception:  # the tables are not there (migrating backwards)
        return
    shipped_instruments_ensure()
