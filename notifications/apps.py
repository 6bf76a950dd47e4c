from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    """One notification service for every capability: in the platform (a counter in the menu and the page
    «Уведомления») and by e-mail, sent by the task worker, never inside a request."""

    name = "notifications"
    verbose_name = "Уведомления"
