"""The additional-education programmes the schools enrol their students in (item 4.8): the regional operator and the
ministry's administrator keep the list; everyone else of the admin reads it."""

from django.contrib import admin

from access.policy import viewer_for
from core.admin_site import PolicyModelAdmin
from monitoring.models import Programme
from monitoring.policy import can_keep_programmes


@admin.register(Programme)
class ProgrammeAdmin(PolicyModelAdmin):
    list_display = ["title", "provider", "municipality", "direction", "grade_from", "grade_to", "is_active"]
    list_filter = ["direction", "is_active"]
    search_fields = ["title"]

    def _edits(self, request) -> bool:
        return can_keep_programmes(viewer_for(request.user))

    def has_add_permission(self, request) -> bool:
        return self._edits(request)

    def has_change_permission(self, request, obj=None) -> bool:
        return self._edits(request)

    def has_delete_permission(self, request, obj=None) -> bool:
        return False  # a programme with enrolments stays; one no longer offered is marked so
