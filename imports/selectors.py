"""Reads of the imports, narrowed through imports.policy (the access policy's territories)."""

from collections.abc import Iterator

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from access.policy import Viewer, students_visible
from imports.models import ImportBatch, ImportProblem, StudentSchoolId
from imports.policy import batches_visible, import_schools, password_classes
from people.models import ParentLink, Student

PROBLEMS_SHOWN = 500


def batch_get(*, viewer: Viewer, pk: int) -> ImportBatch:
    """One upload of the viewer's log; a foreign one is a 404."""
    return get_object_or_404(batches_visible(viewer).select_related("school", "created_by").defer("parsed"), pk=pk)


def batches_recent(*, viewer: Viewer, limit: int = 20) -> list[ImportBatch]:
    return list(batches_visible(viewer).select_related("school").defer("parsed")[:limit])


def batch_problems(*, batch: ImportBatch, limit: int = PROBLEMS_SHOWN) -> list[ImportProblem]:
    return list(ImportProblem.objects.filter(batch=batch).order_by("row", "pk")[:limit])


def schools_for_upload(*, viewer: Viewer) -> QuerySet:
    return import_schools(viewer).order_by("short_name")


def students_export_rows(*, viewer: Viewer, school) -> tuple[list[int], Iterator[list]]:
    """The school's current students in the import template's columns (one row per student, its first parent):
    the file a re-import reads back unchanged. Returns the persons shown (for the read log) and the rows, read a
    few thousand at a time."""
    students = students_visible(viewer).filter(current_school=school, current_class__isnull=False)
    person_ids = list(students.values_list("person_id", flat=True))
    codes = dict(StudentSchoolId.objects.filter(school=school).values_list("student_id", "code"))

    def rows() -> Iterator[list]:
        ids = list(
            students.order_by("current_class__grade", "current_class__letter", "person__last_name", "person__first_name", "pk").values_list(
                "pk", flat=True
            )
        )
        for start in range(0, len(ids), 2000):
            chunk = ids[start : start + 2000]
            parents: dict[int, tuple] = {}
            for link in ParentLink.objects.filter(student_id__in=chunk).order_by("student_id", "pk").values_list(
                "student_id", "kind", "parent__last_name", "parent__first_name", "parent__middle_name", "parent__phone", "parent__email"
            ):  # fmt: skip
                parents.setdefault(link[0], link)
            found = {
                item[0]: item
                for item in Student.objects.filter(pk__in=chunk).values_list(
                    "pk",
                    "person__last_name",
                    "person__first_name",
                    "person__middle_name",
                    "person__birth_date",
                    "current_class__grade",
                    "current_class__letter",
                )
            }
            for pk in chunk:
                _, last, first, middle, born, grade, letter = found[pk]
                parent = parents.get(pk)
                yield [
                    school.short_name, codes.get(pk, ""), " ".join(p for p in (last, first, middle) if p), born, f"{grade}{letter}",
                    " ".join(p for p in parent[2:5] if p) if parent else "", PARENT_KIND_LABELS.get(parent[1], "") if parent else "",
                    parent[5] if parent else "", parent[6] if parent else "",
                ]  # fmt: skip

    return person_ids, rows()


PARENT_KIND_LABELS = {"mother": "мать", "father": "отец", "guardian": "законный представитель"}


def password_class_get(*, viewer: Viewer, pk: int):
    """A class whose first passwords the viewer may print; another is a 404."""
    return get_object_or_404(password_classes(viewer).select_related("school"), pk=pk)


def password_people(*, school_class) -> list[dict]:
    """The class's students and their parents as the page lists them: whether each still waits for a first
    password (an account never signed in with a password of its own, or none yet)."""
    people = []
    students = (
        Student.objects.filter(current_class=school_class)
        .select_related("person__user")
        .order_by("person__last_name", "person__first_name", "pk")
    )
    for student in students:
        people.append(_person_line(student.person, "ученик"))
        for link in student.parent_links.select_related("parent__user").order_by("pk"):
            people.append(_person_line(link.parent, f"родитель: {student.person.short_name}"))
    return people


def _person_line(person, who: str) -> dict:
    account = person.user
    waiting = account is None or (account.must_change_password and account.last_login is None)
    return {"id": person.pk, "name": person.full_name, "who": who, "login": account.username if account else "", "waiting": waiting}
