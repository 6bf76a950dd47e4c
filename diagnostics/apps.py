from django.apps import AppConfig


class DiagnosticsConfig(AppConfig):
    """Diagnostics of interests and preferences (issue 10): instruments as data files, taking a test, assigning it to a
    class, results with their explanation, who sees what, and each instrument's quality from the answers collected."""

    name = "diagnostics"
    verbose_name = "Диагностика"

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from diagnostics.shipped import on_post_migrate

        post_migrate.connect(on_post_migrate, sender=self, dispatch_uid="diagnostics.shipped_instruments")
