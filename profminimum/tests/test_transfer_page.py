"""Moving a student through the transfer page keeps their hours and re-judges them by the new school."""

import datetime
from decimal import Decimal

from profminimum.models import Scope, StudentYearHours
from profminimum.selectors import scope_compliance
from profminimum.services import Mark, attendance_save


def transfer(client, student, to_class, on):
    return client.post(f"/students/{student.pk}/transfer/", {"to_class": to_class.pk, "on": on.isoformat()})


def test_municipal_coordinator_moves_a_student_to_another_school_with_the_hours(client, pm):
    cast = pm.cast
    student = cast.students["a1_8a_0"]
    attendance_save(activity=pm.activity("a1_8a", hours="2", direction="upbringing"), marks={student.pk: Mark(True)}, by=None)
    client.force_login(cast.user("municipal_a"))
    on = pm.year.starts_on + datetime.timedelta(days=40)
    response = transfer(client, student, cast.classes["a2_8a"], on)
    assert response.status_code == 302
    row = StudentYearHours.objects.get(student=student)
    assert (row.school_id, row.total_hours, row.level.code) == (cast.orgs["a2"].pk, Decimal("2"), "main")
    a2 = scope_compliance(school_year=pm.year, scope=Scope.SCHOOL, scope_ids=[cast.orgs["a2"].pk], on=on)[cast.orgs["a2"].pk]
    assert a2.students == 7
    card = client.get(f"/students/{student.pk}/").content.decode()
    assert "Школа № 1 г. Альфа" in card and "Школа № 2 г. Альфа" in card  # the history shows both


def test_a_school_coordinator_moves_only_within_the_school(client, pm):
    cast = pm.cast
    client.force_login(cast.user("coordinator_a1"))
    page = client.get(f"/students/{cast.students['a1_8a_0'].pk}/transfer/").content.decode()
    assert "9 «А»" in page and "Школа № 2" not in page
    response = transfer(client, cast.students["a1_8a_0"], cast.classes["a2_8a"], pm.year.starts_on + datetime.timedelta(days=5))
    assert response.status_code == 200 and "Класс: выберите класс из списка классов выбранной школы." in response.content.decode()
    assert StudentYearHours.objects.get(student=cast.students["a1_8a_0"]).school_id == cast.orgs["a1"].pk


def test_a_date_before_the_current_enrollment_is_refused_in_russian(client, pm):
    cast = pm.cast
    client.force_login(cast.user("coordinator_a1"))
    response = transfer(client, cast.students["a1_8a_0"], cast.classes["a1_9a"], pm.year.starts_on)
    assert response.status_code == 200
    assert "Дата перевода должна быть позже" in response.content.decode()


def test_teachers_and_parents_cannot_transfer(client, pm):
    cast = pm.cast
    for username in ("class_teacher_a1", "parent_a1", "coordinator_a2"):
        client.force_login(cast.user(username))
        assert client.get(f"/students/{cast.students['a1_8a_0'].pk}/transfer/").status_code == 404
