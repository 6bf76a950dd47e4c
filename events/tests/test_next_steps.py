"""The offers among the recommendations' next steps (catalog.next_steps): a student sees an upcoming offer that
introduces a recommended profession, with its date, place and free places; not one past, full of other grades, or
about something else."""

import datetime

from django.utils import timezone

from catalog.next_steps import ProfessionRef, StepQuery, next_steps


def _query(ev, student, *professions: tuple[int, str]) -> StepQuery:
    return StepQuery(
        professions=tuple(ProfessionRef(pk, f"p{pk}", title, frozenset(), frozenset()) for pk, title in professions),
        today=timezone.localdate(), student_id=student.pk, school_id=student.current_school_id,
        municipality_id=student.current_school.municipality_id, grade=student.current_class.grade,
    )  # fmt: skip


def test_an_upcoming_offer_about_a_recommended_profession_is_a_dated_next_step_with_its_places(ev):
    student = ev.cast.students["a1_8a_0"]  # grade 8
    offer = ev.offer(title="Мастер-класс агронома", capacity=10, days=5)
    ev.offer(title="Мастер-класс агронома для старших", grades=(10, 11), days=6)  # not for grade 8
    ev.offer(title="Мастер-класс пекаря", days=4)  # about something else

    steps = next_steps.steps_for(_query(ev, student, (1, "Агроном"), (2, "Программист")))

    agronomist = [step for step in steps[1] if step.kind == "event"]
    assert [step.title for step in agronomist] == ["Мастер-класс агронома"]
    step = agronomist[0]
    assert step.on == timezone.localtime(offer.starts_at).date() and step.url == f"/events/{offer.pk}/"
    assert "свободно 10 мест" in step.detail
    assert not [step for step in steps[2] if step.kind in ("event", "trial", "excursion")]


def test_a_past_offer_is_not_a_next_step(ev):
    student = ev.cast.students["a1_8a_0"]
    offer = ev.offer(title="Мастер-класс агронома", days=2)
    ev.begin(offer, hours_ago=30)
    assert offer.starts_at < timezone.now() - datetime.timedelta(hours=1)
    steps = next_steps.steps_for(_query(ev, student, (1, "Агроном")))
    assert not [step for step in steps[1] if step.kind == "event"]
