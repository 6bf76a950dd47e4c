"""The portal's registry names no domain (issue 6, «Decisions»): an app the portal has never heard of adds a
panel, a menu entry and an item that needs attention, and they appear on the home page without any edit to
the portal; the portal's own code imports no domain."""

import ast
import importlib.util
import sys
from pathlib import Path

from django.apps import apps
from django.test import modify_settings

from core.registry import registry

KEY = "portal_test_panel_app"  # the key its home.py registers under (importing it here would register it)

PORTAL = Path(__file__).resolve().parent.parent
# What the portal may build on: the kernel, the access policy (who sees what, where a role lands) and the
# accounts (the profile's API tokens). None of them registers anything for the homes.
ALLOWED_PROJECT_IMPORTS = {"core", "access", "accounts"}


def test_a_panel_from_an_app_the_portal_does_not_know_appears_on_the_home_page(client, cast):
    with modify_settings(INSTALLED_APPS={"append": "portal.tests.panel_app"}):
        try:
            client.force_login(cast.user("class_teacher_a1"))
            html = client.get("/").content.decode()
            assert '<h2 id="panel-' in html and "Панель нового раздела</h2>" in html
            assert '<p class="panel-app-text">Её добавило приложение, о котором портал не знает.</p>' in html
            assert '<a href="/orgs/">Новый раздел просит внимания</a>' in html
            assert '<a href="/orgs/?kind=college">Новый раздел</a>' in html
            # Only for the role the app chose: the ministry's home is as before.
            client.force_login(cast.user("ministry_admin"))
            assert "Новый раздел" not in client.get("/").content.decode()
        finally:
            registry.unregister(KEY)
            sys.modules.pop("portal.tests.panel_app.home", None)
    client.force_login(cast.user("class_teacher_a1"))
    assert "Панель нового раздела" not in client.get("/").content.decode()


def _project_apps() -> set[str]:
    return {config.name.split(".")[0] for config in apps.get_app_configs() if (Path(config.path).parent / "manage.py").exists()}


def _imported_top_level(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


def test_the_portal_imports_no_domain():
    project = _project_apps()
    assert {"directory", "profminimum", "portal", "core"} <= project  # the check sees the project's apps
    sources = [path for path in PORTAL.rglob("*.py") if "tests" not in path.relative_to(PORTAL).parts]
    assert PORTAL / "views.py" in sources and PORTAL / "context_processors.py" in sources
    for path in sources:
        imported = (_imported_top_level(path) & project) - {"portal"}
        assert imported <= ALLOWED_PROJECT_IMPORTS, f"{path.name} imports {sorted(imported - ALLOWED_PROJECT_IMPORTS)}"
    # What the portal builds on registers nothing for the homes: every panel comes from elsewhere.
    for name in ALLOWED_PROJECT_IMPORTS:
        assert importlib.util.find_spec(f"{name}.home") is None, name


def test_the_portals_templates_link_to_no_domain_page():
    for path in (PORTAL / "templates").rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        for app in ("directory", "profminimum"):
            assert f"'{app}:" not in text and f'"{app}:' not in text, f"{path.name} names {app}"
