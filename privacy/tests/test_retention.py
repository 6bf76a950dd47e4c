"""Retention as data (issue 8, «The retention task's dry run lists exactly the expired rows of a hand-made history;
the real run removes them and nothing else»)."""

import datetime
from io import StringIO

import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.utils import timezone

from access.models import PersonalDataRead
from accounts.models import ApiToken, LoginFailure
from core.periodic import periodic_jobs
from notifications.models import Notification
from people.models import Enrollment, Person, Student
from privacy.models import DestructionAct, PrivacyEvent, RetentionRule, SubjectRequest
from privacy.retention import retention_plan, retention_rules, retention_run

NOW = timezone.now()


def ago(days: float) -> datetime.datetime:
    return NOW - datetime.timedelta(days=days)


@pytest.fixture
def old_history(cast, media):
    """Rows on both sides of each default period; returns the (label, pk) of those that expired."""
    expired: set[tuple[str, int]] = set()
    reader = cast.user("class_teacher_a1")
    person_id = cast.students["a1_8a_0"].person_id

    def read(days):
        row = PersonalDataRead.objects.create(
            user=reader, username=reader.username, person_id=person_id, subject="карточка", channel="page"
        )
        PersonalDataRead.objects.filter(pk=row.pk).update(at=ago(days))
        return row

    expired.add(("access.PersonalDataRead", read(3 * 365 + 1).pk))
    read(3 * 365 - 1)
    read(2)

    def failure(days):
        row = LoginFailure.objects.create(username="кто-то", ip_address="10.0.0.2")
        LoginFailure.objects.filter(pk=row.pk).update(at=ago(days))
        return row

    expired.add(("accounts.LoginFailure", failure(31).pk))
    failure(29)

    def token(name, created_days, used_days=None):
        row = ApiToken.objects.create(user=reader, name=name, key_hash=name.ljust(64, "0"), prefix=name[:8])
        ApiToken.objects.filter(pk=row.pk).update(
            created_at=ago(created_days), last_used_at=ago(used_days) if used_days is not None else None
        )
        return row

    expired.add(("accounts.ApiToken", token("unused", 400).pk))
    expired.add(("accounts.ApiToken", token("stale", 500, 366).pk))
    token("in-use", 500, 10)
    token("fresh", 30)

    def note(days):
        row = Notification.objects.create(user=reader, subject="Занятие в четверг")
        Notification.objects.filter(pk=row.pk).update(created_at=ago(days))
        return row

    expired.add(("notifications.Notification", note(366).pk))
    note(300)

    student = cast.students["b1_9a_2"]

    def export(days):
        row = SubjectRequest.objects.create(
            kind="export", status="done", student=student, party="parent", received_at=ago(days + 3), deadline=ago(days).date(),
            completed_at=ago(days),
        )  # fmt: skip
        row.export_file.save("x.zip", ContentFile(b"PK\x03\x04 archive"), save=True)
        return row

    expired.add(("privacy.SubjectRequest", export(31).pk))
    export(29)

    def act(days):
        row = DestructionAct.objects.create(student=student, reason="retention", items=[], log_extract=[])
        DestructionAct.objects.filter(pk=row.pk).update(made_at=ago(days))
        return row

    expired.add(("privacy.DestructionAct", act(3 * 365 + 5).pk))

    def leaver(key, ended_days_ago):
        person = Person.objects.create(last_name=f"Выпускников{key}", first_name="Артур", birth_date=datetime.date(2007, 5, 5))
        left = Student.objects.create(person=person)
        ended = timezone.localdate() - datetime.timedelta(days=ended_days_ago)
        Enrollment.objects.create(
            student=left, school_class=cast.classes["b1_9a"], started_on=ended - datetime.timedelta(days=300), ended_on=ended
        )
        return left

    expired.add(("people.Student", leaver("А", 400).pk))
    leaver("Б", 100)
    return expired


def planned(lines) -> set[tuple[str, int]]:
    return {(label, pk) for line in lines for label, pk, _ in line.rows}


def snapshot() -> dict[str, set[int]]:
    return {
        "access.PersonalDataRead": set(PersonalDataRead.objects.values_list("pk", flat=True)),
        "accounts.LoginFailure": set(LoginFailure.objects.values_list("pk", flat=True)),
        "accounts.ApiToken": set(ApiToken.objects.values_list("pk", flat=True)),
        "notifications.Notification": set(Notification.objects.values_list("pk", flat=True)),
        "privacy.SubjectRequest": set(SubjectRequest.objects.exclude(export_file="").values_list("pk", flat=True)),
        "privacy.DestructionAct": set(
            DestructionAct.objects.exclude(reason="retention", made_at__gte=NOW - datetime.timedelta(hours=1)).values_list("pk", flat=True)
        ),
        "people.Student": set(Student.objects.exclude(person__last_name="(данные удалены)").values_list("pk", flat=True)),
    }


def test_the_dry_run_lists_exactly_the_expired_rows_and_changes_nothing(old_history):
    before = snapshot()
    lines = retention_plan(now=NOW)
    assert planned(lines) == old_history
    counts = {line.key: line.count for line in lines}
    expected = {
        "access.read_log": 1, "accounts.login_failures": 1, "accounts.api_tokens": 2, "privacy.exports": 1,
        "privacy.destruction_acts": 1, "people.graduates": 1, "accounts.password_resets": 0, "notifications.notifications": 1,
    }  # fmt: skip
    # The kinds this history has rows of; every other app's purger (imports' files, …) finds nothing in it.
    assert {key: counts.pop(key, None) for key in expected} == expected and not any(counts.values())
    assert snapshot() == before


def test_the_real_run_removes_the_expired_rows_and_nothing_else(old_history):
    before = snapshot()
    retention_run(now=NOW)
    after = snapshot()
    removed = {(label, pk) for label, pks in before.items() for pk in pks - after[label]}
    assert removed == old_history
    assert all(after[label] <= before[label] for label in before)  # nothing new in place of what went
    graduate = Student.objects.select_related("person").get(pk=next(pk for label, pk in old_history if label == "people.Student"))
    assert graduate.person.last_name == "(данные удалены)" and graduate.person.birth_date is None
    assert DestructionAct.objects.filter(student=graduate, reason="retention").exists()
    assert PrivacyEvent.objects.filter(action="retention_run").get().details["access.read_log"] == 1
    assert retention_plan(now=NOW) and not planned(retention_plan(now=NOW))  # a second run finds nothing


def test_the_periods_are_data(old_history):
    assert set(retention_rules()) == {line.key for line in retention_plan(now=NOW)}  # every kind has its rule row
    assert RetentionRule.objects.get(key="accounts.login_failures").period_days == 30
    RetentionRule.objects.filter(key="accounts.login_failures").update(period_days=20)
    RetentionRule.objects.filter(key="access.read_log").update(is_active=False)
    lines = {line.key: line for line in retention_plan(now=NOW)}
    assert lines["accounts.login_failures"].count == 2
    retention_run(now=NOW)
    assert PersonalDataRead.objects.count() == 3 and LoginFailure.objects.count() == 0


def test_the_command_prints_the_dry_run_and_then_runs(old_history):
    out = StringIO()
    call_command("retention_run", "--dry-run", stdout=out)
    printed = out.getvalue()
    assert "Пробный запуск: ничего не изменено." in printed
    assert "Неудачные попытки входа — хранится 30 дн." in printed and "accounts.LoginFailure" in printed
    assert LoginFailure.objects.count() == 2
    out = StringIO()
    call_command("retention_run", stdout=out)
    assert "Всего удалено или обезличено: 8" in out.getvalue()


def test_the_retention_task_runs_once_a_day():
    import privacy.tasks  # noqa: F401

    job = next(job for job in periodic_jobs() if job.key == "privacy.retention")
    assert job.every == datetime.timedelta(days=1)
