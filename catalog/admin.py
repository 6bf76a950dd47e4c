"""The operator keeps the catalogue current here: professions (their demand and pay in the republic, their RIASEC
profile with its source), the education programmes of the republic's colleges and universities (an unconfirmed
row stays marked until an operator confirms it), additional-education programmes and ОКСО codes. Every save is a
CatalogueChange: the audit trail, and the version of the catalogue the stored recommendations are checked against
(a page whose recommendations were computed against an older version recomputes them)."""

from django.contrib import admin, messages
from django.utils import timezone

from catalog.models import AdditionalProgramme, CatalogueChange, Profession, Programme, Speciality
from core.admin_site import FoldedSearchAdminMixin, PolicyModelAdmin


class CatalogueAdmin(FoldedSearchAdminMixin, PolicyModelAdmin):
    def save_model(self, request, obj, form, change) -> None:
        super().save_model(request, obj, form, change)
        verb = "изменено" if change else "добавлено"
        CatalogueChange.objects.create(by=request.user, what=f"{obj._meta.verbose_name.capitalize()} «{obj}»: {verb}"[:300])

    def delete_model(self, request, obj) -> None:
        what = f"{obj._meta.verbose_name.capitalize()} «{obj}»: удалено"[:300]
        super().delete_model(request, obj)
        CatalogueChange.objects.create(by=request.user, what=what)


@admin.register(Profession)
class ProfessionAdmin(CatalogueAdmin):
    list_display = ["title", "main_sector", "holland_code", "klimov", "demand", "market_is_demo", "market_updated_on"]
    list_filter = ["main_sector", "klimov", "demand", "market_is_demo", "profile_source"]
    search_fields = ["search_text"]
    filter_horizontal = ["sectors", "subjects", "specialities"]
    readonly_fields = ["holland_code", "market_updated_on", "market_updated_by"]

    def save_model(self, request, obj, form, change) -> None:
        market = {"demand", "pay_from", "pay_to", "market_source"}
        if not change or market & set(form.changed_data):
            # An operator's figures are the republic's own, not the demo's invention.
            obj.market_is_demo, obj.market_updated_on, obj.market_updated_by = False, timezone.localdate(), request.user
        super().save_model(request, obj, form, change)


@admin.register(Programme)
class ProgrammeAdmin(CatalogueAdmin):
    list_display = ["title", "speciality", "institution", "form", "is_confirmed", "is_active"]
    list_filter = ["is_confirmed", "is_active", "form"]
    search_fields = ["search_text"]
    raw_id_fields = ["institution", "speciality"]
    readonly_fields = ["confirmed_by", "confirmed_on"]
    actions = ["confirm"]

    @admin.action(description="Подтвердить выбранные программы (сверены с сайтом организации)")
    def confirm(self, request, queryset) -> None:
        changed = queryset.filter(is_confirmed=False).update(
            is_confirmed=True, confirmed_by=request.user, confirmed_on=timezone.localdate()
        )
        if changed:
            CatalogueChange.objects.create(by=request.user, what=f"Подтверждено программ обучения: {changed}")
        self.message_user(request, f"Подтверждено программ: {changed}.", messages.SUCCESS)

    def save_model(self, request, obj, form, change) -> None:
        if "is_confirmed" in form.changed_data:
            obj.confirmed_by, obj.confirmed_on = (request.user, timezone.localdate()) if obj.is_confirmed else (None, None)
        super().save_model(request, obj, form, change)


@admin.register(AdditionalProgramme)
class AdditionalProgrammeAdmin(CatalogueAdmin):
    list_display = ["title", "provider", "municipality", "direction", "grade_from", "grade_to", "is_active"]
    list_filter = ["direction", "kind", "is_active"]
    search_fields = ["search_text"]
    raw_id_fields = ["provider"]
    filter_horizontal = ["professions"]


@admin.register(Speciality)
class SpecialityAdmin(CatalogueAdmin):
    list_display = ["code", "title", "is_confirmed"]
    list_filter = ["is_confirmed"]
    search_fields = ["code", "search_text"]


@admin.register(CatalogueChange)
class CatalogueChangeAdmin(PolicyModelAdmin):
    list_display = ["at", "by", "what"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
