from django.apps import AppConfig


class DirectoryConfig(AppConfig):
    """The regional network's pages: what orgs and people hold, read through the access policy."""

    name = "directory"
    verbose_name = "Сеть организаций и люди"
