"""Reads of guidance: whose recommendations and trajectory the viewer may see (through access.policy and the
diagnostics rules on results), the next steps of the professions shown, the options of the trajectory form."""

from django.db.models import Count, Exists, OuterRef, Q
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone

from access.policy import students_visible
from catalog.models import Profession, Programme, Sector, Subject
from catalog.next_steps import NextStep, ProfessionRef, StepQuery, next_steps
from diagnostics import policy as diagnostics_policy
from guidance.models import Dismissal, Goal, Preference, Recommendation, Trajectory
from people.models import Student


def student_for(*, viewer, pk: int | None) -> tuple[Student, str | None]:
    """The student whose guidance is shown (one's own without pk) and on what ground the viewer sees it (None: the
    viewer sees the student in the network but not their results); 404 for a student the viewer does not see."""
    if pk is None:
        if not viewer.own_student_id:
            raise Http404
        pk = viewer.own_student_id
    student = get_object_or_404(students_visible(viewer).select_related("person", "current_class__school"), pk=pk)
    return student, diagnostics_policy.results_ground(viewer, student)


def steps_for(*, student: Student, professions: list[Profession], per_profession: int = 3) -> dict[int, list[NextStep]]:
    """The next steps of each profession shown, open to this student now (every provider of catalog.next_steps)."""
    if not professions:
        return {}
    ids = [p.pk for p in professions]
    codes: dict[int, set[str]] = {pk: set() for pk in ids}
    for profession_id, code in Profession.specialities.through.objects.filter(profession_id__in=ids).values_list(
        "profession_id", "speciality__code"
    ):
        codes[profession_id].add(code)
    sectors: dict[int, set[int]] = {p.pk: {p.main_sector_id} for p in professions}
    for profession_id, sector_id in Profession.sectors.through.objects.filter(profession_id__in=ids).values_list(
        "profession_id", "sector_id"
    ):
        sectors[profession_id].add(sector_id)
    school = student.current_school
    query = StepQuery(
        professions=tuple(ProfessionRef(p.pk, p.code, p.title, frozenset(sectors[p.pk]), frozenset(codes[p.pk])) for p in professions),
        today=timezone.localdate(), student_id=student.pk, school_id=student.current_school_id,
        municipality_id=school.municipality_id if school else None,
        grade=student.current_class.grade if student.current_class_id else None, per_profession=per_profession,
    )  # fmt: skip
    return next_steps.steps_for(query)


def preference_of(student: Student) -> tuple[set[int], set[int]]:
    preference = Preference.objects.filter(student=student).first()
    if preference is None:
        return set(), set()
    return set(preference.sectors.values_list("pk", flat=True)), set(preference.subjects.values_list("pk", flat=True))


def dismissals_of(student: Student) -> list[Dismissal]:
    return list(Dismissal.objects.filter(student=student).select_related("profession").order_by("-at"))


def trajectory_of(student: Student) -> Trajectory | None:
    return (
        Trajectory.objects.filter(student=student)
        .select_related("confirmed_by", "commented_by")
        .prefetch_related(
            "goals__profession", "goals__programme__institution", "goals__programme__speciality", "goals__speciality", "goals__steps"
        )
        .first()
    )


def form_options() -> dict:
    return {
        "sectors": list(Sector.objects.order_by("position", "title")),
        "subjects": list(Subject.objects.order_by("position", "title")),
        "professions": list(Profession.objects.filter(is_active=True).order_by("title").only("pk", "title")),
        "programmes": list(
            Programme.objects.filter(is_active=True).select_related("institution", "speciality").order_by("speciality__code", "title")
        ),
    }


def backup_choice_figures(*, school_id: int | None = None, municipality_id: int | None = None) -> dict[str, int]:
    """The indicator of roadmap item 4.12 (students with a justified backup choice and recommendations) for the
    students of grades 6–11 now in a school, a municipality or (neither given) the republic: how many, those
    with a trajectory, with a backup choice that says why, and of them those who also have recommendations and those
    whose trajectory a teacher-navigator confirmed. Counted in the database from the trajectories (one per student,
    far fewer than students), so the republic's figure never lists its students in Python."""

    def placed(prefix: str = "") -> Q:
        condition = Q(**{f"{prefix}current_school__isnull": False, f"{prefix}current_class__grade__gte": 6,
                         f"{prefix}current_class__grade__lte": 11})  # fmt: skip
        if school_id is not None:
            condition &= Q(**{f"{prefix}current_school_id": school_id})
        elif municipality_id is not None:
            condition &= Q(**{f"{prefix}current_school__municipality_id": municipality_id})
        return condition

    justified = Exists(Goal.objects.filter(trajectory_id=OuterRef("pk"), kind=Goal.Kind.BACKUP).exclude(why=""))
    recommended = Exists(Recommendation.objects.filter(student_id=OuterRef("student_id")))
    trajectories = Trajectory.objects.filter(placed("student__"))
    # Each condition appears once per query: PostgreSQL inlines an annotation every time a filter names it, and so
    # many subplans over the republic's trajectories cost more than a third query.
    counted = trajectories.aggregate(trajectories=Count("pk"), backup=Count("pk", filter=justified))
    counted |= trajectories.filter(justified, recommended).aggregate(
        indicator=Count("pk"), confirmed=Count("pk", filter=Q(confirmed_at__isnull=False))
    )
    return {"students": Student.objects.filter(placed()).count(), **counted}


def confirmed_backups_by_school(*, date_from, date_to) -> dict[int, int]:
    """Students with a trajectory confirmed in [date_from, date_to] that has a backup choice, by their school: the
    «Билет в будущее» indicator of trajectory recommendations (events.indicators asks through its counter hook)."""
    import datetime

    start = timezone.make_aware(datetime.datetime.combine(date_from, datetime.time.min))
    end = timezone.make_aware(datetime.datetime.combine(date_to + datetime.timedelta(days=1), datetime.time.min))
    rows = (
        Trajectory.objects.filter(confirmed_at__gte=start, confirmed_at__lt=end, goals__kind=Goal.Kind.BACKUP)
        .exclude(student__current_school__isnull=True)
        .values("student__current_school_id")
        .annotate(n=Count("student_id", distinct=True))
    )
    return {row["student__current_school_id"]: row["n"] for row in rows}
