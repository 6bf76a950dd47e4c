"""The events cast: the test region with its профминимум version, two partners (ООО «Альфа-Агро» with its
representative partner_a, ООО «Бета-Строй» with partner_b) and helpers that publish offers and move them in time."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from events.models import Offer, Partner
from events.services import offer_create, offer_publish
from profminimum.tests.conftest import Profminimum


class Events:
    def __init__(self, pm: Profminimum):
        self.pm = pm
        self.cast = pm.cast
        self.partners = {
            key: Partner.objects.create(organization=self.cast.orgs[org], is_trial_site=True)
            for key, org in (("a", "employer_a"), ("b", "employer_b"))
        }

    def offer(self, *, provider="employer_a", kind=Offer.Kind.MASTER_CLASS, title="Мастер-класс агронома", capacity=10,
              hours="2", direction="upbringing", days=7, grades=(8, 9), publish=True, **values) -> Offer:  # fmt: skip
        starts = timezone.now().replace(microsecond=0) + datetime.timedelta(days=days)
        offer = offer_create(
            by=self.cast.user("operator"), kind=kind, title=title, provider=self.cast.orgs[provider], starts_at=starts,
            ends_at=starts + datetime.timedelta(hours=2), place="ул. Полевая, 1", capacity=capacity, hours=Decimal(hours),
            direction=direction, grade_min=grades[0], grade_max=grades[1], **values,
        )  # fmt: skip
        if publish:
            offer_publish(offer=offer, by=self.cast.user("operator"))
        return offer

    @staticmethod
    def begin(offer: Offer, *, hours_ago: int = 1) -> Offer:
        """The day has come: the offer started an hour ago (attendance is marked at the host once it has begun)."""
        starts = timezone.now().replace(microsecond=0) - datetime.timedelta(hours=hours_ago)
        Offer.objects.filter(pk=offer.pk).update(starts_at=starts, ends_at=starts + datetime.timedelta(hours=2))
        offer.refresh_from_db()
        return offer


@pytest.fixture
def pm(cast) -> Profminimum:
    return Profminimum(cast)


@pytest.fixture
def ev(pm) -> Events:
    return Events(pm)
