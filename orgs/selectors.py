"""Reads of the regional network, each narrowed by the access policy."""

from dataclasses import dataclass

from django.db.models import Count, QuerySet
from django.shortcuts import get_object_or_404

from access.policy import Viewer, classes_visible, municipalities_visible, organizations_visible, schools_visible
from core.search import filter_by_search
from orgs.models import Municipality, Organization, SchoolClass, SchoolYear
from people.models import Student


def school_year_current() -> SchoolYear | None:
    return SchoolYear.objects.filter(is_current=True).first()


@dataclass(frozen=True)
class TerritoryRow:
    municipality: Municipality
    schools: int
    classes: int
    students: int


def municipality_list_with_counts(*, viewer: Viewer) -> list[TerritoryRow]:
    """Municipalities the viewer may open, with their schools, classes (6–11) and students."""
    municipalities = list(municipalities_visible(viewer).order_by("kind", "name"))
    ids = [m.pk for m in municipalities]
    year = school_year_current()
    schools = dict(
        Organization.objects.filter(kind=Organization.Kind.SCHOOL, municipality_id__in=ids, is_active=True)
        .values_list("municipality_id")
        .annotate(n=Count("pk"))
        .values_list("municipality_id", "n")
    )
    classes = dict(
        SchoolClass.objects.filter(school__municipality_id__in=ids, school_year=year, grade__gte=6)
        .values_list("school__municipality_id")
        .annotate(n=Count("pk"))
        .values_list("school__municipality_id", "n")
    )
    students = dict(
        Student.objects.filter(current_school__municipality_id__in=ids)
        .values_list("current_school__municipality_id")
        .annotate(n=Count("pk"))
        .values_list("current_school__municipality_id", "n")
    )
    return [TerritoryRow(m, schools.get(m.pk, 0), classes.get(m.pk, 0), students.get(m.pk, 0)) for m in municipalities]


def municipality_get(*, viewer: Viewer, pk: int) -> Municipality:
    return get_object_or_404(municipalities_visible(viewer), pk=pk)


@dataclass(frozen=True)
class SchoolRow:
    school: Organization
    classes: int
    students: int


def school_list(*, viewer: Viewer, municipality: Municipality | None = None, query: str = "") -> list[SchoolRow]:
    """Schools the viewer may open, with their classes (6–11, current year) and students."""
    schools = schools_visible(viewer).filter(is_active=True).select_related("municipality")
    if municipality is not None:
        schools = schools.filter(municipality=municipality)
    if query:
        schools = filter_by_search(schools, query)
    schools = list(schools.order_by("short_name"))
    ids = [school.pk for school in schools]
    # Two grouped counts instead of one join of classes × students, which multiplies rows.
    classes = dict(
        SchoolClass.objects.filter(school_id__in=ids, school_year__is_current=True, grade__gte=6)
        .values_list("school_id")
        .annotate(n=Count("pk"))
        .values_list("school_id", "n")
    )
    students = dict(
        Student.objects.filter(current_school_id__in=ids)
        .values_list("current_school_id")
        .annotate(n=Count("pk"))
        .values_list("current_school_id", "n")
    )
    return [SchoolRow(school, classes.get(school.pk, 0), students.get(school.pk, 0)) for school in schools]


def organization_get(*, viewer: Viewer, pk: int) -> Organization:
    return get_object_or_404(organizations_visible(viewer).select_related("municipality"), pk=pk)


def organization_search(*, viewer: Viewer, query: str = "", kind: str = "", municipality_id: int | None = None) -> QuerySet[Organization]:
    organizations = organizations_visible(viewer).filter(is_active=True).select_related("municipality")
    if kind:
        organizations = organizations.filter(kind=kind)
    if municipality_id:
        organizations = organizations.filter(municipality_id=municipality_id)
    if query:
        organizations = filter_by_search(organizations, query)
    return organizations.order_by("kind", "short_name")


def school_class_list(*, viewer: Viewer, school: Organization) -> QuerySet[SchoolClass]:
    """The school's classes 6–11 of the current year that the viewer may open, with student counts."""
    return (
        classes_visible(viewer)
        .filter(school=school, school_year__is_current=True)
        .annotate(student_count=Count("students"))
        .order_by("grade", "letter")
    )


def school_class_get(*, viewer: Viewer, pk: int) -> SchoolClass:
    return get_object_or_404(classes_visible(viewer).select_related("school", "school_year"), pk=pk)
