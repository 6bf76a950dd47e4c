from django.apps import AppConfig


class GuidanceConfig(AppConfig):
    """Explained recommendations of professions and the student's individual trajectory (seed items 4.12, 4.18)."""

    name = "guidance"
    verbose_name = "Рекомендации и траектории"

    def ready(self) -> None:
        from guidance import signals

        signals.connect()
