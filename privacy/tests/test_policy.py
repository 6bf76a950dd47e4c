"""Who gives each consent by the student's age, and what «may this be done» answers (issue 8, «Consents as
records» and «A student of 13, of 15 and of 18: who may give each consent is enforced»)."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from privacy.models import ConsentKind, ConsentRecord, ConsentText
from privacy.policy import Answer, Reason, birthday, consent_status, may_process, may_process_many
from privacy.services import consent_decide

CODES = ["guidance", "diagnostics", "share_with_parent", "photo_video", "publish_name", "excursions"]


def give(user, student, code, decision="given"):
    return consent_decide(user=user, student=student, kind_code=code, decision=decision, has_read=True)


def test_the_platform_ships_six_kinds_of_consent_each_with_its_text(db):
    kinds = list(ConsentKind.objects.order_by("position").values_list("code", flat=True))
    assert kinds == CODES
    assert ConsentKind.objects.get(code="publish_name").is_publication
    for kind in ConsentKind.objects.all():
        assert kind.texts.get(version=1).text.strip()


@pytest.mark.parametrize("code", CODES)
def test_at_13_a_confirmed_parent_gives_each_consent_and_the_student_may_not(family_of, code):
    """Issue 8: «A student of 13 … who may give each consent is enforced»."""
    family = family_of(13)
    with pytest.raises(ValidationError, match="До 14 лет согласие за обучающегося даёт родитель"):
        give(family.student_user, family.student, code)
    assert may_process(student=family.student, purpose=code) == Answer.ASK
    give(family.parent_user, family.student, code)
    assert may_process(student=family.student, purpose=code) == Answer.YES


@pytest.mark.parametrize("code", CODES)
def test_at_15_the_student_and_a_parent_both_give_each_consent(family_of, code):
    """Issue 8: «… of 15 …»: one of the two is not enough."""
    family = family_of(15)
    give(family.parent_user, family.student, code)
    status = consent_status(student=family.student, purpose=code)
    assert status.answer == Answer.ASK and status.waiting_for == ("student",)
    give(family.student_user, family.student, code)
    assert may_process(student=family.student, purpose=code) == Answer.YES


@pytest.mark.parametrize("code", CODES)
def test_at_18_the_person_gives_each_consent_and_the_parent_may_not(family_of, code):
    """Issue 8: «… and of 18»."""
    family = family_of(18)
    with pytest.raises(ValidationError, match="исполнилось 18 лет: согласие он даёт сам"):
        give(family.parent_user, family.student, code)
    give(family.student_user, family.student, code)
    assert may_process(student=family.student, purpose=code) == Answer.YES


def test_a_parent_the_school_has_not_confirmed_may_not_give_a_consent(family_of):
    family = family_of(10, confirmed=False)
    with pytest.raises(ValidationError, match="Школа ещё не подтвердила"):
        give(family.parent_user, family.student, "guidance")
    assert not ConsentRecord.objects.exists()


def test_someone_outside_the_family_may_not_give_a_consent(family_of, cast):
    family = family_of(10)
    with pytest.raises(ValidationError, match="сам обучающийся или его родитель"):
        give(cast.user("class_teacher_a1"), family.student, "guidance")


def test_a_consent_is_given_only_after_reading_its_text(family_of):
    family = family_of(10)
    with pytest.raises(ValidationError, match="прочитали текст согласия"):
        consent_decide(user=family.parent_user, student=family.student, kind_code="guidance", decision="given", has_read=False)


def test_a_parents_consent_given_before_14_lapses_at_14_and_both_are_asked(family_of):
    """Decision: «A parent's consent for a child under 14 lapses at 14 and the child is asked»."""
    family = family_of(14, key="l")
    fourteenth = birthday(family.student.person.birth_date, 14)
    kind = ConsentKind.objects.get(code="guidance")
    ConsentRecord.objects.create(
        student=family.student, kind=kind, text=kind.texts.get(version=1), party="parent", decision="given",
        by_person=family.parent, channel="platform", decided_on=fourteenth - datetime.timedelta(days=10),
    )  # fmt: skip
    before = consent_status(student=family.student, purpose="guidance", today=fourteenth - datetime.timedelta(days=1))
    assert before.answer == Answer.YES and before.parties == ("parent",)
    after = consent_status(student=family.student, purpose="guidance")
    assert after.answer == Answer.ASK
    assert after.state_of("parent").reason == Reason.LAPSED and after.state_of("student").reason == Reason.NONE
    give(family.student_user, family.student, "guidance")
    give(family.parent_user, family.student, "guidance")
    assert may_process(student=family.student, purpose="guidance") == Answer.YES


def test_a_new_wording_of_the_text_asks_again(family_of):
    family = family_of(12)
    give(family.parent_user, family.student, "diagnostics")
    kind = ConsentKind.objects.get(code="diagnostics")
    ConsentText.objects.create(
        kind=kind, version=2, text="Новая редакция.", effective_from=timezone.localdate() + datetime.timedelta(days=5)
    )
    assert may_process(student=family.student, purpose="diagnostics") == Answer.YES  # not in force yet
    ConsentText.objects.filter(kind=kind, version=2).update(effective_from=timezone.localdate())
    status = consent_status(student=family.student, purpose="diagnostics")
    assert status.answer == Answer.ASK and status.state_of("parent").reason == Reason.OUTDATED
    record = give(family.parent_user, family.student, "diagnostics")
    assert record.text.version == 2
    assert may_process(student=family.student, purpose="diagnostics") == Answer.YES


def test_a_withdrawal_by_either_of_the_two_makes_the_answer_no(family_of):
    family = family_of(16)
    give(family.parent_user, family.student, "photo_video")
    give(family.student_user, family.student, "photo_video")
    give(family.student_user, family.student, "photo_video", decision="withdrawn")
    assert may_process(student=family.student, purpose="photo_video") == Answer.NO
    give(family.student_user, family.student, "photo_video")
    give(family.parent_user, family.student, "photo_video", decision="withdrawn")
    assert may_process(student=family.student, purpose="photo_video") == Answer.NO


def test_each_decision_is_kept_with_its_version_time_who_and_how(family_of):
    family = family_of(15)
    record = give(family.student_user, family.student, "excursions")
    assert (record.party, record.decision, record.channel, record.text.version) == ("student", "given", "platform", 1)
    assert record.by_person_id == family.student.person_id and record.recorded_by == family.student_user
    assert record.decided_on == timezone.localdate() and record.at is not None


def test_a_student_whose_birth_date_is_unknown_needs_both(family_of):
    family = family_of(15)
    family.student.person.birth_date = None
    family.student.person.save()
    assert consent_status(student=family.student, purpose="guidance").parties == ("student", "parent")


def test_a_list_of_students_is_answered_in_four_queries(family_of, cast):
    families = [family_of(age, key=f"q{age}") for age in (12, 15, 18)]
    for f in families[:2]:
        give(f.parent_user, f.student, "guidance")
    ids = [f.student.pk for f in families] + [s.pk for s in cast.students.values()]
    with CaptureQueriesContext(connection) as queries:
        answers = may_process_many(student_ids=ids, purpose="guidance")
    assert len(queries) == 4
    assert [answers[f.student.pk] for f in families] == [Answer.YES, Answer.ASK, Answer.ASK]


def test_an_unknown_purpose_is_an_error_not_a_silent_ask(family_of):
    family = family_of(12)
    with pytest.raises(ValueError, match="Нет такого вида согласия"):
        may_process(student=family.student, purpose="tracking")
