"""Who may do what with diagnostics (issue 10, point 8), on top of access.policy and privacy.policy.

- A student sees their own results; a parent their child's where the consent «передача результатов родителям» allows
  (privacy.policy.parent_sharing: the child decides too from 14).
- The school's psychologist sees the results of the students of their school; a teacher-navigator those of the
  classes they accompany — the people the consent «прохождение профориентационной диагностики» names. A result whose
  student (or parent) withdrew that consent is shown to nobody but the family.
- A teacher-navigator assigns instruments to their classes; so do the school's coordinator and psychologist, to any
  class of the school. The coordinator follows who has finished, and sees the class summary, not individual scores.
- Municipalities and the republic see aggregates only, with no group smaller than MIN_GROUP.
- The regional operator (ЦОПП's staff, the ministry's administrator) uploads instrument files.
"""

from django.db.models import Q, QuerySet

from access.policy import Viewer, is_regional_staff, schools_visible
from orgs.models import SchoolClass
from people.models import ClassAssignment, Role, StaffMembership, Student
from privacy.policy import DIAGNOSTICS, Answer, may_process, may_process_many, parent_sharing

MIN_GROUP = 10  # aggregates for a territory show no group smaller than this

SELF, PARENT, PSYCHOLOGIST, NAVIGATOR = "self", "parent", "psychologist", "navigator"


def _memo(viewer: Viewer, key: str, compute):
    """What is read for a viewer, kept on it for the rest of the request (access.policy caches the viewer on the user;
    the frozen dataclass has a __dict__ the comparison ignores)."""
    cache = viewer.__dict__.setdefault("_diagnostics", {})
    if key not in cache:
        cache[key] = compute()
    return cache[key]


def psychologist_school_ids(viewer: Viewer) -> frozenset[int]:
    """The schools where the viewer works as the psychologist."""
    if not viewer.person_id or not viewer.has_role(Role.PSYCHOLOGIST):
        return frozenset()
    return _memo(
        viewer, "psychologist", lambda: frozenset(
            StaffMembership.objects.filter(
                person_id=viewer.person_id, role=Role.PSYCHOLOGIST, is_active=True, organization__is_active=True
            ).values_list("organization_id", flat=True)
        ),
    )  # fmt: skip


def navigator_class_ids(viewer: Viewer) -> frozenset[int]:
    """The classes of this school year the viewer accompanies as their teacher-navigator."""
    if not viewer.person_id or not viewer.has_role(Role.TEACHER_NAVIGATOR):
        return frozenset()
    return _memo(
        viewer, "navigator", lambda: frozenset(
            ClassAssignment.objects.filter(
                person_id=viewer.person_id, kind=ClassAssignment.Kind.NAVIGATOR, school_class__school_year__is_current=True,
                school_class__school_id__in=viewer.staff_school_ids,
            ).values_list("school_class_id", flat=True)
        ),
    )  # fmt: skip


def staff_results_condition(viewer: Viewer, *, student: str = "") -> Q:
    """Students whose individual results the viewer sees as staff: the psychologist's school, the navigator's classes."""
    prefix = f"{student}__" if student else ""
    condition = Q(**{f"{prefix}pk__in": []})
    schools = psychologist_school_ids(viewer)
    if schools:
        condition |= Q(**{f"{prefix}current_school_id__in": schools})
    classes = navigator_class_ids(viewer)
    if classes:
        condition |= Q(**{f"{prefix}current_class_id__in": classes})
    return condition


def students_with_results_visible(viewer: Viewer) -> QuerySet[Student]:
    """Students whose individual results the viewer may see as staff (the family's grounds are judged one by one)."""
    return Student.objects.filter(staff_results_condition(viewer))


def results_ground(viewer: Viewer, student: Student) -> str | None:
    """On what ground the viewer sees this student's results: themself, the parent (the consent allows), the
    psychologist or the teacher-navigator (the diagnostics consent not withdrawn) — or None."""
    if viewer.own_student_id == student.pk:
        return SELF
    if student.pk in viewer.child_student_ids and parent_sharing(viewer, student) == Answer.YES:
        return PARENT
    if student.current_school_id in psychologist_school_ids(viewer) or student.current_class_id in navigator_class_ids(viewer):
        if may_process(student=student, purpose=DIAGNOSTICS) == Answer.NO:
            return None
        return PSYCHOLOGIST if student.current_school_id in psychologist_school_ids(viewer) else NAVIGATOR
    return None


def may_see_parent_view(viewer: Viewer, student: Student, ground: str | None) -> bool:
    """The parents' view of a child (the parent version of the interest inventory) beside the child's own answers:
    for whoever sees the child's results on `ground`, and — the parent's answers being data about the child processed
    for the diagnostics — only while the consent to the diagnostics is given (a parent answers only with it; withdrawn
    or never given, the view is shown to nobody but the parent who answered, on their own result)."""
    if ground is None:
        return False
    return may_process(student=student, purpose=DIAGNOSTICS) == Answer.YES


def staff_visible_ids(viewer: Viewer, student_ids) -> set[int]:
    """Of these students, those whose results the viewer sees as staff (the consent not withdrawn)."""
    ids = set(students_with_results_visible(viewer).filter(pk__in=list(student_ids)).values_list("pk", flat=True))
    if not ids:
        return ids
    answers = may_process_many(student_ids=ids, purpose=DIAGNOSTICS)
    return {pk for pk in ids if answers.get(pk) != Answer.NO}


# --- assigning -----------------------------------------------------------------------------------------------------


def classes_assignable(viewer: Viewer) -> QuerySet[SchoolClass]:
    """Classes of the current year the viewer may give an instrument to: the navigator's own; any class of a school the
    viewer coordinates or is the psychologist of."""
    classes = SchoolClass.objects.filter(school_year__is_current=True)
    condition = Q(pk__in=navigator_class_ids(viewer))
    schools = set(viewer.coordinated_school_ids) | set(psychologist_school_ids(viewer))
    if schools:
        condition |= Q(school_id__in=schools)
    return classes.filter(condition)


def may_assign(viewer: Viewer, school_class: SchoolClass) -> bool:
    return classes_assignable(viewer).filter(pk=school_class.pk).exists()


def classes_followed(viewer: Viewer) -> QuerySet[SchoolClass]:
    """Classes whose assignments (who has finished, the class summary) the viewer follows: those they may assign to."""
    return classes_assignable(viewer)


def may_follow(viewer: Viewer, school_class: SchoolClass) -> bool:
    return classes_followed(viewer).filter(pk=school_class.pk).exists()


def may_withdraw(viewer: Viewer, student: Student) -> bool:
    """Withdraw a result found unreliable: the psychologist of the student's school."""
    return student.current_school_id in psychologist_school_ids(viewer)


# --- instruments and aggregates -----------------------------------------------------------------------------------


def may_upload(viewer: Viewer) -> bool:
    """Upload an instrument file, stop offering an instrument: the regional operator."""
    return is_regional_staff(viewer)


def may_see_instruments(viewer: Viewer) -> bool:
    """The catalogue of instruments with their items and quality: staff of schools and of the territories."""
    return bool(
        viewer.is_republic or viewer.municipality_ids or viewer.staff_school_ids
        or viewer.has_role(Role.OPERATOR_STAFF, Role.MINISTRY_ADMIN, Role.MINISTRY_ANALYST)
    )  # fmt: skip


def summary_schools(viewer: Viewer):
    """Schools whose aggregates the viewer may see: the republic's, the municipality's, the school's own."""
    return schools_visible(viewer)
