"""Reads of notifications: a person sees only their own."""

from django.db.models import QuerySet

from notifications.models import Notification


def notification_list(*, user) -> QuerySet[Notification]:
    """The person's notifications, newest first."""
    return Notification.objects.filter(user=user).order_by("-created_at", "-pk")


def notification_unread_count(*, user) -> int:
    return Notification.objects.filter(user=user, read_at__isnull=True).count()


def notification_get(*, user, pk: int) -> Notification | None:
    return Notification.objects.filter(user=user, pk=pk).first()
