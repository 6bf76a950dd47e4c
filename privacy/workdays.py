"""Working days by the Russian production calendar, kept as data (CalendarYear, CalendarDay).

A legal deadline «в течение десяти рабочих дней» counts the working days after the day a request came (the day
itself is not counted, as ст. 191 ГК РФ has it); a deadline in calendar days that ends on a day off moves to the
next working day (ст. 193 ГК РФ). A day of a year the calendar has not been loaded for is judged by the weekday
alone, and the answer says so, so that a page can show the deadline as estimated."""

import datetime
import json
from dataclasses import dataclass
from pathlib import Path

DATA_FILE = Path(__file__).resolve().parent / "data" / "working_calendar.json"
# Far enough for any deadline the platform counts (ten working days across the New Year holidays, thirty days).
HORIZON = datetime.timedelta(days=120)


@dataclass(frozen=True)
class Deadline:
    day: datetime.date
    estimated: bool  # a year on the way was not in the calendar


class WorkingCalendar:
    """The loaded days around a date, read once: `is_working(day)` answers from them or from the weekday."""

    def __init__(self, start: datetime.date, end: datetime.date):
        from privacy.models import CalendarDay, CalendarYear

        self.days = dict(CalendarDay.objects.filter(day__range=(start, end)).values_list("day", "kind"))
        self.years = set(CalendarYear.objects.filter(year__range=(start.year, end.year)).values_list("year", flat=True))
        if not self.years and not CalendarYear.objects.exists():
            # A database that lost the shipped calendar (one emptied by a transactional test) gets it back once.
            from privacy.shipped import shipped_data_ensure

            shipped_data_ensure()
            self.days = dict(CalendarDay.objects.filter(day__range=(start, end)).values_list("day", "kind"))
            self.years = set(CalendarYear.objects.filter(year__range=(start.year, end.year)).values_list("year", flat=True))
        self.estimated = False

    def is_working(self, day: datetime.date) -> bool:
        from privacy.models import CalendarDay

        if day.year not in self.years:
            self.estimated = True
            return day.weekday() < 5
        kind = self.days.get(day)
        if kind is None:  # a loaded year names every day; a gap is judged like an unloaded year
            self.estimated = True
            return day.weekday() < 5
        return kind in (CalendarDay.Kind.WORKING, CalendarDay.Kind.WORKING_WEEKEND)


def working_days_after(start: datetime.date, count: int) -> Deadline:
    """The `count`-th working day after `start`."""
    calendar = WorkingCalendar(start, start + HORIZON + datetime.timedelta(days=count * 2))
    day, left = start, count
    while left > 0:
        day += datetime.timedelta(days=1)
        if calendar.is_working(day):
            left -= 1
    return Deadline(day, calendar.estimated)


def calendar_days_after(start: datetime.date, count: int) -> Deadline:
    """`count` calendar days after `start`, moved to the next working day if it is a day off."""
    day = start + datetime.timedelta(days=count)
    calendar = WorkingCalendar(day, day + datetime.timedelta(days=30))
    while not calendar.is_working(day):
        day += datetime.timedelta(days=1)
    return Deadline(day, calendar.estimated)


def working_days_between(start: datetime.date, end: datetime.date) -> int:
    """Working days after `start` up to and including `end` (negative when `end` is before `start`): how many
    working days are left until a deadline, or by how many it is overdue."""
    if end == start:
        return 0
    sign = 1 if end > start else -1
    low, high = (start, end) if sign > 0 else (end, start)
    calendar = WorkingCalendar(low, high)
    count, day = 0, low
    while day < high:
        day += datetime.timedelta(days=1)
        if calendar.is_working(day):
            count += 1
    return sign * count


# --- loading the calendar -----------------------------------------------------------------------------------


def calendar_rows(year: int, spec: dict) -> list[tuple[datetime.date, str]]:
    """Every day of a year with its kind, from a year's entry of the data file."""
    holidays = {datetime.date.fromisoformat(day) for day in spec.get("holidays", [])}
    transferred = {datetime.date.fromisoformat(day) for day in spec.get("transferred", [])}
    working_weekends = {datetime.date.fromisoformat(day) for day in spec.get("working_weekends", [])}
    for day in holidays | transferred | working_weekends:
        if day.year != year:
            raise ValueError(f"{day:%d.%m.%Y} не относится к {year} году.")
    rows = []
    day = datetime.date(year, 1, 1)
    while day.year == year:
        if day in holidays:
            kind = "holiday"
        elif day in transferred:
            kind = "transferred"
        elif day in working_weekends:
            kind = "working_weekend"
        elif day.weekday() >= 5:
            kind = "weekend"
        else:
            kind = "working"
        rows.append((day, kind))
        day += datetime.timedelta(days=1)
    return rows


def calendar_load(data: dict, *, year_model, day_model) -> list[int]:
    """Replace the years named in `data` (the format of data/working_calendar.json); the models are passed in so
    that a data migration can use its historical ones. Returns the years loaded."""
    loaded = []
    for key, spec in sorted(data["years"].items()):
        year = int(key)
        rows = calendar_rows(year, spec)
        year_model.objects.update_or_create(
            year=year, defaults={"source": spec["source"][:500], "is_preliminary": bool(spec.get("preliminary"))}
        )
        day_model.objects.filter(day__year=year).delete()
        day_model.objects.bulk_create([day_model(day=day, kind=kind) for day, kind in rows])
        loaded.append(year)
    return loaded


def calendar_data(path: Path | None = None) -> dict:
    return json.loads((path or DATA_FILE).read_text(encoding="utf-8"))
