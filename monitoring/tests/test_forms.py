"""The schools' monthly forms: prefilled from the platform (a fact entered once), corrected only with a reason,
returned with the ministry's comment, locked once accepted, reopened by the ministry with a reason; every page of the
monitoring opens for every role without an error."""

import io

import openpyxl
import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from monitoring import services
from monitoring.models import Period, Report
from notifications.models import Notification


def _post(client, school, period, action, **values):
    data = {"action": action}
    for key in ("students", "covered", "enrolments"):
        if key in values:
            data[f"value_{key}"] = values[key]
            data[f"shown_{key}"] = values.get(f"shown_{key}", values[key])
        if f"reason_{key}" in values:
            data[f"reason_{key}"] = values[f"reason_{key}"]
    return client.post(reverse("monitoring:report", args=[school.pk, period.pk]), data)


def test_the_monthly_form_is_prefilled_from_the_enrolments_and_locks_once_accepted(client, mon):
    cast = mon.cast
    for programme in ("robotics", "chess", "theatre"):
        mon.enrol("a1_8a_0", programme)
    period = mon.open_period()
    school = cast.orgs["a1"]
    url = reverse("monitoring:report", args=[school.pk, period.pk])

    client.force_login(cast.user("coordinator_a1"))
    page = client.get(url).content.decode()
    assert 'name="value_covered" value="1"' in page  # one student in three programmes: covered once
    assert 'name="value_enrolments" value="3"' in page and 'name="value_students" value="6"' in page

    # A correction without a reason is refused, naming the figure; with one, it is kept beside the platform's figure.
    response = _post(client, school, period, "submit", students="6", covered="2", enrolments="3", shown_covered="1")
    assert response.status_code == 400 and "причин" in response.content.decode().lower()
    assert not Report.objects.filter(period=period, school=school, status=Report.Status.SUBMITTED).exists()
    response = _post(client, school, period, "submit", students="6", covered="2", enrolments="3", shown_covered="1",
                     reason_covered="Ученик занимается в кружке вне платформы")  # fmt: skip
    assert response.status_code == 302
    report = Report.objects.get(period=period, school=school)
    assert report.status == Report.Status.SUBMITTED
    assert (report.prefilled["covered"], report.values["covered"]) == (1, 2)
    assert report.reasons["covered"] == "Ученик занимается в кружке вне платформы"

    client.force_login(cast.user("ministry_admin"))
    assert client.post(url, {"action": "return", "comment": ""}).status_code == 400
    assert client.post(url, {"action": "return", "comment": "Укажите кружок в самоанализе."}).status_code == 302
    client.force_login(cast.user("coordinator_a1"))
    assert "Укажите кружок в самоанализе." in client.get(url).content.decode()
    assert Notification.objects.filter(user=cast.user("coordinator_a1"), kind="monitoring.returned").exists()
    assert _post(client, school, period, "submit", students="6", covered="2", enrolments="3", shown_covered="1",
                 reason_covered="Кружок «Юный техник» при ДДТ").status_code == 302  # fmt: skip

    client.force_login(cast.user("ministry_admin"))
    assert client.post(url, {"action": "accept"}).status_code == 302
    report.refresh_from_db()
    assert report.status == Report.Status.ACCEPTED

    # Accepted: the school can no longer edit it, on the page or through the service; later data do not move it.
    client.force_login(cast.user("coordinator_a1"))
    page = client.get(url).content.decode()
    assert 'name="value_covered"' not in page and "школа больше не может её изменить" in page
    assert _post(client, school, period, "save", students="6", covered="5", enrolments="3").status_code == 400
    with pytest.raises(ValidationError):
        services.report_save(school=school, period=period, values={"covered": "5"}, by=cast.user("coordinator_a1"))
    mon.enrol("a1_8a_1", "chess")
    report.refresh_from_db()
    assert (report.prefilled["covered"], report.values["covered"], report.status) == (1, 2, Report.Status.ACCEPTED)

    # The form downloads in its own layout: each figure, the platform's value, the school's, the reason.
    response = client.get(url + "?format=xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    rows = [row for row in sheet.iter_rows(values_only=True) if row and row[1]]
    covered = next(row for row in rows if str(row[1]).startswith("Из них занимаются"))
    assert (covered[2], covered[3], covered[4]) == (1, 2, "Кружок «Юный техник» при ДДТ")

    # The ministry reopens it with a reason: the school may edit again.
    client.force_login(cast.user("ministry_admin"))
    assert client.post(url, {"action": "reopen", "reason": "Новые данные ДДТ"}).status_code == 302
    client.force_login(cast.user("coordinator_a1"))
    assert 'name="value_covered"' in client.get(url).content.decode()


ROLES = ["ministry_admin", "ministry_analyst", "operator", "municipal_a", "municipal_b", "coordinator_a1", "psychologist_a1",
         "navigator_a1", "parent_a1", "student_a1", "partner_a"]  # fmt: skip


def test_each_role_opens_the_monitoring_pages_without_an_error(client, mon):
    cast = mon.cast
    mon.enrol("a1_8a_0", "robotics")
    coverage, half = mon.open_period(), mon.open_period(Period.Kind.PROFMINIMUM, 1)
    a1 = cast.orgs["a1"]
    a1_enrolment = mon.enrol("a1_8a_1", "chess")
    urls = [
        reverse("monitoring:index"), reverse("monitoring:coverage"), reverse("monitoring:profminimum"), reverse("monitoring:periods"),
        reverse("monitoring:coverage_municipality", args=[cast.municipalities["a"].pk]),
        reverse("monitoring:profminimum_municipality", args=[cast.municipalities["a"].pk]),
        reverse("monitoring:school", args=[a1.pk]), reverse("monitoring:report", args=[a1.pk, coverage.pk]),
        reverse("monitoring:report", args=[a1.pk, half.pk]), reverse("monitoring:enrolments", args=[a1.pk]),
        reverse("monitoring:enrolment", args=[a1.pk, a1_enrolment.pk]),
        reverse("monitoring:report", args=[a1.pk, coverage.pk]) + "?format=xlsx",
    ]  # fmt: skip
    seen = {}
    for role in ROLES:
        client.force_login(cast.user(role))
        for url in urls:
            status = client.get(url).status_code
            assert status in (200, 302, 403, 404), (role, url, status)
            seen[(role, url)] = status
    school_url = reverse("monitoring:school", args=[a1.pk])
    assert seen[("coordinator_a1", school_url)] == 200 and seen[("ministry_admin", school_url)] == 200
    assert seen[("municipal_a", school_url)] == 200 and seen[("municipal_b", school_url)] == 404
    assert seen[("student_a1", school_url)] in (403, 404)


def test_the_self_analysis_is_prefilled_from_the_ledger_and_says_no_data_where_no_domain_holds_it(client, mon):
    from profminimum.services import Mark, attendance_save
    from profminimum.tests.conftest import Profminimum

    cast = mon.cast
    pm = Profminimum(cast)
    lesson = pm.activity("a1_8a", week=0)  # a lesson of the course: two of the three present
    students = list(cast.classes["a1_8a"].students.order_by("pk"))
    attendance_save(activity=lesson, marks={s.pk: Mark(s.pk != students[0].pk) for s in students}, by=None)
    period = mon.open_period(Period.Kind.PROFMINIMUM, 1)
    held = lesson.starts_at.date() <= period.as_of
    client.force_login(cast.user("coordinator_a1"))
    page = client.get(reverse("monitoring:report", args=[cast.orgs["a1"].pk, period.pk])).content.decode()
    assert 'name="value_students" value="6"' in page  # two classes of three students in A1
    assert f'name="value_course_marks" value="{3 if held else 0}"' in page
    assert f'name="value_course_present" value="{2 if held else 0}"' in page
    assert 'name="value_navigators" value="1"' in page
    # Diagnostics, trials and excursions come from their domains: none held in this school's half-year yet.
    for key in ("diagnostics", "trial_students", "trials", "excursions"):
        assert f'name="value_{key}" value="0"' in page


def test_a_students_enrolments_are_on_the_familys_page_and_in_the_export(mon):
    from privacy.registry import personal_data

    mon.enrol("a1_8a_0", "robotics")
    mon.enrol("a1_8a_0", "chess")
    section = next(s for s in personal_data.sections(mon.cast.students["a1_8a_0"], full=True) if s.key == "monitoring")
    assert section.facts == [("Записей в программы дополнительного образования", "2")]
    assert sorted(row["programme"] for row in section.data) == ["Робототехника", "Шахматы"]
