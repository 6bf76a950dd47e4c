from django.apps import AppConfig
from django.contrib.admin.apps import AdminConfig


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = "Общее"


class ProfnavAdminConfig(AdminConfig):
    default_site = "core.admin_site.ProfnavAdminSite"
