"""Background work of the personal-data capability (see core.periodic): the daily retention run, and the exports
the families ask for (made by the worker as soon as a request is registered)."""

import datetime

from django.tasks import task

from core.periodic import periodic


@task
def retention_task() -> dict:
    """Once a day: purge or anonymise every kind of record whose retention period is over (privacy.retention)."""
    from privacy.retention import retention_run

    return {line.key: line.count for line in retention_run()}


@task
def export_build_task(*, request_id: int) -> dict:
    """Make the ZIP of an export request; the family downloads it from its page."""
    from privacy.services import export_build

    request = export_build(request_id=request_id)
    return {"request": request.pk, "status": request.status}


periodic(retention_task, every=datetime.timedelta(days=1), key="privacy.retention")
