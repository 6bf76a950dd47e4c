"""Reads of the network's reference data that no policy narrows: the school years."""

from core.request_cache import memo
from orgs.models import SchoolYear


def school_year_current() -> SchoolYear | None:
    """The one school year marked current: every page, export and rule asks this function (once per request:
    a home page's panels all ask it)."""
    return memo(("school_year_current",), lambda: SchoolYear.objects.filter(is_current=True).first())
