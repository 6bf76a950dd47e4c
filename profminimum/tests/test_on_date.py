"""«На дату»: every figure labelled with a date is the figure as of that date — the activities held by then
(as recorded now), each student in the class they were in then, judged by their school's level then.

A hand-made history of class 8 «А» of school A1 (basic level, 40 h a year), worked out on paper. The school
year runs from 1 September to 31 May: 272 days, so the pace expected of 40 h on a date is 40 × days gone / 272.

    3 Sep  (Thu, week 0)  course lesson, 1 h: Алан and Дзерасса present, Тимур absent — corrected in November
                          to present (a correction counts on the day of the lesson)
    17 Sep (Thu, week 2)  upbringing, 2 h: all three present
    1 Oct                 Дзерасса moves to 8 «А» of school A2 (main level, 60 h)
    15 Oct (Thu, week 6)  parents' meeting, 1 h: Алан present

    on 10 Sep: 8 «А» of A1 has 3 students with 1 h each = 3 h; expected 40 × 9/272 = 1.3 h, so each is
               «отстаёт» (below the pace, by less than 4 h)
    on 1 Oct:  8 «А» of A1 has Алан and Тимур, 3 h each = 6 h; expected 40 × 30/272 = 4.4 h: both «отстаёт».
               Дзерасса counts in A2 from this day: 3 h against 60 × 30/272 = 6.6 h: «отстаёт».
    on 20 Oct: Алан 4 h, Тимур 3 h; expected 40 × 49/272 = 7.2 h: Алан «отстаёт» (≥ 3.2), Тимур «в зоне
               риска» (< 3.2).
"""

import datetime
from decimal import Decimal
from unittest import mock

import pytest

from people.services import student_transfer
from profminimum.models import CheckpointDay, HistogramCheckpoint, Scope
from profminimum.rollups import rollups_difference, rollups_fold, rollups_maintain
from profminimum.selectors import State, scope_compliance, student_compliance, student_rows
from profminimum.services import Mark, attendance_save

D = Decimal


@pytest.fixture(params=["no checkpoints yet", "checkpoints before the writes"])
def history(request, pm):
    """The history above; written with no checkpoint stored yet, or after the periodic job stored those of
    September and October (then every write adds to them too)."""
    cast = pm.cast
    year = pm.year
    today = datetime.date(year.starts_on.year, 11, 30)
    CheckpointDay.objects.filter(school_year=year).delete()
    HistogramCheckpoint.objects.filter(school_year=year).delete()
    if request.param == "checkpoints before the writes":
        rollups_maintain(school_year=year, today=today)
    alan, dzerassa, timur = (cast.students[f"a1_8a_{i}"] for i in range(3))
    with mock.patch("django.utils.timezone.localdate", return_value=today):
        lesson = pm.activity("a1_8a", hours="1", direction="course", week=0)
        attendance_save(activity=lesson, marks={alan.pk: Mark(True), dzerassa.pk: Mark(True), timur.pk: Mark(False, "болел")}, by=None)
        meeting = pm.activity("a1_8a", hours="2", direction="upbringing", week=2)
        attendance_save(activity=meeting, marks={s.pk: Mark(True) for s in (alan, dzerassa, timur)}, by=None)
        student_transfer(student=dzerassa, to_class=cast.classes["a2_8a"], on=datetime.date(year.starts_on.year, 10, 1))
        parents = pm.activity("a1_8a", hours="1", direction="parents", week=6)
        attendance_save(activity=parents, marks={alan.pk: Mark(True), timur.pk: Mark(False)}, by=None)
        attendance_save(activity=lesson, marks={timur.pk: Mark(True)}, by=None)  # the November correction
        yield {
            "today": today,
            "alan": alan,
            "dzerassa": dzerassa,
            "timur": timur,
            "day": lambda m, d: datetime.date(year.starts_on.year, m, d),
        }


def _class(pm, key, on):
    school_class = pm.cast.classes[key]
    return scope_compliance(school_year=pm.year, scope=Scope.CLASS, scope_ids=[school_class.pk], on=on)[school_class.pk]


def _states(figures) -> dict:
    return {state: n for state, n in figures.by_state.items() if n}


def _check_the_three_dates(pm, h):
    day = h["day"]
    sep10 = _class(pm, "a1_8a", day(9, 10))
    assert (sep10.students, sep10.total_hours, _states(sep10)) == (3, D("3"), {State.BEHIND: 3})

    oct1 = _class(pm, "a1_8a", day(10, 1))
    assert (oct1.students, oct1.total_hours, _states(oct1)) == (2, D("6"), {State.BEHIND: 2})
    a2 = _class(pm, "a2_8a", day(10, 1))
    assert (a2.students, a2.total_hours) == (4, D("3"))  # Дзерасса's 3 h with three classmates at 0
    assert a2.by_state[State.BEHIND] == 1

    oct20 = _class(pm, "a1_8a", day(10, 20))
    assert (oct20.students, oct20.total_hours, _states(oct20)) == (2, D("7"), {State.BEHIND: 1, State.AT_RISK: 1})

    # Hours by direction and lessons held are as of the date too.
    assert sep10.hours_by_direction == {pm.directions["course"].pk: D("3")}
    assert oct20.hours_by_direction == {
        pm.directions["course"].pk: D("3"), pm.directions["upbringing"].pk: D("6"), pm.directions["parents"].pk: D("1")
    }  # fmt: skip
    assert (sep10.lessons_held, oct20.lessons_held) == (1, 1)
    # Before the first lesson nothing had happened.
    assert _class(pm, "a1_8a", day(9, 2)).total_hours == D("0")


def test_figures_as_of_three_dates_follow_the_history(pm, history):
    with mock.patch("django.utils.timezone.localdate", return_value=history["today"]):
        _check_the_three_dates(pm, history)


def test_the_same_figures_after_the_periodic_job_folds_and_stores_checkpoints(pm, history):
    """The reads add up checkpoints (30 September, 31 October) and the changes after them: same answers."""
    with mock.patch("django.utils.timezone.localdate", return_value=history["today"]):
        rollups_maintain(school_year=pm.year, today=history["today"])
        assert sorted(CheckpointDay.objects.filter(school_year=pm.year).values_list("day", flat=True)) == [
            history["day"](9, 30),
            history["day"](10, 31),
        ]
        rollups_fold(school_year_id=pm.year.pk)
        _check_the_three_dates(pm, history)
        assert rollups_difference(school_year_id=pm.year.pk) == {}


def test_a_class_list_on_a_date_shows_who_was_in_the_class_then_with_their_hours_then(pm, history):
    day = history["day"]
    viewer_user = pm.cast.user("ministry_admin")
    from access.policy import viewer_for

    viewer = viewer_for(viewer_user)
    with mock.patch("django.utils.timezone.localdate", return_value=history["today"]):
        rows = student_rows(viewer=viewer, school_year=pm.year, school_class=pm.cast.classes["a1_8a"], on=day(9, 20))
        assert [(r.student.person.first_name, r.hours.total_hours) for r in rows] == [
            ("Алан", D("3")),
            ("Дзерасса", D("3")),
            ("Тимур", D("3")),
        ]
        rows = student_rows(viewer=viewer, school_year=pm.year, school_class=pm.cast.classes["a1_8a"], on=day(10, 20))
        assert [(r.student.person.first_name, r.hours.total_hours, r.state) for r in rows] == [
            ("Алан", D("4"), State.BEHIND),
            ("Тимур", D("3"), State.AT_RISK),
        ]
        # One student's page as of 20 October: the ledger lines up to that day, the level of the school then.
        page = student_compliance(viewer=viewer, student_pk=history["dzerassa"].pk, school_year=pm.year, on=day(10, 20))
        assert page.row.min_hours == D("60") and page.row.hours.total_hours == D("3")
        assert [e.occurred_on for e in page.entries] == [day(9, 17), day(9, 3)]
        page = student_compliance(viewer=viewer, student_pk=history["alan"].pk, school_year=pm.year, on=day(9, 10))
        assert [e.occurred_on for e in page.entries] == [day(9, 3)]


def test_a_school_choosing_its_first_level_moves_its_students_from_today(pm):
    """Found by the dashboards' tests: a level chosen by a school that had none was recorded as if it had
    always been, and its students stayed counted under «уровень не выбран» (negative counts followed)."""
    from profminimum.models import SchoolLevel, SchoolLevelChange

    cast = pm.cast
    school = cast.orgs["a2"]
    SchoolLevel.objects.filter(school=school).delete()
    SchoolLevelChange.objects.filter(school=school).delete()
    from profminimum.rollups import rollups_rebuild
    from profminimum.services import school_level_set

    rollups_rebuild(school_year_id=pm.year.pk)
    school_level_set(school=school, school_year=pm.year, level=pm.levels["basic"], status="chosen", by=cast.user("coordinator_a2"))
    student = cast.students["a2_8a_0"]
    attendance_save(activity=pm.activity("a2_8a", hours="1", week=0), marks={student.pk: Mark(True)}, by=None)
    assert rollups_difference(school_year_id=pm.year.pk) == {}
    figures = scope_compliance(school_year=pm.year, scope=Scope.SCHOOL, scope_ids=[school.pk], on=pm.year.ends_on)[school.pk]
    assert figures.students == 6 and figures.by_state[State.NO_LEVEL] == 0 and min(figures.by_state.values()) >= 0


def test_the_class_page_and_its_xlsx_on_a_date_show_the_figures_of_that_date(client, pm, history):
    """The page «на 20 октября» and its XLSX agree with each other and with the history (Алан 4 h, Тимур 3 h;
    Дзерасса had left), and the file's title names the date."""
    import io

    import openpyxl

    day = history["day"]
    # The municipality's coordinator: Дзерасса, now in A2, is still theirs to see (her old class teacher's no longer).
    client.force_login(pm.cast.user("municipal_a"))
    url = f"/profminimum/classes/{pm.cast.classes['a1_8a'].pk}/"
    with mock.patch("django.utils.timezone.localdate", return_value=history["today"]):
        for on, expected in (
            (day(9, 10), [("УченикA18 Алан", 1, "отстаёт"), ("УченикA18 Дзерасса", 1, "отстаёт"), ("УченикA18 Тимур", 1, "отстаёт")]),
            (day(10, 1), [("УченикA18 Алан", 3, "отстаёт"), ("УченикA18 Тимур", 3, "отстаёт")]),
            (day(10, 20), [("УченикA18 Алан", 4, "отстаёт"), ("УченикA18 Тимур", 3, "в зоне риска")]),
        ):
            page = client.get(url, {"on": on.isoformat()}).content.decode()
            for name, _hours, _state in expected:
                assert name in page
            if len(expected) == 2:
                assert "Дзерасса" not in page
            response = client.get(url, {"on": on.isoformat(), "format": "xlsx", "table": "students"})
            sheet = openpyxl.load_workbook(
                io.BytesIO(b"".join(response.streaming_content) if response.streaming else response.content)
            ).active
            assert f"на {on.day}" in sheet["A1"].value
            header = [c.value for c in sheet[2]]
            name_col, hours_col, state_col = 0, header.index("Часов"), header.index("Состояние")
            rows = [(r[name_col], r[hours_col], r[state_col]) for r in sheet.iter_rows(min_row=3, values_only=True) if r[name_col]]
            assert rows == expected, on


def test_todays_class_list_from_the_year_rows_equals_the_one_computed_from_the_facts(pm, history):
    """Today's list reads the students' year rows (cheap); a past date computes the timelines. On the same day
    both must give the same students, hours, levels and states."""
    from access.policy import viewer_for

    viewer = viewer_for(pm.cast.user("ministry_admin"))
    today = history["today"]

    def rows(now):
        with mock.patch("django.utils.timezone.localdate", return_value=now):
            return [
                (r.student.pk, r.hours.total_hours, r.hours.hours_by_direction, r.hours.level_id, r.state, r.expected)
                for key in ("a1_8a", "a2_8a")
                for r in student_rows(viewer=viewer, school_year=pm.year, school_class=pm.cast.classes[key], on=today)
            ]

    assert rows(today) == rows(today + datetime.timedelta(days=1))  # the second reads «today» as a past date
