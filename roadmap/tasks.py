"""Background work of the roadmap (see core.periodic): the deadline reminders of the reports, once a day."""

import datetime

from django.tasks import task

from core.periodic import periodic


@task
def roadmap_reminders_task() -> int:
    """Tell each responsible organisation whose report is due within a week and not handed in (once per period)."""
    from roadmap.services import reminders_send

    return reminders_send()


periodic(roadmap_reminders_task, every=datetime.timedelta(hours=6), key="roadmap.reminders")
