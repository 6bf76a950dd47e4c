"""The public face of the offer (no sign-in needed): the catalogue with its filters, the calendar of a month, a page
per offer to share, the excursion routes, and iCalendar feeds of the same filters."""

import datetime

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import path
from django.utils import timezone

from access.policy import viewer_for
from core.formatting import date_text, month_year
from directory.paging import Page, page_number
from events.forms import CatalogueFilterForm, form_errors
from events.ical import offers_calendar
from events.models import ExcursionRoute, Offer
from events.policy import group_classes, may_mark_attendance, may_sign_up_self
from events.sectors import SECTORS
from events.selectors import calendar_month, catalogue, offer_get

PER_PAGE = 20
FEED_LIMIT = 500
NOUN = ("предложение", "предложения", "предложений")


def _filters(request: HttpRequest) -> tuple[CatalogueFilterForm, dict]:
    form = CatalogueFilterForm(request.GET or None)
    return form, (form.values() if request.GET else {})


def _params(request: HttpRequest, *, drop=("page",)) -> list[tuple[str, str]]:
    return [(key, value) for key, value in request.GET.items() if key not in drop and len(value) <= 100]


def catalogue_view(request: HttpRequest) -> HttpResponse:
    form, filters = _filters(request)
    offers = catalogue(filters)
    number = page_number(request.GET.get("page"))
    total = offers.count()
    last = max((total + PER_PAGE - 1) // PER_PAGE, 1)
    number = min(number, last)
    items = list(offers[(number - 1) * PER_PAGE : number * PER_PAGE])
    page = Page(items, number, total, PER_PAGE, params=tuple(_params(request)), noun=NOUN)
    query = "&".join(f"{k}={v}" for k, v in _params(request)) if filters else ""
    return render(
        request,
        "events/catalogue.html",
        {
            "form": form, "errors": form_errors(form) if request.GET else [], "page": page, "filtered": bool(filters),
            "feed_query": query, "sectors": SECTORS, "page_title": "Мероприятия, пробы и экскурсии",
        },
    )  # fmt: skip


def _month(request: HttpRequest) -> tuple[datetime.date, str]:
    raw = (request.GET.get("month") or "")[:7]
    today = timezone.localdate()
    try:
        year, month = int(raw[:4]), int(raw[5:7])
        first = datetime.date(year, month, 1)
        if not 2000 <= year <= 2100 or raw[4] != "-":
            raise ValueError
        return first, ""
    except (ValueError, IndexError):
        return today.replace(day=1), ("Месяц указан неверно (нужно ГГГГ-ММ): показан текущий." if raw else "")


def calendar_view(request: HttpRequest) -> HttpResponse:
    form, filters = _filters(request)
    filters = {key: value for key, value in filters.items() if key not in ("date_from", "date_to")}
    first, month_error = _month(request)
    month = calendar_month(filters, month=first)
    keep = "&".join(f"{k}={v}" for k, v in _params(request, drop=("page", "month", "date_from", "date_to")))
    errors = (form_errors(form) if request.GET else []) + ([month_error] if month_error else [])
    return render(
        request,
        "events/calendar.html",
        {
            "form": form, "errors": errors, "month": month, "month_title": month_year(first), "keep": keep,
            "previous": month.previous.strftime("%Y-%m"), "next": month.next.strftime("%Y-%m"),
            "weekdays": ("пн", "вт", "ср", "чт", "пт", "сб", "вс"), "page_title": f"Календарь: {month_year(first)}",
            "today": timezone.localdate(),
        },
    )  # fmt: skip


def offer_view(request: HttpRequest, pk: int) -> HttpResponse:
    viewer = viewer_for(request.user)
    offer = offer_get(viewer=viewer, pk=pk)
    now = timezone.now()
    context = {
        "offer": offer,
        "open": offer.status == Offer.Status.PUBLISHED and offer.starts_at > now,
        "may_sign_up": viewer.is_authenticated and may_sign_up_self(viewer, offer),
        "group_classes": list(group_classes(viewer, offer)) if viewer.is_authenticated and not offer.for_parents else [],
        "may_manage": viewer.is_authenticated and may_mark_attendance(viewer, offer),
        "route": offer.route,
        "stops": list(offer.route.stops.all()) if offer.route_id else [],
        "share_url": request.build_absolute_uri(),
        "page_title": offer.title,
        "breadcrumbs": [{"label": "Мероприятия", "url": "/events/"}, {"label": offer.title}],
    }
    if viewer.is_authenticated and context["may_sign_up"]:
        from events.selectors import my_registrations

        context["mine"] = [
            r
            for r in my_registrations(viewer=viewer)
            if r.offer_id == offer.pk and r.is_active and (r.student_id == viewer.own_student_id or r.parent_id == viewer.person_id)
        ]
    return render(request, "events/offer.html", context)


def feed_view(request: HttpRequest) -> HttpResponse:
    """The catalogue's offers as an iCalendar feed (the same filters as the page): a calendar app subscribes to it."""
    _, filters = _filters(request)
    offers = list(catalogue(filters)[:FEED_LIMIT])
    body = offers_calendar(offers, request=request, name="Профнавигатор: мероприятия, пробы и экскурсии")
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="profnavigator.ics"'
    return response


def offer_ics_view(request: HttpRequest, pk: int) -> HttpResponse:
    offer = offer_get(viewer=viewer_for(request.user), pk=pk)
    response = HttpResponse(offers_calendar([offer], request=request, name=offer.title), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="offer-{offer.pk}.ics"'
    return response


def routes_view(request: HttpRequest) -> HttpResponse:
    routes = list(ExcursionRoute.objects.filter(is_active=True).select_related("host", "municipality").order_by("title"))
    return render(request, "events/routes.html", {"routes": routes, "page_title": "Каталог экскурсионных маршрутов"})


def route_view(request: HttpRequest, pk: int) -> HttpResponse:
    route = get_object_or_404(ExcursionRoute.objects.filter(is_active=True).select_related("host", "municipality"), pk=pk)
    upcoming = list(
        Offer.objects.filter(route=route, status=Offer.Status.PUBLISHED, starts_at__gte=timezone.now()).order_by("starts_at")[:20]
    )
    return render(
        request,
        "events/route.html",
        {
            "route": route, "stops": list(route.stops.all()), "upcoming": upcoming, "page_title": route.title,
            "breadcrumbs": [{"label": "Экскурсионные маршруты", "url": "/events/routes/"}, {"label": route.title}],
        },
    )  # fmt: skip


def day_title(day: datetime.date) -> str:
    return date_text(day)


urlpatterns = [
    path("", catalogue_view, name="catalogue"),
    path("calendar/", calendar_view, name="calendar"),
    path("calendar.ics", feed_view, name="feed"),
    path("<int:pk>/", offer_view, name="offer"),
    path("<int:pk>/event.ics", offer_ics_view, name="offer_ics"),
    path("routes/", routes_view, name="routes"),
    path("routes/<int:pk>/", route_view, name="route"),
]
