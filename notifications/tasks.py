"""Background work of notifications (see core.periodic): the letters, their retry and the purge."""

import datetime

from django.tasks import task

from core.periodic import periodic


@task
def notification_email_send_task(*, notification_ids: list[int]) -> dict:
    """The letters of notifications just stored by `notify`, one per person."""
    from notifications.services import notification_emails_send

    return notification_emails_send(notification_ids=notification_ids)


@task
def notification_email_retry_task() -> dict:
    """Every quarter of an hour: the letters the mail server refused, tried again for a day."""
    from notifications.services import notification_emails_retry

    return notification_emails_retry()


periodic(notification_email_retry_task, every=datetime.timedelta(minutes=15), key="notifications.email_retry")
