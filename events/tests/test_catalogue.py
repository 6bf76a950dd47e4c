"""Finding offers: the catalogue's filters, the month's calendar, the iCalendar feed."""

import datetime

import icalendar
from django.utils import timezone

from events.models import Offer
from events.selectors import calendar_month, catalogue
from events.services import offer_cancel, registration_create


def test_the_catalogue_filters_by_municipality_grade_sector_type_date_and_free_places(ev):
    cast = ev.cast
    agro = ev.offer(
        title="Проба агронома", kind=Offer.Kind.TRIAL, professions="агроном", sector="agriculture", capacity=1, days=2,
        municipality=cast.municipalities["a"],
    )  # fmt: skip
    ev.offer(title="Стройка в Бете", provider="employer_b", sector="construction", municipality=cast.municipalities["b"], days=3)
    ev.offer(title="Для старших", sector="agriculture", grades=(10, 11), days=4)
    ev.offer(title="Черновик", publish=False, days=5)
    everywhere = ev.offer(title="Фестиваль республики", kind=Offer.Kind.CONFERENCE, days=40)

    def titles(**filters):
        return [offer.title for offer in catalogue(filters)]

    assert titles() == ["Проба агронома", "Стройка в Бете", "Для старших", "Фестиваль республики"]  # no draft
    # An offer without a municipality is for the whole republic: in every municipality's list.
    assert titles(municipality=cast.municipalities["b"]) == ["Стройка в Бете", "Для старших", "Фестиваль республики"]
    assert titles(grade=8, sector="agriculture") == ["Проба агронома"]
    assert titles(kind=Offer.Kind.TRIAL) == ["Проба агронома"]
    assert titles(q="агроном") == ["Проба агронома"]
    later = timezone.localdate() + datetime.timedelta(days=30)
    assert titles(date_from=later) == ["Фестиваль республики"]
    registration_create(offer=agro, student=cast.students["a1_8a_0"], by=None)  # its only place
    assert "Проба агронома" not in titles(free=True)
    offer_cancel(offer=everywhere, reason="перенос", by=None)
    assert "Фестиваль республики" not in titles()


def test_the_calendar_counts_every_offer_of_a_day_and_names_the_first_three(ev):
    day = timezone.localtime(timezone.now() + datetime.timedelta(days=10)).replace(hour=9, minute=0, second=0, microsecond=0)
    for n in range(5):
        offer = ev.offer(title=f"Занятие {n + 1}")
        Offer.objects.filter(pk=offer.pk).update(starts_at=day + datetime.timedelta(hours=n), ends_at=day + datetime.timedelta(hours=n + 1))
    month = calendar_month({}, month=day.date())
    cell = next(d for week in month.weeks for d in week if d.day == day.date() and d.in_month)
    assert (cell.count, [o.title for o in cell.offers], cell.more) == (5, ["Занятие 1", "Занятие 2", "Занятие 3"], 2)
    assert month.total == 5


def test_the_ical_feed_holds_each_published_offer_with_escaped_folded_lines(client, ev):
    ev.offer(title="Проба; «агроном», часть 1")
    body = client.get("/events/calendar.ics").content
    assert body.startswith(b"BEGIN:VCALENDAR\r\n") and body.endswith(b"END:VCALENDAR\r\n")
    unfolded = body.replace(b"\r\n ", b"").decode()
    assert "SUMMARY:Проба\\; «агроном»\\, часть 1 — мастер-класс" in unfolded
    assert unfolded.count("BEGIN:VEVENT") == 1
    assert all(len(line) <= 75 for line in body.split(b"\r\n"))  # folded at 75 octets (RFC 5545, 3.1)
    assert icalendar.Calendar.from_ical(body).walk("VEVENT")[0]["SUMMARY"] == "Проба; «агроном», часть 1 — мастер-класс"
