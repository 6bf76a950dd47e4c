"""«May this be done with this student's data?» — the one question every capability asks, and who may answer it.

    from privacy.policy import Answer, may_process

    if may_process(student=student, purpose="diagnostics") == Answer.YES: ...

The answer is «yes», «no» or «ask», never a flag of the capability's own. It follows from the consent records
(privacy.models.ConsentRecord) and the student's age on the day:

- under 14 — one parent decides (a parent the school confirmed: privacy.models.ParentConfirmation);
- from 14 to 17 — the student and one parent, both; a parent's consent given before the 14th birthday lapses
  then, and both are asked;
- from 18 — the person alone (what they decided themselves before still stands).

For each party that must decide, its latest decision counts: none — «ask»; withdrawn — «no»; given to an older
wording than the one in force — «ask» again. Any «no» makes the answer «no»; else any «ask» makes it «ask».
A student whose birth date is not known is treated the most cautious way: both must decide.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, replace
from enum import StrEnum

from django.utils import timezone

from access.policy import Viewer, is_regional_staff, students_visible
from core.request_cache import forget, memo
from people.models import ParentLink, Student
from privacy.models import ConsentKind, ConsentRecord, ConsentText

STUDENT = ConsentRecord.Party.STUDENT
PARENT = ConsentRecord.Party.PARENT

# The kinds of consent the platform ships (privacy/migrations/0002); capabilities ask by these codes.
GUIDANCE = "guidance"
DIAGNOSTICS = "diagnostics"
SHARE_WITH_PARENT = "share_with_parent"
PHOTO_VIDEO = "photo_video"
PUBLISH_NAME = "publish_name"
EXCURSIONS = "excursions"

CHILD_ALONE_FROM = 14  # from this age the student decides too, and a parent's earlier consent lapses
ADULT_FROM = 18


class Answer(StrEnum):
    YES = "yes"
    NO = "no"
    ASK = "ask"


ANSWER_LABELS = {Answer.YES: "дано", Answer.NO: "не дано или отозвано", Answer.ASK: "нужно решение"}


class Reason(StrEnum):
    """Why a party's answer is what it is."""

    GIVEN = "given"
    WITHDRAWN = "withdrawn"
    NONE = "none"  # never decided
    OUTDATED = "outdated"  # given to an older wording
    LAPSED = "lapsed"  # a parent's consent given before the child turned 14
    NO_TEXT = "no_text"  # no wording is in force yet: nothing can be asked


# --- age -------------------------------------------------------------------------------------------------------


def birthday(birth_date: datetime.date, age: int) -> datetime.date:
    """The day a person turns `age` (29 February: 1 March in a common year)."""
    try:
        return birth_date.replace(year=birth_date.year + age)
    except ValueError:
        return datetime.date(birth_date.year + age, 3, 1)


def age_on(birth_date: datetime.date | None, day: datetime.date) -> int | None:
    if birth_date is None:
        return None
    return day.year - birth_date.year - ((day.month, day.day) < (birth_date.month, birth_date.day))


def parties_required(age: int | None) -> tuple[str, ...]:
    """Whose decision a consent needs at this age."""
    if age is None:
        return (STUDENT, PARENT)
    if age < CHILD_ALONE_FROM:
        return (PARENT,)
    if age < ADULT_FROM:
        return (STUDENT, PARENT)
    return (STUDENT,)


# --- the state of a consent ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PartyState:
    party: str
    answer: Answer
    reason: Reason
    record: ConsentRecord | None  # the decision that counts (or the lapsed or outdated one), if any

    @property
    def label(self) -> str:
        return ConsentRecord.Party(self.party).label


@dataclass(frozen=True)
class ConsentStatus:
    kind: ConsentKind
    text: ConsentText | None  # the wording in force: what is asked for now
    answer: Answer
    age: int | None
    states: tuple[PartyState, ...]  # one per party that must decide, in the order of parties_required

    @property
    def parties(self) -> tuple[str, ...]:
        return tuple(state.party for state in self.states)

    def state_of(self, party: str) -> PartyState | None:
        return next((state for state in self.states if state.party == party), None)

    @property
    def waiting_for(self) -> tuple[str, ...]:
        """The parties whose decision is still needed."""
        return tuple(state.party for state in self.states if state.answer == Answer.ASK)


def _party_state(party: str, records: list[ConsentRecord], text: ConsentText | None, birth_date, age) -> PartyState:
    lapsed = False
    if party == PARENT and age is not None and age >= CHILD_ALONE_FROM and birth_date is not None:
        fourteenth = birthday(birth_date, CHILD_ALONE_FROM)
        valid = [record for record in records if record.decided_on >= fourteenth]
        lapsed = len(valid) < len(records) and records[-1].decision == ConsentRecord.Decision.GIVEN and not valid
        records = valid
    if not records:
        if lapsed:
            return PartyState(party, Answer.ASK, Reason.LAPSED, None)
        return PartyState(party, Answer.ASK, Reason.NONE if text else Reason.NO_TEXT, None)
    last = records[-1]
    if last.decision == ConsentRecord.Decision.WITHDRAWN:
        return PartyState(party, Answer.NO, Reason.WITHDRAWN, last)
    if text is None or last.text.version < text.version:
        return PartyState(party, Answer.ASK, Reason.OUTDATED, last)
    return PartyState(party, Answer.YES, Reason.GIVEN, last)


def _status(kind: ConsentKind, text: ConsentText | None, records: list[ConsentRecord], birth_date, today) -> ConsentStatus:
    age = age_on(birth_date, today)
    by_party: dict[str, list[ConsentRecord]] = defaultdict(list)
    for record in records:
        by_party[record.party].append(record)
    states = tuple(_party_state(party, by_party.get(party, []), text, birth_date, age) for party in parties_required(age))
    answers = {state.answer for state in states}
    answer = Answer.NO if Answer.NO in answers else Answer.ASK if Answer.ASK in answers else Answer.YES
    return ConsentStatus(kind, text, answer, age, states)


def texts_in_force(kinds, today: datetime.date) -> dict[int, ConsentText]:
    """The wording of each kind in force on the day (the highest version already effective); read once per request."""
    kinds = list(kinds)

    def read() -> dict[int, ConsentText]:
        texts: dict[int, ConsentText] = {}
        for text in ConsentText.objects.filter(kind__in=kinds, effective_from__lte=today).order_by("kind_id", "version"):
            texts[text.kind_id] = text
        return texts

    return dict(memo(("consent_texts", tuple(kind.pk for kind in kinds), today), read))


def _kinds(purposes) -> list[ConsentKind]:
    """The active kinds (all, or those of `purposes`); read once per request (a home asks for them twice)."""

    def read() -> list[ConsentKind]:
        kinds = ConsentKind.objects.filter(is_active=True)
        if purposes is not None:
            kinds = kinds.filter(code__in=list(purposes))
        return list(kinds)

    return list(memo(("consent_kinds", None if purposes is None else tuple(sorted(set(purposes)))), read))


def consent_statuses(*, student_ids, purposes=None, today: datetime.date | None = None) -> dict[tuple[int, str], ConsentStatus]:
    """The status of each consent (all active kinds, or those of `purposes`) for each student, keyed by (student
    id, kind code). Four queries whatever the number of students and kinds."""
    today = today or timezone.localdate()
    student_ids = list(student_ids)
    kinds = _kinds(purposes)
    if (purposes is not None and len(kinds) < len(set(purposes))) or not kinds:
        # A database that lost the shipped kinds (one emptied by a transactional test) gets them back once.
        from privacy.shipped import shipped_data_ensure

        if shipped_data_ensure():
            forget()
            kinds = _kinds(purposes)
    if purposes is not None and len(kinds) < len(set(purposes)):
        unknown = set(purposes) - {kind.code for kind in kinds}
        raise ValueError(f"Нет такого вида согласия: {', '.join(sorted(unknown))}.")
    texts = texts_in_force(kinds, today)
    births = dict(Student.objects.filter(pk__in=student_ids).values_list("pk", "person__birth_date"))
    records: dict[tuple[int, int], list[ConsentRecord]] = defaultdict(list)
    for record in (
        ConsentRecord.objects.filter(student_id__in=student_ids, kind__in=kinds).select_related("text").order_by("decided_on", "at", "pk")
    ):
        records[(record.student_id, record.kind_id)].append(record)
    return {
        (student_id, kind.code): _status(kind, texts.get(kind.pk), records.get((student_id, kind.pk), []), births.get(student_id), today)
        for student_id in student_ids
        if student_id in births
        for kind in kinds
    }


def consent_status(*, student: Student, purpose: str, today: datetime.date | None = None) -> ConsentStatus:
    return consent_statuses(student_ids=[student.pk], purposes=[purpose], today=today)[(student.pk, purpose)]


def may_process(*, student: Student, purpose: str, today: datetime.date | None = None) -> Answer:
    """May this be done with this student's data: «yes», «no» or «ask» (no decision, a new wording, a consent
    that lapsed at 14, or one of the two who must decide has not)."""
    return consent_status(student=student, purpose=purpose, today=today).answer


def may_process_many(*, student_ids, purpose: str, today: datetime.date | None = None) -> dict[int, Answer]:
    """may_process for a list of students at once (a class's results, a list of photos)."""
    statuses = consent_statuses(student_ids=student_ids, purposes=[purpose], today=today)
    return {student_id: status.answer for (student_id, _), status in statuses.items()}


# --- who decides ---------------------------------------------------------------------------------------------------


def confirmed_parent_ids(student: Student) -> set[int]:
    """The persons the school confirmed as this student's parents."""
    return set(ParentLink.objects.filter(student=student, confirmation__isnull=False).values_list("parent_id", flat=True))


def family_party(viewer: Viewer, student: Student) -> str | None:
    """How the viewer belongs to the student's family: the student themself, a linked parent (confirmed or not),
    or None."""
    if viewer.own_student_id == student.pk:
        return STUDENT
    if student.pk in viewer.child_student_ids:
        return PARENT
    return None


def acting_party(viewer: Viewer, student: Student, *, today: datetime.date | None = None) -> str | None:
    """The party the viewer decides as for this student today — the student (from 14) or a confirmed parent
    (under 18) — or None when the viewer may not decide."""
    today = today or timezone.localdate()
    party = family_party(viewer, student)
    if party is None or party not in parties_required(age_on(student.person.birth_date, today)):
        return None
    if party == PARENT and viewer.person_id not in confirmed_parent_ids(student):
        return None
    return party


def may_decide(viewer: Viewer, student: Student, *, as_party: str, on: datetime.date | None = None) -> bool:
    return acting_party(viewer, student, today=on) == as_party


def may_record_paper(viewer: Viewer, student: Student) -> bool:
    """Upload a signed paper consent, confirm a parent: the student's school coordinator, or the republic's
    administrators (the ministry's administrator, ЦОПП's staff)."""
    return is_regional_staff(viewer) or (
        student.current_school_id is not None and student.current_school_id in viewer.coordinated_school_ids
    )


def may_operate(viewer: Viewer) -> bool:
    """The operator of the personal data: the queue of requests, erasure, breaches, retention."""
    return is_regional_staff(viewer)


# --- what a parent sees of their child ------------------------------------------------------------------------------


def _sees_otherwise(viewer: Viewer, student_ids: list[int]) -> set[int]:
    """Of these students, those the viewer sees other than as a parent (as staff of their class or school, or as the
    student themself)."""
    seen = {pk for pk in student_ids if pk == viewer.own_student_id}
    if viewer.is_republic:
        return set(student_ids)
    if viewer.municipality_ids or viewer.school_ids or viewer.class_ids:
        as_staff = replace(viewer, child_student_ids=frozenset(), own_student_id=None)
        seen |= set(students_visible(as_staff).filter(pk__in=student_ids).values_list("pk", flat=True))
    return seen


def parent_sharing_many(viewer: Viewer, student_ids) -> dict[int, Answer]:
    """For each of the viewer's children among `student_ids` whom the viewer sees only as a parent: may their
    results be shown to the parent (the consent «передача результатов родителям»). Students seen otherwise are
    left out: staff see their own class's results on their own grounds."""
    children = [pk for pk in student_ids if pk in viewer.child_student_ids]
    if not children:
        return {}
    others = _sees_otherwise(viewer, children)
    only_as_parent = [pk for pk in children if pk not in others]
    return may_process_many(student_ids=only_as_parent, purpose=SHARE_WITH_PARENT) if only_as_parent else {}


def parent_sharing(viewer: Viewer, student: Student) -> Answer | None:
    """parent_sharing_many for one student: None when the viewer does not see them only as a parent."""
    return parent_sharing_many(viewer, [student.pk]).get(student.pk)
