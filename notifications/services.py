"""Writes of notifications. `notify` is the one service every capability calls to tell people something: it
stores a notification per person (shown in the platform until read) and leaves the e-mails to the task worker, so
a request never waits on the mail server and a mail server that is down never breaks the caller."""

import datetime
import logging
import re
from collections.abc import Iterable

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from notifications.models import Notification

logger = logging.getLogger(__name__)

SUBJECT_PREFIX = "Профнавигатор: "
# A failed e-mail is tried again by the periodic job (notifications.tasks) this many times in all, within a day.
EMAIL_MAX_ATTEMPTS = 5
EMAIL_RETRY_WITHIN = datetime.timedelta(days=1)
# Notifications older than this are deleted by the periodic purge, read or not.
RETENTION = datetime.timedelta(days=365)

_SPACES = re.compile(r"\s+")


def notify(*, users: Iterable, subject: str, text: str, url: str = "", kind: str = "", email: bool = True) -> list[Notification]:
    """Tell each of `users` (accounts; repeats and deactivated ones are skipped) `subject` and `text`.

    `url` is a page of the platform the notification is about (a path such as "/profminimum/…"); `kind` names the
    capability that speaks ("accounts.password_reset", …) for filtering and tests. With `email`, each person with
    an e-mail address also gets a letter, sent by the task worker after the caller's transaction commits; a person
    without one gets only the notification in the platform. Returns the stored notifications."""
    subject = _one_line(subject)[:200]
    if not subject:
        raise ValueError("Уведомлению нужна тема.")
    if url and not _is_local_path(url):
        raise ValueError(f"Ссылка уведомления должна вести на страницу платформы: {url!r}.")
    recipients = {}
    for user in users:
        if user is not None and user.pk is not None and user.is_active:
            recipients.setdefault(user.pk, user)
    if not recipients:
        return []
    rows = [
        Notification(
            user_id=user.pk,
            subject=subject,
            text=(text or "").strip(),
            url=url,
            kind=kind[:50],
            email_status=Notification.Email.PENDING if email and user.email else Notification.Email.NONE,
        )
        for user in recipients.values()
    ]
    with transaction.atomic():
        Notification.objects.bulk_create(rows)
        pending = [row.pk for row in rows if row.email_status == Notification.Email.PENDING]
        if pending:
            _email_enqueue(pending)
    return rows


def _email_enqueue(notification_ids: list[int]) -> None:
    from notifications.tasks import notification_email_send_task

    # The database task backend writes the task in the caller's transaction: the worker sees it only with the
    # notifications it names, and a caller that rolls back sends nothing. Should the queue refuse, the
    # notifications stay and the periodic retry sends their letters.
    try:
        with transaction.atomic():
            notification_email_send_task.enqueue(notification_ids=notification_ids)
    except Exception:
        logger.exception("Не удалось поставить в очередь письма уведомлений %s", notification_ids)
        Notification.objects.filter(pk__in=notification_ids).update(email_status=Notification.Email.FAILED)


def notification_emails_send(*, notification_ids: list[int]) -> dict:
    """Send the letters of these notifications, one per person; runs in the task worker. A letter that fails is
    marked so and tried again later by the periodic retry; the others are sent all the same."""
    counts = {"sent": 0, "failed": 0, "skipped": 0}
    waiting = [Notification.Email.PENDING, Notification.Email.FAILED]
    for notification in Notification.objects.filter(pk__in=notification_ids, email_status__in=waiting).select_related("user"):
        counts[_email_send_one(notification)] += 1
    return counts


def _email_send_one(notification: Notification) -> str:
    user = notification.user
    if not user.email or not user.is_active:
        Notification.objects.filter(pk=notification.pk).update(email_status=Notification.Email.NONE)
        return "skipped"
    # Claimed by one worker only: the retry and a late first try may meet; whoever moves the counter sends.
    claimed = Notification.objects.filter(
        pk=notification.pk, email_status=notification.email_status, email_attempts=notification.email_attempts
    ).update(email_status=Notification.Email.SENDING, email_attempts=F("email_attempts") + 1)
    if not claimed:
        return "skipped"
    try:
        email_send(to=user.email, subject=notification.subject, body=notification_email_body(notification))
    except Exception:
        # The mail server's trouble is logged and retried later; it must not stop the letters to everyone else.
        logger.exception("Письмо уведомления %s не отправлено", notification.pk)
        Notification.objects.filter(pk=notification.pk).update(email_status=Notification.Email.FAILED)
        return "failed"
    Notification.objects.filter(pk=notification.pk).update(email_status=Notification.Email.SENT, emailed_at=timezone.now())
    return "sent"


def notification_email_body(notification: Notification) -> str:
    user = notification.user
    greeting = f"Здравствуйте, {user.first_name}!" if user.first_name else "Здравствуйте!"
    parts = [greeting, notification.text or notification.subject]
    site = getattr(settings, "SITE_URL", "").rstrip("/")
    if notification.url and site:
        parts.append(f"Подробнее: {site}{notification.url}")
    parts.append(
        "Все уведомления — в разделе «Уведомления» Профнавигатора. Это письмо отправлено автоматически, отвечать на него не нужно."
    )
    return "\n\n".join(parts) + "\n"


def email_send(*, to: str, subject: str, body: str) -> None:
    """One letter of the platform to one address, with the platform's name in the subject. Raises what the mail
    server raises: the callers (task worker code only) decide what a failure means."""
    EmailMessage(subject=SUBJECT_PREFIX + _one_line(subject), body=body, to=[to]).send()


def notification_emails_retry(*, now: datetime.datetime | None = None) -> dict:
    """The periodic retry: letters that failed, less than a day old, tried fewer than EMAIL_MAX_ATTEMPTS times."""
    now = now or timezone.now()
    ids = list(
        Notification.objects.filter(
            email_status=Notification.Email.FAILED, email_attempts__lt=EMAIL_MAX_ATTEMPTS, created_at__gte=now - EMAIL_RETRY_WITHIN
        ).values_list("pk", flat=True)[:500]
    )
    return notification_emails_send(notification_ids=ids) if ids else {"sent": 0, "failed": 0, "skipped": 0}


@transaction.atomic
def notification_mark_read(*, user, notification_id: int) -> bool:
    """Mark the person's own notification read; another's is not touched. Returns whether it was theirs."""
    notification = Notification.objects.filter(user=user, pk=notification_id).first()
    if notification is None:
        return False
    if notification.read_at is None:
        Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(read_at=timezone.now())
    return True


@transaction.atomic
def notification_mark_all_read(*, user) -> int:
    return Notification.objects.filter(user=user, read_at__isnull=True).update(read_at=timezone.now())


def _one_line(value: str) -> str:
    return _SPACES.sub(" ", value or "").strip()


def _is_local_path(url: str) -> bool:
    return url.startswith("/") and not url.startswith("//") and "\\" not in url and not any(ch.isspace() for ch in url)
