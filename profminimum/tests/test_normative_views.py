"""The normative version pages: what the ministry sees and edits, what everyone else may only read, and
what an edit does to the students' figures."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from orgs.models import SchoolYear
from profminimum.models import CourseLesson, DirectionMinimum, Holiday, Level, NormativeVersion, Scope, StudentYearHours
from profminimum.normative import direction_minima_set
from profminimum.rollups import rollups_difference
from profminimum.selectors import State, scope_compliance
from profminimum.services import Mark, attendance_save

D = Decimal


def detail_url(pm) -> str:
    return reverse("profminimum:normative_detail", args=[pm.normative.pk])


def signed_in(client, cast, username):
    client.force_login(cast.user(username))
    return client


def levels_post(pm, **values) -> dict:
    data = {"section": "levels", **{code: str(level.min_hours) for code, level in pm.levels.items()}}
    data.update(values)
    return data


def minimum(pm, code) -> Decimal:
    return Level.objects.get(pk=pm.levels[code].pk).min_hours


def lessons_post(pm, rows=None, extra=0) -> dict:
    """The programme table as the page posts it; `rows` overrides (lesson_id, number, topic, kind, sector, delete)."""
    if rows is None:
        rows = [(l.pk, l.number, l.topic, l.kind, l.sector, False) for l in pm.normative.course_lessons.order_by("number")]
    initial = sum(1 for r in rows if r[0] is not None)
    data = {
        "section": "lessons", "lessons-TOTAL_FORMS": str(len(rows) + extra), "lessons-INITIAL_FORMS": str(initial),
        "lessons-MIN_NUM_FORMS": "0", "lessons-MAX_NUM_FORMS": "200",
    }  # fmt: skip
    for i, (pk, number, topic, kind, sector, delete) in enumerate(rows):
        data.update({
            f"lessons-{i}-lesson_id": "" if pk is None else str(pk), f"lessons-{i}-number": str(number),
            f"lessons-{i}-topic": topic, f"lessons-{i}-kind": kind, f"lessons-{i}-sector": sector,
        })  # fmt: skip
        if delete:
            data[f"lessons-{i}-DELETE"] = "on"
    for i in range(len(rows), len(rows) + extra):
        data.update({f"lessons-{i}-{name}": "" for name in ("lesson_id", "number", "topic", "kind", "sector")})
    return data


def holidays_post(pm, rows=None) -> dict:
    if rows is None:
        rows = [(h.title, h.starts_on.isoformat(), h.ends_on.isoformat()) for h in pm.normative.holidays.order_by("starts_on")]
    data = {"section": "holidays", "holidays-TOTAL_FORMS": str(len(rows)), "holidays-INITIAL_FORMS": "0",
            "holidays-MIN_NUM_FORMS": "0", "holidays-MAX_NUM_FORMS": "60"}  # fmt: skip
    for i, (title, starts, ends) in enumerate(rows):
        data.update({f"holidays-{i}-title": title, f"holidays-{i}-starts_on": starts, f"holidays-{i}-ends_on": ends})
    return data


def text(response) -> str:
    return response.content.decode()


# --- reading ------------------------------------------------------------------------------------------------


def test_levels_40_60_80_are_shown_to_readers_and_in_the_editors_form(client, pm):
    response = signed_in(client, pm.cast, "coordinator_a1").get(detail_url(pm))
    assert response.status_code == 200
    page = text(response)
    for words in ("40 часов", "60 часов", "80 часов"):
        assert words in page
    assert "Нормативы профминимума на " + str(pm.year) in page
    assert "Россия индустриальная: атомная промышленность" in page  # the course programme
    assert "Зимние каникулы" in page
    assert 'name="section"' not in page  # a reader gets no forms

    page = text(signed_in(client, pm.cast, "ministry_admin").get(detail_url(pm)))
    assert 'name="basic" id="id_basic" value="40"' in page
    assert 'value="60"' in page and 'value="80"' in page

    listing = text(client.get(reverse("profminimum:normative_list")))
    assert "базовый — 40 часов" in listing and "продвинутый — 80 часов" in listing
    assert "Создать следующий учебный год" in listing


def test_signed_out_people_are_sent_to_login_and_readers_cannot_edit(client, pm):
    response = client.get(detail_url(pm))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    reader = signed_in(client, pm.cast, "municipal_a")
    assert "Создать следующий учебный год" not in text(reader.get(reverse("profminimum:normative_list")))
    assert reader.post(detail_url(pm), levels_post(pm, basic="45")).status_code == 403
    assert reader.post(reverse("profminimum:normative_next")).status_code == 403
    assert minimum(pm, "basic") == D("40")
    assert client.get(reverse("profminimum:normative_detail", args=[999999])).status_code == 404


# --- levels -------------------------------------------------------------------------------------------------


def test_a_minimum_of_45_5_is_saved(client, pm):
    admin = signed_in(client, pm.cast, "ministry_admin")
    response = admin.post(detail_url(pm), levels_post(pm, basic="45,5"))
    assert response.status_code == 302 and response["Location"].endswith("#levels")
    assert minimum(pm, "basic") == D("45.5")
    page = text(admin.get(detail_url(pm)))
    assert "Минимумы уровней сохранены" in page
    assert 'value="45.5"' in page
    signed_in(client, pm.cast, "coordinator_a1")
    assert "45,5 часа" in text(client.get(detail_url(pm)))


@pytest.mark.parametrize(
    "typed, message",
    [
        ("45.3", "Минимум уровня «базовый»: часы указываются с шагом 0,5"),
        ("-1", "Минимум уровня «базовый»: число часов не может быть меньше 0"),
        ("сорок", "Введите число, например 40 или 45,5"),
        ("", "Укажите число часов"),
    ],
)
def test_a_bad_minimum_is_refused_in_russian_and_nothing_changes(client, pm, typed, message):
    admin = signed_in(client, pm.cast, "ministry_admin")
    response = admin.post(detail_url(pm), levels_post(pm, basic=typed, main="65"))
    assert response.status_code == 400
    page = text(response)
    assert message in page
    assert "Не сохранено" in page and 'aria-invalid="true"' in page
    assert minimum(pm, "basic") == D("40") and minimum(pm, "main") == D("60")  # the valid one is not half-saved


def test_levels_must_rise_from_basic_to_advanced(client, pm):
    response = signed_in(client, pm.cast, "ministry_admin").post(detail_url(pm), levels_post(pm, main="40"))
    assert response.status_code == 400
    assert "Минимум уровня «основной» (40 часов) должен быть больше минимума уровня «базовый» (40 часов)" in text(response)
    assert minimum(pm, "main") == D("60")


def test_raising_a_levels_minimum_turns_a_met_student_into_not_met_at_once(client, pm):
    cast = pm.cast
    student = cast.students["a1_8a_0"]  # a1 works at the basic level: 40 h
    attendance_save(activity=pm.activity("a1_8a", hours="40", direction="upbringing"), marks={student.pk: Mark(True)}, by=None)
    class_id = cast.classes["a1_8a"].pk

    def met():
        return scope_compliance(school_year=pm.year, scope=Scope.CLASS, scope_ids=[class_id], on=pm.year.ends_on)[class_id].by_state[
            State.MET
        ]

    assert met() == 1
    admin = signed_in(client, cast, "ministry_admin")
    page = text(admin.get(detail_url(pm)))
    assert "Школы уже работают по этой версии" in page  # editing a version in use keeps working
    assert admin.post(detail_url(pm), levels_post(pm, basic="45")).status_code == 302
    assert met() == 0
    assert admin.post(detail_url(pm), levels_post(pm, basic="40")).status_code == 302
    assert met() == 1


# --- directions and per-direction minima ----------------------------------------------------------------------


def minima_post(pm, cells: dict[tuple[str, str], str]) -> dict:
    data = {"section": "minima"}
    existing = {(m.level_id, m.direction_id): m.min_hours for m in DirectionMinimum.objects.filter(level__normative=pm.normative)}
    for level in pm.levels.values():
        for direction in pm.directions.values():
            value = existing.get((level.pk, direction.pk))
            data[f"min_{level.pk}_{direction.pk}"] = "" if value is None else str(value)
    for (level_code, direction_code), value in cells.items():
        data[f"min_{pm.levels[level_code].pk}_{pm.directions[direction_code].pk}"] = value
    return data


def test_a_new_direction_minimum_re_judges_the_students_of_the_year(client, pm):
    cast = pm.cast
    student = cast.students["a1_8a_0"]
    attendance_save(activity=pm.activity("a1_8a", hours="40", direction="upbringing"), marks={student.pk: Mark(True)}, by=None)
    class_id = cast.classes["a1_8a"].pk
    assert StudentYearHours.objects.get(student=student).directions_met

    admin = signed_in(client, cast, "ministry_admin")
    response = admin.post(detail_url(pm), minima_post(pm, {("basic", "course"): "10"}))
    assert response.status_code == 302
    assert DirectionMinimum.objects.get(level=pm.levels["basic"], direction=pm.directions["course"]).min_hours == D("10")
    assert not StudentYearHours.objects.get(student=student).directions_met
    figures = scope_compliance(school_year=pm.year, scope=Scope.CLASS, scope_ids=[class_id], on=pm.year.ends_on)[class_id]
    assert figures.by_state[State.MET] == 0  # 40 of 40 hours, but none in the course
    # The incremental rollups equal a rebuild from the ledger.
    assert rollups_difference(school_year_id=pm.year.pk) == {}

    # Emptying the cell removes the minimum: the student has met the norm again.
    assert admin.post(detail_url(pm), minima_post(pm, {("basic", "course"): ""})).status_code == 302
    assert StudentYearHours.objects.get(student=student).directions_met
    figures = scope_compliance(school_year=pm.year, scope=Scope.CLASS, scope_ids=[class_id], on=pm.year.ends_on)[class_id]
    assert figures.by_state[State.MET] == 1


def test_direction_minima_set_service_and_its_limits(pm):
    basic = pm.levels["basic"]
    course, parents = pm.directions["course"], pm.directions["parents"]
    assert direction_minima_set(level=basic, minima={course.pk: D("30"), parents.pk: D("10")}, by=None)
    assert not direction_minima_set(level=basic, minima={course.pk: D("30")}, by=None)  # nothing changed
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as error:
        direction_minima_set(level=basic, minima={parents.pk: D("10.5")}, by=None)
    assert "Сумма минимумов по направлениям уровня «базовый» (40,5 часа) больше минимума уровня (40 часов)" in error.value.messages[0]
    assert DirectionMinimum.objects.get(level=basic, direction=parents).min_hours == D("10")


def test_per_direction_minima_may_not_exceed_the_level_and_are_validated_per_cell(client, pm):
    admin = signed_in(client, pm.cast, "ministry_admin")
    response = admin.post(detail_url(pm), minima_post(pm, {("basic", "course"): "30", ("basic", "parents"): "15"}))
    assert response.status_code == 400
    assert "Сумма минимумов по направлениям уровня «базовый» (45 часов) больше минимума уровня (40 часов)" in text(response)
    response = admin.post(detail_url(pm), minima_post(pm, {("main", "course"): "10.2", ("basic", "course"): "5"}))
    assert response.status_code == 400
    assert (
        "Минимум уровня «основной» по направлению «внеурочная деятельность (курс «Россия — мои горизонты»)»: часы указываются с шагом 0,5"
        in text(response)
    )
    assert not DirectionMinimum.objects.filter(level__normative=pm.normative).exists()  # nothing half-saved

    # A level's minimum may not drop below the sum of its per-direction minima.
    assert admin.post(detail_url(pm), minima_post(pm, {("basic", "course"): "30"})).status_code == 302
    response = admin.post(detail_url(pm), levels_post(pm, basic="25"))
    assert response.status_code == 400
    assert "меньше суммы его минимумов по направлениям (30 часов)" in text(response)


def test_directions_are_renamed_and_reordered_with_unique_positions(client, pm):
    admin = signed_in(client, pm.cast, "ministry_admin")
    directions = list(pm.normative.directions.order_by("position"))
    data = {"section": "directions"}
    for d in directions:
        data[f"name_{d.pk}"], data[f"position_{d.pk}"] = d.name, str(d.position)
    first, second = directions[0], directions[1]
    data[f"position_{first.pk}"], data[f"position_{second.pk}"] = "2", "1"
    data[f"name_{first.pk}"] = "Профильные классы"
    assert admin.post(detail_url(pm), data).status_code == 302
    first.refresh_from_db()
    assert (first.name, first.position) == ("Профильные классы", 2)

    data[f"position_{first.pk}"] = "1"  # now two directions at 1
    response = admin.post(detail_url(pm), data)
    assert response.status_code == 400 and "порядок 1 уже у направления" in text(response)
    data[f"position_{first.pk}"], data[f"name_{first.pk}"] = "2", ""
    response = admin.post(detail_url(pm), data)
    assert response.status_code == 400 and "Название направления «профильные и предпрофильные классы»: Укажите название." in text(response)


# --- the course programme -------------------------------------------------------------------------------------


def test_the_programme_is_edited_in_one_table(client, pm):
    admin = signed_in(client, pm.cast, "ministry_admin")
    lessons = list(pm.normative.course_lessons.order_by("number"))
    rows = [(l.pk, l.number, l.topic, l.kind, l.sector, False) for l in lessons]
    # Swap lessons 1 and 2, retitle 3, add a 35th regional lesson.
    rows[0] = (lessons[0].pk, 2, lessons[0].topic, lessons[0].kind, "", False)
    rows[1] = (lessons[1].pk, 1, lessons[1].topic, lessons[1].kind, "", False)
    rows[2] = (lessons[2].pk, 3, "Познаю себя и свои интересы", lessons[2].kind, "", False)
    rows.append((None, 35, "Профессии Северной Осетии", CourseLesson.Kind.REGIONAL, "", False))
    response = admin.post(detail_url(pm), lessons_post(pm, rows, extra=1))
    assert response.status_code == 302, text(response)
    programme = list(pm.normative.course_lessons.order_by("number").values_list("number", "topic"))
    assert len(programme) == 35
    assert programme[0] == (1, lessons[1].topic) and programme[1] == (2, lessons[0].topic)
    assert programme[2] == (3, "Познаю себя и свои интересы") and programme[34] == (35, "Профессии Северной Осетии")


@pytest.mark.parametrize(
    "change, message",
    [
        (lambda rows: rows.__setitem__(4, (*rows[4][:1], 4, *rows[4][2:])), "Строка 5, «Номер»: номер 4 уже у строки 4"),
        (
            lambda rows: rows.__setitem__(33, (*rows[33][:1], 40, *rows[33][2:])),
            "Номера занятий должны идти подряд от 1 до 34: нет номера 34",
        ),
        (lambda rows: rows.__setitem__(3, (*rows[3][:4], "", False)), "Строка 4, «Отрасль»: у отраслевого занятия укажите отрасль"),
        (lambda rows: rows.__setitem__(0, (rows[0][0], 1, "", *rows[0][3:])), "Строка 1, «Тема»: укажите тему"),
    ],
)
def test_a_bad_programme_is_refused_naming_the_row_and_nothing_changes(client, pm, change, message):
    before = list(pm.normative.course_lessons.order_by("number").values_list("pk", "number", "topic", "sector"))
    rows = [(l.pk, l.number, l.topic, l.kind, l.sector, False) for l in pm.normative.course_lessons.order_by("number")]
    change(rows)
    response = signed_in(client, pm.cast, "ministry_admin").post(detail_url(pm), lessons_post(pm, rows))
    assert response.status_code == 400
    assert message in text(response)
    assert list(pm.normative.course_lessons.order_by("number").values_list("pk", "number", "topic", "sector")) == before


def test_a_lesson_already_in_the_schedule_cannot_be_deleted(client, pm):
    pm.activity("a1_8a", week=0)  # lesson 1 is in a class's schedule
    rows = [(l.pk, l.number, l.topic, l.kind, l.sector, l.number == 1) for l in pm.normative.course_lessons.order_by("number")]
    response = signed_in(client, pm.cast, "ministry_admin").post(detail_url(pm), lessons_post(pm, rows))
    assert response.status_code == 400
    assert "уже стоит в расписании классов — удалить его нельзя" in text(response)
    assert pm.normative.course_lessons.count() == 34


# --- holidays -------------------------------------------------------------------------------------------------


def test_holidays_are_saved_and_one_outside_the_school_year_is_refused(client, pm):
    admin = signed_in(client, pm.cast, "ministry_admin")
    year = pm.year
    rows = [(h.title, h.starts_on.isoformat(), h.ends_on.isoformat()) for h in pm.normative.holidays.order_by("starts_on")]
    before = list(Holiday.objects.filter(normative=pm.normative).values_list("title", "starts_on", "ends_on"))

    outside = rows + [
        ("Летние каникулы", datetime.date(year.ends_on.year, 6, 1).isoformat(), datetime.date(year.ends_on.year, 8, 31).isoformat())
    ]
    response = admin.post(detail_url(pm), holidays_post(pm, outside))
    assert response.status_code == 400
    assert (
        f"Строка 8 («Летние каникулы»): даты должны лежать в пределах учебного года {year} "
        f"({year.starts_on:%d.%m.%Y}–{year.ends_on:%d.%m.%Y})"
    ) in text(response)

    backwards = rows + [
        ("День республики", datetime.date(year.starts_on.year, 9, 20).isoformat(), datetime.date(year.starts_on.year, 9, 19).isoformat())
    ]
    response = admin.post(detail_url(pm), holidays_post(pm, backwards))
    assert response.status_code == 400
    assert "Строка 8 («День республики»), «По»: окончание (19.09." in text(response)
    assert list(Holiday.objects.filter(normative=pm.normative).values_list("title", "starts_on", "ends_on")) == before

    added = rows + [
        ("День осетинского языка", datetime.date(year.ends_on.year, 5, 15).isoformat(), datetime.date(year.ends_on.year, 5, 15).isoformat())
    ]
    assert admin.post(detail_url(pm), holidays_post(pm, added)).status_code == 302
    assert Holiday.objects.filter(normative=pm.normative, title="День осетинского языка").exists()
    assert Holiday.objects.filter(normative=pm.normative).count() == len(before) + 1


# --- the next school year -------------------------------------------------------------------------------------


def test_creating_the_next_school_year_copies_the_version_with_holidays_a_year_later(client, pm):
    admin = signed_in(client, pm.cast, "ministry_admin")
    DirectionMinimum.objects.create(level=pm.levels["main"], direction=pm.directions["parents"], min_hours=D("4"))
    response = admin.post(reverse("profminimum:normative_next"))
    start = pm.year.starts_on.year + 1
    next_year = SchoolYear.objects.get(starts_on=datetime.date(start, 9, 1))
    assert next_year.ends_on == datetime.date(start + 1, 5, 31) and next_year.title == f"{start}/{start + 1}"
    assert not next_year.is_current
    copy = NormativeVersion.objects.get(school_year=next_year)
    assert response.status_code == 302 and response["Location"] == reverse("profminimum:normative_detail", args=[copy.pk])
    assert copy.copied_from == pm.normative

    def same(version):
        return (
            sorted(version.levels.values_list("code", "min_hours")),
            list(version.directions.order_by("position").values_list("code", "name", "position")),
            list(version.course_lessons.order_by("number").values_list("number", "topic", "kind", "sector")),
            sorted(DirectionMinimum.objects.filter(level__normative=version).values_list("level__code", "direction__code", "min_hours")),
        )

    assert same(copy) == same(pm.normative)
    old = list(pm.normative.holidays.order_by("starts_on").values_list("title", "starts_on", "ends_on"))
    new = list(copy.holidays.order_by("starts_on").values_list("title", "starts_on", "ends_on"))
    assert new == [(t, s.replace(year=s.year + 1), e.replace(year=e.year + 1)) for t, s, e in old]
    page = text(admin.get(response["Location"]))
    assert f"Создана нормативная версия на {next_year} учебный год" in page

    # Once more: the year after that.
    admin.post(reverse("profminimum:normative_next"))
    assert NormativeVersion.objects.filter(school_year__starts_on=datetime.date(start + 1, 9, 1)).exists()


def test_the_next_year_is_not_created_twice_when_it_already_has_a_version(client, pm):
    start = pm.year.starts_on.year + 1
    later = SchoolYear.objects.create(
        title=f"{start}/{start + 1}", starts_on=datetime.date(start, 9, 1), ends_on=datetime.date(start + 1, 5, 31)
    )
    admin = signed_in(client, pm.cast, "ministry_admin")
    admin.post(reverse("profminimum:normative_next"))  # the existing year gets its version
    assert NormativeVersion.objects.filter(school_year=later).count() == 1
    assert SchoolYear.objects.filter(starts_on__year=start).count() == 1


def test_the_first_version_of_the_current_year_is_made_from_the_federal_norms(client, cast):
    admin = signed_in(client, cast, "ministry_admin")
    listing = text(admin.get(reverse("profminimum:normative_list")))
    assert "Нормативных версий ещё нет." in listing
    assert f"Создать версию на {cast.year} по федеральным нормам" in listing
    assert "Создать следующий учебный год" not in listing  # nothing to copy yet
    response = admin.post(reverse("profminimum:normative_default"))
    version = NormativeVersion.objects.get(school_year=cast.year)
    assert response["Location"] == reverse("profminimum:normative_detail", args=[version.pk])
    assert sorted(version.levels.values_list("min_hours", flat=True)) == [D("40"), D("60"), D("80")]
    assert version.course_lessons.count() == 34 and version.directions.count() == 7
    admin.post(reverse("profminimum:normative_default"))  # a second click changes nothing
    assert NormativeVersion.objects.count() == 1
