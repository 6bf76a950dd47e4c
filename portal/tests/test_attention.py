"""«Требует внимания»: what each role's home says needs them now (issue 6, «Nothing reachable only by typing a
URL»: levels to approve, lessons not marked per class and teacher, classes at risk), from a hand-made history
of the test cast: 3 students a class; a1 basic (40 h), a2 main (60 h), b1 advanced (80 h)."""

import html as html_lib
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from core.formatting import NBSP, day_text
from orgs.models import Municipality, Organization, SchoolClass
from people.models import Enrollment, Person, Student
from profminimum.home import waiting_text, without_level_text
from profminimum.models import SchoolLevel
from profminimum.rollups import rollups_rebuild
from profminimum.selectors import Unmarked
from profminimum.services import Mark, attendance_save, school_level_set


def attention(client, user) -> list[tuple[str, str, str]]:
    """The items of the home's «Требует внимания» list: (text, link, detail)."""
    client.force_login(user)
    page = client.get("/").content.decode()
    if 'id="attention-heading"' not in page:
        return []
    block = page[page.index('id="attention-heading"') : page.index("</section>", page.index('id="attention-heading"'))]
    items = []
    for item in re.findall(r'<li class="attention__item[^"]*">(.*?)</li>', block, re.S):
        link = re.search(r'<a href="([^"]*)">(.*?)</a>', item, re.S)
        detail = re.search(r'<span class="attention__detail">(.*?)</span>', item, re.S)
        text = link.group(2) if link else re.sub(r"<span.*", "", item, flags=re.S)
        items.append(
            (
                html_lib.unescape(text.strip()),
                html_lib.unescape(link.group(1)) if link else "",
                html_lib.unescape(detail.group(1).strip()) if detail else "",
            )
        )
    return items


def texts(items) -> list[str]:
    return [text for text, _, _ in items]


# --- the words ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("count", "waiting", "without"),
    [
        (1, "1 школа ждёт утверждения уровня", "1 школа не выбрала уровень"),
        (2, "2 школы ждут утверждения уровня", "2 школы не выбрали уровень"),
        (5, "5 школ ждут утверждения уровня", "5 школ не выбрали уровень"),
        (11, "11 школ ждут утверждения уровня", "11 школ не выбрали уровень"),
        (21, "21 школа ждёт утверждения уровня", "21 школа не выбрала уровень"),
        (24, "24 школы ждут утверждения уровня", "24 школы не выбрали уровень"),
    ],
)
def test_the_level_items_agree_with_their_numbers(count, waiting, without):
    assert waiting_text(count) == waiting
    assert without_level_text(count) == without


@pytest.mark.parametrize(
    ("count", "expected"),
    [(1, "1 занятие не отмечено"), (3, "3 занятия не отмечены"), (11, "11 занятий не отмечены"), (21, "21 занятие не отмечено")],
)
def test_the_unmarked_item_agrees_with_its_number(count, expected):
    assert Unmarked(count, timezone.now()).text == expected


# --- levels -----------------------------------------------------------------------------------------------


@pytest.fixture
def levels(pm):
    """a2 has chosen its level and waits for the ministry; b1 has chosen none; a1's was set by the ministry."""
    SchoolLevel.objects.filter(school=pm.cast.orgs["a2"]).update(status=SchoolLevel.Status.CHOSEN)
    SchoolLevel.objects.filter(school=pm.cast.orgs["b1"]).delete()
    rollups_rebuild(school_year_id=pm.year.pk)
    return pm


def test_the_ministry_is_told_which_schools_wait_for_a_level_and_goes_straight_to_them(client, levels):
    """Issue 6: the ministry's level approvals are reachable from its home."""
    items = attention(client, levels.cast.user("ministry_admin"))
    assert ("1 школа ждёт утверждения уровня", "/profminimum/levels/?status=chosen", "Утвердите уровень или установите другой.") in items
    assert ("1 школа не выбрала уровень", "/profminimum/levels/?status=none", "") in items

    client.force_login(levels.cast.user("ministry_admin"))
    waiting = client.get("/profminimum/levels/?status=chosen").content.decode()
    assert "Школа № 2 г. Альфа" in waiting and "Школа с. Бета" not in waiting and "Школа № 1 г. Альфа" not in waiting


def test_the_regional_operator_sees_the_same_levels_to_approve(client, levels):
    assert "1 школа ждёт утверждения уровня" in texts(attention(client, levels.cast.user("operator")))


def test_a_municipality_sees_its_own_schools_waiting_or_without_a_level(client, levels):
    cast = levels.cast
    alpha = attention(client, cast.user("municipal_a"))
    where = f"/profminimum/levels/?municipality={cast.municipalities['a'].pk}"
    assert ("1 школа ждёт утверждения уровня", f"{where}&status=chosen", "Уровень утверждает министерство.") in alpha
    assert "1 школа не выбрала уровень" not in texts(alpha)
    beta = attention(client, cast.user("municipal_b"))
    assert ("1 школа не выбрала уровень", f"/profminimum/levels/?municipality={cast.municipalities['b'].pk}&status=none", "") in beta
    assert "1 школа ждёт утверждения уровня" not in texts(beta)


def test_a_school_coordinator_is_told_the_level_is_not_chosen_or_not_yet_approved(client, levels, cast):
    year = levels.year
    b1 = attention(client, cast.user("coordinator_b1"))
    level_url = reverse("profminimum:school_level", args=[cast.orgs["b1"].pk])
    assert (f"Уровень профминимума на {year} учебный год не выбран", level_url, "Выберите уровень и приложите приказ школы.") in b1
    a2 = attention(client, cast.user("coordinator_a2"))
    assert ("Уровень «основной» ждёт утверждения министерством", reverse("profminimum:school_level", args=[cast.orgs["a2"].pk]), "") in a2
    assert not [text for text in texts(attention(client, cast.user("coordinator_a1"))) if text.startswith("Уровень")]


# --- lessons not marked -----------------------------------------------------------------------------------


@pytest.fixture
def unmarked(pm):
    """Held and not marked: two lessons of 8 «А» and one of 9 «А» in a1, one of 8 «А» in a2. Marked, deleted
    and future lessons do not count."""
    first = pm.activity("a1_8a", week=0)
    pm.activity("a1_8a", week=1)
    marked = pm.activity("a1_9a", week=0)
    attendance_save(activity=marked, marks={s.pk: Mark(True) for s in marked.classes.get().students.all()}, by=None)
    pm.activity("a1_9a", week=1)
    deleted = pm.activity("a1_9a", week=2)
    deleted.deleted_at = timezone.now()
    deleted.save(update_fields=["deleted_at"])
    pm.activity("a1_8a", week=33)  # at the end of the school year: still to come
    pm.activity("a2_8a", week=2)
    pm.first = first
    return pm


def test_the_coordinator_sees_lessons_not_marked_per_class_and_teacher(client, unmarked):
    """Issue 6: «lessons not yet marked (per class and teacher for the coordinator)»."""
    cast = unmarked.cast
    items = attention(client, cast.user("coordinator_a1"))
    eight, nine = cast.classes["a1_8a"], cast.classes["a1_9a"]
    assert (
        "8 «А» — Классная К.Т.: 2 занятия не отмечены",
        reverse("profminimum:class_schedule", args=[eight.pk]),
        f"Самое раннее — {day_text(unmarked.thursday(0))}.",
    ) in items
    assert (
        "9 «А» — Навигаторов Н.Т.: 1 занятие не отмечено",
        reverse("profminimum:class_schedule", args=[nine.pk]),
        f"Самое раннее — {day_text(unmarked.thursday(1))}.",
    ) in items
    assert texts(items).index("8 «А» — Классная К.Т.: 2 занятия не отмечены") < texts(items).index(
        "9 «А» — Навигаторов Н.Т.: 1 занятие не отмечено"
    )  # the class with more first
    # The psychologist of the same school does not mark lessons: not theirs to chase.
    assert not [text for text in texts(attention(client, cast.user("psychologist_a1"))) if "не отмечен" in text]


def test_the_teacher_sees_their_classes_lessons_not_marked_with_a_link_to_the_oldest(client, unmarked):
    cast = unmarked.cast
    items = attention(client, cast.user("class_teacher_a1"))
    oldest = reverse("profminimum:activity_attendance", args=[unmarked.first.pk]) + f"?class={cast.classes['a1_8a'].pk}"
    assert ("8 «А»: 2 занятия не отмечены", oldest, f"Начните с самого раннего — {day_text(unmarked.thursday(0))}.") in items
    assert not [text for text in texts(items) if text.startswith("9 «А»")]  # not their class
    navigator = attention(client, cast.user("navigator_a1"))
    assert "9 «А»: 1 занятие не отмечено" in texts(navigator)

    # The link opens the oldest lesson's marks for the class.
    client.force_login(cast.user("class_teacher_a1"))
    assert client.get(oldest).status_code == 200


def test_the_municipality_sees_which_schools_have_lessons_not_marked(client, unmarked):
    cast = unmarked.cast
    items = attention(client, cast.user("municipal_a"))
    assert ("Школа № 1 г. Альфа: 3 занятия не отмечены", reverse("directory:organization_detail", args=[cast.orgs["a1"].pk]), "") in items
    assert ("Школа № 2 г. Альфа: 1 занятие не отмечено", reverse("directory:organization_detail", args=[cast.orgs["a2"].pk]), "") in items
    assert not [text for text in texts(attention(client, cast.user("municipal_b"))) if "не отмечен" in text]


def test_nothing_is_asked_when_everything_is_marked(client, pm):
    lesson = pm.activity("a1_8a", week=0)
    attendance_save(activity=lesson, marks={s.pk: Mark(True) for s in lesson.classes.get().students.all()}, by=None)
    for user in ("coordinator_a1", "class_teacher_a1", "municipal_a"):
        assert not [text for text in texts(attention(client, pm.cast.user(user))) if "не отмечен" in text]


# --- students at risk -------------------------------------------------------------------------------------


@pytest.fixture
def at_risk(pm, mid_year):
    """Half the year gone. In a1 (basic, 40 h: 20 h expected, at risk below 16 h) Алан has 25 h (on track),
    Дзерасса 18 h (behind), Тимур nothing (at risk); 9 «А» has nothing (3 at risk). a2 (main, 60 h) and b1
    (advanced, 80 h) have nothing: all at risk."""
    cast = pm.cast
    eight = [cast.students[f"a1_8a_{i}"] for i in range(3)]
    lesson = pm.activity("a1_8a", hours="25", direction="lessons", week=0)
    attendance_save(activity=lesson, marks={eight[0].pk: Mark(True), eight[1].pk: Mark(False), eight[2].pk: Mark(False)}, by=None)
    lesson = pm.activity("a1_8a", hours="18", direction="lessons", week=1)
    attendance_save(activity=lesson, marks={eight[0].pk: Mark(False), eight[1].pk: Mark(True), eight[2].pk: Mark(False)}, by=None)
    return pm


def test_the_ministry_sees_the_municipalities_with_the_largest_share_at_risk(client, at_risk):
    cast = at_risk.cast
    items = attention(client, cast.user("ministry_admin"))
    beta = (
        f"Бетинский район: 100{NBSP}% обучающихся в зоне риска",
        reverse("profminimum:dashboard_municipality", args=[cast.municipalities["b"].pk]),
        "6 из 6 обучающихся.",
    )
    alpha = (
        f"Город Альфа: 83{NBSP}% обучающихся в зоне риска",  # 10 of 12
        reverse("profminimum:dashboard_municipality", args=[cast.municipalities["a"].pk]),
        "10 из 12 обучающихся.",
    )
    assert beta in items and alpha in items
    assert items.index(beta) < items.index(alpha)


def test_the_municipality_sees_the_schools_with_the_most_students_at_risk(client, at_risk):
    cast = at_risk.cast
    items = attention(client, cast.user("municipal_a"))
    a2 = ("Школа № 2 г. Альфа: 6 обучающихся в зоне риска", reverse("profminimum:dashboard_school", args=[cast.orgs["a2"].pk]))
    a1 = ("Школа № 1 г. Альфа: 4 обучающихся в зоне риска", reverse("profminimum:dashboard_school", args=[cast.orgs["a1"].pk]))
    pairs = [(text, url) for text, url, _ in items]
    assert a2 in pairs and a1 in pairs and pairs.index(a2) < pairs.index(a1)
    assert (*a1, f"67{NBSP}% обучающихся школы.") in items


def test_the_school_sees_its_classes_at_risk(client, at_risk):
    cast = at_risk.cast
    for user in ("coordinator_a1", "psychologist_a1"):
        items = attention(client, cast.user(user))
        nine = (
            "9 «А»: 3 обучающихся в зоне риска",
            reverse("profminimum:dashboard_class", args=[cast.classes["a1_9a"].pk]),
            f"100{NBSP}% класса.",
        )
        eight = (
            "8 «А»: 1 обучающийся в зоне риска",
            reverse("profminimum:dashboard_class", args=[cast.classes["a1_8a"].pk]),
            f"33{NBSP}% класса.",
        )
        assert nine in items and eight in items and items.index(nine) < items.index(eight), user


def test_the_teacher_sees_the_students_at_risk_in_their_class_by_name(client, at_risk):
    cast = at_risk.cast
    items = attention(client, cast.user("class_teacher_a1"))
    assert (
        "8 «А»: 1 обучающийся в зоне риска",
        reverse("profminimum:dashboard_class", args=[cast.classes["a1_8a"].pk]),
        "УченикA18 Т.",
    ) in items


def test_no_one_is_at_risk_at_the_start_of_the_year(client, pm, monkeypatch):
    """On the first day nothing is expected yet: no student is at risk, so nothing is said about it."""
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *args, **kwargs: pm.year.starts_on)
    for user in ("ministry_admin", "municipal_a", "coordinator_a1", "class_teacher_a1"):
        assert not [text for text in texts(attention(client, pm.cast.user(user))) if "в зоне риска" in text], user


def test_a_share_of_one_student_reads_in_the_genitive(client, pm, mid_year):
    """«1 из 1 обучающегося», not «1 из 1 обучающийся»: a municipality with one student, at risk."""
    gamma = Municipality.objects.create(name="Гаммский район", kind="district", code="G")
    school = Organization.objects.create(name="Школа с. Гамма", short_name="Школа с. Гамма", kind="school", municipality=gamma)
    school_class = SchoolClass.objects.create(school=school, school_year=pm.year, grade=8, letter="А")
    student = Student.objects.create(
        person=Person.objects.create(last_name="Гаммов", first_name="Гам"), current_school=school, current_class=school_class
    )
    Enrollment.objects.create(student=student, school_class=school_class, started_on=pm.year.starts_on)
    school_level_set(school=school, school_year=pm.year, level=pm.levels["basic"], status=SchoolLevel.Status.SET_BY_MINISTRY, by=None)
    rollups_rebuild(school_year_id=pm.year.pk)
    items = attention(client, pm.cast.user("ministry_admin"))
    assert (
        f"Гаммский район: 100{NBSP}% обучающихся в зоне риска",
        reverse("profminimum:dashboard_municipality", args=[gamma.pk]),
        "1 из 1 обучающегося.",
    ) in items
