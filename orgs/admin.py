from django.contrib import admin

from core.admin_site import FoldedSearchAdminMixin, PolicyModelAdmin
from orgs.models import Municipality, Organization, SchoolClass, SchoolYear


@admin.register(Municipality)
class MunicipalityAdmin(FoldedSearchAdminMixin, PolicyModelAdmin):
    list_display = ["name", "kind", "code"]
    search_fields = ["search_text"]


@admin.register(Organization)
class OrganizationAdmin(FoldedSearchAdminMixin, PolicyModelAdmin):
    list_display = ["short_name", "kind", "municipality", "is_active"]
    list_filter = ["kind", "municipality", "is_active"]
    search_fields = ["search_text"]


@admin.register(SchoolYear)
class SchoolYearAdmin(PolicyModelAdmin):
    list_display = ["title", "starts_on", "ends_on", "is_current"]


@admin.register(SchoolClass)
class SchoolClassAdmin(FoldedSearchAdminMixin, PolicyModelAdmin):
    list_display = ["name", "school", "school_year", "kind", "profile"]
    list_filter = ["school_year", "grade", "kind"]
    search_fields = ["school__search_text", "search_text"]
    raw_id_fields = ["school"]
