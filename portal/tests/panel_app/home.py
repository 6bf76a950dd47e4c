"""What the test-only app registers for the teacher's home: nothing in the portal names it."""

from core.registry import Attention, MenuItem, Panel, registry

KEY = "portal_test_panel_app"


@registry.panel(KEY, order=99)
def panel(ctx) -> Panel | None:
    if ctx.kind == "teacher":
        return Panel("Панель нового раздела", "panel_app/panel.html", {"text": "Её добавило приложение, о котором портал не знает."})
    return None


@registry.attention(KEY, order=99)
def attention(ctx) -> list[Attention]:
    return [Attention("Новый раздел просит внимания", "/orgs/", "info")] if ctx.kind == "teacher" else []


@registry.menu(KEY, order=99)
def menu(ctx) -> MenuItem | None:
    return MenuItem("Новый раздел", "/orgs/?kind=college") if ctx.kind == "teacher" else None
