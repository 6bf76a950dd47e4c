"""What the portal composes, registered by the domain apps.

Each domain app says in its own `home.py` (imported by the portal at start-up, like `admin.py` by the admin)
which menu entries, home panels and «needs your attention» items it offers; the portal asks every hook with
the request's `HomeContext` and shows what comes back. The kernel knows no domain and no role: a hook
decides for itself whether it applies (returning None or an empty list when it does not), so adding a
domain never edits the portal.

    from core.registry import Attention, MenuItem, Panel, registry

    @registry.menu("events", order=40)
    def events_menu(ctx):
        return MenuItem("Мероприятия", reverse("events:list")) if ctx.viewer.is_authenticated else None

Hooks run on every page (menu) or on the home page (panels, attention), so each must cost a handful of
indexed queries at most, whatever the size of the region.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.http import HttpRequest


@dataclass(frozen=True)
class HomeContext:
    """What a hook is asked with: the request, the viewer (access.policy.Viewer), the active role's home
    kind (republic, municipality, school, teacher, parent, student, partner, jury, none) and today."""

    request: HttpRequest
    viewer: Any
    kind: str
    today: datetime.date


@dataclass(frozen=True)
class MenuItem:
    label: str
    url: str
    # Paths (regular expression) on which this entry is the current one, besides those under its url.
    current_on: str = ""


@dataclass(frozen=True)
class Attention:
    """One thing that needs the person now: «12 занятий не отмечены», with where to go about it."""

    text: str
    url: str = ""
    tone: str = "info"  # info | warning | danger
    detail: str = ""


@dataclass(frozen=True)
class Panel:
    """A block of the home page: a template and its context."""

    title: str
    template: str
    context: dict = field(default_factory=dict)
    wide: bool = False  # spans the whole width on a desktop


@dataclass(frozen=True)
class Heading:
    """The home page's title and lead: the first hook (by order) that answers names the page."""

    title: str
    lead: str = ""
    page_title: str = ""  # the browser tab's title, when shorter than the heading

    @property
    def tab_title(self) -> str:
        return self.page_title or self.title


@dataclass(frozen=True)
class _Hook:
    key: str
    order: int
    function: Callable


class Registry:
    def __init__(self):
        self._hooks: dict[str, dict[str, _Hook]] = {"menu": {}, "panel": {}, "attention": {}, "heading": {}, "links": {}}

    def _register(self, kind: str, key: str, order: int):
        def decorator(function: Callable) -> Callable:
            # Keyed: importing a module twice (tests re-populating the apps) replaces, never duplicates.
            self._hooks[kind][key] = _Hook(key, order, function)
            return function

        return decorator

    def menu(self, key: str, *, order: int):
        """Register a hook `(HomeContext) -> MenuItem | None`."""
        return self._register("menu", key, order)

    def panel(self, key: str, *, order: int):
        """Register a hook `(HomeContext) -> Panel | list[Panel] | None`."""
        return self._register("panel", key, order)

    def attention(self, key: str, *, order: int):
        """Register a hook `(HomeContext) -> list[Attention]`."""
        return self._register("attention", key, order)

    def heading(self, key: str, *, order: int):
        """Register a hook `(HomeContext) -> Heading | None`."""
        return self._register("heading", key, order)

    def links(self, key: str, *, order: int):
        """Register a hook `(HomeContext, subject: str, obj) -> list[MenuItem]`: links a domain adds to another
        app's object page (subject "school", "school_class", "student", "organization")."""
        return self._register("links", key, order)

    def unregister(self, key: str) -> None:
        for hooks in self._hooks.values():
            hooks.pop(key, None)

    def _ordered(self, kind: str) -> list[_Hook]:
        return sorted(self._hooks[kind].values(), key=lambda hook: (hook.order, hook.key))

    def menu_items(self, ctx: HomeContext) -> list[MenuItem]:
        return [item for hook in self._ordered("menu") if (item := hook.function(ctx)) is not None]

    def panels(self, ctx: HomeContext) -> list[Panel]:
        panels: list[Panel] = []
        for hook in self._ordered("panel"):
            result = hook.function(ctx)
            if result is None:
                continue
            panels.extend(result if isinstance(result, list) else [result])
        return panels

    def home_heading(self, ctx: HomeContext) -> Heading | None:
        return next((heading for hook in self._ordered("heading") if (heading := hook.function(ctx)) is not None), None)

    def object_links(self, ctx: HomeContext, subject: str, obj) -> list[MenuItem]:
        links: list[MenuItem] = []
        for hook in self._ordered("links"):
            links.extend(hook.function(ctx, subject, obj) or [])
        return links

    def attention_items(self, ctx: HomeContext) -> list[Attention]:
        items: list[Attention] = []
        for hook in self._ordered("attention"):
            items.extend(hook.function(ctx) or [])
        return items


registry = Registry()
