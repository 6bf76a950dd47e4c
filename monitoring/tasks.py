"""Background work of the monitoring (see core.periodic): the rollups every minute, the whole year's rollups again
every night, the deadline reminders every hour."""

import datetime

from django.tasks import task

from core.periodic import periodic


@task
def monitoring_maintain_task() -> dict:
    """Recompute what writers noted as out of date (coverage of a month, a period's totals)."""
    from monitoring.rollups import rollups_maintain

    return rollups_maintain()


@task
def monitoring_refresh_task() -> dict:
    """Every night: every month of the year from scratch, for changes made outside the platform's services."""
    from monitoring.rollups import rollups_refresh

    return rollups_refresh()


@task
def monitoring_reminders_task() -> dict:
    from monitoring.reminders import reminders_send

    return reminders_send()


periodic(monitoring_maintain_task, every=datetime.timedelta(minutes=1), key="monitoring.rollups_maintain")
periodic(monitoring_refresh_task, every=datetime.timedelta(days=1), key="monitoring.rollups_refresh")
periodic(monitoring_reminders_task, every=datetime.timedelta(hours=1), key="monitoring.reminders")
