"""The access policy: the one place that says what a signed-in person may see and change.

Every selector, page, export and API endpoint narrows its query through the functions below, so a
foreign object is simply not found (404), never shown and then hidden. A person's scope is the union of
what each of their roles grants:

- ministry staff and the regional operator: the whole republic;
- a municipal coordinator: the schools of their municipality and the students in them;
- a school coordinator or psychologist: their school;
- a class teacher or teacher-navigator: the classes they are assigned to (this school year);
- a parent: their own children; a student: themselves;
- a partner representative: their own organisation; a jury expert: no student data.
"""

from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.db.models import Exists, OuterRef, Q, QuerySet, Subquery

from orgs.models import Municipality, Organization, SchoolClass
from people.models import ClassAssignment, ParentLink, Person, Role, StaffMembership, Student

STUDENT = "student"
PARENT = "parent"

REPUBLIC_ROLES = {Role.MINISTRY_ADMIN, Role.MINISTRY_ANALYST, Role.OPERATOR_STAFF}
SCHOOL_WIDE_ROLES = {Role.SCHOOL_COORDINATOR, Role.PSYCHOLOGIST}
TEACHING_ROLES = {Role.CLASS_TEACHER, Role.TEACHER_NAVIGATOR}
# The order in which a person with several roles lands: the widest responsibility first.
ROLE_ORDER = [
    Role.MINISTRY_ADMIN, Role.MINISTRY_ANALYST, Role.OPERATOR_STAFF, Role.MUNICIPAL_COORDINATOR,
    Role.SCHOOL_COORDINATOR, Role.PSYCHOLOGIST, Role.TEACHER_NAVIGATOR, Role.CLASS_TEACHER,
    Role.PARTNER_REPRESENTATIVE, Role.JURY_EXPERT, PARENT, STUDENT,
]  # fmt: skip
ROLE_LABELS = {**dict(Role.choices), PARENT: "родитель", STUDENT: "обучающийся"}


@dataclass(frozen=True)
class Viewer:
    """What one signed-in user may see, computed once per request from their memberships."""

    user_id: int | None
    person_id: int | None = None
    roles: tuple[str, ...] = ()
    is_republic: bool = False
    is_ministry_admin: bool = False
    municipality_ids: frozenset[int] = field(default_factory=frozenset)
    school_ids: frozenset[int] = field(default_factory=frozenset)  # whole school visible
    class_ids: frozenset[int] = field(default_factory=frozenset)  # own classes
    staff_school_ids: frozenset[int] = field(default_factory=frozenset)  # schools the person works in
    coordinated_school_ids: frozenset[int] = field(default_factory=frozenset)  # school coordinator of
    own_student_id: int | None = None
    child_student_ids: frozenset[int] = field(default_factory=frozenset)
    partner_org_ids: frozenset[int] = field(default_factory=frozenset)
    home_org_ids: frozenset[int] = field(default_factory=frozenset)  # organisations the person belongs to

    @property
    def is_authenticated(self) -> bool:
        return self.user_id is not None

    @property
    def primary_role(self) -> str | None:
        return self.roles[0] if self.roles else None

    def has_role(self, *roles: str) -> bool:
        return any(role in self.roles for role in roles)


ANONYMOUS = Viewer(user_id=None)


def viewer_for(user) -> Viewer:
    """The viewer for a user, cached on the user object for the rest of the request."""
    if user is None or not user.is_authenticated:
        return ANONYMOUS
    cached = getattr(user, "_profnav_viewer", None)
    if cached is not None:
        return cached
    viewer = _build_viewer(user)
    user._profnav_viewer = viewer
    return viewer


def _build_viewer(user) -> Viewer:
    # The person, whether they are a student and whether they have children, in one query: every request of a
    # signed-in person builds its viewer, and this was three.
    person = (
        Person.objects.filter(user=user)
        .annotate(
            own_student=Subquery(Student.objects.filter(person=OuterRef("pk")).order_by("id").values("id")[:1]),
            has_children=Exists(ParentLink.objects.filter(parent=OuterRef("pk"))),
        )
        .only("id")
        .first()
    )
    if person is None:
        # A superuser without a person record administers the system: it sees the republic.
        if user.is_superuser:
            return Viewer(user_id=user.pk, roles=(Role.MINISTRY_ADMIN,), is_republic=True, is_ministry_admin=True)
        return Viewer(user_id=user.pk)

    memberships = list(
        StaffMembership.objects.filter(person=person, is_active=True, organization__is_active=True).values_list(
            "role", "organization_id", "organization__kind", "organization__municipality_id"
        )
    )
    roles: set[str] = set()
    municipality_ids: set[int] = set()
    school_ids: set[int] = set()
    staff_school_ids: set[int] = set()
    coordinated_school_ids: set[int] = set()
    partner_org_ids: set[int] = set()
    home_org_ids: set[int] = set()
    for role, org_id, org_kind, municipality_id in memberships:
        roles.add(role)
        home_org_ids.add(org_id)
        if role == Role.MUNICIPAL_COORDINATOR and municipality_id:
            municipality_ids.add(municipality_id)
        if org_kind == Organization.Kind.SCHOOL:
            staff_school_ids.add(org_id)
            if role in SCHOOL_WIDE_ROLES:
                school_ids.add(org_id)
            if role == Role.SCHOOL_COORDINATOR:
                coordinated_school_ids.add(org_id)
        if role == Role.PARTNER_REPRESENTATIVE:
            partner_org_ids.add(org_id)

    class_ids: set[int] = set()
    if roles & TEACHING_ROLES:
        class_ids = set(
            ClassAssignment.objects.filter(
                person=person, school_class__school_year__is_current=True, school_class__school_id__in=staff_school_ids
            ).values_list("school_class_id", flat=True)
        )

    own_student_id = person.own_student
    if own_student_id:
        roles.add(STUDENT)
    child_ids = set(ParentLink.objects.filter(parent=person).values_list("student_id", flat=True)) if person.has_children else set()
    if child_ids:
        roles.add(PARENT)
    if user.is_superuser:
        roles.add(Role.MINISTRY_ADMIN)

    return Viewer(
        user_id=user.pk,
        person_id=person.pk,
        roles=tuple(role for role in ROLE_ORDER if role in roles),
        is_republic=bool(roles & REPUBLIC_ROLES),
        is_ministry_admin=Role.MINISTRY_ADMIN in roles,
        municipality_ids=frozenset(municipality_ids),
        school_ids=frozenset(school_ids),
        class_ids=frozenset(class_ids),
        staff_school_ids=frozenset(staff_school_ids),
        coordinated_school_ids=frozenset(coordinated_school_ids),
        own_student_id=own_student_id,
        child_student_ids=frozenset(child_ids),
        partner_org_ids=frozenset(partner_org_ids),
        home_org_ids=frozenset(home_org_ids),
    )


# --- what may be seen -------------------------------------------------------------------------------


def _territory(viewer: Viewer, *, municipality: str, school: str, school_class: str) -> Q:
    """The municipality-, school- and class-wide grants, on the given lookups of the queried model."""
    condition = Q(pk__in=[])
    if viewer.municipality_ids:
        condition |= Q(**{f"{municipality}__in": viewer.municipality_ids})
    if viewer.school_ids:
        condition |= Q(**{f"{school}__in": viewer.school_ids})
    if viewer.class_ids:
        condition |= Q(**{f"{school_class}__in": viewer.class_ids})
    return condition


def students_visible(viewer: Viewer) -> QuerySet[Student]:
    """Students whose personal data the viewer may read."""
    students = Student.objects.all()
    if viewer.is_republic:
        return students
    condition = _territory(
        viewer, municipality="current_school__municipality_id", school="current_school_id", school_class="current_class_id"
    )
    if viewer.child_student_ids:
        condition |= Q(pk__in=viewer.child_student_ids)
    if viewer.own_student_id:
        condition |= Q(pk=viewer.own_student_id)
    return students.filter(condition)


def schools_visible(viewer: Viewer) -> QuerySet[Organization]:
    """Schools whose workspace (classes, staff, figures) the viewer may open."""
    schools = Organization.objects.filter(kind=Organization.Kind.SCHOOL)
    if viewer.is_republic:
        return schools
    condition = Q(pk__in=[])
    if viewer.municipality_ids:
        condition |= Q(municipality_id__in=viewer.municipality_ids)
    if viewer.school_ids or viewer.staff_school_ids:
        condition |= Q(pk__in=viewer.school_ids | viewer.staff_school_ids)
    return schools.filter(condition)


def organizations_visible(viewer: Viewer) -> QuerySet[Organization]:
    """Organisation cards: schools as above; colleges, universities, employers and the republic's bodies
    are public facts of the network, visible to every signed-in person."""
    public_kinds = [kind for kind in Organization.Kind.values if kind != Organization.Kind.SCHOOL]
    return Organization.objects.filter(Q(kind__in=public_kinds) | Q(pk__in=schools_visible(viewer).values("pk")))


def municipalities_visible(viewer: Viewer) -> QuerySet[Municipality]:
    """Municipalities whose figures the viewer may open."""
    if viewer.is_republic:
        return Municipality.objects.all()
    return Municipality.objects.filter(pk__in=viewer.municipality_ids)


def classes_visible(viewer: Viewer) -> QuerySet[SchoolClass]:
    """Classes whose student list the viewer may open."""
    classes = SchoolClass.objects.all()
    if viewer.is_republic:
        return classes
    return classes.filter(_territory(viewer, municipality="school__municipality_id", school="school_id", school_class="pk"))


# --- what may be changed ----------------------------------------------------------------------------


def can_manage_school(viewer: Viewer, school: Organization) -> bool:
    """Coordinate the school's профминимум: its level, classes, assignments."""
    return viewer.is_ministry_admin or viewer.has_role(Role.OPERATOR_STAFF) or school.pk in viewer.coordinated_school_ids


def can_administer_system(viewer: Viewer) -> bool:
    """Django admin and the reference data of the republic."""
    return viewer.is_ministry_admin or viewer.has_role(Role.OPERATOR_STAFF)


def may_open_admin(user) -> bool:
    """The admin site's gate (core.admin_site asks it through settings.PROFNAV_ADMIN_GATE)."""
    return bool(user.is_active and (user.is_superuser or can_administer_system(viewer_for(user))))


def is_regional_staff(viewer: Viewer) -> bool:
    """The ministry's administrator or the regional operator's staff: act for the republic."""
    return viewer.is_ministry_admin or viewer.has_role(Role.OPERATOR_STAFF)


def transfer_targets(viewer: Viewer, student: Student) -> QuerySet[SchoolClass]:
    """Classes of the current year the viewer may move a student to: the republic's bodies anywhere, a
    municipal coordinator within the municipality, a school coordinator within the school."""
    classes = SchoolClass.objects.filter(school_year__is_current=True, grade__gte=1)
    if viewer.is_ministry_admin or viewer.has_role(Role.OPERATOR_STAFF):
        return classes
    condition = Q(pk__in=[])
    if student.current_school_id in viewer.coordinated_school_ids:
        condition |= Q(school_id=student.current_school_id)
    if viewer.municipality_ids and student.current_school.municipality_id in viewer.municipality_ids:
        condition |= Q(school__municipality_id__in=viewer.municipality_ids)
    return classes.filter(condition)


# --- where a role lands ----------------------------------------------------------------------------------

ACTIVE_ROLE_SESSION_KEY = "active_role"
HOME_KINDS = ("republic", "municipality", "school", "teacher", "parent", "student", "partner", "jury", "none")


def active_role(request, viewer: Viewer) -> str | None:
    """The role a person with several works in now (chosen in the header), else their widest one."""
    chosen = request.session.get(ACTIVE_ROLE_SESSION_KEY) if hasattr(request, "session") else None
    return chosen if chosen in viewer.roles else viewer.primary_role


def landing_kind(role: str | None) -> str:
    """Which home page (and which level of every dashboard) a role lands on."""
    if role in REPUBLIC_ROLES:
        return "republic"
    if role == Role.MUNICIPAL_COORDINATOR:
        return "municipality"
    if role in SCHOOL_WIDE_ROLES:
        return "school"
    if role in TEACHING_ROLES:
        return "teacher"
    if role == Role.PARTNER_REPRESENTATIVE:
        return "partner"
    if role == Role.JURY_EXPERT:
        return "jury"
    if role == PARENT:
        return "parent"
    if role == STUDENT:
        return "student"
    return "none"


def home_school_id(viewer: Viewer) -> int | None:
    """The school a school-wide person works for: the one they coordinate, else the one they see whole."""
    ids = viewer.coordinated_school_ids or viewer.school_ids
    return min(ids) if ids else None


def home_municipality_id(viewer: Viewer) -> int | None:
    return min(viewer.municipality_ids) if viewer.municipality_ids else None


# --- who may grant which role ------------------------------------------------------------------------------------
#
# The one table of who hands out roles (the admin's forms offer only what it allows and their saves check it
# again). A role is held in an organisation of the fitting kind (ROLE_ORGANIZATION_KINDS); a grantor hands out
# the roles of its row, within the territory the row names:
#
# | grantor                           | grants                                                     | where                        |
# |-----------------------------------|------------------------------------------------------------|------------------------------|
# | superuser, ministry administrator | every role                                                 | the republic                 |
# | ЦОПП's staff                      | every role but the ministry's (administrator, analyst)     | the republic                 |
# | municipal coordinator             | school coordinator, psychologist, navigator, class teacher | their municipality's schools |
# | school coordinator                | psychologist, teacher-navigator, class teacher             | their school                 |
# | anyone else                       | nothing                                                    |                              |
#
# Nobody grants a role above their own: each row grants its own rank at most (the ministry's administrator
# and ЦОПП's staff their own, as the issue's Decisions say), and the school coordinator's psychologist sees
# the same school the coordinator does. Nobody changes their own memberships or account; only a superuser
# changes a superuser. Whose account one may change (password, active, e-mail): an account whose every
# membership is one they may grant, whose student or children they may see, and not their own.

REPUBLIC, MUNICIPALITY, SCHOOL = "republic", "municipality", "school"
MINISTRY_ROLES = (Role.MINISTRY_ADMIN, Role.MINISTRY_ANALYST)
SCHOOL_STAFF_ROLES = (Role.SCHOOL_COORDINATOR, Role.PSYCHOLOGIST, Role.TEACHER_NAVIGATOR, Role.CLASS_TEACHER)
_Kind = Organization.Kind
PARTNER_KINDS = frozenset({_Kind.EMPLOYER, _Kind.COLLEGE, _Kind.UNIVERSITY, _Kind.ADDITIONAL_EDUCATION, _Kind.OTHER})

# Where each role is held.
ROLE_ORGANIZATION_KINDS: dict[str, frozenset[str]] = {
    Role.MINISTRY_ADMIN: frozenset({_Kind.MINISTRY}),
    Role.MINISTRY_ANALYST: frozenset({_Kind.MINISTRY}),
    Role.OPERATOR_STAFF: frozenset({_Kind.REGIONAL_OPERATOR}),
    Role.MUNICIPAL_COORDINATOR: frozenset({_Kind.MUNICIPAL_DEPARTMENT}),
    Role.SCHOOL_COORDINATOR: frozenset({_Kind.SCHOOL}),
    Role.PSYCHOLOGIST: frozenset({_Kind.SCHOOL}),
    Role.TEACHER_NAVIGATOR: frozenset({_Kind.SCHOOL}),
    Role.CLASS_TEACHER: frozenset({_Kind.SCHOOL}),
    Role.PARTNER_REPRESENTATIVE: PARTNER_KINDS,
    Role.JURY_EXPERT: frozenset({_Kind.REGIONAL_OPERATOR}) | PARTNER_KINDS,
}

# The grant table: the grantor's role -> {role it grants: the territory it grants it in}.
GRANTS: dict[str, dict[str, str]] = {
    Role.MINISTRY_ADMIN: dict.fromkeys(Role.values, REPUBLIC),
    Role.OPERATOR_STAFF: {role: REPUBLIC for role in Role.values if role not in MINISTRY_ROLES},
    Role.MUNICIPAL_COORDINATOR: dict.fromkeys(SCHOOL_STAFF_ROLES, MUNICIPALITY),
    Role.SCHOOL_COORDINATOR: dict.fromkeys((Role.PSYCHOLOGIST, Role.TEACHER_NAVIGATOR, Role.CLASS_TEACHER), SCHOOL),
}


def _grants(viewer: Viewer) -> dict[str, set[str]]:
    """Each role the viewer may grant with the territories they may grant it in (a person with several roles
    grants the union of their rows)."""
    result: dict[str, set[str]] = {}
    for grantor_role in viewer.roles:
        for role, territory in GRANTS.get(grantor_role, {}).items():
            result.setdefault(role, set()).add(territory)
    return result


def _within(viewer: Viewer, territory: str, organization: Organization) -> bool:
    if territory == REPUBLIC:
        return True
    if territory == MUNICIPALITY:
        return organization.municipality_id is not None and organization.municipality_id in viewer.municipality_ids
    return organization.pk in viewer.coordinated_school_ids


def may_grant(viewer: Viewer, role: str, organization: Organization | None) -> bool:
    """May the viewer give someone (else) `role` in `organization` — or change or revoke such a membership."""
    if organization is None or organization.kind not in ROLE_ORGANIZATION_KINDS.get(role, ()):
        return False
    return any(_within(viewer, territory, organization) for territory in _grants(viewer).get(role, ()))


def roles_grantable(viewer: Viewer) -> list[str]:
    """The roles the viewer may grant somewhere, widest first."""
    grants = _grants(viewer)
    return [role for role in ROLE_ORDER if role in grants]


def organizations_grantable(viewer: Viewer, role: str | None = None) -> QuerySet[Organization]:
    """The organisations in which the viewer may grant `role` (any role they grant, without one)."""
    condition = Q(pk__in=[])
    for granted, territories in _grants(viewer).items():
        if role is not None and granted != role:
            continue
        kinds = Q(kind__in=ROLE_ORGANIZATION_KINDS[granted])
        for territory in territories:
            if territory == REPUBLIC:
                condition |= kinds
            elif territory == MUNICIPALITY:
                condition |= kinds & Q(municipality_id__in=viewer.municipality_ids)
            else:
                condition |= kinds & Q(pk__in=viewer.coordinated_school_ids)
    return Organization.objects.filter(condition)


def may_change_memberships_of(user, person: Person | None) -> bool:
    """May `user` grant, change or revoke roles of this person at all (each membership is then judged by
    may_grant): never their own, and a superuser's only if they are one."""
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    if person is None or person.pk is None:
        return True  # a person being created
    if person.user_id is None:
        return True
    if person.user_id == user.pk:
        return False
    return bool(user.is_superuser) or not get_user_model().objects.filter(pk=person.user_id, is_superuser=True).exists()


def may_change_account(user, target) -> bool:
    """May `user` change `target`'s account: its password, its active, staff and superuser flags, its e-mail
    and login, or link it to a person. Never one's own (the profile page changes one's own password); a
    superuser's only by a superuser; otherwise only an account whose standing is all within what the user
    may grant: each of its person's memberships one they may grant, its student and children ones they see."""
    if user is None or not user.is_authenticated or not user.is_active or target is None:
        return False
    if target.pk is not None and target.pk == user.pk:
        return False
    if target.is_superuser:
        return bool(user.is_superuser)
    if user.is_superuser:
        return True
    viewer = viewer_for(user)
    if not roles_grantable(viewer):
        return False
    if target.pk is None:
        return True  # an account being created: it holds nothing yet
    person = Person.objects.filter(user_id=target.pk).first()
    if person is None:
        # An account nobody is attached to holds no rights; only the republic's grantors handle such accounts.
        return is_regional_staff(viewer)
    memberships = StaffMembership.objects.filter(person=person).select_related("organization")
    if not all(may_grant(viewer, m.role, m.organization) for m in memberships):
        return False
    student_ids = set(Student.objects.filter(person=person).values_list("pk", flat=True))
    student_ids |= set(ParentLink.objects.filter(parent=person).values_list("student_id", flat=True))
    return not student_ids or students_visible(viewer).filter(pk__in=student_ids).count() == len(student_ids)
