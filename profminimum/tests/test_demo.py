"""The demo профминимум: a plausible history whose rollups agree with its ledger, on SQLite and PostgreSQL."""

import datetime
from collections import Counter

from django.db.models import Sum

from demo.region import build_demo_region
from people.models import Student
from profminimum.demo import build_profminimum_demo
from profminimum.models import Activity, Holiday, HoursEntry, SchoolLevel, Scope, ScopeDirectionHours
from profminimum.selectors import school_year_current, scope_compliance


def test_the_demo_history_adds_up(db):
    build_demo_region(seed=3, scale=400)
    today = datetime.date.today()
    counts = build_profminimum_demo(seed=3, today=today)
    year = school_year_current()

    republic = scope_compliance(school_year=year, scope=Scope.REPUBLIC, scope_ids=[0], on=today)[0]
    assert republic.students == Student.objects.filter(current_class__school_year=year).count()
    ledger = HoursEntry.objects.aggregate(total=Sum("hours"))["total"] or 0
    assert republic.total_hours == ledger
    by_direction = dict(ScopeDirectionHours.objects.filter(scope=Scope.REPUBLIC).values_list("direction_id", "hours"))
    assert by_direction == dict(HoursEntry.objects.values_list("direction_id").annotate(h=Sum("hours")).values_list("direction_id", "h"))
    assert counts["marks"] > 0 and not HoursEntry.objects.filter(occurred_on__gte=today).exists()

    # The course: 34 Thursdays per class, none inside the region's holidays.
    lessons = Activity.objects.filter(course_lesson__isnull=False)
    per_class = Counter(lessons.values_list("classes__id", flat=True))
    assert set(per_class.values()) == {34}
    holidays = list(Holiday.objects.filter(normative__school_year=year).values_list("starts_on", "ends_on"))
    for starts_at in lessons.values_list("starts_at", flat=True)[:500]:
        day = starts_at.astimezone(datetime.UTC).date()
        assert day.weekday() == 3
        assert not any(start <= day <= end for start, end in holidays)
    assert SchoolLevel.objects.filter(school_year=year).exists()
