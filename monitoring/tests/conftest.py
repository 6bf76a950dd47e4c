"""The monitoring's test world: the cast, a few additional-education programmes, and helpers that
enrol students and open a period whatever today's date is."""

import datetime

import pytest
from django.utils import timezone

from monitoring.models import Period, Programme
from monitoring.periods import periods_ensure
from monitoring.services import enrolment_upsert


class Monitoring:
    def __init__(self, cast):
        self.cast = cast
        self.year = cast.year
        provider = cast.orgs["college"]
        self.programmes = {
            key: Programme.objects.create(title=title, provider=provider, direction=direction, municipality=None)
            for key, title, direction in (
                ("robotics", "Робототехника", Programme.Direction.TECHNICAL),
                ("chess", "Шахматы", Programme.Direction.SPORTS),
                ("theatre", "Школьный театр", Programme.Direction.ARTS),
            )
        }
        periods_ensure(school_year=cast.year)

    def enrol(self, student_key: str, programme_key: str, starts_on=None, ends_on=None):
        enrolment, _ = enrolment_upsert(
            student=self.cast.students[student_key], programme=self.programmes[programme_key],
            starts_on=starts_on or self.year.starts_on, ends_on=ends_on, by=self.cast.user("coordinator_a1"),
        )  # fmt: skip
        return enrolment

    def period(self, kind: str = Period.Kind.COVERAGE, number: int = 1) -> Period:
        return Period.objects.get(school_year=self.year, kind=kind, number=number)

    def open_period(self, kind: str = Period.Kind.COVERAGE, number: int = 1, *, overdue: bool = False) -> Period:
        """The period, made open today: its day moved to yesterday at the latest (a test must not depend on the date)."""
        period = self.period(kind, number)
        today = timezone.localdate()
        if period.as_of >= today:
            period.as_of = max(self.year.starts_on, today - datetime.timedelta(days=1))
        period.due_on = today - datetime.timedelta(days=1) if overdue else max(period.as_of, today) + datetime.timedelta(days=5)
        if period.due_on < period.as_of:
            period.as_of = period.due_on
        period.save()
        return period


@pytest.fixture
def mon(cast) -> Monitoring:
    return Monitoring(cast)
