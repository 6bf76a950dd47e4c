"""The class schedule and attendance in one screen, through the pages a teacher uses: the hand-computed case
(3 students a class, a 1-hour Thursday lesson), corrections, access and the cost of a save."""

import datetime
import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from people.models import Enrollment, Person, Student
from profminimum.models import Activity, Attendance, AttendanceCorrection, HoursEntry, Scope, StudentYearHours
from profminimum.rollups import rollups_rebuild
from profminimum.selectors import scope_compliance
from profminimum.services import Mark, attendance_save
from profminimum.views.attendance import day_text, saved_message

D = Decimal


def schedule_url(school_class) -> str:
    return reverse("profminimum:class_schedule", args=[school_class.pk])


def attendance_url(activity, school_class) -> str:
    return f"{reverse('profminimum:activity_attendance', args=[activity.pk])}?class={school_class.pk}"


def hours_of(student) -> Decimal:
    row = StudentYearHours.objects.filter(student=student).first()
    return row.total_hours if row else D("0")


def scope_totals(pm, class_key) -> dict:
    """Total hours and course hours of the class, its school, municipality and the republic."""
    school_class = pm.cast.classes[class_key]
    scopes = [
        (Scope.CLASS, school_class.pk),
        (Scope.SCHOOL, school_class.school_id),
        (Scope.MUNICIPALITY, school_class.school.municipality_id),
        (Scope.REPUBLIC, 0),
    ]
    totals = {}
    for scope, scope_id in scopes:
        figures = scope_compliance(school_year=pm.year, scope=scope, scope_ids=[scope_id], on=pm.year.starts_on)[scope_id]
        totals[scope] = (figures.total_hours, figures.hours_by_direction.get(pm.directions["course"].pk, D("0")))
    return totals


def post_marks(client, activity, school_class, students, absent=(), excuses=None):
    data = {"student": [s.pk for s in students], "present": [s.pk for s in students if s not in absent]}
    for student, text in (excuses or {}).items():
        data[f"excuse-{student.pk}"] = text
    return client.post(attendance_url(activity, school_class), data)


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]] if response.context else []


def test_the_thursday_lesson_marked_in_the_ui_moves_every_scope_by_exactly_the_present_hours(client, pm):
    cast = pm.cast
    school_class = cast.classes["a1_8a"]
    lesson = pm.activity("a1_8a", hours="1", week=0)
    s0, s1, s2 = (cast.students[f"a1_8a_{i}"] for i in range(3))
    teacher = cast.user("class_teacher_a1")
    client.force_login(teacher)

    # The schedule: the lesson with its Russian date, its number and topic, not marked, highlighted at the top.
    page = client.get(schedule_url(school_class))
    assert page.status_code == 200
    html = page.content.decode()
    assert day_text(pm.thursday(0)) in html and day_text(pm.thursday(0)).startswith("чт, ")
    assert "«Россия — мои горизонты», занятие 1:" in html and "Вводный урок" in html
    assert "не отмечено" in html
    assert "Отметьте посещаемость" in html and f'href="{attendance_url(lesson, school_class).replace("&", "&amp;")}"' in html

    # The screen: every student present by default, a real checkbox with a label each.
    page = client.get(attendance_url(lesson, school_class))
    assert page.status_code == 200
    html = page.content.decode()
    for student in (s0, s1, s2):
        assert re.search(
            rf'<input class="att-check" type="checkbox" name="present" value="{student.pk}" id="present-{student.pk}" checked>', html
        )
        assert f'<label class="att-label" for="present-{student.pk}">' in html
    assert html.count(">Сохранить</button>") == 1

    before = scope_totals(pm, "a1_8a")
    response = post_marks(client, lesson, school_class, [s0, s1, s2], absent=[s1, s2], excuses={s1: "болел"})
    assert response.status_code == 302 and response.url == schedule_url(school_class)
    schedule = client.get(response.url)
    assert "Сохранено: 1 присутствовал, 2 отсутствовали; зачтено 1 час." in messages_of(schedule)
    assert "отмечено: 1 из 3" in schedule.content.decode()

    assert (hours_of(s0), hours_of(s1), hours_of(s2)) == (D("1"), D("0"), D("0"))
    assert Attendance.objects.get(activity=lesson, student=s1).excuse == "болел"
    after = scope_totals(pm, "a1_8a")
    for scope in after:
        assert after[scope][0] - before[scope][0] == D("1"), scope  # total hours of the scope
        assert after[scope][1] - before[scope][1] == D("1"), scope  # of which the course

    # Saving the same marks again changes nothing.
    entries = HoursEntry.objects.count()
    response = post_marks(client, lesson, school_class, [s0, s1, s2], absent=[s1, s2], excuses={s1: "болел"})
    assert response.status_code == 302
    assert "Изменений нет" in messages_of(client.get(response.url))[0]
    assert HoursEntry.objects.count() == entries and not AttendanceCorrection.objects.exists()
    assert scope_totals(pm, "a1_8a") == after

    # Reopened, the screen shows the saved marks.
    html = client.get(attendance_url(lesson, school_class)).content.decode()
    assert f'value="{s0.pk}" id="present-{s0.pk}" checked>' in html
    assert f'value="{s1.pk}" id="present-{s1.pk}">' in html and 'value="болел"' in html
    assert "Посещаемость уже отмечена" in html

    # A correction: s2 was present after all. Credited exactly once more, with the teacher as author.
    response = post_marks(client, lesson, school_class, [s0, s1, s2], absent=[s1], excuses={s1: "болел"})
    assert response.status_code == 302
    assert "Сохранено: 2 присутствовали, 1 отсутствовал; зачтено 2 часа. Исправлено: 1 отметка." in messages_of(client.get(response.url))
    assert hours_of(s2) == D("1")
    corrected = scope_totals(pm, "a1_8a")
    for scope in corrected:
        assert corrected[scope][0] - after[scope][0] == D("1"), scope
    correction = AttendanceCorrection.objects.get()
    assert (correction.was_present, correction.now_present, correction.changed_by) == (False, True, teacher)
    assert correction.attendance.student == s2
    post_marks(client, lesson, school_class, [s0, s1, s2], absent=[s1], excuses={s1: "болел"})
    assert hours_of(s2) == D("1") and AttendanceCorrection.objects.count() == 1

    # The history under the list: who, when, what.
    html = client.get(attendance_url(lesson, school_class)).content.decode()
    assert "Исправления: 1" in html
    assert "Классная Клараa1" in html and "УченикA18 Тимур, отсутствовал(а) → присутствовал(а)" in html


def test_the_excuse_is_kept_only_for_the_absent(client, pm):
    cast = pm.cast
    lesson = pm.activity("a1_8a")
    students = [cast.students[f"a1_8a_{i}"] for i in range(3)]
    client.force_login(cast.user("class_teacher_a1"))
    post_marks(
        client, lesson, cast.classes["a1_8a"], students, absent=[students[0]], excuses={students[0]: "  справка ", students[1]: "опоздал"}
    )
    assert dict(Attendance.objects.filter(activity=lesson).values_list("student_id", "excuse")) == {
        students[0].pk: "справка",
        students[1].pk: "",
        students[2].pk: "",
    }


def test_a_teacher_of_another_school_gets_404_and_writes_nothing(client, pm):
    cast = pm.cast
    school_class = cast.classes["a1_8a"]
    lesson = pm.activity("a1_8a")
    students = [cast.students[f"a1_8a_{i}"] for i in range(3)]
    for username in ("class_teacher_b1", "class_teacher_a2", "coordinator_b1"):
        client.force_login(cast.user(username))
        assert client.get(schedule_url(school_class)).status_code == 404, username
        assert client.get(attendance_url(lesson, school_class)).status_code == 404, username
        assert post_marks(client, lesson, school_class, students).status_code == 404, username
    assert not Attendance.objects.exists() and not HoursEntry.objects.exists()


def test_only_those_who_mark_the_class_open_the_screen(client, pm):
    cast = pm.cast
    school_class = cast.classes["a1_8a"]
    lesson = pm.activity("a1_8a")
    # The navigator of 9 «А» of the same school, and the psychologist (who sees the schedule, but marks nothing).
    client.force_login(cast.user("navigator_a1"))
    assert client.get(attendance_url(lesson, school_class)).status_code == 404
    assert client.get(schedule_url(school_class)).status_code == 404
    client.force_login(cast.user("psychologist_a1"))
    page = client.get(schedule_url(school_class))
    assert page.status_code == 200 and "Отметить" not in page.content.decode()
    assert client.get(attendance_url(lesson, school_class)).status_code == 404
    # The coordinator marks any class of the school.
    client.force_login(cast.user("coordinator_a1"))
    assert client.get(attendance_url(lesson, school_class)).status_code == 200
    # A class that does not take part, or a class id that is not a number.
    assert client.get(attendance_url(lesson, cast.classes["a1_9a"])).status_code == 404
    assert client.get(f"{reverse('profminimum:activity_attendance', args=[lesson.pk])}?class=x").status_code == 404


def test_students_of_another_class_posted_into_the_form_are_ignored(client, pm):
    cast = pm.cast
    lesson = pm.activity("a1_8a")
    stranger = cast.students["b1_8a_0"]
    own = [cast.students[f"a1_8a_{i}"] for i in range(3)]
    client.force_login(cast.user("class_teacher_a1"))
    response = client.post(
        attendance_url(lesson, cast.classes["a1_8a"]),
        {"student": [s.pk for s in own] + [stranger.pk], "present": [s.pk for s in own] + [stranger.pk]},
    )
    assert response.status_code == 302
    assert set(Attendance.objects.values_list("student_id", flat=True)) == {s.pk for s in own}


def test_without_a_class_the_screen_opens_the_viewers_class(client, pm):
    cast = pm.cast
    lesson = pm.activity("a1_8a")
    client.force_login(cast.user("class_teacher_a1"))
    response = client.get(reverse("profminimum:activity_attendance", args=[lesson.pk]))
    assert response.status_code == 302 and response.url == attendance_url(lesson, cast.classes["a1_8a"])


def test_the_next_unmarked_lesson_is_at_the_top(client, pm):
    cast = pm.cast
    school_class = cast.classes["a1_8a"]
    first, second = pm.activity("a1_8a", week=0), pm.activity("a1_8a", week=1)
    attendance_save(activity=first, marks={cast.students["a1_8a_0"].pk: Mark(True)}, by=None)
    client.force_login(cast.user("class_teacher_a1"))
    page = client.get(schedule_url(school_class))
    next_card = page.content.decode().split('id="next-heading"')[1].split("</section>")[0]
    assert day_text(pm.thursday(1)) in next_card and day_text(pm.thursday(0)) not in next_card
    assert page.context["next_row"].activity == second


def test_the_coordinator_composes_the_course_schedule_once(client, pm):
    cast = pm.cast
    school_class = cast.classes["a1_8a"]
    client.force_login(cast.user("class_teacher_a1"))
    assert "Составить расписание курса" not in client.get(schedule_url(school_class)).content.decode()
    assert client.post(reverse("profminimum:course_schedule_generate", args=[school_class.pk])).status_code == 404

    client.force_login(cast.user("coordinator_a1"))
    assert "Составить расписание курса" in client.get(schedule_url(school_class)).content.decode()
    response = client.post(reverse("profminimum:course_schedule_generate", args=[school_class.pk]))
    assert response.status_code == 302
    lessons = pm.normative.course_lessons.count()
    assert Activity.objects.filter(classes=school_class, course_lesson__isnull=False).count() == lessons == 34
    assert Activity.objects.filter(school=cast.orgs["a1"]).count() == 2 * lessons  # 8 «А» and 9 «А»
    assert not Activity.objects.filter(school=cast.orgs["a2"]).exists()
    page = client.get(schedule_url(school_class))
    assert "Расписание курса «Россия — мои горизонты» составлено: 68 занятий во всех классах школы." in messages_of(page)
    html = page.content.decode()
    assert "Составить расписание курса" not in html and "Все мероприятия: 34" in html
    assert all(row.day.weekday() == 3 for row in page.context["rows"])  # Thursdays


def test_moving_a_lesson(client, pm):
    cast = pm.cast
    school_class = cast.classes["a1_8a"]
    lesson = pm.activity("a1_8a", week=2)
    client.force_login(cast.user("class_teacher_a1"))
    url = f"{reverse('profminimum:activity_move', args=[lesson.pk])}?class={school_class.pk}"
    new_day = pm.thursday(3).date() + datetime.timedelta(days=1)
    response = client.post(url, {"date": new_day.isoformat(), "time": "10:30"})
    assert response.status_code == 302
    lesson.refresh_from_db()
    assert lesson.starts_at == datetime.datetime.combine(new_day, datetime.time(10, 30), tzinfo=pm.thursday(0).tzinfo)

    response = client.post(url, {"date": "2001-01-01", "time": "10:30"})
    assert response.status_code == 400
    assert "Новая дата: Дата должна быть в пределах учебного года" in response.content.decode()


def test_moving_a_marked_lesson_shows_the_services_message_next_to_the_date(client, pm):
    cast = pm.cast
    school_class = cast.classes["a1_8a"]
    lesson = pm.activity("a1_8a", week=0)
    client.force_login(cast.user("class_teacher_a1"))
    post_marks(client, lesson, school_class, [cast.students[f"a1_8a_{i}"] for i in range(3)])
    html = client.get(schedule_url(school_class)).content.decode()
    assert "Перенести" not in html  # a marked lesson has happened
    before = Activity.objects.get(pk=lesson.pk).starts_at
    response = client.post(
        f"{reverse('profminimum:activity_move', args=[lesson.pk])}?class={school_class.pk}",
        {"date": pm.thursday(5).date().isoformat(), "time": "14:00"},
    )
    assert response.status_code == 400
    html = response.content.decode()
    errors = html.split('id="id_date_error"')[1].split("</ul>")[0]
    assert "Посещаемость этого занятия уже отмечена — перенести его нельзя." in errors
    assert Activity.objects.get(pk=lesson.pk).starts_at == before


def test_a_foreign_teacher_cannot_move(client, pm):
    lesson = pm.activity("a1_8a", week=2)
    client.force_login(pm.cast.user("class_teacher_b1"))
    url = f"{reverse('profminimum:activity_move', args=[lesson.pk])}?class={pm.cast.classes['a1_8a'].pk}"
    assert client.post(url, {"date": pm.thursday(3).date().isoformat(), "time": "10:00"}).status_code == 404


def test_the_teachers_home_links_to_the_schedule(client, pm):
    client.force_login(pm.cast.user("class_teacher_a1"))
    html = client.get("/").content.decode()
    assert f'href="{schedule_url(pm.cast.classes["a1_8a"])}"' in html and "Расписание и посещаемость" in html


@pytest.mark.parametrize(
    ("present", "absent", "hours", "expected"),
    [
        (23, 2, D("23"), "Сохранено: 23 присутствовали, 2 отсутствовали; зачтено 23 часа."),
        (21, 1, D("31.5"), "Сохранено: 21 присутствовал, 1 отсутствовал; зачтено 31,5 часа."),
        (25, 0, D("25"), "Сохранено: 25 присутствовали, 0 отсутствовали; зачтено 25 часов."),
        (11, 14, D("11"), "Сохранено: 11 присутствовали, 14 отсутствовали; зачтено 11 часов."),
    ],
)
def test_the_saved_message_agrees_with_its_numbers(present, absent, hours, expected):
    assert saved_message(present=present, absent=absent, hours=hours, changed=0, unchanged=False) == expected


def _add_students(school_class, count):
    for index in range(count):
        person = Person.objects.create(last_name=f"Добавленный{index:02d}", first_name="Ученик")
        student = Student.objects.create(person=person, current_school=school_class.school, current_class=school_class)
        Enrollment.objects.create(student=student, school_class=school_class, started_on=school_class.school_year.starts_on)


def _save_queries(client, pm, class_key):
    school_class = pm.cast.classes[class_key]
    lesson = pm.activity(class_key)
    students = list(Student.objects.filter(current_class=school_class).order_by("pk"))
    with CaptureQueriesContext(connection) as queries:
        response = post_marks(client, lesson, school_class, students, absent=students[:2])
    assert response.status_code == 302
    return len(queries), len(students)


def test_saving_a_class_of_30_costs_a_fixed_number_of_queries(client, pm):
    """The whole POST (session, access, the form, the save with its ledger and rollups, the message) costs
    the same for 3 students and for 30."""
    _add_students(pm.cast.classes["a1_8a"], 27)
    rollups_rebuild(school_year_id=pm.year.pk)  # the new students' rows of the year, as the nightly import leaves them
    # Both classes have had a lesson already, so the rollups take the same path (update, not create) for both.
    for key in ("a1_9a", "a1_8a"):
        first = Student.objects.filter(current_class=pm.cast.classes[key]).order_by("pk").first()
        attendance_save(activity=pm.activity(key), marks={first.pk: Mark(True)}, by=None)
    client.force_login(pm.cast.user("coordinator_a1"))
    small, small_size = _save_queries(client, pm, "a1_9a")
    large, large_size = _save_queries(client, pm, "a1_8a")
    assert (small_size, large_size) == (3, 30)
    print(f"attendance save: {small} queries for 3 students, {large} for 30")
    assert large <= 35
    assert large == small  # the cost does not grow with the class
    assert sum(StudentYearHours.objects.filter(student__current_class=pm.cast.classes["a1_8a"]).values_list("total_hours", flat=True)) == D(
        "29"
    )


def test_saving_30_students_without_their_rows_of_the_year_yet_stays_bounded(client, pm):
    """New students have no hours row yet: the service creates them in bulk, a few queries more, not 30."""
    _add_students(pm.cast.classes["a1_8a"], 27)
    client.force_login(pm.cast.user("class_teacher_a1"))
    large, _ = _save_queries(client, pm, "a1_8a")
    print(f"attendance save, 27 rows of the year created on the way: {large} queries")
    assert large <= 40


def test_a_lesson_that_has_not_happened_yet_cannot_be_marked(client, pm):
    cast = pm.cast
    future = pm.activity("a1_8a", week=0)
    future.starts_at = datetime.datetime.now(tz=future.starts_at.tzinfo) + datetime.timedelta(days=3)
    future.save(update_fields=["starts_at"])
    client.force_login(cast.user("class_teacher_a1"))
    students = [cast.students[f"a1_8a_{i}"] for i in range(3)]
    response = post_marks(client, future, cast.classes["a1_8a"], students)
    assert response.status_code == 400
    assert "ещё не состоялось" in response.content.decode()
    assert not Attendance.objects.exists() and not HoursEntry.objects.exists()
