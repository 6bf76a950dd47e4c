"""The trail Республика › муниципалитет › школа for the pages of the network. Only the levels the viewer
may open are links; the page itself is the last, unlinked crumb."""

from django.urls import reverse

from access.policy import Viewer


def school_trail(viewer: Viewer, school) -> list[dict]:
    """Crumbs down to and including the school (linked)."""
    crumbs = []
    if viewer.is_republic:
        crumbs.append({"label": "Республика", "url": reverse("portal:home")})
    if school.municipality_id and (viewer.is_republic or school.municipality_id in viewer.municipality_ids):
        crumbs.append({"label": school.municipality.name, "url": reverse("directory:municipality_detail", args=[school.municipality_id])})
    crumbs.append({"label": school.short_name, "url": reverse("directory:organization_detail", args=[school.pk])})
    return crumbs


def page_trail(trail: list[dict], label: str) -> list[dict]:
    """The trail followed by the current page; no trail at all when it would be the page alone."""
    return [*trail, {"label": label}] if trail else []
