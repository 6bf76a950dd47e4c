from django.apps import AppConfig


class EventsConfig(AppConfig):
    """The republic's offer to students and the partners who provide it: events, professional trials, excursion
    routes, sign-ups with a waiting list, attendance at the host (by list or QR code) feeding the hours ledger,
    partners with agreements and joint plans, mentors, and the «Билет в будущее» indicators."""

    name = "events"
    verbose_name = "Мероприятия и партнёры"
