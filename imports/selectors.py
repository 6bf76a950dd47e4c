"""Reads of the imports, narrowed through imports.policy (the access policy's territories)."""

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from access.policy import Viewer
from imports.models import ImportBatch, ImportProblem
from imports.policy import batches_visible, import_schools

PROBLEMS_SHOWN = 500


def batch_get(*, viewer: Viewer, pk: int) -> ImportBatch:
    """One upload of the viewer's log; a foreign one is a 404."""
    return get_object_or_404(batches_visible(viewer).select_related("school", "created_by"), pk=pk)


def batches_recent(*, viewer: Viewer, limit: int = 20) -> list[ImportBatch]:
    return list(batches_visible(viewer).select_related("school")[:limit])


def batch_problems(*, batch: ImportBatch, limit: int = PROBLEMS_SHOWN) -> list[ImportProblem]:
    return list(ImportProblem.objects.filter(batch=batch).order_by("row", "pk")[:limit])


def schools_for_upload(*, viewer: Viewer) -> QuerySet:
    return import_schools(viewer).order_by("short_name")
