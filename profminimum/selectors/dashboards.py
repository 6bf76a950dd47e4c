"""What a dashboard opens: its objects, which levels above it the viewer may open, where /profminimum/ leads."""

from dataclasses import dataclass

from django.shortcuts import get_object_or_404

from access.policy import Viewer, classes_visible, municipalities_visible, schools_visible, students_visible
from orgs.models import Municipality, Organization, SchoolClass, SchoolYear
from people.models import Student
from profminimum.models import (
    SchoolLevel,
)

# --- dashboards: the objects a dashboard opens, its breadcrumbs, and where /profminimum/ leads ------------


def municipality_dashboard_get(*, viewer: Viewer, pk: int) -> Municipality:
    return get_object_or_404(municipalities_visible(viewer), pk=pk)


def school_dashboard_get(*, viewer: Viewer, pk: int) -> Organization:
    return get_object_or_404(schools_visible(viewer).select_related("municipality"), pk=pk)


def class_dashboard_get(*, viewer: Viewer, pk: int) -> SchoolClass:
    return get_object_or_404(classes_visible(viewer).select_related("school__municipality", "school_year"), pk=pk)


def school_level_get(*, school_year: SchoolYear, school: Organization) -> SchoolLevel | None:
    return SchoolLevel.objects.filter(school_year=school_year, school=school).select_related("level").first()


@dataclass(frozen=True)
class DashboardLinks:
    """Which levels above a page the viewer may open: only those are links in the breadcrumbs."""

    republic: bool
    municipality: bool = False
    school: bool = False
    school_class: bool = False


def dashboard_links(
    *, viewer: Viewer, municipality_id: int | None = None, school_id: int | None = None, class_id: int | None = None
) -> DashboardLinks:
    return DashboardLinks(
        republic=viewer.is_republic,
        municipality=bool(municipality_id) and municipalities_visible(viewer).filter(pk=municipality_id).exists(),
        school=bool(school_id) and schools_visible(viewer).filter(pk=school_id).exists(),
        school_class=bool(class_id) and classes_visible(viewer).filter(pk=class_id).exists(),
    )


# The widest scope first: where a person lands when their active role leads nowhere.
LANDING_ORDER = ["republic", "municipality", "school", "teacher", "parent", "student"]


def dashboard_landing(*, viewer: Viewer, kind: str) -> tuple[str, int] | None:
    """The dashboard /profminimum/ opens for the viewer: the level of their active role (`kind`, as in
    access.policy.landing_kind), else the widest level they have; None when they may see none."""
    for candidate in [kind] + [k for k in LANDING_ORDER if k != kind]:
        target = _landing_for(viewer, candidate)
        if target is not None:
            return target
    return None


def _landing_for(viewer: Viewer, kind: str) -> tuple[str, int] | None:
    if kind == "republic" and viewer.is_republic:
        return ("republic", 0)
    if kind == "municipality" and viewer.municipality_ids:
        return ("municipality", min(viewer.municipality_ids))
    if kind == "school" and (viewer.coordinated_school_ids or viewer.school_ids):
        return ("school", min(viewer.coordinated_school_ids or viewer.school_ids))
    if kind == "teacher" and viewer.class_ids:
        classes = list(
            classes_visible(viewer).filter(pk__in=viewer.class_ids)
            .order_by("school__short_name", "grade", "letter").values_list("pk", "school_id")
        )  # fmt: skip
        if not classes:
            return None
        if len(classes) > 1 and len({school_id for _, school_id in classes}) == 1:
            return ("school", classes[0][1])  # its table of classes lists exactly the teacher's classes
        return ("class", classes[0][0])
    if kind == "parent" and viewer.child_student_ids:
        child = (
            students_visible(viewer).filter(pk__in=viewer.child_student_ids)
            .order_by("person__birth_date", "pk").values_list("pk", flat=True).first()
        )  # fmt: skip
        return ("student", child) if child else None
    if kind == "student" and viewer.own_student_id:
        return ("student", viewer.own_student_id)
    return None


def student_siblings(*, viewer: Viewer) -> list[Student]:
    """A parent's children, for switching between their pages."""
    if not viewer.child_student_ids:
        return []
    return list(
        students_visible(viewer).filter(pk__in=viewer.child_student_ids).select_related("person")
        .order_by("person__birth_date", "pk")
    )  # fmt: skip
