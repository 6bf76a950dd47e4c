"""Who may see and act on the monitoring's forms and enrolments: built on access.policy's territory, the one place
for these rules. Views and services ask here; none decides by role itself.

- The forms of a school: its coordinator fills and hands them in; its psychologist reads them; the municipality
  reads its schools'; the republic's bodies read every one.
- The ministry (its administrator, and the regional operator on its behalf) accepts a form, returns it with a
  comment, and reopens an accepted one with a reason.
- Enrolments in programmes: the school coordinator enters them for the school's students; whoever may read a
  student's data reads theirs.
- The periods (dates and deadlines) are the ministry administrator's.
"""

from django.db.models import Q, QuerySet

from access.policy import Viewer, is_regional_staff
from orgs.models import Municipality, Organization


def monitoring_schools(viewer: Viewer) -> QuerySet[Organization]:
    """Schools whose forms the viewer may open: not a teacher's (the forms are the school's administration)."""
    schools = Organization.objects.filter(kind=Organization.Kind.SCHOOL)
    if viewer.is_republic:
        return schools
    condition = Q(pk__in=viewer.school_ids)
    if viewer.municipality_ids:
        condition |= Q(municipality_id__in=viewer.municipality_ids)
    return schools.filter(condition)


def monitoring_municipalities(viewer: Viewer) -> QuerySet[Municipality]:
    if viewer.is_republic:
        return Municipality.objects.all()
    return Municipality.objects.filter(pk__in=viewer.municipality_ids)


def sees_monitoring(viewer: Viewer) -> bool:
    return viewer.is_republic or bool(viewer.municipality_ids) or bool(viewer.school_ids)


def can_fill(viewer: Viewer, school: Organization) -> bool:
    """Fill in, correct and hand in the school's forms: its coordinator."""
    return school.pk in viewer.coordinated_school_ids


def can_decide(viewer: Viewer) -> bool:
    """Accept a form or return it with a comment, and reopen an accepted one with a reason: the ministry."""
    return is_regional_staff(viewer)


def can_edit_periods(viewer: Viewer) -> bool:
    return viewer.is_ministry_admin


def can_enter_enrolments(viewer: Viewer, school: Organization) -> bool:
    return school.pk in viewer.coordinated_school_ids


def can_keep_programmes(viewer: Viewer) -> bool:
    """Keep the list of additional-education programmes: the regional operator and the ministry's administrator."""
    return is_regional_staff(viewer)
