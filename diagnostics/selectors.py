"""Reads of diagnostics. The one the apps above rely on is `student_interest_profile` (guidance ranks professions by
it); the rest serve the pages, each narrowed by diagnostics.policy."""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, F, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from diagnostics.format import PROFILE_SCALES, compiled
from diagnostics.models import Assignment, Attempt, Instrument, InstrumentVersion, TicketDiagnostics
from people.models import Student
from privacy.policy import DIAGNOSTICS, Answer, may_process_many

# --- the interest profile (for guidance) ---------------------------------------------------------------------------


@dataclass(frozen=True)
class InterestProfile:
    """A student's latest reliable results (finished, not low confidence, not withdrawn, answered by the student).

    - `riasec`: "R", "I", "A", "S", "E", "C" -> the scale's score normalised to 0..1 ((score − least) / (most − least));
    - `code`: the three-letter Holland code (Latin letters, highest first; equal scores keep the order R, I, A, S, E, C);
    - `klimov`: "nature", "technic", "human", "sign", "art" -> 0..1 (the count of choices / 8), or None if not taken;
    - `readiness`: "decided", "informed", "backup" -> 0..1, or None if not taken;
    - `taken_on`: the day the RIASEC result was finished;
    - `instrument_versions`: the part ("riasec", "klimov", "readiness") -> "<instrument code>@<version>" it came from;
    - `attempt_ids`: the part -> the attempt's id (a change of any of them is a change of the profile).
    """

    riasec: dict[str, float]
    code: str
    klimov: dict[str, float] | None
    readiness: dict | None
    taken_on: datetime.date
    instrument_versions: dict[str, str]
    attempt_ids: dict[str, int] = field(default_factory=dict)


PROFILE_PARTS = tuple(PROFILE_SCALES)  # riasec, klimov, readiness
_CHUNK = 2000


def reliable_results() -> QuerySet[Attempt]:
    """Results that count: finished by the student themself, not low confidence."""
    return Attempt.objects.filter(status=Attempt.Status.FINISHED, low_confidence=False, respondent__isnull=True)


def student_interest_profile(*, student_id: int) -> InterestProfile | None:
    """The student's interest profile from their latest reliable results, or None without a reliable RIASEC result
    (or when the consent to diagnostics was withdrawn: its results are then not processed)."""
    return student_interest_profiles(student_ids=[student_id]).get(student_id)


def student_interest_profiles(*, student_ids) -> dict[int, InterestProfile]:
    """student_interest_profile for many students at once (a handful of queries per 2,000 students)."""
    ids = sorted(set(student_ids))
    profiles: dict[int, InterestProfile] = {}
    for start in range(0, len(ids), _CHUNK):
        profiles.update(_profiles(ids[start : start + _CHUNK]))
    return profiles


def _profiles(ids: list[int]) -> dict[int, InterestProfile]:
    rows = (
        reliable_results()
        .filter(student_id__in=ids, version__instrument__profile__in=PROFILE_PARTS, version__instrument__audience=Instrument.Audience.STUDENT)
        .order_by("student_id", "version__instrument__profile", "-finished_at", "-pk")
        .values_list("student_id", "version__instrument__profile", "pk", "normalised", "code", "finished_at", "version__instrument__code",
                     "version__version")
    )  # fmt: skip
    latest: dict[int, dict[str, tuple]] = defaultdict(dict)
    for row in rows:
        latest[row[0]].setdefault(row[1], row)
    candidates = [pk for pk, parts in latest.items() if "riasec" in parts]
    if not candidates:
        return {}
    answers = may_process_many(student_ids=candidates, purpose=DIAGNOSTICS)
    profiles = {}
    for student_id in candidates:
        if answers.get(student_id) == Answer.NO:
            continue
        parts = latest[student_id]
        riasec = parts["riasec"]
        profiles[student_id] = InterestProfile(
            riasec={code: float(riasec[3].get(code, 0.0)) for code in PROFILE_SCALES["riasec"]},
            code=riasec[4],
            klimov={code: float(parts["klimov"][3].get(code, 0.0)) for code in PROFILE_SCALES["klimov"]} if "klimov" in parts else None,
            readiness=(
                {code: float(parts["readiness"][3].get(code, 0.0)) for code in PROFILE_SCALES["readiness"]}
                if "readiness" in parts
                else None
            ),
            taken_on=timezone.localdate(riasec[5]),
            instrument_versions={part: f"{row[6]}@{row[7]}" for part, row in parts.items()},
            attempt_ids={part: row[2] for part, row in parts.items()},
        )
    return profiles


# --- instruments ----------------------------------------------------------------------------------------------------


def instruments_ensure() -> None:
    """The shipped instruments, published if this database lost them (a test database a transactional test emptied)."""
    from diagnostics.shipped import shipped_files, shipped_instruments_ensure

    if InstrumentVersion.objects.filter(source=InstrumentVersion.Source.SHIPPED).count() < len(shipped_files()):
        shipped_instruments_ensure()


def versions_offered(*, audience: str | None = Instrument.Audience.STUDENT) -> list[InstrumentVersion]:
    """The current version of every instrument offered now (for a class to be given, for a student or parent to take)."""
    instruments_ensure()
    versions = InstrumentVersion.objects.filter(is_current=True, instrument__is_active=True).select_related("instrument")
    if audience:
        versions = versions.filter(instrument__audience=audience)
    return sorted(versions, key=lambda v: (not v.instrument.is_shipped, PROFILE_ORDER.get(v.instrument.profile, 9), v.instrument.title))


PROFILE_ORDER = {"riasec": 0, "klimov": 1, "readiness": 2, "": 3}


def instrument_versions() -> list[InstrumentVersion]:
    """Every version of every instrument, the current ones first, with their quality."""
    instruments_ensure()
    versions = InstrumentVersion.objects.select_related("instrument", "quality").annotate(
        finished=Count("attempts", filter=Q(attempts__status=Attempt.Status.FINISHED))
    )
    return sorted(
        versions,
        key=lambda v: (not v.instrument.is_shipped, PROFILE_ORDER.get(v.instrument.profile, 9), v.instrument.audience, v.instrument.title,
                       not v.is_current, -v.pk),
    )  # fmt: skip


def version_get(*, pk: int) -> InstrumentVersion:
    return get_object_or_404(InstrumentVersion.objects.select_related("instrument", "quality"), pk=pk)


# --- what a student has to take, and their results ------------------------------------------------------------------

RUSSIAN_LETTERS = {"R": "Р", "I": "И", "A": "А", "S": "С", "E": "П", "C": "К"}


def code_ru(code: str) -> str:
    """The Holland code as the Russian pages write it: «ИАС» for IAS."""
    return "".join(RUSSIAN_LETTERS.get(letter, letter) for letter in code or "")


@dataclass
class Task:
    """An assignment as its student sees it."""

    assignment: Assignment
    attempt: Attempt | None  # the one under way, else the latest finished
    answered: int
    total: int
    is_open: bool

    @property
    def state(self) -> str:
        if self.attempt is None:
            return "new"
        return "running" if self.attempt.status == Attempt.Status.IN_PROGRESS else "done"


def student_tasks(*, student, today: datetime.date | None = None) -> list[Task]:
    """The assignments of the student's class open now or opening soon, with where the student stands in each."""
    today = today or timezone.localdate()
    if student.current_class_id is None:
        return []
    assignments = list(
        Assignment.objects.filter(school_class_id=student.current_class_id, closes_on__gte=today - datetime.timedelta(days=30))
        .select_related("version__instrument")
        .order_by("closes_on", "pk")
    )
    attempts: dict[int, Attempt] = {}
    for attempt in (
        Attempt.objects.filter(student=student, respondent__isnull=True, assignment__in=assignments)
        .exclude(status=Attempt.Status.WITHDRAWN)
        .order_by("started_at", "pk")
    ):
        current = attempts.get(attempt.assignment_id)
        if current is None or current.status != Attempt.Status.IN_PROGRESS:
            attempts[attempt.assignment_id] = attempt
    counts = dict(
        Attempt.objects.filter(pk__in=[a.pk for a in attempts.values() if a.status == Attempt.Status.IN_PROGRESS])
        .annotate(n=Count("answers"))
        .values_list("pk", "n")
    )
    tasks = []
    for assignment in assignments:
        attempt = attempts.get(assignment.pk)
        if assignment.closes_on < today and attempt is None:
            continue  # missed: nothing left to do in it
        total = len(compiled(assignment.version).items)
        answered = (
            total if attempt is not None and attempt.status != Attempt.Status.IN_PROGRESS else counts.get(getattr(attempt, "pk", 0), 0)
        )
        tasks.append(Task(assignment, attempt, answered, total, assignment.opens_on <= today <= assignment.closes_on))
    return tasks


def attempts_running(*, student, respondent_id: int | None = None) -> dict[int, tuple[Attempt, int]]:
    """The attempts under way of a respondent about a student, by version: (attempt, answers given)."""
    rows = Attempt.objects.filter(student=student, respondent_id=respondent_id, status=Attempt.Status.IN_PROGRESS).annotate(
        n=Count("answers")
    )
    return {attempt.version_id: (attempt, attempt.n) for attempt in rows}


def results_history(*, student, respondent_id: int | None = None) -> list[Attempt]:
    """Every finished or withdrawn attempt of a respondent about a student, newest first."""
    return list(
        Attempt.objects.filter(student=student, respondent_id=respondent_id)
        .exclude(status=Attempt.Status.IN_PROGRESS)
        .select_related("version__instrument", "assignment")
        .order_by("-finished_at", "-pk")
    )


def latest_by_instrument(attempts: list[Attempt]) -> list[Attempt]:
    """Of a newest-first history: the latest finished attempt of each instrument."""
    seen, latest = set(), []
    for attempt in attempts:
        if attempt.status == Attempt.Status.FINISHED and attempt.version.instrument_id not in seen:
            seen.add(attempt.version.instrument_id)
            latest.append(attempt)
    return sorted(latest, key=lambda a: PROFILE_ORDER.get(a.version.instrument.profile, 9))


def previous_result(attempt: Attempt) -> Attempt | None:
    """The respondent's finished attempt of the same instrument before this one (for «в прошлый раз»)."""
    return (
        Attempt.objects.filter(
            student_id=attempt.student_id, respondent_id=attempt.respondent_id, version__instrument_id=attempt.version.instrument_id,
            status=Attempt.Status.FINISHED, finished_at__lt=attempt.finished_at or timezone.now(),
        )
        .exclude(pk=attempt.pk)
        .select_related("version")
        .order_by("-finished_at")
        .first()
    )  # fmt: skip


def parent_view_of(*, student) -> Attempt | None:
    """The latest finished parent version about this student (any of their parents)."""
    return (
        Attempt.objects.filter(student=student, respondent__isnull=False, status=Attempt.Status.FINISHED)
        .select_related("version__instrument", "respondent")
        .order_by("-finished_at")
        .first()
    )


def own_riasec(*, student) -> Attempt | None:
    """The student's latest finished RIASEC result (for the parent's comparison)."""
    return (
        Attempt.objects.filter(
            student=student, respondent__isnull=True, status=Attempt.Status.FINISHED, version__instrument__profile=Instrument.Profile.RIASEC
        )
        .select_related("version")
        .order_by("-finished_at")
        .first()
    )


# --- assignments a school follows ---------------------------------------------------------------------------------


@dataclass
class AssignmentRow:
    assignment: Assignment
    students: int
    finished: int
    running: int
    low_confidence: int

    @property
    def not_started(self) -> int:
        return max(0, self.students - self.finished - self.running)


def assignment_rows(assignments) -> list[AssignmentRow]:
    """Each assignment with how many students of its class finished it, are taking it, gave low-confidence answers."""
    assignments = list(assignments)
    if not assignments:
        return []
    class_sizes = dict(
        Student.objects.filter(current_class_id__in={a.school_class_id for a in assignments})
        .values("current_class_id")
        .annotate(n=Count("pk"))
        .values_list("current_class_id", "n")
    )
    finished: dict[int, set] = defaultdict(set)
    reliable: dict[int, set] = defaultdict(set)
    running: dict[int, set] = defaultdict(set)
    for assignment_id, student_id, status, low in Attempt.objects.filter(
        assignment__in=assignments, respondent__isnull=True, student__current_class_id=F("assignment__school_class_id")
    ).values_list("assignment_id", "student_id", "status", "low_confidence"):
        if status == Attempt.Status.FINISHED:
            finished[assignment_id].add(student_id)
            if not low:
                reliable[assignment_id].add(student_id)
        elif status == Attempt.Status.IN_PROGRESS:
            running[assignment_id].add(student_id)
    rows = []
    for a in assignments:
        done = finished[a.pk]
        rows.append(
            AssignmentRow(a, class_sizes.get(a.school_class_id, 0), len(done), len(running[a.pk] - done), len(done - reliable[a.pk]))
        )
    return rows


def assignments_followed(*, viewer, today: datetime.date | None = None) -> QuerySet[Assignment]:
    from diagnostics.policy import classes_followed

    return (
        Assignment.objects.filter(school_class__in=classes_followed(viewer))
        .select_related("version__instrument", "school_class__school")
        .order_by("-closes_on", "school_class__grade", "school_class__letter", "pk")
    )


def assignment_get(*, viewer, pk: int) -> Assignment:
    return get_object_or_404(assignments_followed(viewer=viewer), pk=pk)


@dataclass
class StudentStatus:
    student: Student
    attempt: Attempt | None  # the latest finished, else the one under way
    answered: int
    consent: str  # privacy Answer
    sees_result: bool

    @property
    def state(self) -> str:
        if self.attempt is None:
            return "none"
        if self.attempt.status == Attempt.Status.IN_PROGRESS:
            return "running"
        return "low" if self.attempt.low_confidence else "done"


def assignment_students(*, viewer, assignment: Assignment) -> list[StudentStatus]:
    """Each student of the assigned class with where they stand, and whether the viewer sees their result."""
    from diagnostics.policy import staff_visible_ids

    students = list(
        Student.objects.filter(current_class_id=assignment.school_class_id).select_related("person").order_by("search_text", "pk")
    )
    ids = [s.pk for s in students]
    chosen: dict[int, Attempt] = {}
    for attempt in (
        Attempt.objects.filter(assignment=assignment, respondent__isnull=True, student_id__in=ids)
        .exclude(status=Attempt.Status.WITHDRAWN)
        .annotate(n=Count("answers"))
        .order_by("started_at", "pk")
    ):
        current = chosen.get(attempt.student_id)
        # The latest finished one is the result; one under way shows only while nothing is finished.
        if current is None or attempt.status == Attempt.Status.FINISHED or current.status == Attempt.Status.IN_PROGRESS:
            chosen[attempt.student_id] = attempt
    consents = may_process_many(student_ids=ids, purpose=DIAGNOSTICS) if ids else {}
    visible = staff_visible_ids(viewer, ids)
    return [
        StudentStatus(s, chosen.get(s.pk), getattr(chosen.get(s.pk), "n", 0), consents.get(s.pk, Answer.ASK), s.pk in visible)
        for s in students
    ]


# --- summaries: a class, a territory ---------------------------------------------------------------------------------

SUMMARY_PROFILES = (Instrument.Profile.RIASEC, Instrument.Profile.KLIMOV, Instrument.Profile.READINESS)


def profile_instrument(profile: str) -> InstrumentVersion | None:
    """The version whose scales name a profile's columns: the current shipped one, else any current one."""
    instruments_ensure()
    return (
        InstrumentVersion.objects.filter(is_current=True, instrument__profile=profile, instrument__audience=Instrument.Audience.STUDENT)
        .order_by("-instrument__is_shipped", "pk")
        .first()
    )


def latest_reliable(*, students, profile: str) -> dict[int, dict]:
    """The normalised scores of each student's latest reliable result of a profile: student id -> scale -> 0..1.
    `students`: a queryset of students or a list of ids."""
    rows = (
        reliable_results()
        .filter(student__in=students, version__instrument__profile=profile, version__instrument__audience=Instrument.Audience.STUDENT)
        .order_by("student_id", "-finished_at", "-pk")
        .values_list("student_id", "normalised")
    )
    latest: dict[int, dict] = {}
    for student_id, normalised in rows.iterator():
        latest.setdefault(student_id, normalised)
    return latest


@dataclass
class ClassResult:
    student: Student
    attempts: dict[str, Attempt]  # profile -> the latest reliable result


def class_results(*, viewer, school_class) -> list[ClassResult]:
    """The latest reliable result of each profile for each student of the class whose results the viewer may see."""
    from diagnostics.policy import staff_visible_ids

    students = list(Student.objects.filter(current_class=school_class).select_related("person").order_by("search_text", "pk"))
    visible = staff_visible_ids(viewer, [s.pk for s in students])
    by_student: dict[int, dict[str, Attempt]] = defaultdict(dict)
    for attempt in (
        reliable_results()
        .filter(
            student_id__in=visible,
            version__instrument__audience=Instrument.Audience.STUDENT,
            version__instrument__profile__in=SUMMARY_PROFILES,
        )
        .select_related("version__instrument")
        .order_by("student_id", "-finished_at", "-pk")
    ):
        by_student[attempt.student_id].setdefault(attempt.version.instrument.profile, attempt)
    return [ClassResult(s, by_student.get(s.pk, {})) for s in students if s.pk in visible]


@dataclass
class SummaryRow:
    label: str
    url: str
    students: int
    results: list[dict]  # the normalised scores of the latest reliable results


def territory_rows(*, viewer, profile: str, municipality=None, school=None) -> tuple[str, list[SummaryRow]]:
    """The rows of a territory's summary one level down: the republic's municipalities, a municipality's schools, a
    school's classes. Returns (level, rows); the caller has checked the viewer may see the territory."""
    from django.urls import reverse

    from access.policy import municipalities_visible, schools_visible
    from orgs.models import SchoolClass

    students = Student.objects.filter(current_class__school_year__is_current=True)
    if school is not None:
        level = "school"
        students = students.filter(current_school=school)
        groups = {
            c.pk: (str(c), "") for c in SchoolClass.objects.filter(school=school, school_year__is_current=True).order_by("grade", "letter")
        }
        key = "current_class_id"
    elif municipality is not None:
        level = "municipality"
        students = students.filter(current_school__municipality=municipality)
        schools = schools_visible(viewer).filter(municipality=municipality).order_by("name")
        groups = {s.pk: (s.short_name or s.name, f"{reverse('diagnostics:summary')}?school={s.pk}&profile={profile}") for s in schools}
        key = "current_school_id"
    else:
        level = "republic"
        groups = {
            m.pk: (m.name, f"{reverse('diagnostics:summary')}?municipality={m.pk}&profile={profile}")
            for m in municipalities_visible(viewer).order_by("name")
        }
        key = "current_school__municipality_id"
    sizes = dict(students.values(key).annotate(n=Count("pk")).values_list(key, "n"))
    results: dict[int, list[dict]] = defaultdict(list)
    group_of = dict(students.filter(pk__in=reliable_results().values("student_id")).values_list("pk", key))
    for student_id, normalised in latest_reliable(students=students, profile=profile).items():
        results[group_of.get(student_id)].append(normalised)
    rows = [SummaryRow(label, url, sizes.get(pk, 0), results.get(pk, [])) for pk, (label, url) in groups.items()]
    return level, rows


def completed_count(*, school, since: datetime.date, until: datetime.date) -> int:
    """Diagnostics finished over [since, until] by the school's students (item 5.5 of the monitoring): first
    takings only — retakes and low-confidence results are not a diagnostic done again."""
    start = timezone.make_aware(datetime.datetime.combine(since, datetime.time.min))
    end = timezone.make_aware(datetime.datetime.combine(until + datetime.timedelta(days=1), datetime.time.min))
    return Attempt.objects.filter(
        student__current_school=school, status=Attempt.Status.FINISHED, is_retake=False, low_confidence=False,
        finished_at__gte=start, finished_at__lt=end,
    ).count()  # fmt: skip


# --- «Билет в будущее» ---------------------------------------------------------------------------------------------------


def ticket_diagnostics_of(*, student) -> list[TicketDiagnostics]:
    """The student's statuses of the federal platform's diagnostics, the latest school year first."""
    return list(
        TicketDiagnostics.objects.filter(student=student).select_related("school_year", "school").order_by("-school_year__starts_on")
    )


def ticket_passed_by_school(*, date_from: datetime.date, date_to: datetime.date) -> dict[int, int]:
    """{school id: students who passed the federal platform's diagnostics in the period}: by the date of passing, or,
    where the export gave none, by a school year that overlaps the period; each student once per school."""
    dated = Q(passed_on__gte=date_from, passed_on__lte=date_to)
    undated = Q(passed_on__isnull=True, school_year__starts_on__lte=date_to, school_year__ends_on__gte=date_from)
    rows = (
        TicketDiagnostics.objects.filter(dated | undated, status=TicketDiagnostics.Status.PASSED)
        .values("school_id")
        .annotate(students=Count("student_id", distinct=True))
    )
    return {row["school_id"]: row["students"] for row in rows}
