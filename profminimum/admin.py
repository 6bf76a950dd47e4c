"""The профминимум's data the admin edits: the rules of crediting hours for work outside the schedule (the rest of a
normative version has its own pages). Only the ministry's administrator may change them (profminimum.policy)."""

from django.contrib import admin

from access.policy import viewer_for
from core.admin_site import PolicyModelAdmin
from profminimum.models import CreditRule
from profminimum.policy import can_edit_normative


@admin.register(CreditRule)
class CreditRuleAdmin(PolicyModelAdmin):
    list_display = ["normative", "kind", "direction", "hours"]
    list_filter = ["normative", "kind"]

    def _edits(self, request) -> bool:
        return can_edit_normative(viewer_for(request.user))

    def has_add_permission(self, request) -> bool:
        return self._edits(request)

    def has_change_permission(self, request, obj=None) -> bool:
        return self._edits(request)

    def has_delete_permission(self, request, obj=None) -> bool:
        return False  # a rule is changed, never removed: the crediting needs one

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "direction" and request.resolver_match and request.resolver_match.kwargs.get("object_id"):
            rule = CreditRule.objects.filter(pk=request.resolver_match.kwargs["object_id"]).first()
            if rule is not None:
                kwargs["queryset"] = rule.normative.directions.all()
        return super().formfield_for_foreignkey(db_field, request, **kwargs)
