"""Creating and deleting activities: the service (all checks before any write, Russian messages keyed by the
field) and the pages of the coordinator and the teachers."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

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
    assert schedule.context["schedule"].rows == [] and "У класса пока нет мероприятий профминимума." in schedule.content.decode()
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


# --- searching activities -------------------------------------------------------------------------------------


def list_url(**params) -> str:
    query = "&".join(f"{key}={value}" for key, value in params.items())
    return f"{reverse('profminimum:activity_list')}?{query}" if query else reverse("profminimum:activity_list")


def event(pm, title: str, days: int, class_key: str = "a1_8a", chosen=()) -> Activity:
    """An upbringing activity `days` from today for a whole class, or only for `chosen` students."""
    school_class = pm.cast.classes[class_key]
    day = timezone.localdate() + datetime.timedelta(days=days)
    activity = Activity.objects.create(
        school_year=pm.year, direction=pm.directions["upbringing"], title=title, duration_hours=D("1"),
        starts_at=datetime.datetime.combine(day, datetime.time(14, 0), tzinfo=timezone.get_current_timezone()),
        school=school_class.school, organizer=school_class.school,
    )  # fmt: skip
    if chosen:
        activity.students.add(*chosen)
    else:
        activity.classes.add(school_class)
    return activity


def found_titles(response) -> list[tuple[str, int]]:
    return [(row.activity.title, row.activity.pk) for row in response.context["found"].rows]


def test_searching_activities_finds_exact_matches_first(client, pm):
    """Issue 6, «Lists that hide nothing»: activities are searchable and exact matches come first: the query as
    a phrase, then its words as whole words, then as word starts, then inside words; the date decides only
    within each (from today on the nearest first, then the past from the latest)."""
    inside = event(pm, "Фотоэкскурсия в колледж", 1)  # the nearest, and still last
    starts = event(pm, "Экскурсия в колледжи Альфы", 2)
    words = event(pm, "Экскурсия в политехнический колледж", 3)
    exact = event(pm, "Экскурсия в колледж", 40)
    exact_past = event(pm, "Экскурсия в колледж", -5)
    event(pm, "Встреча с родителями", 0)
    event(pm, "Экскурсия в колледж", 6, class_key="a2_8a")  # another school

    client.force_login(pm.cast.user("coordinator_a1"))
    for query in ("Экскурсия в колледж", "ЭКСКУРСИЯ  В КОЛЛЕДЖ", "Экскурсия в кoллeдж"):  # the last with Latin «o» and «e»
        response = client.get(list_url(q=query))
        assert response.status_code == 200
        assert [pk for _title, pk in found_titles(response)] == [exact.pk, exact_past.pk, words.pk, starts.pk, inside.pk], query
    html = response.content.decode()
    assert "По запросу «Экскурсия в кoллeдж» найдено: 5 мероприятий." in html

    response = client.get(list_url(q="родител"))
    assert [title for title, _pk in found_titles(response)] == ["Встреча с родителями"]
    assert "По запросу «родител» найдено: 1 мероприятие." in response.content.decode()
    response = client.get(list_url(q="олимпиада"))
    assert found_titles(response) == [] and "По запросу «олимпиада» мероприятий не найдено." in response.content.decode()


def test_the_activity_list_says_how_many_it_shows_of_how_many_and_pages_on(client, pm):
    for index in range(30):
        event(pm, f"Классный час № {index + 1}", index - 10)
    event(pm, "Встреча с родителями", 0)
    client.force_login(pm.cast.user("coordinator_a1"))
    first = client.get(list_url(q="классный час"))
    html = first.content.decode()
    assert "Показаны 1–25 из 30 мероприятий по запросу «классный час»." in html
    assert (
        'rel="next" href="?school=' in html
        and "&amp;q=%D0%BA%D0%BB%D0%B0%D1%81%D1%81%D0%BD%D1%8B%D0%B9%20%D1%87%D0%B0%D1%81&amp;page=2" in html
    )
    second = client.get(list_url(school=pm.cast.orgs["a1"].pk, q="классный час", page=2))
    assert "Показаны 26–30 из 30 мероприятий" in second.content.decode() and len(second.context["found"].rows) == 5
    assert not set(found_titles(first)) & set(found_titles(second))
    # Without a query: everything, from today on first.
    everything = client.get(list_url())
    assert "Показаны 1–25 из 31 мероприятия." in everything.content.decode()
    days = [timezone.localtime(row.activity.starts_at).date() for row in everything.context["found"].rows]
    today = timezone.localdate()
    assert days[0] == today and days[:21] == sorted(days[:21]) and days[21] == today - datetime.timedelta(days=1)  # 21 from today on
    # A page number that is not one: the first page, or the last.
    assert client.get(list_url(q="классный час", page="abc")).context["found"].number == 1
    assert client.get(list_url(q="классный час", page="99")).context["found"].number == 2


def test_the_activity_list_shows_only_what_the_viewer_sees(client, pm):
    cast = pm.cast
    own = event(pm, "Экскурсия на завод", 1)
    other_class = event(pm, "Экскурсия на завод", 2, class_key="a1_9a")
    chosen = event(pm, "Экскурсия на завод", 3, chosen=[cast.students["a1_8a_0"]])
    client.force_login(cast.user("class_teacher_a1"))  # 8 «А» of school A1
    response = client.get(list_url(q="завод"))
    assert [pk for _t, pk in found_titles(response)] == [own.pk, chosen.pk]
    assert other_class.pk not in [pk for _t, pk in found_titles(client.get(list_url(school=cast.orgs["a1"].pk)))]

    client.force_login(cast.user("coordinator_a1"))
    assert [pk for _t, pk in found_titles(client.get(list_url(q="завод")))] == [own.pk, other_class.pk, chosen.pk]
    # Narrowed to a class (the search form of its schedule): its own activities and those of its chosen students.
    response = client.get(list_url(**{"class": cast.classes["a1_9a"].pk, "q": "завод"}))
    assert [pk for _t, pk in found_titles(response)] == [other_class.pk]

    for username in ("coordinator_b1", "class_teacher_a2", "parent_a1"):
        client.force_login(cast.user(username))
        assert client.get(list_url(school=cast.orgs["a1"].pk)).status_code == 404, username
        assert client.get(list_url(**{"class": cast.classes["a1_8a"].pk})).status_code == 404, username
    client.force_login(cast.user("coordinator_a1"))
    for bad in ({"school": "abc"}, {"class": "x"}, {"school": "99999"}):
        assert client.get(list_url(**bad)).status_code == 404, bad


def test_the_schedule_searches_its_activities_and_the_coordinator_has_a_menu_entry(client, pm):
    cast = pm.cast
    event(pm, "Экскурсия на завод", 1)
    client.force_login(cast.user("class_teacher_a1"))
    html = client.get(reverse("profminimum:class_schedule", args=[cast.classes["a1_8a"].pk])).content.decode()
    assert f'action="{reverse("profminimum:activity_list")}"' in html and f'name="class" value="{cast.classes["a1_8a"].pk}"' in html
    assert "Найти мероприятие класса" in html
    client.force_login(cast.user("coordinator_a1"))
    home = client.get("/").content.decode()
    assert f'href="{reverse("profminimum:activity_list")}"' in home and ">Мероприятия</a>" in home


def test_the_activity_list_costs_the_same_number_of_queries_for_5_activities_and_for_60(client, pm):
    cast = pm.cast
    client.force_login(cast.user("coordinator_a1"))

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(list_url(q="экскурсия")).status_code == 200
        return len(captured)

    for index in range(5):
        event(pm, f"Экскурсия {index}", index, chosen=[cast.students["a1_8a_0"]] if index % 2 else ())
    small = queries()
    for index in range(55):
        event(pm, f"Экскурсия {index}", index - 20, class_key="a1_9a" if index % 2 else "a1_8a")
    assert queries() == small
