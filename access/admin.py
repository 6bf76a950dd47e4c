from django.contrib import admin

from access.models import PersonalDataRead
from core.admin_site import FoldedSearchAdminMixin, PolicyModelAdmin


@admin.register(PersonalDataRead)
class PersonalDataReadAdmin(FoldedSearchAdminMixin, PolicyModelAdmin):
    """The log is evidence: it can be read and filtered, never edited."""

    list_display = ["at", "user", "subject", "person", "people_count", "channel"]
    list_filter = ["channel"]
    search_fields = ["person__search_text", "user__username", "subject"]
    raw_id_fields = ["user", "person"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
