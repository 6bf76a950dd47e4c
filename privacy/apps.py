from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules


class PrivacyConfig(AppConfig):
    """Minors' personal data: consents, the family's own page, requests with deadlines, erasure, retention and
    breaches. The apps above it say in their own `personal_data.py` what they hold about a student, how to erase
    it and how long to keep it (privacy.registry); the apps below are described by privacy.holdings."""

    name = "privacy"
    verbose_name = "Персональные данные"

    def ready(self) -> None:
        # What the apps below privacy hold and how long their records are kept, described by privacy itself.
        import privacy.holdings
        import privacy.retention  # noqa: F401

        autodiscover_modules("personal_data")
