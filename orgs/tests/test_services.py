"""A school's move to another municipality (orgs.services.school_municipality_change) and the admin that sends it
there. Issue 7, point 6 «Admin edits that move data keep the rollups right»: a move in the admin's plain form left
the municipalities' counts wrong; the form now refuses it and the move page goes through the service, after which
the профминимум's rollups equal a rebuild from the facts.

The figures are counted by hand: each school of the cast has two classes of three students; in school A2 one
student of 8 «А» attended a two-hour lesson and one of 9 «А» a one-hour lesson."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from access.tests.admin_forms import form_of
from orgs.models import Organization
from orgs.services import school_municipality_change
from orgs.signals import school_municipality_changed
from profminimum.models import HoursEntry, Scope
from profminimum.rollups import rollups_difference
from profminimum.selectors import scope_compliance
from profminimum.services import Mark, attendance_save
from profminimum.tests.conftest import Profminimum


@pytest.fixture
def pm(cast) -> Profminimum:
    return Profminimum(cast)


@pytest.fixture
def hours(pm):
    cast = pm.cast
    attendance_save(activity=pm.activity("a2_8a", hours="2", week=0), marks={cast.students["a2_8a_0"].pk: Mark(True)}, by=None)
    attendance_save(activity=pm.activity("a2_9a", hours="1", week=1), marks={cast.students["a2_9a_2"].pk: Mark(True)}, by=None)
    return pm


def municipality_figures(pm) -> dict[str, tuple[int, Decimal]]:
    ids = {key: m.pk for key, m in pm.cast.municipalities.items()}
    figures = scope_compliance(school_year=pm.year, scope=Scope.MUNICIPALITY, scope_ids=ids.values(), on=timezone.localdate())
    return {key: (figures[pk].students, figures[pk].total_hours) for key, pk in ids.items()}


def test_the_service_moves_a_school_and_the_municipalities_counts_follow(hours):
    """Issue 7, point 6: after a school's move each municipality counts the students and hours it now holds."""
    pm = hours
    assert municipality_figures(pm) == {"a": (12, Decimal(3)), "b": (6, Decimal(0))}
    school_municipality_change(school=pm.cast.orgs["a2"], municipality=pm.cast.municipalities["b"])
    assert pm.cast.orgs["a2"].__class__.objects.get(pk=pm.cast.orgs["a2"].pk).municipality == pm.cast.municipalities["b"]
    assert municipality_figures(pm) == {"a": (6, Decimal(0)), "b": (12, Decimal(3))}
    assert set(HoursEntry.objects.values_list("municipality_id", flat=True)) == {pm.cast.municipalities["b"].pk}
    assert rollups_difference(school_year_id=pm.year.pk) == {}


def test_the_service_tells_the_apps_above(cast):
    heard = []

    def receiver(**kwargs):
        heard.append((kwargs["school"].pk, kwargs["previous"], kwargs["municipality"]))

    school_municipality_changed.connect(receiver)
    try:
        school_municipality_change(school=cast.orgs["b1"], municipality=cast.municipalities["a"])
    finally:
        school_municipality_changed.disconnect(receiver)
    assert heard == [(cast.orgs["b1"].pk, cast.municipalities["b"], cast.municipalities["a"])]


@pytest.mark.parametrize(
    ("org", "municipality", "message"),
    [
        ("college", "b", "переводить между муниципалитетами можно только школу"),
        ("a1", "a", "школа уже относится к муниципалитету «Город Альфа»"),
        ("a1", None, "выберите, в какой муниципалитет перевести школу"),
    ],
)
def test_the_service_refuses_what_is_not_a_move(cast, org, municipality, message):
    with pytest.raises(ValidationError) as refused:
        school_municipality_change(school=cast.orgs[org], municipality=cast.municipalities.get(municipality))
    assert message in refused.value.message_dict["municipality"][0]
    assert Organization.objects.get(pk=cast.orgs[org].pk).municipality == cast.orgs[org].municipality


# --- the admin ---------------------------------------------------------------------------------------------------


@pytest.fixture
def operator(client, cast):
    client.force_login(cast.user("operator"))
    return cast.user("operator")


def test_the_admins_form_does_not_move_a_school_with_students(client, hours, operator):
    """Issue 7, point 6: moving a school to another municipality in the admin's form left the municipality's counts
    wrong. The field is read-only for a school with students; a POST that sends it changes nothing."""
    pm = hours
    school = pm.cast.orgs["a2"]
    url = f"/admin/orgs/organization/{school.pk}/change/"
    data = form_of(client.get(url).content.decode(), "organization_form")
    assert "municipality" not in data and "kind" not in data
    data.update(municipality=str(pm.cast.municipalities["b"].pk), kind="college", short_name="Школа № 2 (новое имя)")
    assert client.post(url, data).status_code == 302
    school.refresh_from_db()
    assert (school.municipality, school.kind, school.short_name) == (pm.cast.municipalities["a"], "school", "Школа № 2 (новое имя)")
    assert rollups_difference(school_year_id=pm.year.pk) == {}


def test_the_admins_move_page_moves_the_school_through_the_service(client, hours, operator):
    """Issue 7, point 6: «Перевести школу в другой муниципалитет» — the move and the recomputed figures."""
    pm = hours
    school = pm.cast.orgs["a2"]
    page = client.get(f"/admin/orgs/organization/{school.pk}/change/").content.decode()
    assert "Перевести школу в другой муниципалитет" in page
    url = f"/admin/orgs/organization/{school.pk}/municipality/"
    page = client.get(url).content.decode()
    assert "6 обучающихся" in page and "Город Альфа" in page
    response = client.post(url, {"municipality": str(pm.cast.municipalities["b"].pk)})
    assert response.status_code == 302 and response.url == f"/admin/orgs/organization/{school.pk}/change/"
    school.refresh_from_db()
    assert school.municipality == pm.cast.municipalities["b"]
    assert municipality_figures(pm) == {"a": (6, Decimal(0)), "b": (12, Decimal(3))}
    assert rollups_difference(school_year_id=pm.year.pk) == {}
    assert "переведена из муниципалитета «Город Альфа» в «Бетинский район»" in client.get(response.url).content.decode()


def test_the_move_page_says_what_is_wrong(client, cast, operator):
    school = cast.orgs["a1"]
    url = f"/admin/orgs/organization/{school.pk}/municipality/"
    page = client.post(url, {"municipality": ""}).content.decode()
    assert "Муниципалитет: выберите, в какой муниципалитет перевести школу." in page
    page = client.post(url, {"municipality": str(cast.municipalities["a"].pk)}).content.decode()  # its own: not offered
    assert "Муниципалитет: такого муниципалитета нет в списке." in page
    assert client.get(f"/admin/orgs/organization/{cast.orgs['college'].pk}/municipality/").status_code == 404
    school.refresh_from_db()
    assert school.municipality == cast.municipalities["a"]


def test_the_move_is_an_action_of_the_list_for_one_school(client, cast, operator):
    school = cast.orgs["b1"]
    response = client.post("/admin/orgs/organization/", {"action": "school_move", "_selected_action": [school.pk]})
    assert response.status_code == 302 and response.url == f"/admin/orgs/organization/{school.pk}/municipality/"
    both = [school.pk, cast.orgs["a1"].pk]
    response = client.post("/admin/orgs/organization/", {"action": "school_move", "_selected_action": both}, follow=True)
    assert "Выберите одну школу" in response.content.decode()


def test_a_school_without_students_or_classes_keeps_an_editable_municipality(client, cast, operator):
    empty = Organization.objects.create(name="Новая школа", short_name="Новая школа", kind="school", municipality=cast.municipalities["a"])
    data = form_of(client.get(f"/admin/orgs/organization/{empty.pk}/change/").content.decode(), "organization_form")
    assert data["municipality"] == str(cast.municipalities["a"].pk)


def test_a_class_with_students_does_not_move_to_another_school_or_year_in_the_admin(client, cast, operator):
    """Issue 7, point 6: a class moved to another school in the admin took its students' placements with it, behind
    the rollups' back (students change class through the transfer page)."""
    school_class = cast.classes["a2_8a"]
    url = f"/admin/orgs/schoolclass/{school_class.pk}/change/"
    data = form_of(client.get(url).content.decode(), "schoolclass_form")
    assert not {"school", "school_year", "grade"} & set(data)
    data.update(school=str(cast.orgs["b1"].pk), grade="9", profile="инженерный")
    assert client.post(url, data).status_code == 302
    school_class.refresh_from_db()
    assert (school_class.school, school_class.grade, school_class.profile) == (cast.orgs["a2"], 8, "инженерный")


def test_a_school_years_start_is_fixed_once_it_has_classes(client, cast, operator):
    """Issue 7, point 6: the профминимум counts every student from the year's first day."""
    url = f"/admin/orgs/schoolyear/{cast.year.pk}/change/"
    data = form_of(client.get(url).content.decode(), "schoolyear_form")
    assert "starts_on" not in data and "ends_on" in data


def test_an_organisation_with_staff_is_not_deleted_in_the_admin(client, cast, operator):
    """Its staff's roles would go with it, past the audit log: they are revoked one by one first."""
    ministry = cast.orgs["ministry"]
    assert client.post(f"/admin/orgs/organization/{ministry.pk}/delete/", {"post": "yes"}).status_code == 403
    assert Organization.objects.filter(pk=ministry.pk).exists()


def test_a_student_with_a_class_history_is_not_deleted_in_the_admin(client, pm, operator):
    """Issue 7, point 6: deleting a student in the admin took their class history with it while the municipality's,
    school's and class's counts kept them."""
    student = pm.cast.students["b1_9a_2"]
    assert client.post(f"/admin/people/student/{student.pk}/delete/", {"post": "yes"}).status_code == 403
    client.post("/admin/people/student/", {"action": "delete_selected", "_selected_action": [student.pk], "post": "yes"})
    assert student.__class__.objects.filter(pk=student.pk).exists()
    assert rollups_difference(school_year_id=pm.year.pk) == {}
