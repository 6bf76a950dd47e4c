"""A suspected leak (issue 8, «A breach»): its scope and window, whose data were in it by the read log and by the
access policy, and the 24- and 72-hour deadlines."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from access.models import PersonalDataRead
from access.services import personal_data_read_log
from privacy.models import Breach
from privacy.selectors import breach_affected, breach_deadlines
from privacy.services import breach_register

NOW = timezone.now()


def register(cast, **scope) -> Breach:
    return breach_register(
        user=cast.user("operator"), detected_at=NOW - datetime.timedelta(hours=2), description="Учётную запись открыли с чужого компьютера.",
        window_start=NOW - datetime.timedelta(days=7), window_end=timezone.now(), **scope,
    )  # fmt: skip


def people(cast, *keys) -> set[int]:
    return {cast.students[key].person_id for key in keys}


def test_an_accounts_breach_lists_what_it_read_in_the_window_and_what_it_could_open(cast):
    teacher = cast.user("class_teacher_a1")  # class teacher of a1 8 «А»
    personal_data_read_log(user=teacher, subject="карточка", channel="page", person_id=cast.students["a1_8a_0"].person_id)
    personal_data_read_log(user=teacher, subject="список", channel="page", person_ids=[cast.students["b1_9a_0"].person_id])
    old = PersonalDataRead.objects.create(user=teacher, person_id=cast.students["a2_9a_1"].person_id, subject="давно", channel="page")
    PersonalDataRead.objects.filter(pk=old.pk).update(at=NOW - datetime.timedelta(days=30))
    personal_data_read_log(
        user=cast.user("class_teacher_a2"), subject="не тот", channel="page", person_id=cast.students["a2_8a_0"].person_id
    )
    breach = register(cast, scope="account", scope_user=teacher)
    affected = breach_affected(breach=breach)
    assert affected.read_count == 2 and affected.exposed_count == 3 and affected.total == 4
    assert {row["person_id"] for row in affected.rows} == people(cast, "a1_8a_0", "a1_8a_1", "a1_8a_2", "b1_9a_0")
    assert [row["read"] for row in affected.rows][:2] == [True, True]  # the people read come first


def test_an_organisations_breach_covers_what_its_staff_could_open(cast):
    breach = register(cast, scope="organization", scope_organization=cast.orgs["a1"])
    affected = breach_affected(breach=breach)
    assert affected.exposed_count == 6 and affected.read_count == 0
    assert {row["person_id"] for row in affected.rows} == people(cast, *[f"a1_{g}a_{i}" for g in (8, 9) for i in range(3)])


def test_a_roles_breach_covers_every_holder_of_the_role(cast):
    breach = register(cast, scope="role", scope_role="teacher_navigator")  # each school's navigator has its 9 «А»
    affected = breach_affected(breach=breach)
    assert {row["person_id"] for row in affected.rows} == people(cast, *[f"{s}_9a_{i}" for s in ("a1", "a2", "b1") for i in range(3)])
    assert register(cast, scope="role", scope_role="ministry_analyst") and breach_affected(
        breach=Breach.objects.latest("pk")
    ).exposed_count == len(cast.students)


def test_the_24_and_72_hour_deadlines_count_from_detection(client, cast):
    breach = register(cast, scope="account", scope_user=cast.user("navigator_b1"))
    notice, findings = breach_deadlines(breach, now=NOW)
    assert notice.due == breach.detected_at + datetime.timedelta(hours=24) and notice.state == "осталось 22 часа"
    assert findings.due == breach.detected_at + datetime.timedelta(hours=72) and findings.state == "осталось 70 часов"
    late = breach_deadlines(breach, now=NOW + datetime.timedelta(hours=25))[0]
    assert late.state == "просрочено на 3 часа"
    client.force_login(cast.user("operator"))
    html = client.get(reverse("privacy:breach", args=[breach.pk])).content.decode()
    assert "Уведомить Роскомнадзор об инциденте (24 часа)" in html and ("осталось 21 час" in html or "осталось 22 часа" in html)
    assert f"Инцидент № {breach.pk}: уведомить роскомнадзор" in client.get("/").content.decode()
    client.post(reverse("privacy:breach", args=[breach.pk]), {"step": "notified"})
    breach.refresh_from_db()
    assert breach.notified_at is not None and breach_deadlines(breach)[0].state.startswith("направлено")


def test_the_operator_registers_a_breach_through_the_form_and_bad_input_is_named(client, cast):
    client.force_login(cast.user("operator"))
    url = reverse("privacy:breaches")
    form = {
        "detected_at": "2026-11-30T08:00", "description": "Письмо с вложением ушло не тому адресату.", "scope": "account",
        "scope_username": "нет-такого", "window_start": "2026-11-29T00:00", "window_end": "2026-11-28T00:00",
    }  # fmt: skip
    response = client.post(url, form)
    html = response.content.decode()
    assert response.status_code == 400
    assert "«Логин учётной записи»: Нет учётной записи с таким логином." in html and "«по»: Конец периода раньше его начала." in html
    response = client.post(url, {**form, "scope_username": "navigator_a2", "window_end": "2026-11-30T07:00"})
    breach = Breach.objects.get()
    assert response.status_code == 302 and breach.scope_user == cast.user("navigator_a2")
    for username in ("coordinator_a1", "ministry_analyst", "parent_a1"):
        client.force_login(cast.user(username))
        assert client.get(url).status_code == 404 and client.get(reverse("privacy:breach", args=[breach.pk])).status_code == 404


def test_a_breach_needs_its_scope(cast):
    with pytest.raises(ValidationError) as error:
        register(cast, scope="organization")
    assert "scope_organization" in error.value.error_dict
