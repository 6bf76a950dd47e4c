from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin

from accounts.models import ApiToken, LoginFailure, User
from core.admin_site import FoldedSearchAdminMixin, PolicyModelAdmin


@admin.register(User)
class UserAdmin(FoldedSearchAdminMixin, PolicyModelAdmin, DjangoUserAdmin):
    list_display = ["username", "email", "last_name", "first_name", "is_active", "must_change_password", "locked_until"]
    search_fields = ["username", "email", "last_name", "first_name", "person__search_text"]
    list_filter = ["is_active", "is_demo", "must_change_password"]
    fieldsets = DjangoUserAdmin.fieldsets + (("Безопасность", {"fields": ("must_change_password", "is_demo", "locked_until")}),)
    add_fieldsets = DjangoUserAdmin.add_fieldsets + (("Безопасность", {"fields": ("email", "must_change_password")}),)

    def get_form(self, request, obj=None, **kwargs):
        # Only a superuser hands out superuser or staff flags and Django permissions.
        form = super().get_form(request, obj, **kwargs)
        if not request.user.is_superuser:
            for name in ("is_superuser", "is_staff", "groups", "user_permissions"):
                form.base_fields.pop(name, None)
        return form

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if request.user.is_superuser:
            return fieldsets
        hidden = {"is_superuser", "is_staff", "groups", "user_permissions"}
        return [(title, {**opts, "fields": [f for f in opts["fields"] if f not in hidden]}) for title, opts in fieldsets]


@admin.register(LoginFailure)
class LoginFailureAdmin(PolicyModelAdmin):
    list_display = ["username", "ip_address", "at"]
    readonly_fields = ["username", "ip_address", "at"]


@admin.register(ApiToken)
class ApiTokenAdmin(PolicyModelAdmin):
    list_display = ["user", "name", "prefix", "created_at", "last_used_at"]
    readonly_fields = ["prefix", "created_at", "last_used_at"]
