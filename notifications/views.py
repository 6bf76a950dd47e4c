"""The page «Уведомления»: the person's own notifications, newest first, and marking them read."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from core.formatting import count_text
from notifications import selectors, services

PER_PAGE = 30


@login_required
def notification_list(request: HttpRequest) -> HttpResponse:
    paginator = Paginator(selectors.notification_list(user=request.user), PER_PAGE)
    page = paginator.get_page(_page_number(request.GET.get("page", "")))
    unread = selectors.notification_unread_count(user=request.user)
    return render(
        request,
        "notifications/list.html",
        {
            "page": page,
            "unread": unread,
            "unread_text": count_text(unread, "непрочитанное", "непрочитанных", "непрочитанных"),
            "total_text": count_text(paginator.count, "уведомление", "уведомления", "уведомлений"),
        },
    )


@login_required
def notification_open(request: HttpRequest, pk: int) -> HttpResponse:
    """Opening a notification marks it read and goes to the page it is about (or back to the list)."""
    notification = selectors.notification_get(user=request.user, pk=pk)
    if notification is None:
        raise Http404
    services.notification_mark_read(user=request.user, notification_id=notification.pk)
    return redirect(notification.url or "notifications:list")


@login_required
@require_POST
def notification_read(request: HttpRequest, pk: int) -> HttpResponse:
    if not services.notification_mark_read(user=request.user, notification_id=pk):
        raise Http404
    return redirect(_back(request))


@login_required
@require_POST
def notification_read_all(request: HttpRequest) -> HttpResponse:
    marked = services.notification_mark_all_read(user=request.user)
    if marked:
        messages.success(request, f"Отмечено прочитанными: {count_text(marked, 'уведомление', 'уведомления', 'уведомлений')}.")
    return redirect("notifications:list")


def _page_number(value: str) -> int:
    # Any page the address asks for shows a page: a word, a negative or a number of twenty digits is the first
    # or the last (Paginator.get_page), never an error.
    return int(value) if value.isdigit() and len(value) <= 9 else 1


def _back(request: HttpRequest) -> str:
    page = request.POST.get("page", "")
    url = "/notifications/"
    return f"{url}?page={page}" if page.isdigit() and len(page) <= 9 else url
