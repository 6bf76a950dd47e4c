"""What a dashboard opens: its objects, which levels above it the viewer may open, where /profminimum/ leads,
and every figure a page over a scope (the republic, a municipality, a school) shows, read in one call."""

import datetime
from dataclasses import dataclass

from django.shortcuts import get_object_or_404

from access.policy import Viewer, classes_visible, municipalities_visible, schools_visible, students_visible
from orgs.models import Municipality, Organization, SchoolClass, SchoolYear
from orgs.selectors import school_year_current
from people.models import Student
from profminimum.compliance import Compliance
from profminimum.models import Direction, SchoolLevel, Scope
from profminimum.selectors.compliance import (
    PacePoint,
    StudentRow,
    class_rows,
    direction_list,
    hours_distribution,
    municipality_rows,
    pace_series_pair,
    school_rows,
    scope_compliance,
    student_rows,
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


# --- a page over a scope: the republic, a municipality or a school ------------------------------------------


@dataclass(frozen=True)
class ScopePlace:
    """The scope a page shows (the republic is scope id 0) and the school year its figures are for."""

    scope: str
    scope_id: int
    municipality: Municipality | None
    school: Organization | None
    school_year: SchoolYear | None


def scope_place_get(*, viewer: Viewer, scope: str, pk: int = 0) -> ScopePlace:
    """The municipality or school of a page (a foreign one is a 404) and the current school year."""
    municipality = school = None
    if scope == Scope.MUNICIPALITY:
        municipality = municipality_dashboard_get(viewer=viewer, pk=pk)
    elif scope == Scope.SCHOOL:
        school = school_dashboard_get(viewer=viewer, pk=pk)
        municipality = school.municipality
    elif scope != Scope.REPUBLIC:
        raise ValueError(f"Страница по области «{scope}» не предусмотрена.")
    return ScopePlace(scope, pk if scope != Scope.REPUBLIC else 0, municipality, school, school_year_current())


@dataclass(frozen=True)
class ScopeRow:
    """A row of a scope's table: a municipality, a school (with its level) or a class, and its figures."""

    obj: Municipality | Organization | SchoolClass
    figures: Compliance
    school_level: SchoolLevel | None = None


@dataclass(frozen=True)
class ScopeFigures:
    figures: Compliance
    rows: list[ScopeRow]  # the municipalities of the republic, the schools of a municipality, the classes of a school
    directions: list[Direction]
    school_level: SchoolLevel | None  # a school's own level
    distribution: list[tuple[str, int]]  # students by hours, in 10-hour bins
    pace_year: list[PacePoint]  # every week of the year: the pace each level expects
    pace: list[PacePoint]  # the weeks up to the date: the hours as of it


def scope_figures(*, viewer: Viewer, place: ScopePlace, on: datetime.date) -> ScopeFigures:
    """Everything a scope's page shows, as of the date, in a number of queries that does not depend on how many
    rows the scope has."""
    year, scope, scope_id = place.school_year, place.scope, place.scope_id
    figures = scope_compliance(school_year=year, scope=scope, scope_ids=[scope_id], on=on)[scope_id]
    school_level = None
    if scope == Scope.REPUBLIC:
        rows = [ScopeRow(m, f) for m, f in municipality_rows(viewer=viewer, school_year=year, on=on)]
    elif scope == Scope.MUNICIPALITY:
        rows = [
            ScopeRow(s, f, level) for s, f, level in school_rows(viewer=viewer, school_year=year, municipality=place.municipality, on=on)
        ]
    else:
        rows = [ScopeRow(c, f) for c, f in class_rows(viewer=viewer, school_year=year, school=place.school, on=on)]
        school_level = school_level_get(school_year=year, school=place.school)
    pace_year, pace = pace_series_pair(school_year=year, scope=scope, scope_id=scope_id, students=figures.students, on=on)
    return ScopeFigures(
        figures=figures,
        rows=rows,
        directions=direction_list(school_year=year),
        school_level=school_level,
        distribution=hours_distribution(school_year=year, scope=scope, scope_id=scope_id, on=on),
        pace_year=pace_year,
        pace=pace,
    )


@dataclass(frozen=True)
class ClassFigures:
    figures: Compliance
    rows: list[StudentRow]  # the students who were in the class on the date, with their hours then
    directions: list[Direction]
    pace_year: list[PacePoint]
    pace: list[PacePoint]


def class_figures(*, viewer: Viewer, school_class: SchoolClass, on: datetime.date) -> ClassFigures:
    """Everything a class's page shows, as of the date."""
    year = school_class.school_year
    figures = scope_compliance(school_year=year, scope=Scope.CLASS, scope_ids=[school_class.pk], on=on)[school_class.pk]
    pace_year, pace = pace_series_pair(school_year=year, scope=Scope.CLASS, scope_id=school_class.pk, students=figures.students, on=on)
    return ClassFigures(
        figures=figures,
        rows=student_rows(viewer=viewer, school_year=year, school_class=school_class, on=on),
        directions=direction_list(school_year=year),
        pace_year=pace_year,
        pace=pace,
    )
