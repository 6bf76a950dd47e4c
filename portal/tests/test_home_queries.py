"""The ministry's and a municipality's homes, attention items included, cost the same number of queries
however many municipalities, schools and students the region has (issue 9: «nothing a person opens may
grow with the region»)."""

import datetime

from django.db import connection
from django.test.utils import CaptureQueriesContext

from orgs.models import Municipality, Organization, SchoolClass
from people.models import Enrollment, Person, Student
from profminimum.models import SchoolLevel
from profminimum.rollups import rollups_rebuild
from profminimum.services import Mark, attendance_save, school_level_set


def queries_of_home(client, user) -> int:
    client.force_login(user)
    client.get("/")  # the session and the first look-ups settle
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/").status_code == 200
    return len(queries)


def grow(pm, *, municipalities: int, schools: int, in_municipality: Municipality | None = None) -> None:
    """More municipalities (or more schools in one), each school with two classes of students, a level chosen
    or set, a lesson not marked and one marked."""
    cast, year = pm.cast, pm.year
    targets = [in_municipality] if in_municipality else [
        Municipality.objects.create(name=f"Район {i}", kind="district", code=f"R{i}") for i in range(municipalities)
    ]  # fmt: skip
    number = Organization.objects.count()
    for municipality in targets:
        for _ in range(schools):
            number += 1
            school = Organization.objects.create(
                name=f"Школа № {number}", short_name=f"Школа № {number}", kind=Organization.Kind.SCHOOL, municipality=municipality
            )
            status = [SchoolLevel.Status.CHOSEN, SchoolLevel.Status.APPROVED][number % 2]
            school_level_set(school=school, school_year=year, level=pm.levels["basic"], status=status, by=cast.user("ministry_admin"))
            for grade in (8, 9):
                school_class = SchoolClass.objects.create(school=school, school_year=year, grade=grade, letter="Б")
                for index in range(3):
                    person = Person.objects.create(
                        last_name=f"Новиков{number}", first_name=f"Ученик{index}", birth_date=datetime.date(2012, 1, 1)
                    )
                    student = Student.objects.create(person=person, current_school=school, current_class=school_class)
                    Enrollment.objects.create(student=student, school_class=school_class, started_on=year.starts_on)
                cast.classes[f"{number}_{grade}"] = school_class
                pm.activity(f"{number}_{grade}", week=0)
                lesson = pm.activity(f"{number}_{grade}", week=1)
                attendance_save(activity=lesson, marks={s.pk: Mark(True) for s in school_class.students.all()}, by=None)
    rollups_rebuild(school_year_id=year.pk)


def test_the_ministrys_home_costs_the_same_with_more_municipalities_and_schools(client, pm):
    pm.activity("a1_8a", week=0)  # something not marked, so the attention hooks have work to do
    SchoolLevel.objects.filter(school=pm.cast.orgs["a2"]).update(status=SchoolLevel.Status.CHOSEN)
    before = {user: queries_of_home(client, pm.cast.user(user)) for user in ("ministry_admin", "operator")}
    grow(pm, municipalities=4, schools=3)
    after = {user: queries_of_home(client, pm.cast.user(user)) for user in ("ministry_admin", "operator")}
    assert after == before
    client.force_login(pm.cast.user("ministry_admin"))
    assert "Район 3" in client.get("/").content.decode()


def test_a_municipalitys_home_costs_the_same_with_more_schools(client, pm):
    pm.activity("a1_8a", week=0)
    before = queries_of_home(client, pm.cast.user("municipal_a"))
    grow(pm, municipalities=0, schools=6, in_municipality=pm.cast.municipalities["a"])
    assert queries_of_home(client, pm.cast.user("municipal_a")) == before


def test_the_schools_and_the_teachers_homes_cost_the_same_with_more_schools_elsewhere(client, pm):
    pm.activity("a1_8a", week=0)
    users = ("coordinator_a1", "class_teacher_a1", "student_a1", "parent_a1")
    before = {user: queries_of_home(client, pm.cast.user(user)) for user in users}
    grow(pm, municipalities=2, schools=2)
    assert {user: queries_of_home(client, pm.cast.user(user)) for user in users} == before
