"""Who may act on the профминимум's objects: built on access.policy's territory functions, the one place for
these rules. Views, the API and services ask here; none decides by role itself."""

from django.db.models import Q, QuerySet

from access.policy import (
    TEACHING_ROLES,
    Viewer,
    classes_visible,
    is_regional_staff,
    schools_visible,
)
from orgs.models import Organization, SchoolClass
from profminimum.models import Activity


def can_edit_normative(viewer: Viewer) -> bool:
    """The normative versions (levels, directions, minima, course programme, holidays) are the ministry's."""
    return viewer.is_ministry_admin


def can_choose_school_level(viewer: Viewer, school: Organization) -> bool:
    """The school coordinator chooses the level and attaches the school's order."""
    return school.pk in viewer.coordinated_school_ids


def can_decide_school_level(viewer: Viewer) -> bool:
    """The ministry (and the regional operator on its behalf) approves or sets a school's level."""
    return is_regional_staff(viewer)


def can_read_school_order(viewer: Viewer, school: Organization) -> bool:
    """The order document: the school's own staff, its municipality and the republic's bodies."""
    return schools_visible(viewer).filter(pk=school.pk).exists()


def activities_visible(viewer: Viewer) -> QuerySet[Activity]:
    """Career-guidance activities the viewer may open: those of schools they see, those of their classes,
    and those their children or they themselves take part in."""
    activities = Activity.objects.filter(deleted_at__isnull=True)
    if viewer.is_republic:
        return activities
    condition = Q(pk__in=[])
    if viewer.municipality_ids:
        condition |= Q(school__municipality_id__in=viewer.municipality_ids)
    if viewer.school_ids:
        condition |= Q(school_id__in=viewer.school_ids)
    if viewer.class_ids:
        condition |= Q(classes__in=viewer.class_ids) | Q(students__current_class__in=viewer.class_ids)
    own = set(viewer.child_student_ids) | ({viewer.own_student_id} if viewer.own_student_id else set())
    if own:
        condition |= Q(classes__students__in=own) | Q(students__in=own)
    return activities.filter(condition).distinct()


def can_mark_attendance(viewer: Viewer, school_class: SchoolClass) -> bool:
    """Teachers mark their own classes; the school coordinator marks any class of the school."""
    return school_class.pk in viewer.class_ids or school_class.school_id in viewer.coordinated_school_ids


def can_manage_activities(viewer: Viewer, school: Organization) -> bool:
    """Create and move the school's activities: its coordinator, and its teachers for their classes
    (checked per class by can_mark_attendance)."""
    return school.pk in viewer.coordinated_school_ids or (school.pk in viewer.staff_school_ids and viewer.has_role(*TEACHING_ROLES))


def coordinates_school(viewer: Viewer, school: Organization | None) -> bool:
    """The school coordinator: creates the course schedule, deletes activities, sees every class's marks."""
    return school is not None and school.pk in viewer.coordinated_school_ids


def can_delete_activity(viewer: Viewer, activity: Activity) -> bool:
    return coordinates_school(viewer, activity.school)


def can_move_activity(viewer: Viewer, activity: Activity) -> bool:
    """Teachers move the lessons of their own classes; the coordinator any activity of the school."""
    if activity.school is None or not can_manage_activities(viewer, activity.school):
        return False
    if coordinates_school(viewer, activity.school):
        return True
    classes = list(activity.classes.all())
    return bool(classes) and all(can_mark_attendance(viewer, c) for c in classes)


def markable_classes(viewer: Viewer) -> QuerySet[SchoolClass]:
    """Classes whose attendance the viewer marks: their own, or every class of a school they coordinate."""
    condition = Q(pk__in=viewer.class_ids) | Q(school_id__in=viewer.coordinated_school_ids)
    return classes_visible(viewer).filter(condition)
