from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse

from core.admin_site import FoldedSearchAdminMixin, PolicyModelAdmin
from orgs.models import Municipality, Organization, SchoolClass, SchoolYear
from orgs.services import school_municipality_change

# Edits that would move students, hours or lessons between schools, municipalities or years are not made in a
# plain form: the профминимум's rollups count by placement, and a field changed here would leave them wrong.
# Such a field is read-only once it carries data; a school's move has its own page (school_municipality_change).


@admin.register(Municipality)
class MunicipalityAdmin(FoldedSearchAdminMixin, PolicyModelAdmin):
    list_display = ["name", "kind", "code"]
    search_fields = ["search_text"]


class SchoolMoveForm(forms.Form):
    municipality = forms.ModelChoiceField(
        label="Новый муниципалитет", queryset=Municipality.objects.none(),
        error_messages={"required": "Муниципалитет: выберите, в какой муниципалитет перевести школу.",
                        "invalid_choice": "Муниципалитет: такого муниципалитета нет в списке."},
    )  # fmt: skip

    def __init__(self, *args, school: Organization, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["municipality"].queryset = Municipality.objects.exclude(pk=school.municipality_id).order_by("name")


def _school_has_data(school: Organization) -> bool:
    return school.is_school and (school.students.exists() or school.classes.exists())


LOCKED_NOTE = (
    "Некоторые поля здесь не меняются: у организации есть сотрудники с ролями или обучающиеся. Школу переводят в другой "
    "муниципалитет кнопкой «Перевести школу в другой муниципалитет»; роли сотрудников выдают и отзывают по одной "
    "(раздел «Должности (роли)»), и каждое изменение попадает в журнал изменений прав."
)


def _locked_fields(obj: Organization | None) -> list[str]:
    """What a plain form must not change once the organisation carries data. A school's students and classes are
    counted in its municipality (it moves through its own page). Its staff's rights follow its kind, its being
    active and — for a municipal department — its municipality: those change role by role, in the audit log."""
    if obj is None or not obj.pk:
        return []
    has_staff = obj.memberships.exists()
    locked = []
    if has_staff or _school_has_data(obj):
        locked.append("kind")
    if (obj.is_school and (has_staff or _school_has_data(obj))) or (obj.kind == Organization.Kind.MUNICIPAL_DEPARTMENT and has_staff):
        locked.append("municipality")
    if obj.memberships.filter(is_active=True).exists():
        locked.append("is_active")
    return locked


@admin.register(Organization)
class OrganizationAdmin(FoldedSearchAdminMixin, PolicyModelAdmin):
    list_display = ["short_name", "kind", "municipality", "is_active"]
    list_filter = ["kind", "municipality", "is_active"]
    search_fields = ["search_text"]
    actions = ["school_move"]

    def get_readonly_fields(self, request, obj=None):
        return list(super().get_readonly_fields(request, obj)) + _locked_fields(obj)

    def has_delete_permission(self, request, obj=None) -> bool:
        # An organisation's staff lose their roles with it; roles are revoked one by one, each in the audit log.
        return super().has_delete_permission(request, obj) and (obj is None or not obj.memberships.exists())

    def get_urls(self):
        urls = super().get_urls()
        move = path(
            "<path:object_id>/municipality/", self.admin_site.admin_view(self.school_move_view), name="orgs_organization_school_move"
        )
        return [move, *urls]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        obj = self.get_object(request, unquote(object_id))
        extra_context = {**(extra_context or {})}
        if obj is not None and obj.is_school and self.has_change_permission(request, obj):
            extra_context["school_move_url"] = reverse("admin:orgs_organization_school_move", args=[obj.pk])
        if obj is not None and _locked_fields(obj):
            extra_context["locked_note"] = LOCKED_NOTE
        return super().change_view(request, object_id, form_url, extra_context)

    def school_move_view(self, request, object_id):
        """«Перевести школу в другой муниципалитет»: one choice and a confirmation, then the service."""
        school = self.get_object(request, unquote(object_id))
        if school is None or not school.is_school:
            raise Http404("Такой школы нет.")
        if not self.has_change_permission(request, school):
            raise PermissionDenied
        form = SchoolMoveForm(request.POST or None, school=school)
        if request.method == "POST" and form.is_valid():
            previous = school.municipality
            try:
                school = school_municipality_change(school=school, municipality=form.cleaned_data["municipality"])
            except ValidationError as error:
                for field, messages_ in error.message_dict.items():
                    form.add_error(field if field in form.fields else None, messages_)
            else:
                text = f"Школа переведена из муниципалитета «{previous or '—'}» в «{school.municipality}»; показатели профминимума пересчитаны."
                self.log_change(request, school, text)
                messages.success(request, text)
                return HttpResponseRedirect(reverse("admin:orgs_organization_change", args=[school.pk]))
        context = {
            **self.admin_site.each_context(request),
            "title": "Перевести школу в другой муниципалитет",
            "subtitle": school.short_name,
            "opts": self.opts,
            "original": school,
            "form": form,
            "students": school.students.count(),
            "has_view_permission": True,
        }
        return TemplateResponse(request, "admin/orgs/organization/school_move.html", context)

    @admin.action(description="Перевести школу в другой муниципалитет", permissions=["change"])
    def school_move(self, request, queryset):
        schools = list(queryset.filter(kind=Organization.Kind.SCHOOL)[:2])
        if len(schools) != 1 or queryset.count() != 1:
            self.message_user(request, "Выберите одну школу: школы переводят по одной.", level=messages.WARNING)
            return None
        return HttpResponseRedirect(reverse("admin:orgs_organization_school_move", args=[schools[0].pk]))


@admin.register(SchoolYear)
class SchoolYearAdmin(PolicyModelAdmin):
    list_display = ["title", "starts_on", "ends_on", "is_current"]

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        if obj is not None and obj.pk and obj.classes.exists():
            # The профминимум counts every student from the year's first day: a new start would move their hours.
            readonly.append("starts_on")
        return readonly


@admin.register(SchoolClass)
class SchoolClassAdmin(FoldedSearchAdminMixin, PolicyModelAdmin):
    list_display = ["name", "school", "school_year", "kind", "profile"]
    list_filter = ["school_year", "grade", "kind"]
    search_fields = ["school__search_text", "search_text"]
    raw_id_fields = ["school"]

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        if obj is not None and obj.pk and (obj.students.exists() or obj.enrollments.exists()):
            # A class with students moves them with it: students change class through the transfer page.
            readonly += ["school", "school_year", "grade"]
        return readonly
