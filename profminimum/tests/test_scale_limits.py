from decimal import Decimal

from profminimum.models import Scope, ScopeDayHours


def test_a_republic_of_a_million_students_fits_the_scope_totals(pm):
    """1 000 000 students × 80 h: the republic's hours by direction and day must be storable
    (found by the benchmark at a million students on PostgreSQL, which enforces the precision)."""
    direction = pm.directions["course"]
    big = Decimal("80000000.5")
    ScopeDayHours.objects.create(
        school_year=pm.year, scope=Scope.REPUBLIC, scope_id=0, direction=direction, day=pm.year.starts_on, hours=big
    )
    assert ScopeDayHours.objects.get().hours == big
