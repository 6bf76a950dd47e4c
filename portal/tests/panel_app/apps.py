from django.apps import AppConfig


class PanelAppConfig(AppConfig):
    """A domain the portal has never heard of: installed only by a test, it adds a panel, a menu entry and an
    item that needs attention through its own `home.py`, exactly as a new domain app would."""

    name = "portal.tests.panel_app"
    label = "portal_test_panel_app"
    verbose_name = "Тестовое приложение"
