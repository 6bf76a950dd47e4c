"""What the territories and the teachers see: the «Билет в будущее» indicators (trials marked here and imported
count alike), the students of a class with no trial or event yet, and the offers that are a student's next steps."""

import datetime

from django.utils import timezone

from access.policy import viewer_for
from events.indicators import municipality_indicators, republic_indicators, trajectory_counter_register
from events.models import Offer
from events.selectors import class_coverage, offers_upcoming, uncovered_counts
from events.services import attendance_mark, registration_create, trial_record_import


def url_for(kind, pk):
    return f"/{kind}/{pk}/"


def test_indicators_count_students_and_sites_of_trials_marked_and_imported_alike(ev):
    cast = ev.cast
    trial = ev.offer(kind=Offer.Kind.TRIAL, title="Проба «Агроном»", professions="агроном")
    present = [registration_create(offer=trial, student=cast.students[k], by=None).registration for k in ("a1_8a_0", "a1_8a_1", "b1_8a_0")]
    ev.begin(trial)
    attendance_mark(offer=trial, marks={r.pk: True for r in present}, by=cast.user("partner_a"))
    today = timezone.localdate()
    # The federal platform's export: a second trial of Алан at another site, and one of a student of A2.
    trial_record_import(student=cast.students["a1_8a_0"], held_on=today, title="Проба «Сварщик»", site_name="Колледж  строителей")
    trial_record_import(student=cast.students["a2_8a_0"], held_on=today, title="Проба «Повар»", site=cast.orgs["college"])
    trial_record_import(student=cast.students["a2_8a_0"], held_on=today, title="Проба «Повар»", site=cast.orgs["college"])  # once

    period = {"date_from": cast.year.starts_on, "date_to": today}
    republic = republic_indicators(url_for=url_for, **period)
    assert (republic.total.students, republic.total.sites, republic.total.trials) == (4, 3, 5)
    assert republic.total.trajectories == 0  # the guidance app counts them: no trajectory confirmed here yet
    by_name = {row.label: (row.students, row.sites, row.trials) for row in republic.rows}
    assert by_name == {"Город Альфа": (3, 3, 4), "Бетинский район": (1, 1, 1)}
    alpha = municipality_indicators(municipality=cast.municipalities["a"], url_for=url_for, **period)
    assert {row.label: row.students for row in alpha.rows} == {"Школа № 1 г. Альфа": 2, "Школа № 2 г. Альфа": 1}

    from events import indicators

    registered = list(indicators._trajectory_counter)
    trajectory_counter_register(lambda *, date_from, date_to: {cast.orgs["a1"].pk: 2, cast.orgs["b1"].pk: 1})
    try:
        assert republic_indicators(url_for=url_for, **period).total.trajectories == 3
        indicators._trajectory_counter.clear()
        assert republic_indicators(url_for=url_for, **period).total.trajectories is None  # no counter: not available, not zero
    finally:
        indicators._trajectory_counter[:] = registered
    before = {"date_from": cast.year.starts_on, "date_to": today - datetime.timedelta(days=1)}
    assert republic_indicators(url_for=url_for, **before).total.students == 0


def test_a_teacher_navigator_sees_which_students_of_the_class_have_no_trial_or_event_yet(ev, client):
    cast = ev.cast
    offer = ev.offer(grades=(9, 9))
    registration_create(offer=offer, student=cast.students["a1_9a_0"], by=None)
    trial_record_import(student=cast.students["a1_9a_1"], held_on=timezone.localdate(), title="Проба", site_name="Колледж")
    navigator = cast.user("navigator_a1")
    rows = class_coverage(viewer=viewer_for(navigator), school_class=cast.classes["a1_9a"], school_year=cast.year)
    assert [(row.student.person.first_name, row.covered) for row in rows] == [("Алан", True), ("Дзерасса", True), ("Тимур", False)]
    assert uncovered_counts(class_ids=[cast.classes["a1_9a"].pk, cast.classes["a1_8a"].pk], school_year=cast.year) == {
        cast.classes["a1_9a"].pk: 1, cast.classes["a1_8a"].pk: 3,
    }  # fmt: skip
    client.force_login(navigator)
    page = client.get(f"/events/classes/{cast.classes['a1_9a'].pk}/").content.decode()
    assert "Тимур" in page
    client.force_login(cast.user("navigator_b1"))
    assert client.get(f"/events/classes/{cast.classes['a1_9a'].pk}/").status_code == 404


def test_offers_that_fit_the_recommended_professions_are_a_students_next_steps(ev):
    cast = ev.cast
    agronomist = ev.offer(title="Мастер-класс агронома", professions="агроном", sector="agriculture", capacity=1, days=3)
    builder = ev.offer(title="День строителя", professions="каменщик, прораб", sector="construction", days=4)
    ev.offer(title="Проба для старших", professions="агроном", grades=(10, 11), days=5)  # not for grade 8
    ev.offer(provider="employer_b", title="Агроном в районе Бета", professions="агроном", municipality=cast.municipalities["b"], days=6)
    registration_create(offer=agronomist, student=cast.students["a1_8a_0"], by=None)  # the only place is taken
    student_viewer = viewer_for(cast.user("student_a1"))  # a1_8a_1, of Город Альфа

    steps = offers_upcoming(viewer=student_viewer, professions=["Агроном"], sectors=["construction"])
    assert [(step.offer.title, step.free) for step in steps] == [("День строителя", 10), ("Мастер-класс агронома", 0)]
    assert steps[1].reason == "знакомит с профессией «Агроном»"
    assert offers_upcoming(viewer=student_viewer, sectors=["construction"], limit=1)[0].offer == builder
    # A teacher asks for a student they see; a student of another municipality's school is not theirs.
    assert offers_upcoming(viewer=viewer_for(cast.user("class_teacher_a1")), student=cast.students["a1_8a_1"], sectors=["construction"])
    assert (
        offers_upcoming(viewer=viewer_for(cast.user("class_teacher_a1")), student=cast.students["b1_8a_0"], sectors=["construction"]) == []
    )
    assert offers_upcoming(viewer=viewer_for(cast.user("partner_a")), sectors=["construction"]) == []
