"""The data of the personal-data capability in the administration: the kinds of consent and their texts (a new
version asks everyone again), the retention periods and the production calendar are edited here; the records —
decisions, requests, acts, breaches, the event log — are evidence and read-only."""

from django.contrib import admin

from core.admin_site import PolicyModelAdmin
from privacy.models import (
    Breach,
    CalendarDay,
    CalendarYear,
    ConsentKind,
    ConsentRecord,
    ConsentText,
    DestructionAct,
    PrivacyEvent,
    RetentionRule,
    SubjectRequest,
)


class ReadOnlyAdmin(PolicyModelAdmin):
    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class ConsentTextInline(admin.StackedInline):
    model = ConsentText
    extra = 0
    fields = ["version", "effective_from", "text"]

    def has_view_permission(self, request, obj=None) -> bool:
        return self.admin_site.has_permission(request)

    def has_add_permission(self, request, obj=None) -> bool:
        return self.admin_site.has_permission(request)

    def has_change_permission(self, request, obj=None) -> bool:
        return False  # a published wording is what people agreed to: add a new version instead

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(ConsentKind)
class ConsentKindAdmin(PolicyModelAdmin):
    list_display = ["title", "code", "is_publication", "is_active", "position"]
    inlines = [ConsentTextInline]

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(RetentionRule)
class RetentionRuleAdmin(PolicyModelAdmin):
    list_display = ["title", "period_days", "is_active", "last_run_at", "last_run_rows"]
    fields = ["title", "key", "period_days", "basis", "is_active", "last_run_at", "last_run_rows"]
    readonly_fields = ["key", "last_run_at", "last_run_rows"]

    def has_add_permission(self, request) -> bool:
        return False  # the kinds come from the apps that keep them

    def changelist_view(self, request, extra_context=None):
        from privacy.retention import retention_rules

        retention_rules()  # a kind registered since the last run gets its row with the default period
        return super().changelist_view(request, extra_context)

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(CalendarYear)
class CalendarYearAdmin(PolicyModelAdmin):
    list_display = ["year", "is_preliminary", "source"]


@admin.register(CalendarDay)
class CalendarDayAdmin(PolicyModelAdmin):
    list_display = ["day", "kind"]
    list_filter = ["kind"]
    date_hierarchy = "day"


@admin.register(ConsentRecord)
class ConsentRecordAdmin(ReadOnlyAdmin):
    list_display = ["student_id", "kind", "party", "decision", "channel", "decided_on"]
    list_filter = ["kind", "decision", "channel"]


@admin.register(SubjectRequest)
class SubjectRequestAdmin(ReadOnlyAdmin):
    list_display = ["pk", "kind", "status", "student_id", "received_at", "deadline"]
    list_filter = ["kind", "status"]


@admin.register(DestructionAct)
class DestructionActAdmin(ReadOnlyAdmin):
    list_display = ["pk", "reason", "student_id", "made_at"]


@admin.register(Breach)
class BreachAdmin(ReadOnlyAdmin):
    list_display = ["pk", "scope", "detected_at", "notified_at", "reported_at"]


@admin.register(PrivacyEvent)
class PrivacyEventAdmin(ReadOnlyAdmin):
    list_display = ["at", "action", "actor_role", "student_id", "request_id"]
    list_filter = ["action"]
