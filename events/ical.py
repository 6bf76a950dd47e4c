"""Offers as iCalendar (RFC 5545), written by the icalendar library: a feed of the catalogue's filters that a
calendar app subscribes to, and one offer to add to one's own calendar. Only published facts go in: what, when,
where, who hosts — no people."""

import datetime

import icalendar
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from core.formatting import hours_text

PRODID = "-//Профнавигатор//Мероприятия//RU"


def _site(request) -> str:
    return getattr(settings, "SITE_URL", "") or request.build_absolute_uri("/").rstrip("/")


def _text(value: str) -> str:
    """Control characters other than the line feed have no place in a calendar line."""
    value = (value or "").replace("\r\n", "\n").replace("\r", "\n")
    return "".join(ch for ch in value if ch == "\n" or ord(ch) >= 32)


def offers_calendar(offers, *, request, name: str) -> bytes:
    site = _site(request)
    host = request.get_host().split(":")[0] or "profnav"
    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", _text(name))
    stamp = timezone.now().astimezone(datetime.UTC)
    for offer in offers:
        url = site + reverse("events:offer", args=[offer.pk])
        text = [offer.description.strip()] if offer.description.strip() else []
        text.append(f"Организатор: {offer.provider.short_name}.")
        text.append(f"{offer.grades_for.capitalize()}.")
        if offer.hours:
            text.append(f"Засчитывается {hours_text(offer.hours)} профминимума.")
        if offer.online_url:
            text.append(f"Онлайн: {offer.online_url}")
        text.append(f"Подробнее и запись: {url}")
        event = icalendar.Event()
        event.add("uid", f"offer-{offer.pk}@{host}")
        event.add("dtstamp", stamp)
        event.add("dtstart", offer.starts_at.astimezone(datetime.UTC))
        event.add("dtend", offer.ends_at.astimezone(datetime.UTC))
        event.add("summary", _text(f"{offer.title} — {offer.get_kind_display()}"))
        event.add("description", _text("\n".join(text)))
        event.add("location", _text(offer.place or "онлайн"))
        event.add("url", url)
        if offer.status == offer.Status.CANCELLED:
            event.add("status", "CANCELLED")
        calendar.add_component(event)
    return calendar.to_ical()
