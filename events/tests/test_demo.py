"""The events of the demo region: built on any region, the hours of past trials through the ledger (the rollups
stay equal to a rebuild), every page of the catalogue opens."""

from events.demo import OFFERS, build_events_demo
from events.models import Offer, Partner, TrialRecord
from profminimum.rollups import rollups_difference


def test_the_demo_builds_partners_offers_and_past_trials_whose_hours_reach_the_ledger(pm, client):
    counts = build_events_demo(seed=1)
    assert counts["partners"] == Partner.objects.count() == 3  # two employers and a college of the cast
    assert Offer.objects.count() == OFFERS + 1  # and the regional event
    assert Offer.objects.filter(municipality__isnull=True, kind="regional_event").exists()
    assert TrialRecord.objects.exists()  # past trials, attended
    assert rollups_difference(school_year_id=pm.year.pk) == {}
    assert client.get("/events/").status_code == 200
    assert client.get("/events/calendar/").status_code == 200
