from decimal import Decimal

from profminimum.models import Scope, ScopeDirectionHours, ScopeWeekHours


def test_a_republic_of_a_million_students_fits_the_scope_totals(pm):
    """1 000 000 students × 80 h: the republic's hours by direction and by week must be storable
    (found by the benchmark at a million students on PostgreSQL, which enforces the precision)."""
    direction = pm.directions["course"]
    big = Decimal("80000000.5")
    ScopeDirectionHours.objects.create(school_year=pm.year, scope=Scope.REPUBLIC, scope_id=0, direction=direction, hours=big)
    ScopeWeekHours.objects.create(school_year=pm.year, scope=Scope.REPUBLIC, scope_id=0, week_start=pm.year.starts_on, hours=big)
    assert ScopeDirectionHours.objects.get().hours == big
    assert ScopeWeekHours.objects.get().hours == big
