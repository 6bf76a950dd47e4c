from django.apps import AppConfig


class RoadmapConfig(AppConfig):
    """The roadmap of seed order No. 866: the year's plan, its due periods, the reports each responsible organisation
    files with evidence and figures the platform prefills, the ministry's decisions. The figures come from the
    domains through roadmap.figures: the built-in providers (roadmap.providers) and the `roadmap_figures` module of
    any app, discovered here."""

    name = "roadmap"
    verbose_name = "Дорожная карта"

    def ready(self) -> None:
        from roadmap.figures import figure_providers_discover

        figure_providers_discover()
