"""Reads of people, each narrowed by the access policy. Reads of personal data are logged by the caller
through access.services.personal_data_read_log (the view or endpoint knows the channel)."""

from dataclasses import dataclass

from django.db.models import Count, Prefetch, QuerySet
from django.shortcuts import get_object_or_404

from access.policy import Viewer, classes_visible, organizations_visible, students_visible
from core.search import filter_by_search
from orgs.models import Organization, SchoolClass
from people.models import ClassAssignment, Enrollment, ParentLink, Person, Role, StaffMembership, Student


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
