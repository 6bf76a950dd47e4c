"""Next steps: what a student can do in the republic right now to try a profession — a programme to enter, an
additional-education programme to join, an event, a professional trial, an excursion. Each is a concrete item with
a date or a link (issue 10, Decisions), never a general tip.

The catalogue keeps the registry; any app that offers something to try registers a provider in its own
`next_steps.py` (discovered at start-up by CatalogConfig.ready, so an app above the catalogue joins without the
catalogue or the recommendations importing it):

    from catalog.next_steps import NextStep, StepQuery, next_steps

    @next_steps.provider("events", order=30)
    def upcoming_events(query: StepQuery) -> dict[int, list[NextStep]]:
        # for each profession of query.professions (by id) the steps that fit it, soonest first
        ...

A provider is asked once for all the professions shown (a page of recommendations, a profession's card), must cost
a few indexed queries whatever the number of professions, must offer only what is open to the student (their
grade, their municipality or the whole republic, not past), and returns at most `query.per_profession` steps per
profession. A provider that fails is logged and skipped: the recommendations still show.
"""

import datetime
import logging
from collections.abc import Callable
from dataclasses import dataclass, field

logger = logging.getLogger(__name__)

# The kinds of step, in the order a page groups them, with their Russian labels.
KINDS = {
    "programme": "Программа обучения",
    "additional": "Дополнительное образование",
    "training": "Профессиональное обучение",
    "event": "Мероприятие",
    "trial": "Профессиональная проба",
    "excursion": "Экскурсия",
    "open_day": "День открытых дверей",
}


@dataclass(frozen=True)
class ProfessionRef:
    """What a provider needs to know of a profession to match its offers to it."""

    id: int
    code: str
    title: str
    sector_ids: frozenset[int]
    speciality_codes: frozenset[str]  # ОКСО codes of its typical education paths
    institution_ids: frozenset[int] = frozenset()  # colleges and universities with a programme on one of those codes


@dataclass(frozen=True)
class StepQuery:
    """Whom the steps are for and for which professions."""

    professions: tuple[ProfessionRef, ...]
    today: datetime.date
    student_id: int | None = None
    school_id: int | None = None
    municipality_id: int | None = None
    grade: int | None = None
    per_profession: int = 3


@dataclass(frozen=True)
class NextStep:
    kind: str  # a key of KINDS
    title: str
    url: str = ""  # where to read about it or sign up (the platform's own page or the organiser's)
    on: datetime.date | None = None  # when it is (or when it starts)
    until: datetime.date | None = None
    where: str = ""  # the organisation and place
    detail: str = ""  # one short line: grades, for free, a confirmation state
    external: bool = False  # the url leads outside the platform

    def __post_init__(self):
        if self.kind not in KINDS:
            raise ValueError(f"Неизвестный вид следующего шага: {self.kind}")
        if not self.url and self.on is None:
            raise ValueError("У следующего шага должна быть дата или ссылка.")

    @property
    def kind_label(self) -> str:
        return KINDS[self.kind]

    @property
    def sort_key(self) -> tuple:
        # Dated steps first, the soonest first; then the rest in the order providers gave them.
        return (self.on is None, self.on or datetime.date.max)


@dataclass(frozen=True)
class _Provider:
    key: str
    order: int
    function: Callable[[StepQuery], dict[int, list[NextStep]]]


@dataclass
class NextStepRegistry:
    _providers: dict[str, _Provider] = field(default_factory=dict)

    def provider(self, key: str, *, order: int):
        """Register `function(query: StepQuery) -> dict[profession id, list[NextStep]]`."""

        def decorator(function):
            self._providers[key] = _Provider(key, order, function)  # keyed: a module imported twice replaces
            return function

        return decorator

    def unregister(self, key: str) -> None:
        self._providers.pop(key, None)

    def providers(self) -> list[_Provider]:
        return sorted(self._providers.values(), key=lambda p: (p.order, p.key))

    def steps_for(self, query: StepQuery) -> dict[int, list[NextStep]]:
        """Every provider's steps for each profession of the query: each provider's own at most
        `query.per_profession`, dated ones first and soonest first, the same item offered twice shown once."""
        result: dict[int, list[NextStep]] = {ref.id: [] for ref in query.professions}
        if not query.professions:
            return result
        for provider in self.providers():
            try:
                answer = provider.function(query) or {}
            except Exception:
                logger.exception("Поставщик следующих шагов %s не ответил", provider.key)
                continue
            for profession_id, steps in answer.items():
                if profession_id in result:
                    result[profession_id].extend(list(steps)[: query.per_profession])
        for profession_id, steps in result.items():
            unique = list({(step.kind, step.title, step.url, step.on): step for step in steps}.values())
            result[profession_id] = sorted(unique, key=lambda step: step.sort_key)
        return result


next_steps = NextStepRegistry()
