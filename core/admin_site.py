from django.conf import settings
from django.contrib import admin
from django.contrib.auth.views import redirect_to_login
from django.http import Http404
from django.urls import reverse
from django.utils.module_loading import import_string


class ProfnavAdminSite(admin.AdminSite):
    """Django admin for the regional operator's staff and ministry administrators, as the policy says."""

    site_header = "Профнавигатор — администрирование"
    site_title = "Профнавигатор"
    index_title = "Справочники и учётные записи"

    def has_permission(self, request) -> bool:
        # The kernel knows no policy: settings name the gate (access.policy.may_open_admin).
        return bool(import_string(settings.PROFNAV_ADMIN_GATE)(request.user))

    def login(self, request, extra_context=None):
        # One login page for the whole platform; a signed-in person without the right gets a plain 404.
        if request.user.is_authenticated:
            raise Http404
        return redirect_to_login(request.GET.get("next") or reverse("admin:index"), reverse("accounts:login"))


class PolicyModelAdmin(admin.ModelAdmin):
    """Model admin whose rights follow the access policy rather than per-model Django permissions."""

    def _allowed(self, request) -> bool:
        return self.admin_site.has_permission(request)

    def has_module_permission(self, request) -> bool:
        return self._allowed(request)

    def has_view_permission(self, request, obj=None) -> bool:
        return self._allowed(request)

    def has_add_permission(self, request) -> bool:
        return self._allowed(request)

    def has_change_permission(self, request, obj=None) -> bool:
        return self._allowed(request)

    def has_delete_permission(self, request, obj=None) -> bool:
        return self._allowed(request)
