import datetime

import pytest

from profminimum.tests.conftest import Profminimum


@pytest.fixture
def pm(cast) -> Profminimum:
    """The cast with the year's normative version: a1 basic (40 h), a2 main (60 h), b1 advanced (80 h)."""
    return Profminimum(cast)


@pytest.fixture
def mid_year(cast, monkeypatch) -> datetime.date:
    """The platform's today set to the middle of the cast's school year (half the year gone: the basic level
    expects 20 h, and a student below 16 h is at risk), so that states do not depend on when the tests run.
    Only the date moves: activities before it are the past, as they are by the clock."""
    year = cast.year
    day = year.starts_on + datetime.timedelta(days=(year.ends_on - year.starts_on).days // 2)
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *args, **kwargs: day)
    return day
