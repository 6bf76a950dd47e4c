"""Who may do what with the roadmap, built on access.policy: the one place for these rules. Views and services ask
here; none decides by role itself.

- An organisation's report is filed by its own people in the role that answers for it: the ministry's
  administrator for the ministry, the ЦОПП's staff for the ЦОПП, the municipal coordinator for the municipal
  department, the school coordinator for a school, a partner's representative for a college, university,
  employer or an organisation of additional education.
- The ministry's administrator decides on the items' reports (accepts, returns with a comment, reopens an accepted
  one with a reason); a contribution is decided by the lead executor's people (or the ministry).
- Reports are read by the republic's bodies, by a municipality of its own department's and schools' reports, by an
  organisation of its own, and by the lead executor of an item of every contribution to it.
- The plan is the ministry's: its administrator copies it for a new year and edits the copy; the order's own text is
  never edited.
"""

from django.db.models import Q, QuerySet

from access.policy import Viewer
from orgs.models import Organization
from people.models import Role, StaffMembership
from roadmap.models import Plan, Report

_K = Organization.Kind
PARTNER_KINDS = (_K.COLLEGE, _K.UNIVERSITY, _K.EMPLOYER, _K.ADDITIONAL_EDUCATION, _K.OTHER)
# Which role files an organisation's reports, by the organisation's kind.
FILING_ROLE: dict[str, str] = {
    _K.MINISTRY: Role.MINISTRY_ADMIN,
    _K.REGIONAL_OPERATOR: Role.OPERATOR_STAFF,
    _K.MUNICIPAL_DEPARTMENT: Role.MUNICIPAL_COORDINATOR,
    _K.SCHOOL: Role.SCHOOL_COORDINATOR,
    **dict.fromkeys(PARTNER_KINDS, Role.PARTNER_REPRESENTATIVE),
}


def filer_organization_ids(viewer: Viewer) -> frozenset[int]:
    """The organisations whose reports the viewer files (one indexed query; callers keep it for the request)."""
    if viewer.person_id is None:
        return frozenset()
    rows = StaffMembership.objects.filter(
        person_id=viewer.person_id, is_active=True, organization__is_active=True, role__in=set(FILING_ROLE.values())
    ).values_list("organization_id", "role", "organization__kind")
    return frozenset(org_id for org_id, role, kind in rows if FILING_ROLE.get(kind) == role)


def filer_users(organization_ids) -> dict[int, list]:
    """The accounts that file each organisation's reports: who is told about them."""
    result: dict[int, list] = {}
    memberships = (
        StaffMembership.objects.filter(
            organization_id__in=list(organization_ids), is_active=True, person__user__isnull=False, person__user__is_active=True
        )
        .select_related("person__user", "organization")
        .order_by("pk")
    )
    for membership in memberships:
        if FILING_ROLE.get(membership.organization.kind) == membership.role:
            result.setdefault(membership.organization_id, []).append(membership.person.user)
    return result


def ministry_deciders():
    """The accounts that decide on the items' reports: the ministry's administrators."""
    from accounts.models import User

    return User.objects.filter(
        is_active=True, person__memberships__role=Role.MINISTRY_ADMIN, person__memberships__is_active=True
    ).distinct()


def may_see_roadmap(viewer: Viewer, filer_ids: frozenset[int]) -> bool:
    return viewer.is_republic or bool(viewer.municipality_ids) or bool(filer_ids)


def may_edit_plan(viewer: Viewer, plan: Plan | None = None) -> bool:
    return viewer.is_ministry_admin and (plan is None or not plan.is_source)


def may_copy_plan(viewer: Viewer) -> bool:
    return viewer.is_ministry_admin


def may_file(filer_ids: frozenset[int], organization_id: int) -> bool:
    return organization_id in filer_ids


def may_decide(viewer: Viewer, report: Report, *, filer_ids: frozenset[int], lead_org_id: int | None) -> bool:
    """Accept or return a submitted report, reopen an accepted one: the item's report is the ministry's to decide;
    a contribution the lead executor's (or the ministry's)."""
    if viewer.is_ministry_admin:
        return True
    return not report.is_lead and lead_org_id is not None and lead_org_id in filer_ids


def reports_visible(viewer: Viewer, *, filer_ids: frozenset[int], led_item_ids=()) -> QuerySet[Report]:
    reports = Report.objects.all()
    if viewer.is_republic:
        return reports
    condition = Q(organization_id__in=filer_ids) | Q(period__item_id__in=list(led_item_ids))
    if viewer.municipality_ids:
        condition |= Q(organization__municipality_id__in=viewer.municipality_ids)
    return reports.filter(condition)


def may_read_report(viewer: Viewer, report: Report, *, filer_ids: frozenset[int], led_item_ids=()) -> bool:
    if viewer.is_republic or report.organization_id in filer_ids or report.period.item_id in set(led_item_ids):
        return True
    return report.organization.municipality_id is not None and report.organization.municipality_id in viewer.municipality_ids
