"""Background work of the events app (see core.periodic): places held for the waiting list that were not taken in
time pass to the next in line; reminders go out the day before."""

import datetime

from django.tasks import task

from core.periodic import periodic


@task
def holds_expire_task() -> dict:
    from events.services import holds_expire

    return {"lapsed": holds_expire()}


@task
def reminders_send_task() -> dict:
    from events.services import reminders_send

    return {"reminded": reminders_send()}


periodic(holds_expire_task, every=datetime.timedelta(minutes=5), key="events.holds_expire")
periodic(reminders_send_task, every=datetime.timedelta(minutes=30), key="events.reminders")
