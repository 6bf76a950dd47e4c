"""Issue 7, point 1 «The admin cannot escalate»: every way a person who may open the admin could raise their own
rights (or someone's above their own) is tried for each role that opens it — the ministry's administrator, ЦОПП's
staff, a superuser — and refused; the grants within the table work and every change of a role or a password is
in the audit log, which nobody edits."""

import pytest

from access.models import AccessChange
from access.tests.admin_forms import form_of, select_options
from accounts.models import ApiToken, User
from conftest import PASSWORD
from people.models import ClassAssignment, ParentLink, Person, Role, StaffMembership

ADMINS = ("ministry_admin", "operator", "superuser")
ROOT_PASSWORD = "Пароль-суперпользователя-1"


@pytest.fixture
def root(cast) -> User:
    return User.objects.create_superuser(username="root", email="root@test.local", password=ROOT_PASSWORD)


def admin_user(cast, root, name: str) -> User:
    return root if name == "superuser" else cast.user(name)


def change_form(client, url: str, form_id: str) -> dict:
    response = client.get(url)
    assert response.status_code == 200, url
    return form_of(response.content.decode(), form_id)


def membership_post(person: Person, organization, role: str) -> dict:
    return {"person": str(person.pk), "organization": str(organization.pk), "role": role, "is_active": "on"}


def memberships_of(person: Person) -> set[tuple[str, str]]:
    return set(StaffMembership.objects.filter(person=person).values_list("role", "organization__short_name"))


# --- a superuser's account ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["ministry_admin", "operator"])
def test_nobody_but_a_superuser_sets_a_superusers_password(client, cast, root, name):
    """Issue 7, point 1: ЦОПП's staff set a superuser's password in the admin and then signed in as them."""
    client.force_login(cast.user(name))
    url = f"/admin/accounts/user/{root.pk}/password/"
    assert client.get(url).status_code == 403
    response = client.post(url, {"password1": "Захват-пароля-123", "password2": "Захват-пароля-123", "usable_password": "true"})
    assert response.status_code == 403
    root.refresh_from_db()
    assert root.check_password(ROOT_PASSWORD)
    assert not AccessChange.objects.exists()


@pytest.mark.parametrize("name", ["ministry_admin", "operator"])
def test_nobody_but_a_superuser_changes_a_superusers_account(client, cast, root, name):
    """Issue 7, point 1: a superuser's e-mail (a password reset goes there), activity and login are not theirs to change."""
    client.force_login(cast.user(name))
    page = client.get(f"/admin/accounts/user/{root.pk}/change/")
    assert page.status_code == 200 and 'name="_save"' not in page.content.decode()  # shown read-only
    data = {"username": "root", "email": "taken@evil.example", "first_name": "", "last_name": "", "date_joined_0": "01.09.2025",
            "date_joined_1": "10:00:00"}  # fmt: skip
    assert client.post(f"/admin/accounts/user/{root.pk}/change/", data).status_code == 403
    assert client.post(f"/admin/accounts/user/{root.pk}/delete/", {"post": "yes"}).status_code == 403
    root.refresh_from_db()
    assert root.email == "root@test.local" and root.is_active


@pytest.mark.parametrize("name", ["ministry_admin", "operator"])
def test_only_a_superuser_makes_a_superuser_even_with_a_hand_made_post(client, cast, root, name):
    """Issue 7, point 1: the superuser and staff flags are not in a non-superuser's form, and a POST that adds them
    changes nothing."""
    client.force_login(cast.user(name))
    target = cast.user("coordinator_a1")
    url = f"/admin/accounts/user/{target.pk}/change/"
    data = change_form(client, url, "user_form")
    assert "is_superuser" not in data and "is_staff" not in data
    data.update(is_superuser="on", is_staff="on", email="coordinator.a1@test.local")
    assert client.post(url, data).status_code == 302
    target.refresh_from_db()
    assert (target.is_superuser, target.is_staff, target.email) == (False, False, "coordinator.a1@test.local")
    entry = AccessChange.objects.get(action=AccessChange.Action.ACCOUNT_CHANGED)
    assert entry.changes == {"адрес электронной почты": ["coordinator_a1@test.local", "coordinator.a1@test.local"]}


def test_a_superuser_makes_a_superuser_and_it_is_logged(client, cast, root):
    client.force_login(root)
    target = cast.user("operator")
    url = f"/admin/accounts/user/{target.pk}/change/"
    data = change_form(client, url, "user_form")
    data.update(is_superuser="on")
    assert client.post(url, data, REMOTE_ADDR="10.0.0.7").status_code == 302
    target.refresh_from_db()
    assert target.is_superuser
    entry = AccessChange.objects.get()
    assert (entry.actor, entry.target_user, entry.action, entry.ip_address) == (root, target, "account_changed", "10.0.0.7")
    assert entry.changes == {"статус суперпользователя": ["нет", "да"]}


# --- one's own rights ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ADMINS)
def test_nobody_grants_themselves_a_role(client, cast, root, name):
    """Issue 7, point 1: ЦОПП's staff gave themselves a ministry-administrator membership and then created normative
    versions. Nobody edits their own memberships — not even within what they may grant others."""
    user = admin_user(cast, root, name)
    person = Person.objects.filter(user=user).first() or Person.objects.create(last_name="Рутов", first_name="Рут", user=user)
    client.force_login(user)
    before = memberships_of(person)
    for role, org in ((Role.MINISTRY_ADMIN, "ministry"), (Role.CLASS_TEACHER, "a1")):
        response = client.post("/admin/people/staffmembership/add/", membership_post(person, cast.orgs[org], role))
        assert response.status_code == 200 and "Свои роли изменить нельзя" in response.content.decode()
    # Nor through their own person's page, nor by touching a membership they hold.
    assert client.post(f"/admin/people/person/{person.pk}/change/", {}).status_code == 403
    for membership in StaffMembership.objects.filter(person=person):
        assert client.post(f"/admin/people/staffmembership/{membership.pk}/delete/", {"post": "yes"}).status_code == 403
    assert memberships_of(person) == before
    client.get("/")  # the viewer is computed afresh on the next request
    assert not AccessChange.objects.exists()


@pytest.mark.parametrize("name", ADMINS)
def test_nobody_changes_their_own_account_or_password_in_the_admin(client, cast, root, name):
    user = admin_user(cast, root, name)
    client.force_login(user)
    url = f"/admin/accounts/user/{user.pk}/password/"
    assert (
        client.post(url, {"password1": "Новый-пароль-123", "password2": "Новый-пароль-123", "usable_password": "true"}).status_code == 403
    )
    assert client.post(f"/admin/accounts/user/{user.pk}/change/", {"username": user.username}).status_code == 403


def test_operator_cannot_take_over_the_ministry_administrators_person(client, cast):
    """Issue 7, point 1: linking one's own account to the minister's person would give it the minister's roles; so
    would linking the minister's account to a person one controls."""
    operator, minister = cast.user("operator"), cast.user("ministry_admin")
    client.force_login(operator)
    minister_person = minister.person
    assert client.post(f"/admin/people/person/{minister_person.pk}/change/", {"user": str(operator.pk)}).status_code == 403
    data = {"last_name": "Подставной", "first_name": "Пётр", "user": str(minister.pk), "memberships-TOTAL_FORMS": "0",
            "memberships-INITIAL_FORMS": "0"}  # fmt: skip
    response = client.post("/admin/people/person/add/", data)
    assert response.status_code == 200 and "вы менять не можете" in response.content.decode()
    # A new person holding the ministry's role, linked to nobody yet, is refused row by row.
    data = {"last_name": "Подставной", "first_name": "Пётр", "user": "", "memberships-TOTAL_FORMS": "1",
            "memberships-INITIAL_FORMS": "0", "memberships-0-organization": str(cast.orgs["ministry"].pk),
            "memberships-0-role": Role.MINISTRY_ADMIN, "memberships-0-is_active": "on"}  # fmt: skip
    response = client.post("/admin/people/person/add/", data)
    assert response.status_code == 200 and not Person.objects.filter(last_name="Подставной").exists()
    minister_person.refresh_from_db()
    assert minister_person.user == minister


# --- roles above one's own or outside one's territory ----------------------------------------------------------------


def test_operator_grants_no_ministry_role_and_none_in_the_wrong_kind_of_organisation(client, cast):
    """Issue 7, point 1: ЦОПП's staff grant roles of organisations other than the ministry; a role is held only in
    an organisation of its kind (a ministry administrator «of a school» would see the republic)."""
    client.force_login(cast.user("operator"))
    page = client.get("/admin/people/staffmembership/add/").content.decode()
    offered = select_options(page, "role")
    assert Role.MINISTRY_ADMIN not in offered and Role.MINISTRY_ANALYST not in offered
    assert Role.CLASS_TEACHER in offered and Role.OPERATOR_STAFF in offered
    organizations = set(select_options(page, "organization")) - {""}
    assert organizations == {str(org.pk) for key, org in cast.orgs.items() if key != "ministry"}
    someone = cast.user("parent_b1").person
    for role, org in ((Role.MINISTRY_ADMIN, "ministry"), (Role.MINISTRY_ANALYST, "ministry"), (Role.MINISTRY_ADMIN, "a1"),
                      (Role.OPERATOR_STAFF, "a1"), (Role.MUNICIPAL_COORDINATOR, "a1")):  # fmt: skip
        response = client.post("/admin/people/staffmembership/add/", membership_post(someone, cast.orgs[org], role))
        assert response.status_code == 200, (role, org)
    assert memberships_of(someone) == set()


def test_operator_cannot_change_or_revoke_the_ministrys_roles(client, cast):
    client.force_login(cast.user("operator"))
    analyst = StaffMembership.objects.get(person=cast.user("ministry_analyst").person)
    url = f"/admin/people/staffmembership/{analyst.pk}/change/"
    assert 'name="_save"' not in client.get(url).content.decode()
    assert client.post(url, membership_post(analyst.person, cast.orgs["ministry"], Role.MINISTRY_ADMIN)).status_code == 403
    # Nor move the membership to themselves, nor switch it off, nor delete it (one by one or with the list's action).
    assert client.post(url, membership_post(cast.user("operator").person, cast.orgs["ministry"], Role.MINISTRY_ANALYST)).status_code == 403
    assert client.post(f"/admin/people/staffmembership/{analyst.pk}/delete/", {"post": "yes"}).status_code == 403
    client.post("/admin/people/staffmembership/", {"action": "delete_selected", "_selected_action": [analyst.pk], "post": "yes"})
    analyst.refresh_from_db()
    assert (analyst.role, analyst.is_active, analyst.person) == (Role.MINISTRY_ANALYST, True, cast.user("ministry_analyst").person)
    assert not AccessChange.objects.exists()


@pytest.mark.parametrize("name", ["ministry_admin", "operator"])
def test_the_ministrys_accounts_are_beyond_the_operator_and_the_operators_within_the_minister(client, cast, name):
    """Issue 7, point 1: a password is set only for an account whose roles are all ones the setter may grant."""
    client.force_login(cast.user(name))
    target = cast.user("ministry_admin" if name == "operator" else "operator")
    allowed = name == "ministry_admin"
    url = f"/admin/accounts/user/{target.pk}/password/"
    response = client.post(url, {"password1": "Новый-пароль-987", "password2": "Новый-пароль-987", "usable_password": "true"})
    assert response.status_code == (302 if allowed else 403)
    target.refresh_from_db()
    assert target.check_password("Новый-пароль-987") is allowed
    assert AccessChange.objects.filter(action="password_changed", target_user=target).count() == int(allowed)


def test_an_api_token_cannot_be_moved_to_another_account(client, cast):
    """Issue 7, point 1: a token of one's own, moved in the admin to the minister's account, would sign its holder in
    as the minister. Tokens are only revoked in the admin."""
    operator = cast.user("operator")
    token = ApiToken.objects.create(user=operator, name="скрипт", key_hash=ApiToken.hash_key("pn_x"), prefix="pn_x")
    client.force_login(operator)
    url = f"/admin/accounts/apitoken/{token.pk}/change/"
    assert client.post(url, {"user": str(cast.user("ministry_admin").pk), "name": "скрипт"}).status_code == 403
    assert client.post("/admin/accounts/apitoken/add/", {"user": str(cast.user("ministry_admin").pk), "name": "x"}).status_code == 403
    token.refresh_from_db()
    assert token.user == operator


def test_operator_cannot_make_themselves_a_parent_or_a_class_teacher(client, cast):
    """Issue 7, point 1: a parent link or a class assignment of one's own is one's own rights too."""
    operator = cast.user("operator")
    client.force_login(operator)
    student = cast.students["a1_8a_0"]
    response = client.post("/admin/people/parentlink/add/", {"parent": operator.person.pk, "student": student.pk, "kind": "father"})
    assert response.status_code == 200 and not ParentLink.objects.filter(parent=operator.person).exists()
    response = client.post(
        "/admin/people/classassignment/add/",
        {"person": operator.person.pk, "school_class": cast.classes["a1_8a"].pk, "kind": "class_teacher"},
    )
    assert response.status_code == 200 and not ClassAssignment.objects.filter(person=operator.person).exists()


@pytest.mark.parametrize("name", ["municipal_a", "coordinator_a1", "ministry_analyst", "class_teacher_a1", "staff_flag_only"])
def test_no_one_else_opens_the_admin(client, cast, name):
    """Whoever else might try: the admin is a 404 for every other role, and the staff flag alone opens nothing."""
    if name == "staff_flag_only":
        user = User.objects.create_user(username="staff_flag_only", password=PASSWORD, is_staff=True)
    else:
        user = cast.user(name)
    client.force_login(user)
    assert client.get("/admin/", follow=True).status_code == 404
    person = cast.user("parent_a1").person
    response = client.post("/admin/people/staffmembership/add/", membership_post(person, cast.orgs["ministry"], Role.MINISTRY_ADMIN))
    assert response.status_code == 302 and response.url.startswith("/admin/login/")  # which answers 404 to the signed-in
    assert memberships_of(person) == set()


# --- the legitimate grants ---------------------------------------------------------------------------------------------


def test_operator_grants_a_school_role_and_it_is_logged(client, cast):
    client.force_login(cast.user("operator"))
    person = Person.objects.create(last_name="Новикова", first_name="Нина")
    response = client.post("/admin/people/staffmembership/add/", membership_post(person, cast.orgs["a2"], Role.CLASS_TEACHER),
                           REMOTE_ADDR="192.0.2.10")  # fmt: skip
    assert response.status_code == 302
    assert memberships_of(person) == {(Role.CLASS_TEACHER, "Школа № 2 г. Альфа")}
    entry = AccessChange.objects.get()
    assert (entry.actor, entry.actor_username, entry.target_person, entry.action) == (
        cast.user("operator"),
        "operator",
        person,
        "role_granted",
    )
    assert entry.ip_address == "192.0.2.10" and entry.description == "классный руководитель, Школа № 2 г. Альфа"


def test_operator_changes_and_revokes_roles_on_the_persons_page_and_each_is_logged(client, cast):
    client.force_login(cast.user("operator"))
    teacher = cast.user("class_teacher_a1")
    person = teacher.person
    url = f"/admin/people/person/{person.pk}/change/"
    data = change_form(client, url, "person_form")
    data.update({"memberships-0-role": Role.TEACHER_NAVIGATOR, "memberships-TOTAL_FORMS": "2", "memberships-1-organization": str(cast.orgs["a2"].pk),
                 "memberships-1-role": Role.PSYCHOLOGIST, "memberships-1-is_active": "on", "memberships-1-person": str(person.pk)})  # fmt: skip
    assert client.post(url, data).status_code == 302
    assert memberships_of(person) == {(Role.TEACHER_NAVIGATOR, "Школа № 1 г. Альфа"), (Role.PSYCHOLOGIST, "Школа № 2 г. Альфа")}
    actions = sorted(AccessChange.objects.values_list("action", flat=True))
    assert actions == ["role_changed", "role_granted"]
    changed = AccessChange.objects.get(action="role_changed")
    assert changed.target_user == teacher and changed.changes == {"роль": ["классный руководитель", "педагог-навигатор"]}

    membership = StaffMembership.objects.get(person=person, role=Role.PSYCHOLOGIST)
    assert client.post(f"/admin/people/staffmembership/{membership.pk}/delete/", {"post": "yes"}).status_code == 302
    revoked = AccessChange.objects.get(action="role_revoked")
    assert revoked.changes == {"роль": ["педагог-психолог, Школа № 2 г. Альфа", None]}


def test_the_ministrys_administrator_grants_the_ministrys_roles(client, cast):
    client.force_login(cast.user("ministry_admin"))
    person = Person.objects.create(last_name="Статистикова", first_name="Софья")
    response = client.post("/admin/people/staffmembership/add/", membership_post(person, cast.orgs["ministry"], Role.MINISTRY_ANALYST))
    assert response.status_code == 302 and memberships_of(person) == {(Role.MINISTRY_ANALYST, "Министерство образования")}


def test_operator_sets_a_coordinators_password_and_it_is_logged_without_the_password(client, cast):
    client.force_login(cast.user("operator"))
    target = cast.user("coordinator_b1")
    response = client.post(f"/admin/accounts/user/{target.pk}/password/", {"password1": "Временный-пароль-42", "password2": "Временный-пароль-42",
                           "usable_password": "true"}, REMOTE_ADDR="198.51.100.4")  # fmt: skip
    assert response.status_code == 302
    target.refresh_from_db()
    assert target.check_password("Временный-пароль-42")
    entry = AccessChange.objects.get()
    assert (entry.action, entry.target_user, entry.ip_address) == ("password_changed", target, "198.51.100.4")
    assert "Временный" not in str(entry.changes) and "Временный" not in entry.description


# --- the audit log is evidence -------------------------------------------------------------------------------------


def test_the_audit_log_is_read_only_even_for_a_superuser(client, cast, root):
    """Issue 7, point 1: «an audit log that cannot be edited from the admin»."""
    entry = AccessChange.objects.create(actor=root, actor_username="root", action="role_granted", description="проверка")
    client.force_login(root)
    assert client.get("/admin/access/accesschange/").status_code == 200
    page = client.get(f"/admin/access/accesschange/{entry.pk}/change/").content.decode()
    assert "проверка" in page and 'name="_save"' not in page
    assert client.get("/admin/access/accesschange/add/").status_code == 403
    assert client.post(f"/admin/access/accesschange/{entry.pk}/change/", {"description": "подчищено"}).status_code == 403
    assert client.post(f"/admin/access/accesschange/{entry.pk}/delete/", {"post": "yes"}).status_code == 403
    client.post("/admin/access/accesschange/", {"action": "delete_selected", "_selected_action": [entry.pk], "post": "yes"})
    entry.refresh_from_db()
    assert entry.description == "проверка"


def test_an_organisations_kind_and_activity_do_not_change_its_staffs_rights_behind_the_log(client, cast):
    """Issue 7, point 1: switching the ministry off (or making it another kind of organisation) in its admin form would
    take its administrator's rights away with no entry in the audit log; with staff, those fields are read-only."""
    client.force_login(cast.user("operator"))
    ministry = cast.orgs["ministry"]
    url = f"/admin/orgs/organization/{ministry.pk}/change/"
    page = client.get(url).content.decode()
    data = form_of(page, "organization_form")
    assert not {"kind", "is_active"} & set(data)
    assert "роли сотрудников выдают и отзывают по одной" in page
    data.update(kind="other", short_name="Минобр")  # is_active: an unticked box is simply absent
    assert client.post(url, data).status_code == 302
    ministry.refresh_from_db()
    assert (ministry.kind, ministry.is_active, ministry.short_name) == ("ministry", True, "Минобр")
    department = cast.orgs["dept_a"]
    data = form_of(client.get(f"/admin/orgs/organization/{department.pk}/change/").content.decode(), "organization_form")
    assert "municipality" not in data  # its coordinator's territory


@pytest.mark.parametrize("name", ADMINS)
def test_every_admin_page_opens_for_each_admin_role(client, cast, root, name):
    """The rules above narrow what is offered; no page of the admin breaks for the roles that open it."""
    from django.contrib import admin

    client.force_login(admin_user(cast, root, name))
    assert client.get("/admin/").status_code == 200
    for model in admin.site._registry:
        if model._meta.app_label not in {"accounts", "access", "people", "orgs"}:
            continue  # Django's groups are a superuser's; other apps test their own admin pages
        base = f"/admin/{model._meta.app_label}/{model._meta.model_name}/"
        assert client.get(base).status_code == 200, base
        assert client.get(f"{base}add/").status_code in (200, 403), base
        obj = model.objects.order_by("pk").first()
        if obj is not None:
            assert client.get(f"{base}{obj.pk}/change/").status_code == 200, base


def test_an_account_created_or_deleted_in_the_admin_is_logged(client, cast):
    client.force_login(cast.user("operator"))
    data = {"username": "novaya", "usable_password": "true", "password1": "Пароль-новой-1", "password2": "Пароль-новой-1",
            "email": "novaya@test.local", "must_change_password": "on", "is_superuser": "on"}  # fmt: skip
    assert client.post("/admin/accounts/user/add/", data).status_code == 302
    created = User.objects.get(username="novaya")
    assert created.must_change_password and not created.is_superuser
    assert client.post(f"/admin/accounts/user/{created.pk}/delete/", {"post": "yes"}).status_code == 302
    entries = list(AccessChange.objects.order_by("pk").values_list("action", "target_username", "target_user"))
    assert entries == [("account_created", "novaya", None), ("account_deleted", "novaya", None)]  # the link is cut, the login stays
