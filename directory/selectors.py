"""Reads of the regional network (municipalities, organisations, classes, students, staff), each narrowed
by the access policy. Reads of personal data are logged by the caller through
access.services.personal_data_read_log (the view or endpoint knows the channel)."""

import datetime
from dataclasses import dataclass, replace

from django.db.models import Count, Prefetch, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from access.policy import (
    Viewer,
    classes_visible,
    municipalities_visible,
    organizations_visible,
    schools_visible,
    students_visible,
    transfer_targets,
)
from core.search import filter_by_search, natural_sort_key, query_terms, search_rank, search_tiers
from directory.paging import PER_PAGE, Page, page_of
from orgs.models import Municipality, Organization, SchoolClass
from orgs.selectors import school_year_current
from people.models import ClassAssignment, Enrollment, ParentLink, Role, StaffMembership, Student

SCHOOLS = ("школа", "школы", "школ")
ORGANIZATIONS = ("организация", "организации", "организаций")
STUDENTS = ("обучающийся", "обучающихся", "обучающихся")


def municipality_get(*, viewer: Viewer, pk: int) -> Municipality:
    return get_object_or_404(municipalities_visible(viewer), pk=pk)


@dataclass(frozen=True)
class SchoolRow:
    school: Organization
    classes: int
    students: int


def _ordered(schools: list[Organization], query: str) -> list[Organization]:
    """Exact matches of the query first, then names in natural order («Школа № 2» before «Школа № 11»)."""
    return sorted(
        schools, key=lambda school: (search_rank(school.search_text, query) if query else 0, natural_sort_key(school.short_name), school.pk)
    )


def _visible_schools(*, viewer: Viewer, municipality: Municipality | None, query: str) -> QuerySet[Organization]:
    schools = schools_visible(viewer).filter(is_active=True)
    if municipality is not None:
        schools = schools.filter(municipality=municipality)
    if query:
        schools = filter_by_search(schools, query)
    return schools


def school_list(*, viewer: Viewer, municipality: Municipality | None = None, query: str = "") -> list[SchoolRow]:
    """Schools the viewer may open, with their classes (6–11, current year) and students; exact matches of the
    query first, then in natural order."""
    schools = _ordered(list(_visible_schools(viewer=viewer, municipality=municipality, query=query).select_related("municipality")), query)
    return _school_rows(schools)


def school_page(*, viewer: Viewer, municipality: Municipality, query: str = "", number: int = 1, params=()) -> Page:
    """One page of a municipality's schools (SchoolRow), in the order of school_list; the counts are read for
    that page's schools only."""
    found = _visible_schools(viewer=viewer, municipality=municipality, query=query).only("pk", "short_name", "search_text")
    page = page_of(_ordered(list(found), query), number=number, params=params, noun=SCHOOLS)
    schools = Organization.objects.select_related("municipality").in_bulk([school.pk for school in page.items])
    return replace(page, items=_school_rows([schools[school.pk] for school in page.items]))


def _school_rows(schools: list[Organization]) -> list[SchoolRow]:
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
    """Active organisations the viewer may open, unordered (organization_page orders them)."""
    organizations = organizations_visible(viewer).filter(is_active=True)
    if kind:
        organizations = organizations.filter(kind=kind)
    if municipality_id:
        organizations = organizations.filter(municipality_id=municipality_id)
    if query:
        organizations = filter_by_search(organizations, query)
    return organizations


_KIND_ORDER = {kind: index for index, kind in enumerate(Organization.Kind.values)}


def organization_page(*, viewer: Viewer, query: str = "", kind: str = "", number: int = 1, params=()) -> Page:
    """One page of the organisations found: exact matches of the query first, then by kind (the ministry
    first, employers last) and name in natural order. The ordering reads three short columns of every
    organisation found; the page's rows are then read whole."""
    found = organization_search(viewer=viewer, query=query, kind=kind).only("pk", "kind", "short_name", "search_text")
    rows = sorted(
        found,
        key=lambda org: (search_rank(org.search_text, query) if query else 0, _KIND_ORDER.get(org.kind, 99), natural_sort_key(org.short_name), org.pk),
    )  # fmt: skip
    page = page_of(rows, number=number, params=params, noun=ORGANIZATIONS)
    organizations = Organization.objects.select_related("municipality").in_bulk([org.pk for org in page.items])
    return replace(page, items=[organizations[org.pk] for org in page.items])


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


def student_card(*, viewer: Viewer, pk: int, with_history: bool = True) -> StudentCard:
    """A student with their class history, parents and the teachers of their class; without `with_history`, the
    student and their class's teachers only (what the student's home shows)."""
    student = student_get(viewer=viewer, pk=pk)
    if not with_history:
        class_staff = list(student.current_class.assignments.select_related("person").order_by("kind")) if student.current_class else []
        return StudentCard(student, [], [], class_staff)
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


STUDENT_SEARCH_CAP = 500  # matches counted at most; beyond it the page says «более чем 500»


def student_search_is_too_short(query: str) -> bool:
    """A query of single letters only: it would match most of the region."""
    terms = query_terms(query)
    return bool(terms) and all(len(term) < 2 for term in terms)


def student_search(*, viewer: Viewer, query: str, number: int = 1, per_page: int = PER_PAGE, params=()) -> Page:
    """A page of the students the viewer may read whose names match the query: exact matches first, then
    alphabetically. Students only (not parents or staff), narrowed to the viewer's territory before the
    names are matched.

    Nothing here grows with the region: each student row keeps a copy of the person's search text, served on
    PostgreSQL by a trigram index (rare names: only the matches are read) and by an index in name order
    (common names: rows are read in order until the page is full); the page is read rank by rank
    (core.search.search_tiers), each in name order, rather than ranking and sorting every match; and the
    matches are counted only up to STUDENT_SEARCH_CAP."""
    if not query_terms(query) or student_search_is_too_short(query):
        return Page([], 1, 0, per_page, params=tuple(params), noun=STUDENTS)
    found = filter_by_search(students_visible(viewer), query)
    counted = found[: STUDENT_SEARCH_CAP + 1].count()
    total = min(counted, STUDENT_SEARCH_CAP)
    number = min(number, max((total + per_page - 1) // per_page, 1))
    skip, take = (number - 1) * per_page, min(per_page, total - (number - 1) * per_page)
    pks: list[int] = []
    for tier in search_tiers(query):
        if take <= 0:
            break
        rows = found.filter(tier)
        if skip:
            before = rows[:skip].count()  # this rank's rows that earlier pages showed, counted up to `skip`
            if before < skip:
                skip -= before
                continue
        # Ids first, from the student rows alone; the page's 50 rows are then read whole with their joins.
        tier_pks = list(rows.order_by("search_text", "pk").values_list("pk", flat=True)[skip : skip + take])
        pks += tier_pks
        skip, take = 0, take - len(tier_pks)
    by_pk = Student.objects.select_related("person", "current_school", "current_class").in_bulk(pks)
    students = [by_pk[pk] for pk in pks]
    return Page(students, number, total, per_page, capped=counted > STUDENT_SEARCH_CAP, params=tuple(params), noun=STUDENTS)


# --- transfers --------------------------------------------------------------------------------------------

TRANSFER_SCHOOLS_SHOWN = 100  # a select of schools stays short: a search narrows it


def transfer_classes(*, viewer: Viewer, student: Student) -> QuerySet[SchoolClass]:
    """Classes the viewer may move the student to (access.policy.transfer_targets), the current one aside."""
    return transfer_targets(viewer, student).exclude(pk=student.current_class_id)


@dataclass(frozen=True)
class TransferSchools:
    page: Page  # the schools offered, best first
    municipality: Municipality | None  # the student's municipality, whose schools are offered without a query
    beyond: bool  # the viewer may also move the student to schools outside it (found by a query)


def transfer_schools(*, viewer: Viewer, student: Student, query: str = "") -> TransferSchools:
    """Schools with classes the student may be moved to: found by the query (exact matches first), or without
    one the schools of the student's municipality; the student's own school first, then in natural order."""
    targets = Organization.objects.filter(pk__in=transfer_classes(viewer=viewer, student=student).values("school_id"), is_active=True)
    municipality = student.current_school.municipality if student.current_school_id else None
    found = filter_by_search(targets, query) if query_terms(query) else targets
    if not query_terms(query) and municipality is not None:
        found = found.filter(municipality=municipality)
    found = list(found.select_related("municipality"))

    def key(school: Organization):
        own = 0 if school.pk == student.current_school_id and not query_terms(query) else 1
        return (own, search_rank(school.search_text, query) if query else 0, natural_sort_key(school.short_name), school.pk)

    page = page_of(sorted(found, key=key), number=1, per_page=TRANSFER_SCHOOLS_SHOWN, noun=SCHOOLS)
    beyond = municipality is not None and targets.exclude(municipality=municipality).exists()
    return TransferSchools(page, municipality, beyond)


def transfer_date_bounds(*, student: Student) -> tuple[datetime.date | None, datetime.date]:
    """The dates a transfer may take, for the date picker and its default (the latest): within the current
    school year, after the current placement began, not after today. The rule itself is the service's."""
    today = timezone.localdate()
    year = school_year_current()
    if year is None:
        return None, today
    earliest = year.starts_on
    started = student.enrollments.filter(ended_on__isnull=True).values_list("started_on", flat=True).first()
    if started is not None and started >= earliest:
        earliest = started + datetime.timedelta(days=1)
    return earliest, min(today, year.ends_on)


def transfer_school_get(*, viewer: Viewer, student: Student, pk: int | None, class_pk: int | None = None) -> Organization | None:
    """A school the viewer may move the student to (or, without one, the school of such a class), or None."""
    targets = transfer_classes(viewer=viewer, student=student)
    if pk is None and class_pk is not None:
        pk = targets.filter(pk=class_pk).values_list("school_id", flat=True).first()
    if pk is None:
        return None
    return Organization.objects.filter(pk=pk, is_active=True, pk__in=targets.values("school_id")).first()


def transfer_school_classes(*, viewer: Viewer, student: Student, school: Organization | None) -> QuerySet[SchoolClass]:
    """The classes of one school the student may be moved to, by grade and letter."""
    if school is None:
        return SchoolClass.objects.none()
    return transfer_classes(viewer=viewer, student=student).filter(school=school).select_related("school").order_by("grade", "letter")


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
