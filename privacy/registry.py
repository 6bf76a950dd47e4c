"""What each app holds about a student, how it is erased, and how long each kind of its records is kept.

The apps above privacy (the domains) register here in their own `personal_data.py`, which PrivacyConfig imports
at start-up; privacy.holdings does it for the apps below (the network, accounts, the read log), which cannot import
privacy. Three kinds of hook:

    from privacy.registry import Section, personal_data

    @personal_data.holder("profminimum", order=50)
    def held(student, *, full):            # -> Section | list[Section] | None
        ...

    @personal_data.eraser("profminimum", order=50)
    def erase(student, act):               # act.add(what, model, rows, how) for the act of destruction
        ...

    @personal_data.purger("profminimum.something", title="…", days=365, basis="…")
    def expired(cutoff):                   # -> QuerySet of the rows older than the period
        ...

A fourth kind, `personal_data.record(key, order=…)`, contributes a section of the student's record (the card
«Выгрузить карточку обучающегося», privacy.record): `def record(student, *, viewer) -> Section | None`, what this
viewer may see of it (the domain applies its own rules, e.g. who sees diagnostics results), with `data` in the
shape privacy.record documents.

A holder answers the family's page (`full=False`: a few facts, cheap) and the export (`full=True`: every row,
in tables for the PDF and as data for the JSON). An eraser removes or anonymises what its app holds about the
student, keeping the figures reports need. A purger names the rows whose retention period is over; by default
they are deleted, or `apply=` anonymises them instead.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any


@dataclass
class SectionTable:
    title: str
    columns: list[str]
    rows: list[list[str]]


@dataclass
class Section:
    """What one app holds about a student: facts for the page and the PDF, tables for the PDF, data for the JSON."""

    key: str
    title: str
    facts: list[tuple[str, str]] = field(default_factory=list)
    tables: list[SectionTable] = field(default_factory=list)
    data: Any = None


@dataclass
class Act:
    """What an erasure did, collected from every eraser for the act of destruction."""

    items: list[dict] = field(default_factory=list)

    def add(self, what: str, model, rows: int, how: str) -> None:
        if rows:
            label = model if isinstance(model, str) else model._meta.label
            self.items.append({"what": what, "table": label, "rows": int(rows), "how": how})


DELETED = "удалено"
ANONYMISED = "обезличено"


@dataclass(frozen=True)
class Purger:
    key: str
    title: str
    days: int  # the default period; the data (RetentionRule) may change it
    basis: str
    expired: Callable  # (cutoff: datetime) -> QuerySet
    apply: Callable | None = None  # (QuerySet) -> int; None: delete the rows
    describe: Callable | None = None  # (row) -> str for the dry run; no personal data in it


@dataclass(frozen=True)
class _Hook:
    key: str
    order: int
    function: Callable


class PersonalDataRegistry:
    def __init__(self):
        self._holders: dict[str, _Hook] = {}
        self._erasers: dict[str, _Hook] = {}
        self._purgers: dict[str, Purger] = {}
        self._records: dict[str, _Hook] = {}

    def holder(self, key: str, *, order: int):
        def decorator(function):
            self._holders[key] = _Hook(key, order, function)
            return function

        return decorator

    def eraser(self, key: str, *, order: int):
        def decorator(function):
            self._erasers[key] = _Hook(key, order, function)
            return function

        return decorator

    def record(self, key: str, *, order: int):
        def decorator(function):
            self._records[key] = _Hook(key, order, function)
            return function

        return decorator

    def purger(self, key: str, *, title: str, days: int, basis: str = "", apply: Callable | None = None, describe: Callable | None = None):
        def decorator(function):
            self._purgers[key] = Purger(key, title, days, basis, function, apply, describe)
            return function

        return decorator

    def sections(self, student, *, full: bool) -> list[Section]:
        sections: list[Section] = []
        for hook in sorted(self._holders.values(), key=lambda hook: (hook.order, hook.key)):
            result = hook.function(student, full=full)
            if result is None:
                continue
            sections.extend(result if isinstance(result, list) else [result])
        return sections

    def record_sections(self, student, *, viewer) -> list[Section]:
        """The sections of the student's record this viewer may see, in order."""
        sections = (
            hook.function(student, viewer=viewer) for hook in sorted(self._records.values(), key=lambda hook: (hook.order, hook.key))
        )
        return [section for section in sections if section is not None]

    def erasers(self) -> list[_Hook]:
        """In order: the domains first (they read the person while they scrub their rows), the person last."""
        return sorted(self._erasers.values(), key=lambda hook: (hook.order, hook.key))

    def purgers(self) -> list[Purger]:
        return sorted(self._purgers.values(), key=lambda purger: purger.key)

    def purger_for(self, key: str) -> Purger | None:
        return self._purgers.get(key)


personal_data = PersonalDataRegistry()


def cutoff_for(days: int, *, now: datetime.datetime) -> datetime.datetime:
    return now - datetime.timedelta(days=days)
