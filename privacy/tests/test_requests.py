"""Requests with their deadlines in working days by the production calendar kept as data; the export as a ZIP
with a PDF and a JSON; the operator's queue with the days left (issue 8, «Requests with deadlines»)."""

import datetime
import io
import json
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from access.models import PersonalDataRead
from access.policy import viewer_for
from notifications.models import Notification
from privacy.models import CalendarDay, PrivacyEvent, SubjectRequest
from privacy.selectors import request_queue
from privacy.services import export_build, request_create
from privacy.workdays import calendar_days_after, working_days_after, working_days_between


def at(day: str) -> datetime.datetime:
    return datetime.datetime.combine(datetime.date.fromisoformat(day), datetime.time(10, 0), tzinfo=timezone.get_current_timezone())


def test_the_calendar_of_2025_and_2026_has_247_working_days_each_with_the_transfers(db):
    for year in (2025, 2026):
        working = CalendarDay.objects.filter(day__year=year, kind__in=["working", "working_weekend"]).count()
        assert working == 247, year
    assert CalendarDay.objects.get(day=datetime.date(2025, 11, 1)).kind == "working_weekend"  # a Saturday worked for 3 November
    assert CalendarDay.objects.get(day=datetime.date(2025, 11, 3)).kind == "transferred"
    assert CalendarDay.objects.get(day=datetime.date(2026, 1, 9)).kind == "transferred"
    assert CalendarDay.objects.get(day=datetime.date(2026, 3, 9)).kind == "transferred"  # 8 March fell on a Sunday
    assert CalendarDay.objects.get(day=datetime.date(2026, 12, 31)).kind == "transferred"


def test_ten_working_days_skip_weekends_holidays_and_transferred_days(db):
    # 30 April 2026 (Thu): 1–3 May off, 4–8 May five days, 9–11 May off (11 May for 9 May, a Saturday), 12–18 May five more.
    assert working_days_after(datetime.date(2026, 4, 30), 10).day == datetime.date(2026, 5, 18)
    # 24 December 2026 (Thu): 25, 28, 29, 30 December; 31 December and 1–10 January off; 11–15 and 18 January 2027.
    deadline = working_days_after(datetime.date(2026, 12, 24), 10)
    assert deadline.day == datetime.date(2027, 1, 18) and not deadline.estimated
    # Saturday 1 November 2025 was a working day.
    assert working_days_after(datetime.date(2025, 10, 31), 1).day == datetime.date(2025, 11, 1)
    assert working_days_between(datetime.date(2026, 4, 30), datetime.date(2026, 5, 18)) == 10
    assert working_days_between(datetime.date(2026, 5, 18), datetime.date(2026, 4, 30)) == -10


def test_a_deadline_beyond_the_loaded_calendar_is_marked_estimated(db):
    deadline = working_days_after(datetime.date(2027, 12, 27), 10)
    assert deadline.estimated and deadline.day == datetime.date(2028, 1, 10)


def test_thirty_days_that_end_on_a_holiday_move_to_the_next_working_day(db):
    assert calendar_days_after(datetime.date(2026, 12, 2), 30).day == datetime.date(2027, 1, 11)


def test_requests_are_registered_with_their_date_and_legal_deadline(family_of):
    family = family_of(12, key="d")
    export, created = request_create(user=family.parent_user, student=family.student, kind="export", now=at("2026-12-24"))
    assert created and export.deadline == datetime.date(2027, 1, 18) and export.party == "parent"
    again, created = request_create(user=family.parent_user, student=family.student, kind="export", now=at("2026-12-25"))
    assert not created and again.pk == export.pk
    erasure, _ = request_create(user=family.parent_user, student=family.student, kind="erasure", now=at("2026-12-02"))
    assert erasure.deadline == datetime.date(2027, 1, 11)
    assert PrivacyEvent.objects.filter(action="request_received", student=family.student).count() == 2


def test_a_child_under_14_and_an_unconfirmed_parent_may_not_file_a_request(family_of):
    young = family_of(13, key="u")
    with pytest.raises(ValidationError, match="До 14 лет запросы"):
        request_create(user=young.student_user, student=young.student, kind="export")
    unconfirmed = family_of(13, key="n", confirmed=False)
    with pytest.raises(ValidationError, match="не подтвердила"):
        request_create(user=unconfirmed.parent_user, student=unconfirmed.student, kind="erasure")
    teen = family_of(15, key="t")
    request, _ = request_create(user=teen.student_user, student=teen.student, kind="export")
    assert request.party == "student"


def test_the_export_is_a_zip_with_a_readable_pdf_and_a_json_and_both_steps_are_logged(client, cast, family_of):
    family = family_of(15, key="e")
    request, _ = request_create(user=family.parent_user, student=family.student, kind="export")
    export_build(request_id=request.pk, by=cast.user("operator"))
    request.refresh_from_db()
    assert request.status == "done" and request.completed_by == cast.user("operator")
    with zipfile.ZipFile(io.BytesIO(request.export_file.read())) as archive:
        names = set(archive.namelist())
        pdf = archive.read("dannye.pdf")
        data = json.loads(archive.read("dannye.json"))
    assert {"dannye.pdf", "dannye.json"} <= names
    assert pdf.startswith(b"%PDF-") and len(pdf) > 2000
    person = data["sections"]["person"]["data"]
    assert (person["last_name"], person["birth_date"]) == ("Семьёвe", family.student.person.birth_date.isoformat())
    assert data["sections"]["account"]["data"]["username"] == "e_child"
    assert data["sections"]["study"]["data"][0]["class"] == "8 «А»"
    assert PrivacyEvent.objects.filter(request=request, action="export_made").exists()
    note = Notification.objects.get(user=family.parent_user)
    assert note.subject == "Выгрузка данных готова" and note.url == reverse("privacy:student", args=[family.student.pk])
    client.force_login(family.parent_user)
    response = client.get(reverse("privacy:download", args=[request.pk]))
    assert response.status_code == 200 and response["Content-Disposition"].startswith("attachment")
    assert PrivacyEvent.objects.filter(request=request, action="export_downloaded").exists()
    assert PersonalDataRead.objects.filter(
        user=family.parent_user, subject__startswith="скачана выгрузка", person_id=family.student.person_id
    ).exists()
    client.force_login(cast.user("parent_a1"))
    assert client.get(reverse("privacy:download", args=[request.pk])).status_code == 404


def test_the_operator_sees_the_queue_with_the_working_days_left(client, cast, family_of):
    family = family_of(12, key="w")
    request, _ = request_create(user=family.parent_user, student=family.student, kind="export")
    left = working_days_between(timezone.localdate(), request.deadline)
    assert left == 10
    rows = request_queue(viewer=viewer_for(cast.user("operator")))
    assert [row.request.pk for row in rows] == [request.pk] and rows[0].left_text == "осталось 10 рабочих дней"
    client.force_login(cast.user("operator"))
    html = client.get(reverse("privacy:queue")).content.decode()
    assert f"№ {request.pk}: выгрузка данных" in html and "Осталось 10 рабочих дней" in html
    SubjectRequest.objects.filter(pk=request.pk).update(deadline=timezone.localdate() - datetime.timedelta(days=20))
    html = client.get(reverse("privacy:queue")).content.decode()
    assert "Просрочен на" in html
    for username in ("coordinator_a1", "ministry_analyst", "municipal_a"):
        client.force_login(cast.user(username))
        assert client.get(reverse("privacy:queue")).status_code == 404, username
        assert client.get(reverse("privacy:request", args=[request.pk])).status_code == 404, username


def test_the_operator_builds_an_export_from_the_queue_when_the_worker_has_not(client, cast, family_of):
    family = family_of(12, key="b")
    request, _ = request_create(user=family.parent_user, student=family.student, kind="export")
    client.force_login(cast.user("ministry_admin"))
    response = client.post(reverse("privacy:request", args=[request.pk]), {"action": "build"})
    assert response.status_code == 302
    request.refresh_from_db()
    assert request.status == "done" and request.export_file


def test_the_operator_refuses_a_request_with_a_reason_the_family_sees(client, cast, family_of):
    family = family_of(12, key="x")
    request, _ = request_create(user=family.parent_user, student=family.student, kind="erasure")
    client.force_login(cast.user("operator"))
    response = client.post(reverse("privacy:request", args=[request.pk]), {"action": "refuse", "reason": ""})
    assert response.status_code == 400 and "Укажите причину отказа" in response.content.decode()
    client.post(reverse("privacy:request", args=[request.pk]), {"action": "refuse", "reason": "Идёт проверка по обращению."})
    client.force_login(family.parent_user)
    html = client.get(reverse("privacy:student", args=[family.student.pk])).content.decode()
    assert "Отклонён: Идёт проверка по обращению." in html


def test_the_worker_makes_the_export_as_soon_as_the_request_is_registered(family_of, django_capture_on_commit_callbacks):
    from django_tasks_db.models import DBTaskResult

    from privacy.tasks import export_build_task

    family = family_of(16, key="k")
    with django_capture_on_commit_callbacks(execute=True):
        request, _ = request_create(user=family.student_user, student=family.student, kind="export")
    queued = DBTaskResult.objects.get()
    assert queued.task_path == "privacy.tasks.export_build_task" and queued.args_kwargs["kwargs"] == {"request_id": request.pk}
    assert export_build_task.call(request_id=request.pk) == {"request": request.pk, "status": "done"}
    request.refresh_from_db()
    assert request.export_file and request.completed_by is None
    assert PrivacyEvent.objects.get(request=request, action="export_made").actor_role == "система (фоновая задача)"
