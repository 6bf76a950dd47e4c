from django.apps import AppConfig


class ProfminimumConfig(AppConfig):
    name = "profminimum"
    verbose_name = "Профминимум"
