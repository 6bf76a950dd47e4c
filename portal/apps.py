from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules


class PortalConfig(AppConfig):
    """The top of the platform: each role's home page and the menu, composed from what the domain apps
    register in their `home.py` (see core.registry). The portal names no domain."""

    name = "portal"
    verbose_name = "Портал"

    def ready(self) -> None:
        autodiscover_modules("home")
