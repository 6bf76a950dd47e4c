from django.contrib import admin

from core.admin_site import FoldedSearchAdminMixin, PolicyModelAdmin
from people.models import ClassAssignment, ParentLink, Person, StaffMembership, Student


class StaffMembershipInline(admin.TabularInline):
    model = StaffMembership
    extra = 0
    raw_id_fields = ["organization"]


@admin.register(Person)
class PersonAdmin(FoldedSearchAdminMixin, PolicyModelAdmin):
    list_display = ["full_name", "birth_date", "email", "user"]
    search_fields = ["search_text"]
    raw_id_fields = ["user"]
    inlines = [StaffMembershipInline]


@admin.register(Student)
class StudentAdmin(FoldedSearchAdminMixin, PolicyModelAdmin):
    list_display = ["person", "current_school", "current_class", "has_disabilities"]
    search_fields = ["search_text"]  # the copy of the person's (see Student)
    raw_id_fields = ["person"]
    # A placement changes only through the transfer page (people.services.student_transfer): it moves the
    # student's профминимум hours with them.
    readonly_fields = ["current_school", "current_class"]


@admin.register(ParentLink)
class ParentLinkAdmin(FoldedSearchAdminMixin, PolicyModelAdmin):
    list_display = ["parent", "kind", "student"]
    search_fields = ["parent__search_text", "student__search_text"]
    raw_id_fields = ["parent", "student"]


@admin.register(StaffMembership)
class StaffMembershipAdmin(FoldedSearchAdminMixin, PolicyModelAdmin):
    list_display = ["person", "role", "organization", "is_active"]
    list_filter = ["role", "is_active"]
    search_fields = ["person__search_text", "organization__search_text"]
    raw_id_fields = ["person", "organization"]


@admin.register(ClassAssignment)
class ClassAssignmentAdmin(FoldedSearchAdminMixin, PolicyModelAdmin):
    list_display = ["person", "kind", "school_class"]
    search_fields = ["person__search_text", "school_class__school__search_text"]
    list_filter = ["kind"]
    raw_id_fields = ["person", "school_class"]
