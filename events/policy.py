"""Who may do what with offers, registrations, partners and mentors — built on access.policy, so that a foreign
object is simply not in the viewer's queryset (a 404, never a 403).

- The published catalogue is public: anyone, signed in or not, sees a published offer and its free places.
- A partner's staff manage their own organisation's offers (drafts included), see their registrations and mark
  attendance; nothing of another organisation. The republic's bodies (the ministry's administrator, ЦОПП's
  staff) manage every offer, the partners database, agreements, joint plans and the vetting of mentors.
- A student signs themselves up; a teacher signs up students of their own classes (a school coordinator: of
  their school); a parent signs up for a parent meeting.
- Registrations are seen by the host of the offer and by whoever sees the student (access.policy).
"""

from django.db.models import Q, QuerySet

from access.policy import (
    PARTNER_KINDS,
    Viewer,
    classes_visible,
    is_regional_staff,
    students_visible,
)
from events.models import Agreement, Mentor, MentorAssignment, Offer, Partner, Registration
from orgs.models import Organization, SchoolClass
from people.models import Role

STAFF_ROLES = {
    Role.MINISTRY_ADMIN, Role.MINISTRY_ANALYST, Role.OPERATOR_STAFF, Role.MUNICIPAL_COORDINATOR, Role.SCHOOL_COORDINATOR,
    Role.PSYCHOLOGIST, Role.TEACHER_NAVIGATOR, Role.CLASS_TEACHER,
}  # fmt: skip
SCHOOL_STAFF_ROLES = {Role.SCHOOL_COORDINATOR, Role.PSYCHOLOGIST, Role.TEACHER_NAVIGATOR, Role.CLASS_TEACHER}


# --- offers -----------------------------------------------------------------------------------------------------


def offers_public() -> QuerySet[Offer]:
    """What the catalogue shows to anyone: published offers."""
    return Offer.objects.filter(status=Offer.Status.PUBLISHED)


def offers_manageable(viewer: Viewer) -> QuerySet[Offer]:
    """Offers the viewer edits and whose registrations and attendance they handle."""
    if is_regional_staff(viewer):
        return Offer.objects.all()
    if viewer.partner_org_ids:
        return Offer.objects.filter(provider_id__in=viewer.partner_org_ids)
    return Offer.objects.none()


def offers_visible(viewer: Viewer) -> QuerySet[Offer]:
    """An offer's page: published ones, and the drafts and cancelled ones of the viewer's own organisation."""
    if is_regional_staff(viewer):
        return Offer.objects.all()
    condition = Q(status__in=[Offer.Status.PUBLISHED, Offer.Status.CANCELLED])
    if viewer.partner_org_ids:
        condition |= Q(provider_id__in=viewer.partner_org_ids)
    return Offer.objects.filter(condition)


def may_manage_offers(viewer: Viewer) -> bool:
    return is_regional_staff(viewer) or bool(viewer.partner_org_ids)


def providers_for(viewer: Viewer) -> QuerySet[Organization]:
    """The organisations the viewer may publish offers for."""
    if is_regional_staff(viewer):
        kinds = [*PARTNER_KINDS, Organization.Kind.REGIONAL_OPERATOR, Organization.Kind.MINISTRY]
        return Organization.objects.filter(kind__in=kinds, is_active=True)
    return Organization.objects.filter(pk__in=viewer.partner_org_ids, is_active=True)


# --- signing up -------------------------------------------------------------------------------------------------


def may_sign_up_self(viewer: Viewer, offer: Offer) -> bool:
    """A student signs up for a student's offer; a parent for a parent meeting."""
    if offer.for_parents:
        return bool(viewer.child_student_ids) and viewer.person_id is not None
    return viewer.own_student_id is not None


def group_classes(viewer: Viewer, offer: Offer | None = None) -> QuerySet[SchoolClass]:
    """Classes of the current year whose students the viewer may sign up: a teacher's own classes, a school
    coordinator's school; of the grades the offer is for."""
    condition = Q(pk__in=viewer.class_ids) | Q(school_id__in=viewer.coordinated_school_ids)
    classes = SchoolClass.objects.filter(condition, school_year__is_current=True)
    if offer is not None:
        classes = classes.filter(grade__gte=offer.grade_min, grade__lte=offer.grade_max)
    return classes.select_related("school").order_by("school__short_name", "grade", "letter")


def may_sign_up_group(viewer: Viewer, school_class: SchoolClass) -> bool:
    return group_classes(viewer).filter(pk=school_class.pk).exists()


def registrations_visible(viewer: Viewer) -> QuerySet[Registration]:
    """Registrations the viewer may see: of the offers they host, of the students they see, their own, and a
    parent's own."""
    registrations = Registration.objects.all()
    if is_regional_staff(viewer) or viewer.is_republic:
        return registrations
    condition = Q(student__in=students_visible(viewer))
    if viewer.partner_org_ids:
        condition |= Q(offer__provider_id__in=viewer.partner_org_ids)
    if viewer.person_id:
        condition |= Q(parent_id=viewer.person_id)
    return registrations.filter(condition)


def may_mark_attendance(viewer: Viewer, offer: Offer) -> bool:
    return offers_manageable(viewer).filter(pk=offer.pk).exists()


def may_cancel(viewer: Viewer, registration: Registration) -> bool:
    """The student or parent themself, the teacher who sees the student, the host."""
    if registration.parent_id is not None:
        return registration.parent_id == viewer.person_id or offers_manageable(viewer).filter(pk=registration.offer_id).exists()
    if registration.student_id == viewer.own_student_id:
        return True
    if registration.student_id in viewer.child_student_ids:
        return False  # a parent sees the child's places; the child or the school changes them
    staff = students_visible(viewer).filter(pk=registration.student_id).exists() and viewer.has_role(*SCHOOL_STAFF_ROLES)
    return staff or offers_manageable(viewer).filter(pk=registration.offer_id).exists()


# --- partners ---------------------------------------------------------------------------------------------------


def may_manage_partners(viewer: Viewer) -> bool:
    """The partners database, agreements and joint plans: kept by the republic's bodies."""
    return is_regional_staff(viewer)


def may_see_partners(viewer: Viewer) -> bool:
    return viewer.is_republic or viewer.has_role(*STAFF_ROLES) or bool(viewer.partner_org_ids)


def partners_visible(viewer: Viewer) -> QuerySet[Partner]:
    if may_see_partners(viewer):
        return Partner.objects.all()
    return Partner.objects.none()


def agreements_visible(viewer: Viewer) -> QuerySet[Agreement]:
    """Agreements and their documents: the republic's bodies, and the partner's own staff."""
    if is_regional_staff(viewer) or viewer.is_republic:
        return Agreement.objects.all()
    return Agreement.objects.filter(partner__organization_id__in=viewer.partner_org_ids)


# --- mentors ----------------------------------------------------------------------------------------------------


def may_vet_mentors(viewer: Viewer) -> bool:
    """Recording the criminal-record check: the regional operator, who saw the certificate."""
    return is_regional_staff(viewer)


def mentors_manageable(viewer: Viewer) -> QuerySet[Mentor]:
    if is_regional_staff(viewer):
        return Mentor.objects.all()
    return Mentor.objects.filter(organization_id__in=viewer.partner_org_ids)


def may_see_mentors(viewer: Viewer) -> bool:
    return viewer.is_republic or is_regional_staff(viewer) or viewer.has_role(*STAFF_ROLES) or bool(viewer.partner_org_ids)


def mentors_visible(viewer: Viewer) -> QuerySet[Mentor]:
    """The database of mentors: the republic, the schools' and municipalities' staff (who assign them), a partner's
    own mentors."""
    if viewer.is_republic or is_regional_staff(viewer) or viewer.has_role(*STAFF_ROLES):
        return Mentor.objects.all()
    return mentors_manageable(viewer)


def may_assign_mentor(viewer: Viewer, student) -> bool:
    if is_regional_staff(viewer):
        return True
    return viewer.has_role(*SCHOOL_STAFF_ROLES, Role.MUNICIPAL_COORDINATOR) and students_visible(viewer).filter(pk=student.pk).exists()


def assignments_visible(viewer: Viewer) -> QuerySet[MentorAssignment]:
    if is_regional_staff(viewer) or viewer.is_republic:
        return MentorAssignment.objects.all()
    condition = Q(student__in=students_visible(viewer))
    if viewer.partner_org_ids:
        condition |= Q(mentor__organization_id__in=viewer.partner_org_ids)
    return MentorAssignment.objects.filter(condition)


def may_log_meeting(viewer: Viewer, assignment: MentorAssignment) -> bool:
    """The mentor's organisation, the regional operator, the school staff who see the mentee."""
    if is_regional_staff(viewer) or assignment.mentor.organization_id in viewer.partner_org_ids:
        return True
    return viewer.has_role(*SCHOOL_STAFF_ROLES) and students_visible(viewer).filter(pk=assignment.student_id).exists()


# --- what a teacher-navigator and the territories see ----------------------------------------------------------


def coverage_classes(viewer: Viewer) -> QuerySet[SchoolClass]:
    """Classes whose coverage by trials and events the viewer may open (those whose list they see)."""
    return classes_visible(viewer)
