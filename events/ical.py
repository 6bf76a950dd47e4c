"""Offers as iCalendar (RFC 5545): a feed of the catalogue's filters that a calendar app subscribes to, and one
offer to add to one's own calendar. Only published facts go in: what, when, where, who hosts — no people.

No iCalendar library is in the platform's requirements, so this is a minimal writer of the few properties a
VEVENT needs: text escaped (backslash, semicolon, comma, newline), times in UTC, lines folded at 75 octets
without splitting a UTF-8 character, CRLF line ends."""

import datetime

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from core.formatting import hours_text

PRODID = "-//Профнавигатор//Мероприятия//RU"


def _site(request) -> str:
    return getattr(settings, "SITE_URL", "") or request.build_absolute_uri("/").rstrip("/")


def escape_text(value: str) -> str:
    value = (value or "").replace("\r\n", "\n").replace("\r", "\n")
    value = "".join(ch for ch in value if ch == "\n" or ord(ch) >= 32)
    return value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def utc_stamp(moment: datetime.datetime) -> str:
    return moment.astimezone(datetime.UTC).strftime("%Y%m%dT%H%M%SZ")


def fold(line: str) -> bytes:
    """One content line, folded so that no physical line is longer than 75 octets (RFC 5545, 3.1)."""
    out = bytearray()
    width = 0
    limit = 75
    for ch in line:
        encoded = ch.encode()
        if width + len(encoded) > limit:
            out += b"\r\n "
            width = 1
        out += encoded
        width += len(encoded)
    return bytes(out) + b"\r\n"


def offers_calendar(offers, *, request, name: str) -> bytes:
    site = _site(request)
    host = request.get_host().split(":")[0] or "profnav"
    stamp = utc_stamp(timezone.now())
    lines = [
        "BEGIN:VCALENDAR",
        f"PRODID:{PRODID}",
        "VERSION:2.0",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{escape_text(name)}",
    ]
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
        lines += [
            "BEGIN:VEVENT",
            f"UID:offer-{offer.pk}@{host}",
            f"DTSTAMP:{stamp}",
            f"DTSTART:{utc_stamp(offer.starts_at)}",
            f"DTEND:{utc_stamp(offer.ends_at)}",
            f"SUMMARY:{escape_text(f'{offer.title} — {offer.get_kind_display()}')}",
            f"DESCRIPTION:{escape_text(chr(10).join(text))}",
            f"LOCATION:{escape_text(offer.place or 'онлайн')}",
            f"URL:{url}",
        ]
        if offer.status == offer.Status.CANCELLED:
            lines.append("STATUS:CANCELLED")
        lines.append("END:VEVENT")
    lines.append("END:VCALENDAR")
    return b"".join(fold(line) for line in lines)
