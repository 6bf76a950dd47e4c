"""Creating and deleting activities: the service (all checks before any write, Russian messages keyed by the
field) and the pages of the coordinator and the teachers."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from profminimum.models import Activity, Attendance, HoursEntry, StudentYearHours
from profminimum.services import Mark, activity_create, attendance_save

D = Decimal


def create_url(school, school_class=None) -> str:
    url = f"{reverse('profminimum:activity_create')}?school={school.pk}"
    return f"{url}&class={school_class.pk}" if school_class else url


def form_data(pm, **overrides) -> dict:
    cast = pm.cast
    data = {
        "direction": pm.directions["upbringing"].pk,
        "title": "Экскурсия на предприятие",
        "date": pm.thursday(2).date().isoformat(),
        "time": "11:00",
        "duration_hours": "1,5",
        "organizer": cast.orgs["employer_a"].pk,
        "place": "ООО «Альфа-Агро», цех № 2",
        "classes": [cast.classes["a1_8a"].pk],
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


# --- the service ----------------------------------------------------------------------------------------------


def service_kwargs(pm, **overrides) -> dict:
    cast = pm.cast
    kwargs = {
        "school": cast.orgs["a1"], "school_year": pm.year, "direction": pm.directions["upbringing"], "title": "Встреча",
        "starts_at": pm.thursday(1), "duration_hours": D("2"), "organizer": cast.orgs["college"], "place": "актовый зал",
        "classes": [cast.classes["a1_8a"]], "students": [cast.students["a1_9a_0"]], "by": cast.user("coordinator_a1"),
    }  # fmt: skip
    kwargs.update(overrides)
    return kwargs


def test_activity_create_writes_the_activity_with_its_audience(pm):
    activity = activity_create(**service_kwargs(pm))
    assert activity.school == pm.cast.orgs["a1"] and activity.duration_hours == D("2") and activity.course_lesson is None
    assert list(activity.classes.all()) == [pm.cast.classes["a1_8a"]]
    assert list(activity.students.all()) == [pm.cast.students["a1_9a_0"]]
    assert activity.created_by == pm.cast.user("coordinator_a1")


@pytest.mark.parametrize(
    ("overrides", "field", "text"),
    [
        ({"duration_hours": D("1.3")}, "duration_hours", "Продолжительность указывается с шагом 0,5 часа."),
        ({"duration_hours": D("0")}, "duration_hours", "Продолжительность — от 0,5 до 40 академических часов."),
        ({"duration_hours": D("40.5")}, "duration_hours", "Продолжительность — от 0,5 до 40 академических часов."),
        ({"title": "  "}, "title", "Это поле не может быть пустым."),
        ({"classes": [], "students": []}, "classes", "Выберите хотя бы один класс целиком или отдельных обучающихся."),
        ({"starts_at": datetime.datetime(2001, 9, 6, 10, tzinfo=datetime.UTC)}, "starts_at", "Дата должна быть в пределах учебного года"),
    ],
)
def test_activity_create_refuses_bad_input_in_russian_and_writes_nothing(pm, overrides, field, text):
    with pytest.raises(ValidationError) as raised:
        activity_create(**service_kwargs(pm, **overrides))
    assert any(text in message for message in raised.value.message_dict[field]), raised.value.message_dict
    assert not Activity.objects.exists()


def test_activity_create_refuses_classes_and_students_of_another_school(pm):
    cast = pm.cast
    with pytest.raises(ValidationError) as raised:
        activity_create(**service_kwargs(pm, classes=[cast.classes["b1_8a"]], students=[cast.students["a2_8a_0"]]))
    assert "Классы не относятся к этой школе" in raised.value.message_dict["classes"][0]
    assert "Обучающиеся не учатся в этой школе: 1." in raised.value.message_dict["students"]
    assert not Activity.objects.exists()


# --- the page -------------------------------------------------------------------------------------------------


def test_the_coordinator_creates_an_activity_for_a_class(client, pm):
    cast = pm.cast
    client.force_login(cast.user("coordinator_a1"))
    page = client.get(create_url(cast.orgs["a1"], cast.classes["a1_8a"]))
    assert page.status_code == 200
    html = page.content.decode()
    for text in (
        "Новое мероприятие",
        "Воспитательная работа",
        "Альфинский политехнический колледж",
        "ООО «Альфа-Агро»",
        "8 «А» класс",
        "9 «А» класс",
    ):
        assert text in html, text
    assert "Школа № 2 г. Альфа" not in html  # schools other than this one do not organise its activities

    response = client.post(create_url(cast.orgs["a1"], cast.classes["a1_8a"]), form_data(pm, students=[cast.students["a1_9a_1"].pk]))
    assert response.status_code == 302 and response.url == reverse("profminimum:class_schedule", args=[cast.classes["a1_8a"].pk])
    activity = Activity.objects.get()
    assert (activity.title, activity.duration_hours, activity.organizer, activity.place) == (
        "Экскурсия на предприятие",
        D("1.5"),
        cast.orgs["employer_a"],
        "ООО «Альфа-Агро», цех № 2",
    )
    local = activity.starts_at.astimezone(pm.thursday(0).tzinfo)
    assert (local.date(), local.time()) == (pm.thursday(2).date(), datetime.time(11, 0))
    assert list(activity.students.all()) == [cast.students["a1_9a_1"]]
    schedule = client.get(response.url).content.decode()
    assert "Экскурсия на предприятие" in schedule and "1,5\u00a0ч" in schedule and "Воспитательная работа" in schedule


def test_a_duration_of_1_3_gets_a_russian_error_naming_the_field_and_creates_nothing(client, pm):
    cast = pm.cast
    client.force_login(cast.user("class_teacher_a1"))
    response = client.post(create_url(cast.orgs["a1"]), form_data(pm, duration_hours="1,3"))
    assert response.status_code == 400
    html = response.content.decode()
    assert "Мероприятие не сохранено" in html
    errors = html.split('id="id_duration_hours_error"')[1].split("</ul>")[0]
    assert "Продолжительность, академических часов: Продолжительность указывается с шагом 0,5 часа." in errors
    assert not Activity.objects.exists()
    # The typed values stay in the form.
    assert 'value="Экскурсия на предприятие"' in html and 'value="1,3"' in html


@pytest.mark.parametrize(
    ("overrides", "error_id", "text"),
    [
        ({"duration_hours": "полтора"}, "id_duration_hours_error", "Введите число."),
        ({"title": ""}, "id_title_error", "Название: Обязательное поле."),
        ({"date": "2001-09-06"}, "id_date_error", "Дата: Дата должна быть в пределах учебного года"),
        ({"classes": None}, "classes-error", "Выберите хотя бы один класс целиком или отдельных обучающихся."),
    ],
)
def test_bad_input_is_named_and_nothing_is_written(client, pm, overrides, error_id, text):
    client.force_login(pm.cast.user("coordinator_a1"))
    response = client.post(create_url(pm.cast.orgs["a1"]), form_data(pm, **overrides))
    assert response.status_code == 400
    html = response.content.decode()
    assert text in html.split(f'id="{error_id}"')[1].split("</ul>")[0]
    assert not Activity.objects.exists()


def test_a_teacher_chooses_only_among_their_own_classes(client, pm):
    cast = pm.cast
    client.force_login(cast.user("class_teacher_a1"))
    html = client.get(create_url(cast.orgs["a1"])).content.decode()
    assert "8 «А» класс" in html and "9 «А» класс" not in html
    assert "УченикA19" not in html  # students of the other class are not offered either
    response = client.post(create_url(cast.orgs["a1"]), form_data(pm, classes=[cast.classes["a1_9a"].pk]))
    assert response.status_code == 400 and not Activity.objects.exists()
    response = client.post(create_url(cast.orgs["a1"]), form_data(pm, classes=None, students=[cast.students["a1_9a_0"].pk]))
    assert response.status_code == 400 and not Activity.objects.exists()


def test_foreign_schools_are_404(client, pm):
    cast = pm.cast
    for username in ("class_teacher_b1", "coordinator_a2", "psychologist_a1", "parent_a1", "municipal_a"):
        client.force_login(cast.user(username))
        assert client.get(create_url(cast.orgs["a1"])).status_code == 404, username
        assert client.post(create_url(cast.orgs["a1"]), form_data(pm)).status_code == 404, username
    client.force_login(cast.user("coordinator_a1"))
    assert client.get(f"{reverse('profminimum:activity_create')}?school=abc").status_code == 404
    assert not Activity.objects.exists()


# --- deleting -------------------------------------------------------------------------------------------------


def test_the_coordinator_deletes_a_marked_activity_and_its_hours_are_reversed(client, pm):
    cast = pm.cast
    school_class = cast.classes["a1_8a"]
    activity = pm.activity("a1_8a", hours="2", direction="upbringing")
    students = [cast.students[f"a1_8a_{i}"] for i in range(3)]
    attendance_save(activity=activity, marks={s.pk: Mark(s != students[2]) for s in students}, by=None)
    url = f"{reverse('profminimum:activity_delete', args=[activity.pk])}?class={school_class.pk}"

    client.force_login(cast.user("class_teacher_a1"))  # teachers do not delete
    assert client.get(url).status_code == 404 and client.post(url).status_code == 404

    client.force_login(cast.user("coordinator_a1"))
    page = client.get(url)
    assert page.status_code == 200
    assert "Будет списано 4 часа: эти часы были зачтены 2 обучающимся." in page.content.decode()
    response = client.post(url)
    assert response.status_code == 302 and response.url == reverse("profminimum:class_schedule", args=[school_class.pk])
    schedule = client.get(response.url)
    assert "Мероприятие «Занятие» удалено; списано 4 часа." in [str(m) for m in schedule.context["messages"]]
    assert "Занятие" not in schedule.content.decode().split("Все мероприятия")[1]
    assert all(row.total_hours == 0 for row in StudentYearHours.objects.filter(student__in=students))
    assert sum(HoursEntry.objects.values_list("hours", flat=True)) == 0
    assert Activity.objects.get().deleted_by == cast.user("coordinator_a1")
    assert client.get(f"{reverse('profminimum:activity_attendance', args=[activity.pk])}?class={school_class.pk}").status_code == 404


def test_deleting_an_unmarked_activity_reverses_nothing(client, pm):
    activity = pm.activity("a1_8a")
    client.force_login(pm.cast.user("coordinator_a1"))
    page = client.get(reverse("profminimum:activity_delete", args=[activity.pk]))
    assert "Посещаемость не отмечена: часы не списываются." in page.content.decode()
    assert client.post(reverse("profminimum:activity_delete", args=[activity.pk])).status_code == 302
    assert not Attendance.objects.exists() and Activity.objects.get().deleted_at is not None


def test_a_coordinator_of_another_school_cannot_delete(client, pm):
    activity = pm.activity("a1_8a")
    client.force_login(pm.cast.user("coordinator_a2"))
    assert client.post(reverse("profminimum:activity_delete", args=[activity.pk])).status_code == 404
    assert Activity.objects.get().deleted_at is None


def test_a_teachers_activity_for_chosen_students_is_on_their_schedule(client, pm):
    cast = pm.cast
    client.force_login(cast.user("class_teacher_a1"))
    response = client.post(create_url(cast.orgs["a1"]), form_data(pm, classes=None, students=[cast.students["a1_8a_0"].pk]))
    assert response.status_code == 302
    activity = Activity.objects.get()
    schedule = client.get(reverse("profminimum:class_schedule", args=[cast.classes["a1_8a"].pk])).content.decode()
    assert "Экскурсия на предприятие" in schedule
    page = client.get(f"{reverse('profminimum:activity_attendance', args=[activity.pk])}?class={cast.classes['a1_8a'].pk}")
    assert page.status_code == 200 and page.context["rows"][0].student == cast.students["a1_8a_0"]


def test_the_coordinator_sees_and_marks_an_activity_for_chosen_students(client, pm):
    cast = pm.cast
    client.force_login(cast.user("coordinator_a1"))
    client.post(
        create_url(cast.orgs["a1"]), form_data(pm, classes=None, students=[cast.students["a1_8a_0"].pk, cast.students["a1_9a_2"].pk])
    )
    activity = Activity.objects.get()
    schedule = client.get(reverse("profminimum:class_schedule", args=[cast.classes["a1_9a"].pk])).content.decode()
    assert "Экскурсия на предприятие" in schedule
    page = client.get(f"{reverse('profminimum:activity_attendance', args=[activity.pk])}?class={cast.classes['a1_9a'].pk}")
    assert [row.student for row in page.context["rows"]] == [cast.students["a1_9a_2"]]  # only the chosen one of this class
