"""Reads of a class's schedule of activities."""

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from access.policy import Viewer, classes_visible
from orgs.models import SchoolClass
from profminimum.models import (
    Activity,
)


def class_activities(*, viewer: Viewer, school_class: SchoolClass) -> QuerySet[Activity]:
    """The class's activities (course lessons and others) in date order, without deleted ones."""
    get_object_or_404(classes_visible(viewer), pk=school_class.pk)
    return (
        Activity.objects.filter(classes=school_class, deleted_at__isnull=True)
        .select_related("direction", "course_lesson")
        .order_by("starts_at")
    )
