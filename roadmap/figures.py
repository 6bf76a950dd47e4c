"""Figure providers: where the platform already holds the evidence of an item, the report is prefilled with it.

A provider is a function of a `FigureContext` (the organisation reporting, the scope it answers for — the
republic, its municipality, its school — and the period) that returns the figures the platform holds, each with
a link to the page that shows them. Providers are keyed by the item's code (its number without the trailing dot;
the second «1.3» is «1.3(2)»), so an item added to a later year's plan gets figures by registering its code.

Two ways to register, so that no app has to import one above it:

- the roadmap's own providers for the domains below it (roadmap/providers.py) use the decorator:

      @figure_providers.register("4.1", key="profminimum.course")
      def course(ctx: FigureContext) -> list[Figure]: ...

- any app may instead ship a module `roadmap_figures.py` with a mapping, discovered at start-up; its functions get
  the same context and may return plain dicts with the same fields as `Figure` (no import of the roadmap needed):

      ROADMAP_FIGURES = {"4.3": diagnostics_taken}
      # optional: where the kind-wide executors report instead of filing a roadmap contribution
      ROADMAP_CONTRIBUTIONS_ELSEWHERE = {"4.8": "Школы сдают ежемесячную форму «Охват дополнительным образованием»."}

A provider that fails is logged and skipped: a report is never blocked by another domain's trouble.
"""

import datetime
import importlib
import logging
from collections.abc import Callable, Iterable, Mapping
from dataclasses import asdict, dataclass
from decimal import Decimal, InvalidOperation

from django.apps import apps

logger = logging.getLogger(__name__)

KINDS = ("int", "decimal", "percent", "hours", "text")
DISCOVERED_MODULE = "roadmap_figures"


@dataclass(frozen=True)
class FigureContext:
    item_code: str
    organization: object  # orgs.models.Organization
    scope: str  # "republic" | "municipality" | "school" | "" (an organisation the platform holds no figures for)
    scope_id: int  # the municipality's or school's id; 0 for the republic
    starts_on: datetime.date
    ends_on: datetime.date  # the period's end, or today if that is earlier: figures as of that day
    school_year: object | None  # orgs.models.SchoolYear holding the period's end, if the platform has it


@dataclass(frozen=True)
class Figure:
    key: str  # stable within the item: the corrections are keyed by it
    label: str
    value: object  # int, Decimal or str (kind "text")
    kind: str = "int"
    url: str = ""  # the page of the platform that shows where the figure comes from
    note: str = ""

    def as_json(self) -> dict:
        data = asdict(self)
        data["value"] = figure_value_json(self.value, self.kind)
        return data


def figure_value_json(value, kind: str):
    if value is None:
        return None
    if kind == "text":
        return str(value)
    if kind == "int":
        return int(value)
    return str(Decimal(value))


def figure_value_parse(raw: str, kind: str):
    """An executor's corrected value in the figure's own kind, or ValueError with the reason in Russian."""
    raw = (raw or "").strip().replace("\u00a0", "").replace(" ", "")
    if kind == "text":
        return raw
    raw = raw.replace(",", ".").rstrip("%")
    try:
        value = Decimal(raw)
    except InvalidOperation:
        raise ValueError("нужно число") from None
    if not value.is_finite() or abs(value) >= Decimal("1e12"):
        raise ValueError("число вне разумных пределов")
    if value < 0:
        raise ValueError("число не может быть отрицательным")
    if kind == "int":
        if value != value.to_integral_value():
            raise ValueError("нужно целое число")
        return int(value)
    return value.quantize(Decimal("0.1"))


Provider = Callable[[FigureContext], Iterable]


@dataclass(frozen=True)
class _Registered:
    key: str
    function: Provider


class FigureRegistry:
    def __init__(self):
        self._providers: dict[str, dict[str, _Registered]] = {}
        self._elsewhere: dict[str, str] = {}

    def register(self, code: str, *, key: str):
        """Decorator: `function(ctx) -> figures` prefills the reports of the item `code`."""

        def decorator(function: Provider) -> Provider:
            # Keyed: importing a module twice replaces, never duplicates.
            self._providers.setdefault(code, {})[key] = _Registered(key, function)
            return function

        return decorator

    def contributions_elsewhere(self, code: str, text: str) -> None:
        """The kind-wide executors of item `code` report through a form of their own (`text` says which): they
        file no roadmap contribution, and the lead's report is prefilled from those forms."""
        self._elsewhere[code] = text

    def elsewhere(self, code: str) -> str:
        return self._elsewhere.get(code, "")

    def unregister(self, code: str, key: str) -> None:
        self._providers.get(code, {}).pop(key, None)

    def codes(self) -> list[str]:
        return sorted(code for code, providers in self._providers.items() if providers)

    def has(self, code: str) -> bool:
        return bool(self._providers.get(code))

    def figures(self, ctx: FigureContext) -> list[Figure]:
        figures: list[Figure] = []
        seen: set[str] = set()
        for registered in sorted(self._providers.get(ctx.item_code, {}).values(), key=lambda r: r.key):
            try:
                produced = list(registered.function(ctx) or [])
            except Exception:
                logger.exception("Поставщик показателей %s для пункта %s не сработал", registered.key, ctx.item_code)
                continue
            for raw in produced:
                figure = _as_figure(raw)
                if figure is None or figure.key in seen:
                    continue
                seen.add(figure.key)
                figures.append(figure)
        return figures


def _as_figure(raw) -> Figure | None:
    get = raw.get if isinstance(raw, Mapping) else (lambda name, default=None: getattr(raw, name, default))
    key, label = str(get("key", "") or ""), str(get("label", "") or "")
    kind = get("kind", "int") or "int"
    if not key or not label or kind not in KINDS:
        return None
    url = str(get("url", "") or "")
    return Figure(
        key=key[:100],
        label=label[:300],
        value=get("value"),
        kind=kind,
        url=url if url.startswith("/") else "",
        note=str(get("note", "") or ""),
    )


figure_providers = FigureRegistry()


def figure_providers_discover() -> None:
    """Import the built-in providers and every installed app's `roadmap_figures` module, and register what they
    declare."""
    import roadmap.providers  # noqa: F401

    for config in apps.get_app_configs():
        name = f"{config.name}.{DISCOVERED_MODULE}"
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as error:
            if error.name == name:
                continue
            raise
        for code, function in getattr(module, "ROADMAP_FIGURES", {}).items():
            figure_providers.register(code, key=f"{config.name}.{getattr(function, '__name__', 'figures')}")(function)
        for code, text in getattr(module, "ROADMAP_CONTRIBUTIONS_ELSEWHERE", {}).items():
            figure_providers.contributions_elsewhere(code, text)
