import datetime
from decimal import Decimal

import pytest

from core.formatting import (
    count_text,
    date_short,
    date_text,
    day_text,
    hours_text,
    month_year,
    number,
    plural_form,
    time_text,
    weekday_date_text,
)

FORMS = ("ученик", "ученика", "учеников")


@pytest.mark.parametrize(
    "number, expected",
    [(0, "учеников"), (1, "ученик"), (2, "ученика"), (4, "ученика"), (5, "учеников"), (11, "учеников"),
     (12, "учеников"), (14, "учеников"), (21, "ученик"), (22, "ученика"), (101, "ученик"), (111, "учеников")],
)  # fmt: skip
def test_plural_forms(number, expected):
    assert plural_form(number, *FORMS) == expected


def test_count_groups_thousands_with_a_narrow_space():
    assert count_text(48012, *FORMS) == "48\u202f012 учеников"


@pytest.mark.parametrize(
    "value, text",
    [(0, "0"), (12, "12"), (Decimal("12.0"), "12"), (Decimal("1.5"), "1,5"), (1234.5, "1\u202f234,5"), (-3, "−3"), (None, "—")],
)
def test_numbers_are_written_the_russian_way(value, text):
    assert number(value) == text


@pytest.mark.parametrize(
    "value, text",
    [(1, "1 час"), (2, "2 часа"), (5, "5 часов"), (11, "11 часов"), (21, "21 час"), (Decimal("1.5"), "1,5 часа"), (0, "0 часов")],
)
def test_hours_agree_with_their_number(value, text):
    assert hours_text(value) == text


def test_dates_months_and_weekdays():
    day = datetime.date(2026, 9, 3)  # a Thursday
    assert date_text(day) == "3 сентября 2026"
    assert date_short(day) == "03.09.2026"
    assert day_text(day) == "чт, 3 сентября"
    assert weekday_date_text(day) == "четверг, 3 сентября 2026"
    assert month_year(day) == "Сентябрь 2026"


def test_a_moment_is_shown_in_the_regions_time_zone():
    # 21:30 UTC on 30 November is 00:30 on 1 December in Moscow time.
    moment = datetime.datetime(2026, 11, 30, 21, 30, tzinfo=datetime.UTC)
    assert date_text(moment) == "1 декабря 2026"
    assert time_text(moment) == "00:30"
