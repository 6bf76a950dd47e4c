"""Reads the API needs that no domain app offers yet, narrowed by the access policy like every other read."""

from dataclasses import dataclass

from access.policy import ROLE_LABELS, organizations_visible, viewer_for
from accounts.models import User
from orgs.models import Organization
from people.models import Person


@dataclass(frozen=True)
class RoleLabel:
    code: str
    label: str


@dataclass(frozen=True)
class Me:
    username: str
    full_name: str
    email: str
    roles: list[RoleLabel]
    organizations: list[Organization]


def me_get(*, user: User) -> Me:
    """The signed-in user as they see themselves: name, roles and the organisations they belong to."""
    viewer = viewer_for(user)
    person = Person.objects.filter(user=user).first()
    organizations = organizations_visible(viewer).filter(pk__in=viewer.home_org_ids).order_by("short_name")
    return Me(
        username=user.username,
        full_name=person.full_name if person else user.get_full_name(),
        email=user.email,
        roles=[RoleLabel(code=role, label=ROLE_LABELS[role]) for role in viewer.roles],
        organizations=list(organizations),
    )
