"""Issue 7, point 2 «Every read of a child's data is logged»: the admin's lists and forms of students, persons, parent
links and accounts write the read log (a list: the people on its page, by id, in one row); the log outlives the
person it is about and its reader, and nobody edits it."""

import pytest

from access.models import PersonalDataRead
from access.services import personal_data_read_log
from accounts.models import User
from people.models import Person


def admin_reads(user) -> list[PersonalDataRead]:
    return list(PersonalDataRead.objects.filter(user=user, channel="admin").order_by("pk"))


@pytest.fixture
def operator(client, cast):
    user = cast.user("operator")
    client.force_login(user)
    return user


def test_the_admins_student_list_logs_the_students_shown(client, cast, operator):
    """Issue 7, point 2: the admin's list of students read 18 children's names and logged nothing."""
    assert client.get("/admin/people/student/").status_code == 200
    [read] = admin_reads(operator)
    shown = sorted(student.person_id for student in cast.students.values())
    assert (read.person_ids, read.people_count, read.person_id) == (shown, 18, None)
    assert read.subject == "администрирование: обучающиеся (список)" and read.username == "operator"


def test_a_search_in_the_admin_logs_only_the_students_it_found(client, cast, operator):
    client.get("/admin/people/student/", {"q": "ученика28"})  # the stored name has a Latin «A»: the search folds it
    [read] = admin_reads(operator)
    assert read.person_ids == sorted(cast.students[f"a2_8a_{i}"].person_id for i in range(3))


def test_the_admins_student_form_logs_the_student(client, cast, operator):
    """Issue 7, point 2: the admin's change form of a student."""
    student = cast.students["a2_9a_1"]
    assert client.get(f"/admin/people/student/{student.pk}/change/").status_code == 200
    client.get(f"/admin/people/student/{student.pk}/history/")
    assert [(r.person_id, r.person_ids, r.people_count) for r in admin_reads(operator)] == [(student.person_id, [student.person_id], 1)] * 2


def test_the_admins_person_list_and_form_log_the_people_shown(client, cast, operator):
    """Issue 7, point 2: the admin's list and form of persons."""
    client.get("/admin/people/person/", {"q": "родителева"})
    parents = sorted(cast.user(f"parent_{key}").person.pk for key in ("a1", "a2", "b1"))
    person = cast.students["a1_8a_2"].person
    client.get(f"/admin/people/person/{person.pk}/change/")
    assert [(r.person_ids, r.person_id) for r in admin_reads(operator)] == [(parents, None), ([person.pk], person.pk)]


def test_the_admins_parent_links_log_parent_and_child(client, cast, operator):
    """Issue 7, point 2: a parent link shows a parent and a child."""
    parent = cast.user("parent_b1").person
    child = cast.students["b1_8a_0"].person
    link = parent.children_links.get()
    client.get("/admin/people/parentlink/", {"q": "родителева розаb1"})
    client.get(f"/admin/people/parentlink/{link.pk}/change/")
    assert [r.person_ids for r in admin_reads(operator)] == [sorted([parent.pk, child.pk])] * 2


def test_the_admins_account_list_logs_the_people_behind_the_accounts(client, cast, operator):
    client.get("/admin/accounts/user/", {"q": "student_a1"})
    [read] = admin_reads(operator)
    assert read.person_ids == [cast.students["a1_8a_1"].person_id]


def test_an_empty_admin_list_logs_nothing(client, cast, operator):
    client.get("/admin/people/student/", {"q": "никтотакой"})
    assert admin_reads(operator) == []


def test_the_class_list_logs_the_ids_of_the_students_it_shows(client, cast):
    """Issue 7, point 2 (the Decision): «a list or export logs the people shown (their ids in the request's row is
    enough)» — the directory's class list now names them."""
    user = cast.user("coordinator_a1")
    client.force_login(user)
    client.get(f"/classes/{cast.classes['a1_9a'].pk}/")
    read = PersonalDataRead.objects.get(user=user)
    assert (read.person_ids, read.people_count) == (sorted(cast.students[f"a1_9a_{i}"].person_id for i in range(3)), 3)


def test_the_read_log_keeps_its_old_callers_working(cast):
    user = cast.user("operator")
    personal_data_read_log(user=user, subject="список", channel="page", people_count=7)
    personal_data_read_log(user=user, subject="карточка", channel="page", person_id=cast.students["a1_8a_0"].person_id)
    assert list(PersonalDataRead.objects.order_by("pk").values_list("people_count", "person_ids")) == [(7, []), (1, [])]


def test_the_read_log_survives_the_deletion_of_the_person_it_is_about(cast):
    """Issue 7, point 2: the read log survives the deletion of the person it is about — the row stays, with no name."""
    parent = cast.user("parent_a2").person
    personal_data_read_log(user=cast.user("operator"), subject="карточка", channel="admin", person_id=parent.pk, person_ids=[parent.pk])
    parent.delete()
    read = PersonalDataRead.objects.get()
    assert (read.person_id, read.username, read.subject) == (None, "operator", "карточка")


def test_a_readers_erasure_is_not_blocked_by_the_log(cast):
    """Issue 7, Decisions: «a reader's own erasure is not blocked by the log»; the log keeps who read by login."""
    reader = cast.user("class_teacher_b1")
    personal_data_read_log(user=reader, subject="список класса", channel="page", person_ids=[cast.students["b1_8a_0"].person_id])
    reader.delete()
    read = PersonalDataRead.objects.get()
    assert (read.user_id, read.username, read.people_count) == (None, "class_teacher_b1", 1)


def test_the_read_log_is_read_only_in_the_admin_even_for_a_superuser(client, cast):
    """Issue 7, point 2: the read log must be readable only, never editable, in the admin."""
    root = User.objects.create_superuser(username="root", email="root@test.local", password="Пароль-рута-1")
    read = PersonalDataRead.objects.create(user=root, username="root", subject="карточка", channel="page")
    client.force_login(root)
    assert client.get("/admin/access/personaldataread/").status_code == 200
    page = client.get(f"/admin/access/personaldataread/{read.pk}/change/").content.decode()
    assert "карточка" in page and 'name="_save"' not in page
    assert client.get("/admin/access/personaldataread/add/").status_code == 403
    assert client.post(f"/admin/access/personaldataread/{read.pk}/change/", {"subject": "ничего"}).status_code == 403
    assert client.post(f"/admin/access/personaldataread/{read.pk}/delete/", {"post": "yes"}).status_code == 403
    client.post("/admin/access/personaldataread/", {"action": "delete_selected", "_selected_action": [read.pk], "post": "yes"})
    read.refresh_from_db()
    assert read.subject == "карточка"
    assert Person.objects.exists()
