"""people.services.students_enroll places many students at once and sends `students_placed`; the профминимум adds
them to its rollups in bulk (profminimum.services.students_placed_update). Whatever is placed, when and where —
beside activities already marked, with the periodic job folding rows between — the rollups equal a rebuild from
the facts, and every scope's figures as of any date equal the student-by-student count of test_property."""

import datetime

from django.db import transaction
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from people.models import Person, Student
from people.services import students_enroll
from profminimum.models import Scope
from profminimum.rollups import rollups_difference, rollups_fold
from profminimum.services import Mark, attendance_save
from profminimum.tests.test_property import CLASS_KEYS, expected, figures, oracle

placement = st.tuples(st.sampled_from(CLASS_KEYS), st.integers(1, 4))  # a class and how many newcomers go there
batches = st.lists(st.tuples(st.lists(placement, min_size=1, max_size=3), st.integers(0, 90), st.booleans()), min_size=1, max_size=3)


def newcomers(count: int, tag: str) -> list[Student]:
    students = []
    for index in range(count):
        person = Person.objects.create(last_name=f"Новенький{tag}", first_name=f"Номер{index}", birth_date=datetime.date(2011, 1, 1))
        students.append(Student.objects.create(person=person))
    return students


def test_a_bulk_placement_counts_the_newcomers_in_their_school_from_the_day_they_came(pm):
    cast, year = pm.cast, pm.year
    activity = pm.activity("a1_8a", hours="2", week=0)
    attendance_save(activity=activity, marks={cast.students["a1_8a_0"].pk: Mark(True)}, by=None)
    school = cast.orgs["a1"]
    before = figures(pm, Scope.SCHOOL, school.pk, timezone.localdate())["students"]
    target = cast.classes["a1_8a"]
    students = newcomers(3, "А")
    assert students_enroll(school_year=year, placements=[(s.pk, target.pk, school.pk) for s in students], on=year.starts_on) == 3
    assert figures(pm, Scope.SCHOOL, school.pk, timezone.localdate())["students"] == before + 3
    assert rollups_difference(school_year_id=year.pk) == {}


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(plan=batches)
def test_bulk_placements_leave_the_rollups_equal_to_a_rebuild(pm, plan):
    cast, year = pm.cast, pm.year
    today = timezone.localdate()
    with transaction.atomic():
        activity = pm.activity("a1_8a", hours="1.5", week=1)
        attendance_save(activity=activity, marks={cast.students["a1_8a_1"].pk: Mark(True)}, by=None)
        for number, (places, day, fold) in enumerate(plan):
            on = min(year.starts_on + datetime.timedelta(days=day), today)
            placements = []
            for class_key, count in places:
                school_class = cast.classes[class_key]
                placements += [(s.pk, school_class.pk, school_class.school_id) for s in newcomers(count, f"{number}{class_key}")]
            students_enroll(school_year=year, placements=placements, on=on)
            if fold:
                rollups_fold(school_year_id=year.pk)
        assert rollups_difference(school_year_id=year.pk) == {}
        scopes = [(Scope.REPUBLIC, 0), (Scope.MUNICIPALITY, cast.municipalities["b"].pk), (Scope.SCHOOL, cast.orgs["a2"].pk)]
        scopes += [(Scope.CLASS, cast.classes[key].pk) for key in ("a1_8a", "b1_9a")]
        for on in sorted({year.starts_on, min(year.starts_on + datetime.timedelta(days=45), today), today}):
            counted = oracle(pm, on)
            for scope, scope_id in scopes:
                assert figures(pm, scope, scope_id, on) == expected(counted, (scope, scope_id)), (scope, scope_id, on)
        transaction.set_rollback(True)
