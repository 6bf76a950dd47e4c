from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.core.exceptions import PermissionDenied
from django.db import transaction

from access.admin import PersonalDataAdminMixin
from access.models import AccessChange
from access.policy import may_change_account
from access.services import access_change_log
from accounts.models import ApiToken, LoginFailure, User
from core.admin_site import FoldedSearchAdminMixin, PolicyModelAdmin
from core.client_ip import client_ip
from people.models import Person

# What an account's change writes to the audit log (access.models.AccessChange): what decides who signs in, as
# whom and with which rights. A name's spelling is not audited.
AUDITED_ACCOUNT_FIELDS = (
    "username",
    "email",
    "is_active",
    "is_staff",
    "is_superuser",
    "groups",
    "user_permissions",
    "must_change_password",
    "is_demo",
)


@admin.register(User)
class UserAdmin(PersonalDataAdminMixin, FoldedSearchAdminMixin, PolicyModelAdmin, DjangoUserAdmin):
    """Accounts. Whose account one may change (its password, flags, e-mail, login) is access.policy's
    may_change_account: never one's own, a superuser's only by a superuser, otherwise only an account whose roles
    are all ones the person may grant. Every such change goes to the audit log; the list and the forms show
    people's names, so they write the read log."""

    read_subject = "учётные записи"
    list_display = ["username", "email", "last_name", "first_name", "is_active", "must_change_password"]
    search_fields = ["username", "email", "last_name", "first_name", "person__search_text"]
    list_filter = ["is_active", "is_demo", "must_change_password"]
    fieldsets = DjangoUserAdmin.fieldsets + (("Безопасность", {"fields": ("must_change_password", "is_demo")}),)
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

    def people_in(self, objects: list) -> list[int]:
        return list(Person.objects.filter(user__in=[user.pk for user in objects]).values_list("pk", flat=True))

    def has_change_permission(self, request, obj=None) -> bool:
        return super().has_change_permission(request, obj) and (obj is None or may_change_account(request.user, obj))

    def has_delete_permission(self, request, obj=None) -> bool:
        return super().has_delete_permission(request, obj) and (obj is None or may_change_account(request.user, obj))

    def save_model(self, request, obj, form, change):
        before = User.objects.filter(pk=obj.pk).first() if change else None
        # The form offered only what the person may change; the save checks again, whatever reached it.
        if change and (before is None or not may_change_account(request.user, before)):
            raise PermissionDenied
        if (
            not request.user.is_superuser
            and (obj.is_superuser or obj.is_staff)
            and not (before is not None and (before.is_superuser, before.is_staff) == (obj.is_superuser, obj.is_staff))
        ):
            raise PermissionDenied
        super().save_model(request, obj, form, change)
        if before is None:
            access_change_log(
                actor=request.user, action=AccessChange.Action.ACCOUNT_CREATED, ip_address=client_ip(request), target_user=obj,
                description=obj.username,
                changes={"пароль": [None, "задан" if obj.has_usable_password() else "вход по паролю отключён"]},
            )  # fmt: skip
            return
        changes = {}
        for name in AUDITED_ACCOUNT_FIELDS:
            if name not in form.changed_data:
                continue
            field = User._meta.get_field(name)
            if field.many_to_many:
                changes[str(field.verbose_name)] = ["", "изменены"]
            else:
                changes[str(field.verbose_name)] = [_shown(getattr(before, name)), _shown(getattr(obj, name))]
        if changes:
            access_change_log(
                actor=request.user, action=AccessChange.Action.ACCOUNT_CHANGED, ip_address=client_ip(request), target_user=obj,
                description=", ".join(changes), changes=changes,
            )  # fmt: skip

    def user_change_password(self, request, id, form_url=""):
        # Django's view checks has_change_permission (so may_change_account); here the change is also logged, in
        # the same transaction as the new password.
        with transaction.atomic():
            target = self.get_object(request, unquote(id))
            hash_before = target.password if target is not None else None
            response = super().user_change_password(request, id, form_url)
            if target is not None and request.method == "POST":
                target.refresh_from_db(fields=["password"])
                if target.password != hash_before:
                    access_change_log(
                        actor=request.user, action=AccessChange.Action.PASSWORD_CHANGED, ip_address=client_ip(request),
                        target_user=target, description=target.username,
                        changes={"пароль": ["", "задан" if target.has_usable_password() else "вход по паролю отключён"]},
                    )  # fmt: skip
            return response

    def delete_model(self, request, obj):
        self._deletions_logged(request, [obj])
        super().delete_model(request, obj)

    @transaction.atomic
    def delete_queryset(self, request, queryset):
        self._deletions_logged(request, list(queryset))
        super().delete_queryset(request, queryset)

    def _deletions_logged(self, request, users: list) -> None:
        for user in users:
            if not may_change_account(request.user, user):
                raise PermissionDenied
            access_change_log(
                actor=request.user, action=AccessChange.Action.ACCOUNT_DELETED, ip_address=client_ip(request), target_user=user,
                description=user.username,
            )  # fmt: skip


def _shown(value) -> str:
    if isinstance(value, bool):
        return "да" if value else "нет"
    return "" if value is None else str(value)


@admin.register(LoginFailure)
class LoginFailureAdmin(PolicyModelAdmin):
    # Evidence for the security log: a failure typed in here would slow down someone else's sign-in.
    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    list_display = ["username", "ip_address", "at"]
    readonly_fields = ["username", "ip_address", "at"]


@admin.register(ApiToken)
class ApiTokenAdmin(PolicyModelAdmin):
    """Tokens are created on their owner's profile (shown once) and only revoked here: a token moved to another
    account would sign its holder in as that account."""

    list_display = ["user", "name", "prefix", "created_at", "last_used_at"]
    readonly_fields = ["user", "name", "prefix", "created_at", "last_used_at"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        allowed = super().has_delete_permission(request, obj)
        return allowed and (obj is None or obj.user_id == request.user.pk or may_change_account(request.user, obj.user))

    def delete_model(self, request, obj):
        self._revocations_logged(request, [obj])
        super().delete_model(request, obj)

    @transaction.atomic
    def delete_queryset(self, request, queryset):
        self._revocations_logged(request, list(queryset.select_related("user")))
        super().delete_queryset(request, queryset)

    def _revocations_logged(self, request, tokens: list) -> None:
        for token in tokens:
            if not self.has_delete_permission(request, token):
                raise PermissionDenied
            access_change_log(
                actor=request.user, action=AccessChange.Action.TOKEN_REVOKED, ip_address=client_ip(request), target_user=token.user,
                description=f"{token.name} ({token.prefix}…)",
            )  # fmt: skip
