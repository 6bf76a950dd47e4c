from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules


class CatalogConfig(AppConfig):
    """The professions catalogue, the education programmes of the republic's colleges and universities, the
    additional-education programmes open to grades 6–11, and the registry of next steps (catalog.next_steps)
    that the apps offering something to try (programmes here, events and trials above) fill."""

    name = "catalog"
    verbose_name = "Каталог профессий и программ"

    def ready(self) -> None:
        # Each app's `next_steps.py` registers its providers (catalog.next_steps); apps above the catalogue (events)
        # join without the catalogue importing them.
        autodiscover_modules("next_steps")
        from catalog import providers  # noqa: F401 — the catalogue's own steps (programmes, additional education)
