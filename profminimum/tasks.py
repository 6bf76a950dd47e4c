"""Background work of the профминимум (see core.periodic)."""

import datetime

from django.tasks import task

from core.periodic import periodic
from orgs.selectors import school_year_current


@task
def rollups_maintain_task() -> dict:
    """Every minute: store the checkpoints of months that are over and fold the rows writers appended, so that
    reads stay as cheap as the rows they show. Reads are right without it; this keeps them fast."""
    from profminimum.rollups import rollups_maintain

    year = school_year_current()
    if year is None:
        return {}
    return rollups_maintain(school_year=year)


periodic(rollups_maintain_task, every=datetime.timedelta(minutes=1), key="profminimum.rollups_maintain")
