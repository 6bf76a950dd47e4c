"""Erasure (issue 8, «What it must show»: «An erasure on a hand-made student leaves no personal data in any table (a
test walks all models), keeps the totals of the профминимум dashboards unchanged, and produces the act with the log
extract»)."""

import datetime
import io
import zipfile
from pathlib import Path

import pytest
from django.apps import apps
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import models
from django.urls import reverse
from django.utils import timezone

from access.models import AccessChange, PersonalDataRead
from access.services import personal_data_read_log
from accounts.models import ApiToken, LoginFailure, User
from conftest import PASSWORD
from core.formatting import date_short, date_text
from core.search import normalize_search_text
from notifications.models import Notification
from people.models import Enrollment, ParentLink, Person, Student
from privacy.export import act_pdf
from privacy.models import ConsentKind, DestructionAct, ParentConfirmation, PrivacyEvent, SubjectRequest
from privacy.services import consent_decide, consent_paper_record, erasure_execute, export_build, request_create
from profminimum.models import HoursEntry, Scope
from profminimum.selectors import scope_compliance
from profminimum.services import Mark, attendance_save

LAST, FIRST, MIDDLE = "Уникальнова", "Златослава", "Эльбрусовна"
BORN = datetime.date(2012, 4, 17)  # 14 in the cast's year: she and her mother both decide
LOGIN, EMAIL = "zlata_unique", "zlata.unique@family.test"


def needles() -> list[str]:
    """The person's known values, in every form they may be stored in."""
    values = [LAST, FIRST, MIDDLE, LOGIN, EMAIL, BORN.isoformat(), date_short(BORN), date_text(BORN)]
    folded = [normalize_search_text(value).strip() for value in (LAST, FIRST, MIDDLE)]
    return [value.casefold() for value in values + folded if value]


def _text_of(value) -> str:
    import json

    if value is None:
        return ""
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def _file_bytes(field_file) -> bytes:
    """A stored file's content, the members of a ZIP unpacked."""
    if not field_file or not field_file.storage.exists(field_file.name):
        return b""
    with field_file.open("rb") as handle:
        data = handle.read()
    if data.startswith(b"PK\x03\x04"):
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            data = b"".join(archive.read(name) for name in archive.namelist())
    return data


def personal_data_left() -> list[str]:
    """Every text, JSON and file field of every model, searched for the person's known values."""
    found = []
    wanted = needles()
    for model in apps.get_models():
        fields = [
            f for f in model._meta.concrete_fields
            if isinstance(f, (models.CharField, models.TextField, models.JSONField, models.FileField)) and not f.choices
        ]  # fmt: skip
        if not fields:
            continue
        for row in model._default_manager.all():
            for field in fields:
                value = getattr(row, field.attname)
                if isinstance(field, models.FileField):
                    text = (value.name or "") + _file_bytes(value).decode("utf-8", "ignore")
                else:
                    text = _text_of(value)
                text = text.casefold()
                for needle in wanted:
                    if needle in text:
                        found.append(f"{model._meta.label}.{field.name} (#{row.pk}): {needle}")
    return found


def files_left(media: Path) -> list[str]:
    """Stored files (a ZIP's members unpacked) that hold any of the person's values."""
    found = []
    for path in media.rglob("*"):
        if not path.is_file():
            continue
        data = path.read_bytes()
        if data.startswith(b"PK\x03\x04"):
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                data = b"".join(archive.read(name) for name in archive.namelist())
        text = data.decode("utf-8", "ignore").casefold()
        if any(needle in text for needle in needles()):
            found.append(str(path.relative_to(media)))
    return found


PDF_SCAN = f"%PDF-1.4\n% Согласие подписала {LAST} {FIRST} {MIDDLE}\n%%EOF\n".encode()


@pytest.fixture
def history(pm, media):
    """A hand-made student with everything the platform may hold about her."""
    cast = pm.cast
    school_class = cast.classes["a1_8a"]
    person = Person.objects.create(
        last_name=LAST, first_name=FIRST, middle_name=MIDDLE, birth_date=BORN, email=EMAIL, phone="+7 900 111-22-33"
    )
    student = Student.objects.create(person=person, current_school=school_class.school, current_class=school_class, has_disabilities=True)
    Enrollment.objects.create(student=student, school_class=school_class, started_on=pm.year.starts_on)
    user = User.objects.create_user(username=LOGIN, email=EMAIL, password=PASSWORD, first_name=FIRST, last_name=LAST)
    person.user = user
    person.save()
    mother = Person.objects.create(last_name="Гостиева", first_name="Мадина", middle_name="Руслановна")
    mother_user = User.objects.create_user(username="gostieva", password=PASSWORD)
    mother.user = mother_user
    mother.save()
    link = ParentLink.objects.create(parent=mother, student=student, kind="mother")
    ParentConfirmation.objects.create(link=link, basis="birth_certificate")

    # The профминимум: attended, missed with an excuse that names her, a corrected mark.
    teacher = cast.user("class_teacher_a1")
    first = pm.activity("a1_8a", hours="2", week=0)
    second = pm.activity("a1_8a", hours="1", week=1)
    third = pm.activity("a1_8a", hours="1", week=2, direction="upbringing")
    others = {s.pk: Mark(True) for s in school_class.students.exclude(pk=student.pk)}
    attendance_save(activity=first, marks={**others, student.pk: Mark(True)}, by=teacher)
    attendance_save(activity=second, marks={**others, student.pk: Mark(False, f"{LAST} болела, справка")}, by=teacher)
    attendance_save(activity=third, marks={**others, student.pk: Mark(False, f"{FIRST} на олимпиаде")}, by=teacher)
    attendance_save(activity=third, marks={**others, student.pk: Mark(True)}, by=teacher)

    # Consents in the platform and on paper; an export made and downloaded.
    consent_decide(user=user, student=student, kind_code="guidance", decision="given", has_read=True)
    consent_decide(user=mother_user, student=student, kind_code="guidance", decision="given", has_read=True)
    consent_paper_record(
        user=cast.user("coordinator_a1"), student=student, kind_code="excursions", party="student", decision="given",
        signed_on=pm.year.starts_on, file=SimpleUploadedFile("scan.pdf", PDF_SCAN),
    )  # fmt: skip
    export, _ = request_create(user=mother_user, student=student, kind="export")
    export_build(request_id=export.pk, by=cast.user("operator"))

    # Reads of her data, and her own reads; the admin's and the access log's traces; notifications; sign-in records.
    personal_data_read_log(user=teacher, subject="карточка", channel="page", person_id=person.pk)
    personal_data_read_log(
        user=teacher, subject="список класса", channel="page", person_ids=[person.pk, cast.students["a1_8a_0"].person_id]
    )
    personal_data_read_log(user=user, subject="своя карточка", channel="page", person_id=person.pk)
    AccessChange.objects.create(
        actor=cast.user("operator"), actor_username="operator", target_user=user, target_username=LOGIN, target_person=person,
        action="password_changed", description=f"Пароль учётной записи {LOGIN} ({LAST} {FIRST}) изменён", changes={"email": ["", EMAIL]},
    )  # fmt: skip
    LogEntry.objects.create(
        user=cast.user("operator"), content_type=ContentType.objects.get_for_model(Person), object_id=str(person.pk),
        object_repr=str(person), action_flag=CHANGE, change_message=f'[{{"changed": {{"fields": ["{LAST}"]}}}}]',
    )  # fmt: skip
    Notification.objects.create(user=user, subject=f"{FIRST}, новое занятие", text="Четверг")
    Notification.objects.create(user=mother_user, subject="Пропуск занятия", text=f"{LAST} {FIRST} пропустила занятие")
    Notification.objects.create(user=mother_user, subject="Собрание", text="Родительское собрание в пятницу")
    LoginFailure.objects.create(username=LOGIN, ip_address="10.0.0.1")
    ApiToken.objects.create(user=user, name="Мой токен", key_hash="a" * 64, prefix="pn_aaaaa")
    try:
        from accounts.models import PasswordResetRequest
    except ImportError:
        pass
    else:
        PasswordResetRequest.objects.create(email=EMAIL, user=user)

    erasure, _ = request_create(user=mother_user, student=student, kind="erasure")
    return pm, student, erasure, mother_user


def totals(pm) -> dict:
    """The профминимум dashboards' figures of every scope, as of the weeks of the history and as of today."""
    cast, year = pm.cast, pm.year
    scopes = {
        Scope.CLASS: [c.pk for c in cast.classes.values()],
        Scope.SCHOOL: [cast.orgs[key].pk for key in ("a1", "a2", "b1")],
        Scope.MUNICIPALITY: [m.pk for m in cast.municipalities.values()],
        Scope.REPUBLIC: [0],
    }
    return {
        (day, scope, pk): figures
        for day in (pm.thursday(3).date(), timezone.localdate())
        for scope, ids in scopes.items()
        for pk, figures in scope_compliance(school_year=year, scope=scope, scope_ids=ids, on=day).items()
    }


def test_an_erasure_leaves_no_personal_data_keeps_the_figures_and_makes_the_act(history, media, django_capture_on_commit_callbacks):
    pm, student, erasure, mother_user = history
    assert personal_data_left(), "the history must hold the person's values before the erasure"
    assert len(files_left(media)) == 2  # the scan of the signed paper and the export's archive
    before = totals(pm)
    republic = before[(timezone.localdate(), Scope.REPUBLIC, 0)]
    assert republic.students == 19 and republic.total_hours > 0  # she is counted, with her hours
    ledger = list(HoursEntry.objects.filter(student=student).values_list("hours", "occurred_on", "school_id"))
    reads = PersonalDataRead.objects.count()
    mother_notes = Notification.objects.filter(user=mother_user).count()

    with django_capture_on_commit_callbacks(execute=True):  # the files go once the erasure commits
        act = erasure_execute(user=pm.cast.user("operator"), request=erasure)

    assert personal_data_left() == []
    assert files_left(media) == []
    assert totals(pm) == before
    assert list(HoursEntry.objects.filter(student=student).values_list("hours", "occurred_on", "school_id")) == ledger
    assert PersonalDataRead.objects.count() == reads  # the read log keeps its rows, with the link cut
    assert not PersonalDataRead.objects.filter(person_id=student.person_id).exists()
    # The one that named her is gone; the mother is told the request is done, without a name.
    assert Notification.objects.filter(user=mother_user).count() == mother_notes - 1 + 1
    assert Notification.objects.filter(user=mother_user, subject=f"Запрос № {erasure.pk} исполнен: данные уничтожены").exists()
    assert not User.objects.filter(username=LOGIN).exists() and not ParentLink.objects.filter(student=student).exists()
    student.refresh_from_db()
    assert student.current_class == pm.cast.classes["a1_8a"] and not student.has_disabilities

    erasure.refresh_from_db()
    assert erasure.status == "done" and act.request == erasure and act.reason == "request"
    tables = {item["table"] for item in act.items}
    assert {"people.Person", "people.ParentLink", "accounts.User", "profminimum.Attendance", "access.PersonalDataRead",
            "privacy.ConsentRecord", "privacy.SubjectRequest", "notifications.Notification"} <= tables  # fmt: skip
    actions = [entry["code"] for entry in act.log_extract]
    assert actions[0] == "consent_given" and "request_received" in actions and "export_made" in actions and actions[-1] == "erased"
    assert PrivacyEvent.objects.filter(action="erased", request=erasure).exists()
    assert act_pdf(act).startswith(b"%PDF-")


def test_the_operator_erases_from_the_queue_and_reads_the_act(client, history):
    pm, _, erasure, _ = history
    client.force_login(pm.cast.user("operator"))
    url = reverse("privacy:request", args=[erasure.pk])
    response = client.post(url, {"action": "erase"})
    assert response.status_code == 400 and "Подтверждение" in response.content.decode()
    response = client.post(url, {"action": "erase", "confirm": "yes"})
    act = DestructionAct.objects.get(request=erasure)
    assert response.status_code == 302 and response["Location"] == reverse("privacy:act", args=[act.pk])
    html = client.get(response["Location"]).content.decode()
    assert f"Акт № {act.pk} об уничтожении персональных данных" in html and "Выписка из журнала событий" in html
    assert LAST not in html
    pdf = client.get(response["Location"] + "?format=pdf")
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF-")
    assert client.post(url, {"action": "erase", "confirm": "yes"}).status_code == 400  # once


def test_the_consent_kinds_are_left_as_they_were(history):
    pm, _, erasure, _ = history
    kinds = list(ConsentKind.objects.values_list("code", "title"))
    erasure_execute(user=pm.cast.user("operator"), request=erasure)
    assert list(ConsentKind.objects.values_list("code", "title")) == kinds
    assert SubjectRequest.objects.filter(pk=erasure.pk, status="done").exists()


def test_a_student_of_15_asks_for_their_own_erasure_and_their_account_goes(family_of):
    """The requester's own account is deleted by the erasure it asked for: nobody is left to tell, and nothing fails."""
    family = family_of(15, key="self")
    erasure, _ = request_create(user=family.student_user, student=family.student, kind="erasure")
    act = erasure_execute(user=User.objects.get(username="operator"), request=erasure)
    assert not User.objects.filter(pk=family.student_user.pk).exists()
    assert act.items and not Notification.objects.filter(user_id=family.student_user.pk).exists()
