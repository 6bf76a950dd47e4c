"""Reads of the network's reference data that no policy narrows: the school years."""

from orgs.models import SchoolYear


def school_year_current() -> SchoolYear | None:
    """The one school year marked current: every page, export and rule asks this function."""
    return SchoolYear.objects.filter(is_current=True).first()
