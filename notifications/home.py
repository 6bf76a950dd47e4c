"""What notifications add to the portal (see core.registry): «Уведомления» in the menu with the number of unread
ones, and the same number among what needs the person's attention on the home page."""

from django.urls import reverse

from core.formatting import count_text, thousands
from core.registry import Attention, MenuItem, registry
from notifications.selectors import notification_unread_count


def _unread(ctx) -> int:
    # The menu and the home page ask in one request: one count, kept on the request.
    request = ctx.request
    if not hasattr(request, "_notifications_unread"):
        user = getattr(request, "user", None)
        request._notifications_unread = notification_unread_count(user=user) if user is not None and user.is_authenticated else 0
    return request._notifications_unread


@registry.menu("notifications", order=95)
def notifications_menu(ctx) -> MenuItem | None:
    user = getattr(ctx.request, "user", None)
    if user is None or not user.is_authenticated:
        return None
    unread = _unread(ctx)
    label = f"Уведомления ({thousands(unread)})" if unread else "Уведомления"
    return MenuItem(label, reverse("notifications:list"))


@registry.attention("notifications", order=5)
def notifications_attention(ctx) -> list[Attention]:
    unread = _unread(ctx)
    if not unread:
        return []
    return [
        Attention(
            count_text(unread, "непрочитанное уведомление", "непрочитанных уведомления", "непрочитанных уведомлений"),
            reverse("notifications:list"),
        )
    ]
