"""What the catalogue adds to the portal (core.registry): the menu entry «Профессии» for students and parents."""

from django.urls import reverse

from core.registry import MenuItem, registry


@registry.menu("catalog", order=17)
def menu(ctx) -> MenuItem | None:
    if ctx.kind in {"student", "parent"}:
        return MenuItem("Профессии", reverse("catalog:professions"), current_on=r"^/catalog/")
    return None
