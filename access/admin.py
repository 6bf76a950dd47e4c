"""The administration of who is who: people, students, parent links, roles and class assignments, and the two
logs (reads of personal data, changes of rights and passwords).

People's models are administered from here rather than from people/admin.py because every one of these pages
is the policy's business: who may grant which role (access.policy's grant table) decides what the forms offer
and what their saves accept, and every page that shows a person's data writes the read log. The layers keep the
policy above the people it judges, so its admin lives with it."""

from django import forms
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from access.models import AccessChange, PersonalDataRead
from access.policy import (
    ROLE_LABELS,
    ROLE_ORGANIZATION_KINDS,
    may_change_account,
    may_change_memberships_of,
    may_grant,
    organizations_grantable,
    roles_grantable,
    viewer_for,
)
from access.services import access_change_log, personal_data_read_log
from core.admin_site import FoldedSearchAdminMixin, PolicyModelAdmin
from core.client_ip import client_ip
from orgs.models import Organization
from people.models import ClassAssignment, ParentLink, Person, Role, StaffMembership, Student

# --- the read log: every admin page that shows people's data -------------------------------------------------------


class PersonalDataAdminMixin:
    """Writes the read log for the admin's pages of people: a list logs the people on its page (their ids in one
    row), a change form, its history and its delete confirmation the person or people it shows."""

    read_subject = ""  # «обучающиеся», «люди», …: what the pages show

    def people_in(self, objects: list) -> list[int]:
        """The ids of the people whose data these rows show."""
        return [obj.pk for obj in objects]

    def _log_read(self, request, subject: str, objects: list) -> None:
        ids = [pk for pk in self.people_in(objects) if pk]
        if not ids:
            return
        personal_data_read_log(
            user=request.user, subject=f"администрирование: {subject}", channel=PersonalDataRead.Channel.ADMIN,
            person_id=ids[0] if len(ids) == 1 else None, person_ids=ids,
        )  # fmt: skip

    def changelist_view(self, request, extra_context=None):
        response = super().changelist_view(request, extra_context)
        changelist = (getattr(response, "context_data", None) or {}).get("cl")
        if changelist is not None:
            # Evaluated here once; the template reads the same cached rows.
            self._log_read(request, f"{self.read_subject} (список)", list(changelist.result_list))
        return response

    def _object_view_logged(self, response, request, key: str, what: str):
        obj = (getattr(response, "context_data", None) or {}).get(key)
        if obj is not None and getattr(response, "status_code", None) == 200:
            self._log_read(request, f"{self.read_subject} ({what})", [obj])
        return response

    def change_view(self, request, object_id, form_url="", extra_context=None):
        response = super().change_view(request, object_id, form_url, extra_context)
        return self._object_view_logged(response, request, "original", "карточка")

    def history_view(self, request, object_id, extra_context=None):
        response = super().history_view(request, object_id, extra_context)
        return self._object_view_logged(response, request, "object", "история изменений")

    def delete_view(self, request, object_id, extra_context=None):
        response = super().delete_view(request, object_id, extra_context)
        return self._object_view_logged(response, request, "object", "подтверждение удаления")


class EvidenceAdmin(PolicyModelAdmin):
    """A log is evidence: it can be read and filtered, never added to, edited or deleted from the admin — not even
    by a superuser."""

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(PersonalDataRead)
class PersonalDataReadAdmin(FoldedSearchAdminMixin, EvidenceAdmin):
    list_display = ["at", "username", "subject", "person", "people_count", "channel"]
    list_filter = ["channel"]
    search_fields = ["person__search_text", "username", "subject"]
    list_select_related = ["person"]
    raw_id_fields = ["user", "person"]


@admin.register(AccessChange)
class AccessChangeAdmin(EvidenceAdmin):
    list_display = ["at", "actor_username", "action", "target_username", "target_person", "description", "ip_address"]
    list_filter = ["action"]
    search_fields = ["actor_username", "target_username", "description"]
    list_select_related = ["target_person"]
    raw_id_fields = ["actor", "target_user", "target_person"]


# --- who may grant what: the forms offer it, the saves check it again ------------------------------------------------


def _address(request) -> str | None:
    return client_ip(request)


def role_text(role: str, organization: Organization | None) -> str:
    return f"{ROLE_LABELS.get(role, role)}, {organization}" if organization is not None else ROLE_LABELS.get(role, role)


def _grant_refusal(viewer, role: str, organization: Organization) -> str:
    label = ROLE_LABELS.get(role, role)
    kinds = ROLE_ORGANIZATION_KINDS.get(role, frozenset())
    if organization.kind not in kinds:
        where = ", ".join(str(Organization.Kind(kind).label) for kind in Organization.Kind.values if kind in kinds)
        return f"Организация: роль «{label}» бывает только в организациях вида «{where}», а «{organization}» — {organization.get_kind_display()}."
    return f"Роль: «{label}» в организации «{organization}» выдать вы не можете — это выше ваших полномочий или вне вашей территории."


def person_refusal(user, person: Person | None) -> str | None:
    """Why the user may not change this person's roles at all, or None."""
    if may_change_memberships_of(user, person):
        return None
    if person is not None and person.user_id == user.pk:
        return "Свои роли изменить нельзя: их выдаёт и отзывает другой администратор."
    return "Роли суперпользователя меняет только суперпользователь."


class MembershipFormSet(forms.BaseInlineFormSet):
    """The roles of one person on the person's page. Each new, changed or removed role is checked against the
    grant table: the old one must be one the user may revoke, the new one one they may grant."""

    actor = None

    def clean(self):
        super().clean()
        viewer = viewer_for(self.actor)
        errors = []
        if refusal := person_refusal(self.actor, self.instance):
            if any(form.has_changed() for form in self.forms):
                raise ValidationError(refusal)
            return
        old = {m.pk: m for m in StaffMembership.objects.filter(pk__in=[f.instance.pk for f in self.forms if f.instance.pk])}
        for form in self.forms:
            before = old.get(form.instance.pk)
            deleted = self.can_delete and self._should_delete_form(form)
            if not deleted and not form.has_changed():
                continue
            if before is not None and not may_grant(viewer, before.role, before.organization):
                errors.append(f"Роль «{role_text(before.role, before.organization)}» изменить или отозвать вы не можете.")
                continue
            data = getattr(form, "cleaned_data", {}) or {}
            role, organization = data.get("role"), data.get("organization")
            if not deleted and role and organization is not None and not may_grant(viewer, role, organization):
                errors.append(_grant_refusal(viewer, data["role"], data["organization"]))
        if errors:
            raise ValidationError(errors)


class MembershipForm(forms.ModelForm):
    """One role on its own page: the person, the role and the organisation, each checked against the table."""

    actor = None

    class Meta:
        model = StaffMembership
        fields = ["person", "organization", "role", "is_active"]

    def clean(self):
        cleaned = super().clean()
        viewer = viewer_for(self.actor)
        before = StaffMembership.objects.select_related("organization", "person").filter(pk=self.instance.pk).first()
        if before is not None:
            if refusal := person_refusal(self.actor, before.person):
                raise ValidationError(refusal)
            if not may_grant(viewer, before.role, before.organization):
                raise ValidationError(f"Роль «{role_text(before.role, before.organization)}» изменить или отозвать вы не можете.")
        person, role, organization = cleaned.get("person"), cleaned.get("role"), cleaned.get("organization")
        if person is not None and (refusal := person_refusal(self.actor, person)):
            self.add_error("person", refusal)
        if role and organization is not None and not may_grant(viewer, role, organization):
            self.add_error("organization", _grant_refusal(viewer, role, organization))
        return cleaned


def _with_actor(form_class, user):
    return type(form_class.__name__, (form_class,), {"actor": user})


class GrantChoicesMixin:
    """The role and organisation fields offer only what the user may grant."""

    def formfield_for_choice_field(self, db_field, request, **kwargs):
        if db_field.name == "role":
            grantable = set(roles_grantable(viewer_for(request.user)))
            kwargs["choices"] = [("", "---------")] + [(value, label) for value, label in Role.choices if value in grantable]
        return super().formfield_for_choice_field(db_field, request, **kwargs)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "organization":
            kwargs["queryset"] = organizations_grantable(viewer_for(request.user))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


def _membership_logged(request, action: str, membership: StaffMembership, *, before: StaffMembership | None = None) -> None:
    changes = {}
    if before is not None:
        for label, old, new in (
            ("роль", ROLE_LABELS.get(before.role, before.role), ROLE_LABELS.get(membership.role, membership.role)),
            ("организация", str(before.organization), str(membership.organization)),
            ("действует", _yes(before.is_active), _yes(membership.is_active)),
            ("человек", f"№ {before.person_id}", f"№ {membership.person_id}"),
        ):
            if old != new:
                changes[label] = [old, new]
    elif action == AccessChange.Action.ROLE_GRANTED:
        changes = {"роль": [None, role_text(membership.role, membership.organization)]}
    else:
        changes = {"роль": [role_text(membership.role, membership.organization), None]}
    access_change_log(
        actor=request.user, action=action, ip_address=_address(request), target_person=membership.person,
        description=role_text(membership.role, membership.organization), changes=changes,
    )  # fmt: skip


def _yes(value: bool) -> str:
    return "да" if value else "нет"


class StaffMembershipInline(GrantChoicesMixin, admin.TabularInline):
    model = StaffMembership
    extra = 0
    formset = MembershipFormSet

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        return type(formset.__name__, (formset,), {"actor": request.user})

    def _may(self, request, obj) -> bool:
        return may_change_memberships_of(request.user, obj) if isinstance(obj, Person) else True

    def has_add_permission(self, request, obj=None) -> bool:
        return self._may(request, obj)

    def has_change_permission(self, request, obj=None) -> bool:
        return self._may(request, obj)

    def has_delete_permission(self, request, obj=None) -> bool:
        return self._may(request, obj)


# --- people ------------------------------------------------------------------------------------------------------


class PersonForm(forms.ModelForm):
    actor = None

    class Meta:
        model = Person
        fields = ["last_name", "first_name", "middle_name", "birth_date", "email", "phone", "user"]

    def clean_user(self):
        account = self.cleaned_data.get("user")
        before = Person.objects.filter(pk=self.instance.pk).values_list("user_id", flat=True).first() if self.instance.pk else None
        if (account.pk if account else None) == before:
            return account
        for side in (account, self.instance.user if before else None):
            if side is None:
                continue
            if side.pk == self.actor.pk:
                raise ValidationError("Учётная запись: свою учётную запись привязать к другому человеку или отвязать нельзя.")
            if not may_change_account(self.actor, side):
                raise ValidationError(
                    f"Учётная запись: «{side.username}» вы менять не можете — её права выше ваших или вне вашей территории."
                )
        return account


def person_may_be_changed(user, person: Person) -> bool:
    """A person's card (and their roles) may be changed by someone who may change all of it: not their own, every
    role one they may grant, and the account it is linked to one they may change."""
    if not may_change_memberships_of(user, person):
        return False
    viewer = viewer_for(user)
    if not all(may_grant(viewer, m.role, m.organization) for m in person.memberships.select_related("organization")):
        return False
    return person.user_id is None or may_change_account(user, person.user)


@admin.register(Person)
class PersonAdmin(PersonalDataAdminMixin, FoldedSearchAdminMixin, PolicyModelAdmin):
    list_display = ["full_name", "birth_date", "email", "user"]
    list_select_related = ["user"]
    search_fields = ["search_text"]
    raw_id_fields = ["user"]
    inlines = [StaffMembershipInline]
    form = PersonForm
    read_subject = "люди"

    def get_form(self, request, obj=None, **kwargs):
        return _with_actor(super().get_form(request, obj, **kwargs), request.user)

    def has_change_permission(self, request, obj=None) -> bool:
        return super().has_change_permission(request, obj) and (obj is None or person_may_be_changed(request.user, obj))

    def has_delete_permission(self, request, obj=None) -> bool:
        return super().has_delete_permission(request, obj) and (obj is None or person_may_be_changed(request.user, obj))

    def save_model(self, request, obj, form, change):
        before = Person.objects.filter(pk=obj.pk).values_list("user_id", flat=True).first() if change else None
        if change and not person_may_be_changed(request.user, Person.objects.get(pk=obj.pk)):
            raise PermissionDenied
        super().save_model(request, obj, form, change)
        if obj.user_id != before:
            access_change_log(
                actor=request.user, action=AccessChange.Action.ACCOUNT_LINKED, ip_address=_address(request),
                target_user=obj.user, target_person=obj, description=f"человек № {obj.pk}",
                changes={"учётная запись": [_username(before), obj.user.username if obj.user else None]},
            )  # fmt: skip

    def save_formset(self, request, form, formset, change):
        if formset.model is not StaffMembership:
            return super().save_formset(request, form, formset, change)
        before = {m.pk: m for m in StaffMembership.objects.select_related("organization").filter(person=form.instance)}
        super().save_formset(request, form, formset, change)
        for membership in formset.new_objects:
            _membership_logged(request, AccessChange.Action.ROLE_GRANTED, membership)
        for membership, _fields in formset.changed_objects:
            _membership_logged(request, AccessChange.Action.ROLE_CHANGED, membership, before=before.get(membership.pk))
        for membership in formset.deleted_objects:  # deleted: its fields are still as they were
            _membership_logged(request, AccessChange.Action.ROLE_REVOKED, membership)

    def delete_model(self, request, obj):
        self._deletions_logged(request, [obj])
        super().delete_model(request, obj)

    @transaction.atomic
    def delete_queryset(self, request, queryset):
        self._deletions_logged(request, list(queryset))
        super().delete_queryset(request, queryset)

    def _deletions_logged(self, request, people: list[Person]) -> None:
        for person in people:
            if not person_may_be_changed(request.user, person):
                raise PermissionDenied
            for membership in person.memberships.select_related("organization", "person"):
                _membership_logged(request, AccessChange.Action.ROLE_REVOKED, membership)


def _username(user_id: int | None) -> str | None:
    if user_id is None:
        return None
    return get_user_model().objects.filter(pk=user_id).values_list("username", flat=True).first()


@admin.register(Student)
class StudentAdmin(PersonalDataAdminMixin, FoldedSearchAdminMixin, PolicyModelAdmin):
    list_display = ["person", "current_school", "current_class", "has_disabilities"]
    list_select_related = ["person", "current_school", "current_class"]
    search_fields = ["search_text"]  # the copy of the person's (see Student)
    raw_id_fields = ["person"]
    read_subject = "обучающиеся"

    def get_readonly_fields(self, request, obj=None):
        # A placement changes only through the transfer page (people.services.student_transfer): it moves the
        # student's профминимум hours with them. A student record belongs to its person for good.
        readonly = ["current_school", "current_class"]
        return readonly + ["person"] if obj is not None else readonly

    def people_in(self, objects: list) -> list[int]:
        return [student.person_id for student in objects]

    def has_delete_permission(self, request, obj=None) -> bool:
        # A student with a class history is counted in the профминимум's figures: deleting the row here would leave
        # them counted. A student's data is erased through the privacy procedure, which keeps the figures whole.
        return super().has_delete_permission(request, obj) and (obj is None or not obj.enrollments.exists())


class ParentLinkForm(forms.ModelForm):
    actor = None

    class Meta:
        model = ParentLink
        fields = ["parent", "student", "kind"]

    def clean_parent(self):
        parent = self.cleaned_data.get("parent")
        if parent is not None and parent.user_id is not None and parent.user_id == self.actor.pk:
            raise ValidationError("Родитель: себя родителем обучающегося записать нельзя — это делает другой администратор.")
        return parent


@admin.register(ParentLink)
class ParentLinkAdmin(PersonalDataAdminMixin, FoldedSearchAdminMixin, PolicyModelAdmin):
    list_display = ["parent", "kind", "student"]
    list_select_related = ["parent", "student__person"]
    search_fields = ["parent__search_text", "student__search_text"]
    raw_id_fields = ["parent", "student"]
    form = ParentLinkForm
    read_subject = "родители"

    def get_form(self, request, obj=None, **kwargs):
        return _with_actor(super().get_form(request, obj, **kwargs), request.user)

    def people_in(self, objects: list) -> list[int]:
        return [pk for link in objects for pk in (link.parent_id, link.student.person_id)]

    def _may(self, request, obj) -> bool:
        return obj is None or obj.parent.user_id is None or obj.parent.user_id != request.user.pk

    def has_change_permission(self, request, obj=None) -> bool:
        return super().has_change_permission(request, obj) and self._may(request, obj)

    def has_delete_permission(self, request, obj=None) -> bool:
        return super().has_delete_permission(request, obj) and self._may(request, obj)

    def save_model(self, request, obj, form, change):
        before = ParentLink.objects.filter(pk=obj.pk).first() if change else None
        super().save_model(request, obj, form, change)
        if before is not None and (before.parent_id, before.student_id, before.kind) == (obj.parent_id, obj.student_id, obj.kind):
            return
        if before is not None:
            _parent_link_logged(request, AccessChange.Action.ROLE_REVOKED, before)
        _parent_link_logged(request, AccessChange.Action.ROLE_GRANTED, obj)

    def delete_model(self, request, obj):
        _parent_link_logged(request, AccessChange.Action.ROLE_REVOKED, obj)
        super().delete_model(request, obj)

    @transaction.atomic
    def delete_queryset(self, request, queryset):
        for link in queryset:
            _parent_link_logged(request, AccessChange.Action.ROLE_REVOKED, link)
        super().delete_queryset(request, queryset)


def _parent_link_logged(request, action: str, link: ParentLink) -> None:
    # The child is named by number: the audit log outlives an erasure and should not keep a minor's name.
    text = f"родитель ({link.get_kind_display()}) обучающегося № {link.student_id}"
    access_change_log(
        actor=request.user, action=action, ip_address=_address(request), target_person=link.parent, description=text,
        changes={"роль": [None, text] if action == AccessChange.Action.ROLE_GRANTED else [text, None]},
    )  # fmt: skip


@admin.register(StaffMembership)
class StaffMembershipAdmin(GrantChoicesMixin, FoldedSearchAdminMixin, PolicyModelAdmin):
    list_display = ["person", "role", "organization", "is_active"]
    list_filter = ["role", "is_active"]
    list_select_related = ["person", "organization"]
    search_fields = ["person__search_text", "organization__search_text"]
    raw_id_fields = ["person"]  # the organisation is a select of exactly those the user may grant a role in
    form = MembershipForm

    def get_form(self, request, obj=None, **kwargs):
        return _with_actor(super().get_form(request, obj, **kwargs), request.user)

    def _may(self, request, obj) -> bool:
        if obj is None:
            return bool(roles_grantable(viewer_for(request.user)))
        return may_change_memberships_of(request.user, obj.person) and may_grant(viewer_for(request.user), obj.role, obj.organization)

    def has_add_permission(self, request) -> bool:
        return super().has_add_permission(request) and self._may(request, None)

    def has_change_permission(self, request, obj=None) -> bool:
        return super().has_change_permission(request, obj) and self._may(request, obj)

    def has_delete_permission(self, request, obj=None) -> bool:
        return super().has_delete_permission(request, obj) and self._may(request, obj)

    def save_model(self, request, obj, form, change):
        # The form checked it; a save checks again, whatever reached it.
        viewer = viewer_for(request.user)
        before = StaffMembership.objects.select_related("organization", "person").filter(pk=obj.pk).first() if change else None
        if before is not None and not self._may(request, before):
            raise PermissionDenied
        if not may_change_memberships_of(request.user, obj.person) or not may_grant(viewer, obj.role, obj.organization):
            raise PermissionDenied
        super().save_model(request, obj, form, change)
        if before is None:
            _membership_logged(request, AccessChange.Action.ROLE_GRANTED, obj)
        elif form.changed_data:
            _membership_logged(request, AccessChange.Action.ROLE_CHANGED, obj, before=before)

    def delete_model(self, request, obj):
        _membership_logged(request, AccessChange.Action.ROLE_REVOKED, obj)
        super().delete_model(request, obj)

    @transaction.atomic
    def delete_queryset(self, request, queryset):
        for membership in queryset.select_related("organization", "person"):
            if not self._may(request, membership):
                raise PermissionDenied
            _membership_logged(request, AccessChange.Action.ROLE_REVOKED, membership)
        super().delete_queryset(request, queryset)


ASSIGNMENT_ROLES = {ClassAssignment.Kind.CLASS_TEACHER: Role.CLASS_TEACHER, ClassAssignment.Kind.NAVIGATOR: Role.TEACHER_NAVIGATOR}


class ClassAssignmentForm(forms.ModelForm):
    """A teacher's class opens that class's students to them: it is granted like the teaching role it goes with."""

    actor = None

    class Meta:
        model = ClassAssignment
        fields = ["school_class", "person", "kind"]

    def clean(self):
        cleaned = super().clean()
        person, school_class, kind = cleaned.get("person"), cleaned.get("school_class"), cleaned.get("kind")
        if person is not None and (refusal := person_refusal(self.actor, person)):
            self.add_error("person", refusal)
        if school_class is not None and kind and not may_grant(viewer_for(self.actor), ASSIGNMENT_ROLES[kind], school_class.school):
            self.add_error("school_class", f"Класс: закреплять педагогов за классами школы «{school_class.school}» вы не можете.")
        return cleaned


@admin.register(ClassAssignment)
class ClassAssignmentAdmin(FoldedSearchAdminMixin, PolicyModelAdmin):
    list_display = ["person", "kind", "school_class"]
    list_select_related = ["person", "school_class__school"]
    search_fields = ["person__search_text", "school_class__school__search_text"]
    list_filter = ["kind"]
    raw_id_fields = ["person", "school_class"]
    form = ClassAssignmentForm

    def get_form(self, request, obj=None, **kwargs):
        return _with_actor(super().get_form(request, obj, **kwargs), request.user)

    def _may(self, request, obj) -> bool:
        if obj is None:
            return True
        role = ASSIGNMENT_ROLES.get(obj.kind)
        return may_change_memberships_of(request.user, obj.person) and may_grant(viewer_for(request.user), role, obj.school_class.school)

    def has_change_permission(self, request, obj=None) -> bool:
        return super().has_change_permission(request, obj) and self._may(request, obj)

    def has_delete_permission(self, request, obj=None) -> bool:
        return super().has_delete_permission(request, obj) and self._may(request, obj)

    def save_model(self, request, obj, form, change):
        before = ClassAssignment.objects.select_related("school_class__school", "person").filter(pk=obj.pk).first() if change else None
        if (before is not None and not self._may(request, before)) or not self._may(request, obj):
            raise PermissionDenied
        super().save_model(request, obj, form, change)
        if before is not None:
            if (before.person_id, before.school_class_id, before.kind) == (obj.person_id, obj.school_class_id, obj.kind):
                return
            _assignment_logged(request, AccessChange.Action.ROLE_REVOKED, before)
        _assignment_logged(request, AccessChange.Action.ROLE_GRANTED, obj)

    def delete_model(self, request, obj):
        _assignment_logged(request, AccessChange.Action.ROLE_REVOKED, obj)
        super().delete_model(request, obj)

    @transaction.atomic
    def delete_queryset(self, request, queryset):
        for assignment in queryset.select_related("school_class__school", "person"):
            if not self._may(request, assignment):
                raise PermissionDenied
            _assignment_logged(request, AccessChange.Action.ROLE_REVOKED, assignment)
        super().delete_queryset(request, queryset)


def _assignment_logged(request, action: str, assignment: ClassAssignment) -> None:
    text = f"{assignment.get_kind_display()}: {assignment.school_class.name} класс, {assignment.school_class.school}"
    access_change_log(
        actor=request.user, action=action, ip_address=_address(request), target_person=assignment.person, description=text,
        changes={"класс": [None, text] if action == AccessChange.Action.ROLE_GRANTED else [text, None]},
    )  # fmt: skip
