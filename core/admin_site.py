from django.conf import settings
from django.contrib import admin
from django.contrib.admin.utils import lookup_spawns_duplicates
from django.contrib.auth.views import redirect_to_login
from django.db.models import Q
from django.db.models.constants import LOOKUP_SEP
from django.http import Http404
from django.urls import reverse
from django.utils.module_loading import import_string
from django.utils.text import smart_split, unescape_string_literal

from core.search import query_terms, term_pattern


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


class FoldedSearchAdminMixin:
    """The admin's search as the site's (core.search): «петров» finds «Петров», «ё» and Latin look-alikes
    fold, short words match word starts — on SQLite too, whose LIKE folds only ASCII case, so Django's own
    `icontains` finds nothing for Cyrillic there. Search fields whose last part is `search_text` (the folded
    copies) are matched this way: every word of the query in one of them; any other search fields are
    matched Django's way (`icontains`, `^field`, `=field`) beside them."""

    def get_search_results(self, request, queryset, search_term):
        fields = [str(field) for field in self.get_search_fields(request)]
        folded = [field for field in fields if field.split(LOOKUP_SEP)[-1] == "search_text"]
        if not search_term or not folded:
            return super().get_search_results(request, queryset, search_term)
        plain = [field for field in fields if field not in folded]

        terms = query_terms(search_term)
        folded_condition = Q()
        for term in terms:
            folded_condition &= Q.create([(f"{field}__contains", term_pattern(term)) for field in folded], connector=Q.OR)
        condition = folded_condition if terms else Q(pk__in=[])
        if plain:
            plain_condition = Q()
            for bit in smart_split(search_term):
                if bit.startswith(('"', "'")) and bit[0] == bit[-1]:
                    bit = unescape_string_literal(bit)
                plain_condition &= Q.create([(_plain_lookup(field), bit) for field in plain], connector=Q.OR)
            condition |= plain_condition
        lookups = [field.lstrip("^=@") for field in fields]
        return queryset.filter(condition), any(lookup_spawns_duplicates(self.opts, lookup) for lookup in lookups)


def _plain_lookup(field: str) -> str:
    if field.startswith("^"):
        return f"{field[1:]}__istartswith"
    if field.startswith("="):
        return f"{field[1:]}__iexact"
    return f"{field.lstrip('@')}__icontains"
