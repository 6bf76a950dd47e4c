"""Who may import what, print whose first passwords, and move which school to a new year: the access policy's
territories (access/policy.py) applied to the imports. A school coordinator works in their school, a municipal
coordinator in the schools of their municipality, the ministry's administrator and the regional operator (ЦОПП)
everywhere; a class teacher prints the first passwords of their own class."""

from django.db.models import Q, QuerySet

from access.policy import Viewer, is_regional_staff, schools_visible
from orgs.models import Municipality, Organization, SchoolClass
from people.models import ClassAssignment, ParentLink, StaffMembership, Student

SCHOOLS, CLASSES, STUDENTS, STAFF, TICKET, ADDITIONAL = "schools", "classes", "students", "staff", "ticket", "additional"
PROGRAMMES = "programmes"
# The kinds of file each territory loads: the republic's list of schools and the catalogue's programmes of colleges
# and universities are the ministry's and the operator's to keep, the classes the municipalities' too; a school loads
# its own people.
REPUBLIC_KINDS = (SCHOOLS, PROGRAMMES)
NETWORK_KINDS = (CLASSES,)
SCHOOL_KINDS = (STUDENTS, STAFF, TICKET, ADDITIONAL)


def import_schools(viewer: Viewer) -> QuerySet[Organization]:
    """The schools whose students, staff and classes the viewer may load."""
    schools = Organization.objects.filter(kind=Organization.Kind.SCHOOL, is_active=True)
    if is_regional_staff(viewer):
        return schools
    condition = Q(pk__in=viewer.coordinated_school_ids)
    if viewer.municipality_ids:
        condition |= Q(municipality_id__in=viewer.municipality_ids)
    return schools.filter(condition)


def import_municipalities(viewer: Viewer) -> QuerySet[Municipality]:
    """Where the viewer may add schools."""
    if is_regional_staff(viewer):
        return Municipality.objects.all()
    return Municipality.objects.filter(pk__in=viewer.municipality_ids)


def import_kinds(viewer: Viewer, available: tuple[str, ...]) -> list[str]:
    """The kinds of file the viewer may load, among those the platform offers now."""
    kinds = []
    republic = is_regional_staff(viewer)
    wide = republic or bool(viewer.municipality_ids)
    for kind in available:
        if (
            (kind in REPUBLIC_KINDS and republic)
            or (kind in NETWORK_KINDS and wide)
            or (kind in SCHOOL_KINDS and (wide or viewer.coordinated_school_ids))
        ):
            kinds.append(kind)
    return kinds


def batches_visible(viewer: Viewer) -> QuerySet:
    """The import log the viewer may read: their own uploads, and those for the schools and municipalities they
    may load into."""
    from imports.models import ImportBatch

    batches = ImportBatch.objects.all()
    if is_regional_staff(viewer):
        return batches
    condition = Q(created_by_id=viewer.user_id)
    if viewer.coordinated_school_ids:
        condition |= Q(school_id__in=viewer.coordinated_school_ids)
    if viewer.municipality_ids:
        condition |= Q(municipality_id__in=viewer.municipality_ids) | Q(school__municipality_id__in=viewer.municipality_ids)
    return batches.filter(condition)


# --- first passwords ------------------------------------------------------------------------------------------------


def password_classes(viewer: Viewer) -> QuerySet[SchoolClass]:
    """The classes of the current year whose first passwords the viewer may print: their own as class teacher, and
    every class of the school they coordinate (or of the republic for its administrators)."""
    classes = SchoolClass.objects.filter(school_year__is_current=True)
    if is_regional_staff(viewer):
        return classes
    condition = Q(school_id__in=viewer.coordinated_school_ids)
    if viewer.person_id and viewer.class_ids:
        own = ClassAssignment.objects.filter(
            person_id=viewer.person_id, kind=ClassAssignment.Kind.CLASS_TEACHER, school_class_id__in=viewer.class_ids
        ).values("school_class_id")
        condition |= Q(pk__in=own)
    return classes.filter(condition)


def may_issue_student_password(viewer: Viewer, student: Student) -> bool:
    """May the viewer give this student a new one-time password (print or reset): the student is in one of their
    password classes, and the account is a pupil's only (no role anywhere, not the administration's)."""
    if student.current_class_id is None or not password_classes(viewer).filter(pk=student.current_class_id).exists():
        return False
    return _plain_account(student.person)


def may_issue_parent_password(viewer: Viewer, parent_person, student: Student) -> bool:
    """A parent of a student of the viewer's password class, whose account holds no role: the class teacher gives
    the family its first password as the school gives the child's."""
    if not ParentLink.objects.filter(parent=parent_person, student=student).exists():
        return False
    if student.current_class_id is None or not password_classes(viewer).filter(pk=student.current_class_id).exists():
        return False
    return _plain_account(parent_person)


def _plain_account(person) -> bool:
    user = person.user
    if user is None:
        return True
    if user.is_superuser or user.is_staff:
        return False
    return not StaffMembership.objects.filter(person=person).exists()


# --- the school-year changeover ---------------------------------------------------------------------------------------


def changeover_schools(viewer: Viewer) -> QuerySet[Organization]:
    """The schools the viewer may move to a new school year: their own as its coordinator, the municipality's, the
    republic's for its administrators."""
    return import_schools(viewer) & schools_visible(viewer)
