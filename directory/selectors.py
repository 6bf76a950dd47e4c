"""Reads of the regional network (municipalities, organisations, classes, students, staff), each narrowed
by the access policy. Reads of personal data are logged by the caller through
access.services.personal_data_read_log (the view or endpoint knows the channel)."""

from dataclasses import dataclass

from django.db.models import Count, Prefetch, QuerySet
from django.shortcuts import get_object_or_404

from access.policy import Viewer, classes_visible, municipalities_visible, organizations_visible, schools_visible, students_visible
from core.search import filter_by_search
from orgs.models import Municipality, Organization, SchoolClass
from orgs.selectors import school_year_current
from people.models import ClassAssignment, Enrollment, ParentLink, Person, Role, StaffMembership, Student


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


def student_get(*, viewer: Viewer, pk: int) -> Student:
    return get_object_or_404(
        students_visible(viewer).select_related("person", "current_school__municipality", "current_class__school_year"),
        pk=pk,
    )


@dataclass(frozen=True)
class StudentCard:
    student: Student
    enrollments: list[Enrollment]
    parents: list[ParentLink]
    class_staff: list[ClassAssignment]


def student_card(*, viewer: Viewer, pk: int) -> StudentCard:
    """A student with their class history, parents and the teachers of their class."""
    student = student_get(viewer=viewer, pk=pk)
    enrollments = list(student.enrollments.select_related("school_class__school", "school_class__school_year").order_by("-started_on"))
    parents = list(student.parent_links.select_related("parent").order_by("kind"))
    class_staff = list(student.current_class.assignments.select_related("person").order_by("kind")) if student.current_class else []
    return StudentCard(student, enrollments, parents, class_staff)


def student_list(*, viewer: Viewer, school_class: SchoolClass) -> QuerySet[Student]:
    return (
        students_visible(viewer)
        .filter(current_class=school_class)
        .select_related("person")
        .order_by("person__last_name", "person__first_name", "person__middle_name")
    )


def student_search(*, viewer: Viewer, query: str, limit: int = 50) -> list[Student]:
    if not query.strip():
        return []
    people = filter_by_search(Person.objects.all(), query)
    return list(
        students_visible(viewer)
        .filter(person__in=people)
        .select_related("person", "current_school", "current_class")
        .order_by("person__last_name", "person__first_name")[:limit]
    )


def teacher_class_list(*, viewer: Viewer) -> list[SchoolClass]:
    """The teacher's own classes this year, with how they are assigned and how many students."""
    if viewer.person_id is None:
        return []
    assignments = ClassAssignment.objects.filter(person_id=viewer.person_id)
    return list(
        classes_visible(viewer)
        .filter(pk__in=viewer.class_ids)
        .select_related("school")
        .annotate(student_count=Count("students"))
        .prefetch_related(Prefetch("assignments", queryset=assignments, to_attr="my_assignments"))
        .order_by("grade", "letter")
    )


def children_list(*, viewer: Viewer) -> list[Student]:
    return list(
        students_visible(viewer)
        .filter(pk__in=viewer.child_student_ids)
        .select_related("person", "current_school", "current_class")
        .order_by("person__birth_date")
    )


def staff_list(*, viewer: Viewer, organization: Organization) -> list[StaffMembership]:
    """Who works in an organisation. Staff names are shown to those who may open the organisation."""
    return list(
        StaffMembership.objects.filter(organization=organization, organization__in=organizations_visible(viewer), is_active=True)
        .exclude(role__in=[Role.CLASS_TEACHER])
        .select_related("person")
        .order_by("role", "person__last_name")
    )
