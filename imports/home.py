"""What the imports add to the portal (see core.registry): «Загрузка данных» in the menu of those who may load
files — the school's coordinator, the municipality's, the republic's administrators and the regional operator."""

from django.urls import reverse

from core.registry import MenuItem, registry
from imports.importers import IMPORTERS
from imports.policy import import_kinds, password_classes


@registry.menu("imports", order=70)
def imports_menu(ctx) -> MenuItem | None:
    if ctx.kind in {"school", "municipality", "republic"} and import_kinds(ctx.viewer, tuple(IMPORTERS)):
        return MenuItem("Загрузка данных", reverse("imports:home"), current_on=r"^/imports/")
    return None


@registry.links("imports", order=40)
def object_links(ctx, subject: str, obj) -> list[MenuItem]:
    if subject == "school_class" and password_classes(ctx.viewer).filter(pk=obj.pk).exists():
        return [MenuItem("Первые пароли учеников и родителей", reverse("imports:passwords", args=[obj.pk]))]
    if subject == "catalogue" and "programmes" in import_kinds(ctx.viewer, tuple(IMPORTERS)):
        return [MenuItem("Загрузить программы колледжей и вузов (XLSX)", reverse("imports:upload", args=["programmes"]))]
    return []
