"""The one way the platform says a number, an amount of hours, a count of things, a date or a month, in
Russian — on pages, in charts, in XLSX titles and in PDFs alike. Templates use the same functions through
the `ru` template library (core/templatetags/ru.py).

Numbers: a narrow no-break space between thousands («48 012»), a comma before decimals («1,5»), no «,0»
(«12», not «12,0»), a real minus sign. Nouns agree with their numbers («1 час», «2 часа», «5 часов»,
«1,5 часа»). Dates: «26 ноября 2026», «26.11.2026» where space is short, «чт, 4 сентября» in schedules.
Everything here is explicit Russian rather than the active translation, so a background task or a
management command (which run outside any request's language) says the same as a page.
"""

import datetime
from decimal import Decimal, InvalidOperation

from django.utils import timezone

THIN = "\u202f"  # between thousands
NBSP = "\u00a0"  # between a number and its unit

MONTHS = ("январь", "февраль", "март", "апрель", "май", "июнь", "июль", "август", "сентябрь", "октябрь", "ноябрь", "декабрь")
MONTHS_GENITIVE = (
    "января", "февраля", "марта", "апреля", "мая", "июня",
    "июля", "августа", "сентября", "октября", "ноября", "декабря",
)  # fmt: skip
MONTHS_PREPOSITIONAL = (
    "январе", "феврале", "марте", "апреле", "мае", "июне",
    "июле", "августе", "сентябре", "октябре", "ноябре", "декабре",
)  # fmt: skip
MONTHS_SHORT = ("янв", "фев", "мар", "апр", "май", "июн", "июл", "авг", "сен", "окт", "ноя", "дек")
WEEKDAYS_SHORT = ("пн", "вт", "ср", "чт", "пт", "сб", "вс")
WEEKDAYS = ("понедельник", "вторник", "среда", "четверг", "пятница", "суббота", "воскресенье")


# --- plurals and counts ---------------------------------------------------------------------------------


def plural_form(number, one: str, few: str, many: str) -> str:
    """The noun that agrees with a whole number: 1 ученик, 2 ученика, 5 учеников, 11 учеников, 21 ученик."""
    n = abs(int(number))
    if n % 10 == 1 and n % 100 != 11:
        return one
    if 2 <= n % 10 <= 4 and not 12 <= n % 100 <= 14:
        return few
    return many


def count_text(number, one: str, few: str, many: str) -> str:
    """«48 012 учеников»."""
    return f"{thousands(number)} {plural_form(number, one, few, many)}"


# --- numbers --------------------------------------------------------------------------------------------


def _decimal(value) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        return Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None


def number(value, digits: int = 1) -> str:
    """«1 234,5»; «12» rather than «12,0»; «—» for nothing."""
    if type(value) is int:  # counts, the most common case on a table of hundreds of rows: no Decimal needed
        return ("−" if value < 0 else "") + f"{abs(value):,}".replace(",", THIN)
    value = _decimal(value)
    if value is None:
        return "—"
    value = value.quantize(Decimal(1).scaleb(-digits)) if digits else value.quantize(Decimal(1))
    whole = value == value.to_integral_value()
    text = f"{abs(value):,.0f}" if whole else f"{abs(value):,.{digits}f}"
    text = text.replace(",", THIN).replace(".", ",")
    return ("−" if value < 0 else "") + text


def thousands(value) -> str:
    """A whole number with thin spaces: «48 012»."""
    return number(int(value or 0), 0)


def percent(part, whole) -> int:
    """A share in whole percent; 0 of nothing is 0."""
    return round(100 * part / whole) if whole else 0


def percent_text(part, whole) -> str:
    return f"{percent(part, whole)}{NBSP}%"


# --- hours ----------------------------------------------------------------------------------------------


def hours_noun(value) -> str:
    """The noun after a number of hours: «час», «часа», «часов»; a fraction takes «часа» («1,5 часа»)."""
    value = _decimal(value) or Decimal(0)
    if value != value.to_integral_value():
        return "часа"
    return plural_form(int(value), "час", "часа", "часов")


def hours_text(value) -> str:
    """«1 час», «2 часа», «5 часов», «1,5 часа»."""
    return f"{number(value)} {hours_noun(value)}"


def hours_short(value) -> str:
    """«45,5 ч» where a table or a message has no room for the word."""
    return f"{number(value)}{NBSP}ч"


def signed_hours(value) -> str:
    """«+2», «−1,5»: a ledger line's change."""
    value = _decimal(value) or Decimal(0)
    return ("+" if value > 0 else "") + number(value)


# --- dates ----------------------------------------------------------------------------------------------


def _local_date(moment) -> datetime.date:
    if isinstance(moment, datetime.datetime):
        return timezone.localtime(moment).date() if timezone.is_aware(moment) else moment.date()
    return moment


def date_text(day) -> str:
    """«26 ноября 2026»."""
    day = _local_date(day)
    return f"{day.day} {MONTHS_GENITIVE[day.month - 1]} {day.year}"


def date_short(day) -> str:
    """«26.11.2026»."""
    day = _local_date(day)
    return f"{day.day:02d}.{day.month:02d}.{day.year}"


def day_month(day) -> str:
    """«4 сентября»."""
    day = _local_date(day)
    return f"{day.day} {MONTHS_GENITIVE[day.month - 1]}"


def day_text(moment) -> str:
    """«чт, 4 сентября» (in the local time zone): a schedule's day."""
    day = _local_date(moment)
    return f"{WEEKDAYS_SHORT[day.weekday()]}, {day_month(day)}"


def weekday_date_text(moment) -> str:
    """«четверг, 4 сентября 2026»."""
    day = _local_date(moment)
    return f"{WEEKDAYS[day.weekday()]}, {date_text(day)}"


def time_text(moment: datetime.datetime) -> str:
    """«14:00», local time."""
    moment = timezone.localtime(moment) if timezone.is_aware(moment) else moment
    return f"{moment:%H:%M}"


def datetime_text(moment: datetime.datetime) -> str:
    """«26 ноября 2026, 14:05»."""
    return f"{date_text(moment)}, {time_text(moment)}"


def month_year(day) -> str:
    """«Сентябрь 2026»: a heading over a month's rows."""
    day = _local_date(day)
    return f"{MONTHS[day.month - 1].capitalize()} {day.year}"


def date_range_text(start, end) -> str:
    """«с 1 сентября 2026 по 31 мая 2027»."""
    return f"с {date_text(start)} по {date_text(end)}"
