"""The access matrix: every cast user against every student, class, school and municipality page.
The expected tables are written out by hand from the rules in access/policy.py; a foreign object is a 404."""

import re

import pytest

from access.models import PersonalDataRead
from conftest import SCHOOL_KEYS

ALL_STUDENTS = {f"{school}_{grade}a_{i}" for school in SCHOOL_KEYS for grade in (8, 9) for i in range(3)}


def students_of(*prefixes: str) -> set[str]:
    return {key for key in ALL_STUDENTS if key.startswith(prefixes)}


# Which students' cards each user may open.
STUDENTS_VISIBLE = {
    "ministry_admin": ALL_STUDENTS,
    "ministry_analyst": ALL_STUDENTS,
    "operator": ALL_STUDENTS,
    "municipal_a": students_of("a1_", "a2_"),
    "municipal_b": students_of("b1_"),
    "coordinator_a1": students_of("a1_"),
    "coordinator_a2": students_of("a2_"),
    "coordinator_b1": students_of("b1_"),
    "psychologist_a1": students_of("a1_"),
    "class_teacher_a1": students_of("a1_8a"),
    "class_teacher_b1": students_of("b1_8a"),
    "navigator_a1": students_of("a1_9a"),
    "navigator_a2": students_of("a2_9a"),
    "parent_a1": {"a1_8a_0"},
    "parent_b1": {"b1_8a_0"},
    "student_a1": {"a1_8a_1"},
    "student_a2": {"a2_8a_1"},
    "partner_a": set(),
    "jury": set(),
}

ALL_CLASSES = {f"{school}_{grade}a" for school in SCHOOL_KEYS for grade in (8, 9)}
CLASSES_VISIBLE = {
    "ministry_admin": ALL_CLASSES,
    "municipal_a": {"a1_8a", "a1_9a", "a2_8a", "a2_9a"},
    "municipal_b": {"b1_8a", "b1_9a"},
    "coordinator_a1": {"a1_8a", "a1_9a"},
    "psychologist_a1": {"a1_8a", "a1_9a"},
    "class_teacher_a1": {"a1_8a"},
    "navigator_a1": {"a1_9a"},
    "parent_a1": set(),
    "student_a1": set(),
    "partner_a": set(),
    "jury": set(),
}

SCHOOLS_VISIBLE = {
    "ministry_admin": {"a1", "a2", "b1"},
    "operator": {"a1", "a2", "b1"},
    "municipal_a": {"a1", "a2"},
    "municipal_b": {"b1"},
    "coordinator_a1": {"a1"},
    "class_teacher_a1": {"a1"},
    "navigator_b1": {"b1"},
    "parent_a1": set(),
    "student_a1": set(),
    "partner_a": set(),
    "jury": set(),
}

MUNICIPALITIES_VISIBLE = {
    "ministry_analyst": {"a", "b"},
    "municipal_a": {"a"},
    "municipal_b": {"b"},
    "coordinator_a1": set(),
    "class_teacher_a1": set(),
    "parent_a1": set(),
    "partner_a": set(),
}


@pytest.mark.parametrize("username", sorted(STUDENTS_VISIBLE))
def test_student_cards(client, cast, username):
    client.force_login(cast.user(username))
    seen = {key for key in sorted(ALL_STUDENTS) if client.get(f"/students/{cast.students[key].pk}/").status_code == 200}
    statuses = {client.get(f"/students/{cast.students[key].pk}/").status_code for key in ALL_STUDENTS - seen}
    assert seen == STUDENTS_VISIBLE[username]
    assert statuses <= {404}


@pytest.mark.parametrize("username", sorted(CLASSES_VISIBLE))
def test_class_lists(client, cast, username):
    client.force_login(cast.user(username))
    statuses = {key: client.get(f"/classes/{cast.classes[key].pk}/").status_code for key in ALL_CLASSES}
    assert {key for key, status in statuses.items() if status == 200} == CLASSES_VISIBLE[username]
    assert {status for key, status in statuses.items() if key not in CLASSES_VISIBLE[username]} <= {404}


@pytest.mark.parametrize("username", sorted(SCHOOLS_VISIBLE))
def test_school_pages(client, cast, username):
    client.force_login(cast.user(username))
    statuses = {key: client.get(f"/orgs/{cast.orgs[key].pk}/").status_code for key in SCHOOL_KEYS}
    assert {key for key, status in statuses.items() if status == 200} == SCHOOLS_VISIBLE[username]
    assert {status for key, status in statuses.items() if key not in SCHOOLS_VISIBLE[username]} <= {404}


@pytest.mark.parametrize("username", sorted(MUNICIPALITIES_VISIBLE))
def test_municipality_pages(client, cast, username):
    client.force_login(cast.user(username))
    statuses = {key: client.get(f"/municipalities/{m.pk}/").status_code for key, m in cast.municipalities.items()}
    assert {key for key, status in statuses.items() if status == 200} == MUNICIPALITIES_VISIBLE[username]
    assert {status for key, status in statuses.items() if key not in MUNICIPALITIES_VISIBLE[username]} <= {404}


def test_colleges_and_employers_are_public_to_signed_in_people(client, cast):
    client.force_login(cast.user("parent_b1"))
    assert client.get(f"/orgs/{cast.orgs['college'].pk}/").status_code == 200
    assert client.get(f"/orgs/{cast.orgs['employer_a'].pk}/").status_code == 200


def test_anonymous_gets_login_not_data(client, cast):
    response = client.get(f"/students/{cast.students['a1_8a_0'].pk}/")
    assert response.status_code == 302 and "/accounts/login/" in response.url


def test_teacher_of_one_school_gets_404_for_a_student_of_another(client, cast):
    client.force_login(cast.user("class_teacher_a1"))
    response = client.get(f"/students/{cast.students['b1_8a_0'].pk}/")
    assert response.status_code == 404
    assert "Ученик" not in response.content.decode()


def test_search_finds_only_visible_students(client, cast):
    client.force_login(cast.user("class_teacher_a1"))
    html = client.get("/students/search/", {"q": "ученик"}).content.decode()
    found = set(re.findall(r"/students/(\d+)/", html))
    assert found == {str(cast.students[key].pk) for key in students_of("a1_8a")}  # a1 8А only, nobody else


def test_reads_of_personal_data_are_logged(client, cast):
    user = cast.user("coordinator_a1")
    client.force_login(user)
    student = cast.students["a1_8a_2"]
    client.get(f"/students/{student.pk}/")
    client.get(f"/classes/{cast.classes['a1_9a'].pk}/")
    client.get(f"/students/{cast.students['b1_8a_0'].pk}/")  # 404: nothing read, nothing logged
    reads = list(PersonalDataRead.objects.filter(user=user).order_by("at", "pk"))
    assert [(r.person_id, r.people_count, r.channel) for r in reads] == [(student.person_id, 1, "page"), (None, 3, "page")]
