"""Who may grant which role where (access.policy's grant table), cell by cell: every cast user against every role in
every organisation of the cast, the expected cells written out by hand from the issue's Decisions; and whose account
each may change."""

import pytest

from access.policy import may_change_account, may_grant, organizations_grantable, roles_grantable, viewer_for
from accounts.models import User
from people.models import Role

ORGS = ("ministry", "copp", "dept_a", "dept_b", "a1", "a2", "b1", "employer_a", "employer_b", "college")
SCHOOLS = {"a1", "a2", "b1"}
PARTNERS = {"employer_a", "employer_b", "college"}

# Where each role is held (organisations of the cast).
HELD_IN = {
    Role.MINISTRY_ADMIN: {"ministry"},
    Role.MINISTRY_ANALYST: {"ministry"},
    Role.OPERATOR_STAFF: {"copp"},
    Role.MUNICIPAL_COORDINATOR: {"dept_a", "dept_b"},
    Role.SCHOOL_COORDINATOR: SCHOOLS,
    Role.PSYCHOLOGIST: SCHOOLS,
    Role.TEACHER_NAVIGATOR: SCHOOLS,
    Role.CLASS_TEACHER: SCHOOLS,
    Role.PARTNER_REPRESENTATIVE: PARTNERS,
    Role.JURY_EXPERT: {"copp"} | PARTNERS,
}
EVERY_CELL = {(role, org) for role, orgs in HELD_IN.items() for org in orgs}
TEACHERS = (Role.PSYCHOLOGIST, Role.TEACHER_NAVIGATOR, Role.CLASS_TEACHER)
SCHOOL_ROLES = (Role.SCHOOL_COORDINATOR, *TEACHERS)

GRANTS = {
    "superuser": EVERY_CELL,
    "ministry_admin": EVERY_CELL,
    "operator": {(role, org) for role, org in EVERY_CELL if role not in (Role.MINISTRY_ADMIN, Role.MINISTRY_ANALYST)},
    "municipal_a": {(role, org) for role in SCHOOL_ROLES for org in ("a1", "a2")},
    "municipal_b": {(role, "b1") for role in SCHOOL_ROLES},
    "coordinator_a1": {(role, "a1") for role in TEACHERS},
    "coordinator_b1": {(role, "b1") for role in TEACHERS},
    "ministry_analyst": set(),
    "psychologist_a1": set(),
    "class_teacher_a1": set(),
    "navigator_a1": set(),
    "partner_a": set(),
    "jury": set(),
    "parent_a1": set(),
    "student_a1": set(),
}


def _user(cast, name: str) -> User:
    if name == "superuser":
        return User.objects.create_superuser(username="root", email="root@test.local", password="Пароль-рута-1")
    return cast.user(name)


@pytest.mark.parametrize("grantor", sorted(GRANTS))
def test_each_grantor_grants_exactly_its_cells(cast, grantor):
    """Issue 7, point 1 «The admin cannot escalate»: the grant table, cell by cell."""
    viewer = viewer_for(_user(cast, grantor))
    granted = {(role, org) for role in Role.values for org in ORGS if may_grant(viewer, role, cast.orgs[org])}
    assert granted - GRANTS[grantor] == set(), "granted beyond the table"
    assert GRANTS[grantor] - granted == set(), "refused within the table"
    assert set(roles_grantable(viewer)) == {role for role, _ in GRANTS[grantor]}
    for role in Role.values:
        offered = set(organizations_grantable(viewer, role).values_list("pk", flat=True))
        assert offered == {cast.orgs[org].pk for r, org in GRANTS[grantor] if r == role}, role


def test_nobody_grants_a_role_in_no_organisation(cast):
    assert not may_grant(viewer_for(cast.user("ministry_admin")), Role.CLASS_TEACHER, None)


# Whose account each may change (its password, flags, e-mail): never their own, a superuser's only as a superuser,
# otherwise an account whose every role they may grant and whose children or own student record they see.
ACCOUNTS = (
    "superuser2", "ministry_admin", "ministry_analyst", "operator", "jury", "municipal_a", "municipal_b", "coordinator_a1",
    "coordinator_a2", "psychologist_a1", "class_teacher_a1", "navigator_b1", "partner_a", "parent_a1", "parent_b1",
    "student_a1", "student_b1", "no_person",
)  # fmt: skip
ALL_BUT_SUPERUSERS = set(ACCOUNTS) - {"superuser2"}
MAY_CHANGE = {
    "superuser": set(ACCOUNTS),
    "ministry_admin": ALL_BUT_SUPERUSERS - {"ministry_admin"},
    "operator": ALL_BUT_SUPERUSERS - {"ministry_admin", "ministry_analyst", "operator"},
    "municipal_a": {"coordinator_a1", "coordinator_a2", "psychologist_a1", "class_teacher_a1", "parent_a1", "student_a1"},
    "coordinator_a1": {"psychologist_a1", "class_teacher_a1", "parent_a1", "student_a1"},
    "ministry_analyst": set(),
    "class_teacher_a1": set(),
    "parent_a1": set(),
}


@pytest.mark.parametrize("actor", sorted(MAY_CHANGE))
def test_whose_account_each_may_change(cast, actor):
    """Issue 7, point 1: «only a superuser changes a superuser», nobody changes their own account in the admin, and
    a password is set only for an account whose rights are all within what the one who sets it may grant."""
    User.objects.create_superuser(username="superuser2", email="s2@test.local", password="Пароль-рута-2")
    User.objects.create_user(username="no_person", email="np@test.local", password="Пароль-без-человека-1")
    user = _user(cast, actor)
    changeable = {name for name in ACCOUNTS if may_change_account(user, User.objects.get(username=name))}
    assert changeable == MAY_CHANGE[actor]
    assert not may_change_account(user, user)
