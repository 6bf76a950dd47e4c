"""What the events app adds to the portal (core.registry): menu entries, links on classes' and organisations' pages,
what needs each role's attention (places offered to confirm, consents an excursion waits for, attendance to mark,
classes with students who have had no trial or event yet, mentors' certificates running out), and the panels of
the student's and the partner's homes. Menu hooks make no query; the others a handful of indexed ones."""

import datetime

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone

from access.policy import home_school_id, is_regional_staff
from core.formatting import count_text, datetime_text, day_text
from core.registry import Attention, MenuItem, Panel, registry
from events.models import ACTIVE_STATUSES, Mentor, Offer, Partner, Registration
from orgs.models import SchoolClass
from orgs.selectors import school_year_current

STUDENTS = ("обучающийся", "обучающихся", "обучающихся")
MANAGE_PATHS = r"^/events/manage/"
PUBLIC_PATHS = r"^/events/(\d+/|calendar/|routes/)"


# --- menu --------------------------------------------------------------------------------------------------------


@registry.menu("events.catalogue", order=40)
def catalogue_menu(ctx) -> MenuItem | None:
    if not ctx.viewer.is_authenticated:
        return None
    return MenuItem("Мероприятия и пробы", reverse("events:catalogue"), current_on=PUBLIC_PATHS)


@registry.menu("events.my", order=41)
def my_menu(ctx) -> MenuItem | None:
    if ctx.kind in ("student", "parent"):
        return MenuItem("Мои записи", reverse("events:my"))
    return None


@registry.menu("events.manage", order=42)
def manage_menu(ctx) -> MenuItem | None:
    if (ctx.kind == "partner" and ctx.viewer.partner_org_ids) or (ctx.kind == "republic" and is_regional_staff(ctx.viewer)):
        return MenuItem(
            "Предложения организаций" if ctx.kind == "republic" else "Мои мероприятия", reverse("events:manage"), current_on=MANAGE_PATHS
        )
    return None


@registry.menu("events.partners", order=43)
def partners_menu(ctx) -> MenuItem | None:
    if ctx.kind in ("republic", "municipality", "partner"):
        return MenuItem("Партнёры", reverse("events:partners"))
    return None


@registry.menu("events.mentors", order=44)
def mentors_menu(ctx) -> MenuItem | None:
    if ctx.kind in ("republic", "school", "partner"):
        return MenuItem("Наставники", reverse("events:mentors"), current_on=r"^/events/mentorships/")
    return None


@registry.menu("events.indicators", order=45)
def indicators_menu(ctx) -> MenuItem | None:
    viewer = ctx.viewer
    if (
        (ctx.kind == "republic" and viewer.is_republic)
        or (ctx.kind == "municipality" and viewer.municipality_ids)
        or (ctx.kind == "school" and home_school_id(viewer))
    ):
        return MenuItem("«Билет в будущее»", reverse("events:indicators"))
    return None


@registry.links("events", order=40)
def object_links(ctx, subject: str, obj) -> list[MenuItem]:
    if subject == "school_class":
        return [MenuItem("Пробы и мероприятия", reverse("events:class", args=[obj.pk]))]
    if subject == "organization" and not obj.is_school:
        partner = Partner.objects.filter(organization=obj).values_list("pk", flat=True).first()
        links = [MenuItem("Партнёр: договоры и планы", reverse("events:partner", args=[partner]))] if partner else []
        if Offer.objects.filter(provider=obj, status=Offer.Status.PUBLISHED, starts_at__gte=timezone.now()).exists():
            links.append(MenuItem("Предложения организации", f"{reverse('events:catalogue')}?q={obj.short_name[:60]}"))
        return links
    return []


# --- attention ----------------------------------------------------------------------------------------------------


@registry.attention("events.people", order=40)
def people_attention(ctx) -> list[Attention]:
    """The student: places offered from the waiting list to confirm. The parent: children's excursions waiting for
    the consent."""
    viewer = ctx.viewer
    now = timezone.now()
    if ctx.kind == "student" and viewer.own_student_id:
        offered = Registration.objects.filter(
            student_id=viewer.own_student_id, status=Registration.Status.OFFERED, held_until__gt=now
        ).select_related("offer")
        return [
            Attention(
                f"Освободилось место: {r.offer.title}", reverse("events:my"), "warning",
                f"Подтвердите до {datetime_text(r.held_until)}, иначе место перейдёт следующему.",
            )
            for r in offered[:5]
        ]  # fmt: skip
    if ctx.kind == "parent" and viewer.child_student_ids:
        from privacy.policy import EXCURSIONS, Answer, may_process_many

        registrations = list(
            Registration.objects.filter(
                student_id__in=viewer.child_student_ids,
                status__in=ACTIVE_STATUSES,
                offer__kind=Offer.Kind.EXCURSION,
                offer__starts_at__gt=now,
            ).select_related("offer", "student__person")[:20]
        )
        if not registrations:
            return []
        answers = may_process_many(student_ids=[r.student_id for r in registrations], purpose=EXCURSIONS)
        return [
            Attention(
                f"{r.student.person.first_name}: экскурсия «{r.offer.title}» {day_text(r.offer.starts_at)} ждёт согласия",
                reverse("privacy:student", args=[r.student_id]), "warning", "Без согласия на участие в экскурсиях ребёнка не отметят на месте.",
            )
            for r in registrations
            if answers.get(r.student_id) != Answer.YES
        ][:5]  # fmt: skip
    return []


@registry.attention("events.host", order=41)
def host_attention(ctx) -> list[Attention]:
    """A partner: today's offers and past ones whose attendance is not marked yet."""
    viewer = ctx.viewer
    if ctx.kind != "partner" or not viewer.partner_org_ids:
        return []
    now = timezone.now()
    since = now - datetime.timedelta(days=14)
    offers = (
        Offer.objects.filter(
            provider_id__in=viewer.partner_org_ids, status=Offer.Status.PUBLISHED, starts_at__lte=now, starts_at__gte=since
        )
        .annotate(
            unmarked=Count(
                "registrations", filter=Q(registrations__status=Registration.Status.CONFIRMED, registrations__attended__isnull=True)
            )
        )
        .filter(unmarked__gt=0)
        .order_by("starts_at")[:5]
    )
    return [
        Attention(
            f"{offer.title}: не отмечено {count_text(offer.unmarked, 'место', 'места', 'мест')}", reverse("events:people", args=[offer.pk]),
            "warning", f"{day_text(offer.starts_at)}. Часы профминимума зачитываются после отметки.",
        )
        for offer in offers
    ]  # fmt: skip


@registry.attention("events.coverage", order=42)
def coverage_attention(ctx) -> list[Attention]:
    """A teacher: their classes with students who have had no trial or event yet this year."""
    viewer = ctx.viewer
    if ctx.kind != "teacher" or not viewer.class_ids:
        return []
    year = school_year_current()
    if year is None:
        return []
    from events.selectors import uncovered_counts

    counts = uncovered_counts(class_ids=sorted(viewer.class_ids), school_year=year)
    classes = {c.pk: c for c in SchoolClass.objects.filter(pk__in=list(counts))}
    items = []
    for pk, count in sorted(counts.items(), key=lambda item: (classes[item[0]].grade, classes[item[0]].letter)):
        items.append(
            Attention(
                f"{classes[pk].name}: {count_text(count, *STUDENTS)} ещё без пробы и мероприятия в этом году",
                reverse("events:class", args=[pk]), "info", "Запишите их на профессиональную пробу или мероприятие.",
            )
        )  # fmt: skip
    return items


@registry.attention("events.mentors", order=43)
def mentors_attention(ctx) -> list[Attention]:
    if ctx.kind != "republic" or not is_regional_staff(ctx.viewer):
        return []
    today = ctx.today
    expiring = Mentor.objects.filter(
        is_active=True,
        vetting=Mentor.Vetting.CLEARED,
        record_check_expires_on__gte=today,
        record_check_expires_on__lte=today + datetime.timedelta(days=30),
    ).count()
    if not expiring:
        return []
    return [
        Attention(
            f"{count_text(expiring, 'наставник', 'наставника', 'наставников')}: справка истекает в течение месяца",
            f"{reverse('events:mentors')}?vetted=1", "info", "Без действующей справки наставника нельзя закреплять за обучающимися.",
        )
    ]  # fmt: skip


# --- panels ---------------------------------------------------------------------------------------------------------


@registry.panel("events.student", order=40)
def student_panel(ctx) -> Panel | None:
    viewer = ctx.viewer
    if ctx.kind != "student" or not viewer.own_student_id:
        return None
    now = timezone.now()
    upcoming = list(
        Registration.objects.filter(student_id=viewer.own_student_id, status__in=ACTIVE_STATUSES, offer__ends_at__gte=now)
        .select_related("offer")
        .order_by("offer__starts_at")[:3]
    )
    grade = SchoolClass.objects.filter(students__pk=viewer.own_student_id).values_list("grade", flat=True).first()
    catalogue = reverse("events:catalogue") + (f"?grade={grade}&free=on" if grade else "")
    return Panel(
        "Мероприятия и пробы", "events/panels/student.html", {"upcoming": upcoming, "catalogue": catalogue, "my": reverse("events:my")}
    )


@registry.panel("events.partner", order=40)
def partner_panel(ctx) -> Panel | None:
    viewer = ctx.viewer
    if ctx.kind != "partner" or not viewer.partner_org_ids:
        return None
    now = timezone.now()
    upcoming = list(
        Offer.objects.filter(provider_id__in=viewer.partner_org_ids, ends_at__gte=now)
        .exclude(status=Offer.Status.CANCELLED)
        .order_by("starts_at")[:5]
    )
    return Panel(
        "Ближайшие предложения", "events/panels/partner.html",
        {"upcoming": upcoming, "manage": reverse("events:manage"), "new": reverse("events:offer_new")},
    )  # fmt: skip
