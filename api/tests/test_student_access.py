"""Who may read which student's card through the API. The expected table is written out by hand from the
rules in access/policy.py; every cell not allowed must be a 404, never a 403. Session and token sign-in
must give the same answers."""

import pytest

from conftest import SCHOOL_KEYS

ALL_STUDENTS = {f"{school}_{grade}a_{i}" for school in SCHOOL_KEYS for grade in (8, 9) for i in range(3)}


def students_of(*prefixes: str) -> set[str]:
    return {key for key in ALL_STUDENTS if key.startswith(prefixes)}


# Which students' cards each user may read (students are named <school>_<grade>a_<index>).
STUDENT_CARDS_VISIBLE = {
    "ministry_admin": ALL_STUDENTS,  # the whole republic
    "municipal_a": students_of("a1_", "a2_"),  # schools of municipality a
    "municipal_b": students_of("b1_"),
    "coordinator_a1": students_of("a1_"),  # their school
    "coordinator_a2": students_of("a2_"),
    "class_teacher_a1": students_of("a1_8a_"),  # their class, 8А of a1
    "navigator_a1": students_of("a1_9a_"),  # their class, 9А of a1
    "parent_a1": {"a1_8a_0"},  # their child
    "student_a1": {"a1_8a_1"},  # themselves
    "partner_a": set(),  # no student data
    "jury": set(),
}


def card_statuses(client, cast, **headers) -> dict[str, int]:
    return {key: client.get(f"/api/v1/students/{cast.students[key].pk}", **headers).status_code for key in sorted(ALL_STUDENTS)}


@pytest.mark.parametrize("username", sorted(STUDENT_CARDS_VISIBLE))
def test_student_cards_with_session(client, cast, username):
    client.force_login(cast.user(username))
    statuses = card_statuses(client, cast)
    expected = {key: 200 if key in STUDENT_CARDS_VISIBLE[username] else 404 for key in ALL_STUDENTS}
    assert statuses == expected


@pytest.mark.parametrize("username", sorted(STUDENT_CARDS_VISIBLE))
def test_student_cards_with_token(client, cast, token_headers, username):
    headers = token_headers(cast.user(username))
    statuses = card_statuses(client, cast, **headers)
    expected = {key: 200 if key in STUDENT_CARDS_VISIBLE[username] else 404 for key in ALL_STUDENTS}
    assert statuses == expected


def test_a_foreign_student_looks_like_a_missing_one(client, cast, token_headers):
    headers = token_headers(cast.user("class_teacher_a1"))
    foreign = client.get(f"/api/v1/students/{cast.students['b1_8a_0'].pk}", **headers)
    missing = client.get("/api/v1/students/999999", **headers)
    assert foreign.status_code == missing.status_code == 404
    assert foreign.json() == missing.json() == {"detail": "Не найдено."}
    assert "Ученик" not in foreign.content.decode()
