"""Reads of the events app, each narrowed by events.policy (which stands on access.policy).

The public catalogue and calendar read only published offers through the (status, starts_at) index; a month of the
calendar is two queries however many offers the region has: the count per day, and the first few of each day."""

import calendar
import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.core.paginator import Paginator
from django.db.models import Count, F, Q, QuerySet, Window
from django.db.models.functions import RowNumber, TruncDate
from django.shortcuts import get_object_or_404
from django.utils import timezone

from access.policy import Viewer, students_visible
from core.search import filter_by_search, normalize_search_text
from events.models import ACTIVE_STATUSES, Offer, Registration, TrialRecord
from events.policy import offers_manageable, offers_public, offers_visible, registrations_visible
from orgs.models import Organization, SchoolClass, SchoolYear
from people.models import ParentLink, Student

PER_PAGE = 20
DAY_PREVIEW = 3  # offers named in a day's cell of the calendar; the rest are «ещё N»
STATUS = Registration.Status


# --- the catalogue ----------------------------------------------------------------------------------------------


def catalogue(filters: dict, *, now: datetime.datetime | None = None) -> QuerySet[Offer]:
    """Published offers matching the filters (see forms.CatalogueFilterForm), soonest first. Without a date range:
    those still to start."""
    now = now or timezone.now()
    offers = offers_public()
    date_from, date_to = filters.get("date_from"), filters.get("date_to")
    if date_from:
        offers = offers.filter(starts_at__gte=_day_start(date_from))
    elif not date_to:
        offers = offers.filter(starts_at__gte=now)
    if date_to:
        offers = offers.filter(starts_at__lt=_day_start(date_to + datetime.timedelta(days=1)))
    return _narrow(offers, filters).select_related("provider", "municipality").order_by("starts_at", "pk")


def _narrow(offers: QuerySet[Offer], filters: dict) -> QuerySet[Offer]:
    if filters.get("municipality"):
        # An offer without a municipality is for the whole republic: it stays in every municipality's list.
        offers = offers.filter(Q(municipality=filters["municipality"]) | Q(municipality__isnull=True))
    if filters.get("grade"):
        offers = offers.filter(grade_min__lte=filters["grade"], grade_max__gte=filters["grade"])
    if filters.get("sector"):
        offers = offers.filter(sector=filters["sector"])
    if filters.get("kind"):
        offers = offers.filter(kind=filters["kind"])
    if filters.get("free"):
        offers = offers.filter(taken__lt=F("capacity"))
    if filters.get("q"):
        offers = filter_by_search(offers, filters["q"])
    return offers


def _day_start(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def catalogue_page(filters: dict, *, page: str | int = 1, per_page: int = PER_PAGE):
    paginator = Paginator(catalogue(filters), per_page)
    return paginator.get_page(page)


@dataclass
class CalendarDay:
    day: datetime.date
    in_month: bool
    count: int = 0
    offers: list[Offer] = field(default_factory=list)

    @property
    def more(self) -> int:
        return self.count - len(self.offers)


@dataclass
class CalendarMonth:
    first: datetime.date
    weeks: list[list[CalendarDay]]
    total: int

    @property
    def previous(self) -> datetime.date:
        return (self.first - datetime.timedelta(days=1)).replace(day=1)

    @property
    def next(self) -> datetime.date:
        return (self.first + datetime.timedelta(days=32)).replace(day=1)

    @property
    def days_with_offers(self) -> list[CalendarDay]:
        return [day for week in self.weeks for day in week if day.in_month and day.count]


def calendar_month(filters: dict, *, month: datetime.date) -> CalendarMonth:
    """The month's grid (weeks from Monday) with each day's count and its first offers."""
    first = month.replace(day=1)
    last = first.replace(day=calendar.monthrange(first.year, first.month)[1])
    grid_start = first - datetime.timedelta(days=first.weekday())
    grid_end = last + datetime.timedelta(days=6 - last.weekday())
    offers = _narrow(offers_public(), filters).filter(
        starts_at__gte=_day_start(first), starts_at__lt=_day_start(last + datetime.timedelta(days=1))
    )
    tz = timezone.get_current_timezone()
    day_expression = TruncDate("starts_at", tzinfo=tz)
    counts = dict(offers.annotate(day=day_expression).values("day").annotate(n=Count("pk")).values_list("day", "n"))
    firsts = (
        offers.annotate(
            day=day_expression, rank=Window(RowNumber(), partition_by=[day_expression], order_by=[F("starts_at").asc(), F("pk").asc()])
        )
        .filter(rank__lte=DAY_PREVIEW)
        .only("pk", "title", "kind", "starts_at", "capacity", "taken")
        .order_by("starts_at", "pk")
    )
    by_day: dict[datetime.date, list[Offer]] = defaultdict(list)
    for offer in firsts:
        by_day[offer.day].append(offer)
    weeks, day = [], grid_start
    while day <= grid_end:
        week = []
        for _ in range(7):
            in_month = first <= day <= last
            week.append(CalendarDay(day, in_month, counts.get(day, 0) if in_month else 0, by_day.get(day, []) if in_month else []))
            day += datetime.timedelta(days=1)
        weeks.append(week)
    return CalendarMonth(first, weeks, sum(counts.values()))


def offer_get(*, viewer: Viewer, pk: int) -> Offer:
    """An offer's page: a published one for anyone, a draft only for its own organisation (a 404 otherwise)."""
    return get_object_or_404(offers_visible(viewer).select_related("provider", "municipality", "route__host"), pk=pk)


def offer_managed_get(*, viewer: Viewer, pk: int) -> Offer:
    return get_object_or_404(offers_manageable(viewer).select_related("provider", "municipality", "route"), pk=pk)


def offers_managed(*, viewer: Viewer, upcoming: bool | None = None) -> QuerySet[Offer]:
    offers = offers_manageable(viewer).select_related("provider")
    now = timezone.now()
    if upcoming is True:
        offers = offers.filter(ends_at__gte=now).order_by("starts_at", "pk")
    elif upcoming is False:
        offers = offers.filter(ends_at__lt=now).order_by("-starts_at", "-pk")
    return offers


# --- registrations ------------------------------------------------------------------------------------------------


@dataclass
class OfferList:
    """An offer's people, as its host and a teacher see them."""

    confirmed: list[Registration]
    offered: list[Registration]
    waiting: list[Registration]

    @property
    def person_ids(self) -> list[int]:
        return [r.attendee.pk for r in self.confirmed + self.offered + self.waiting]


def offer_registrations(*, viewer: Viewer, offer: Offer) -> OfferList:
    registrations = list(
        registrations_visible(viewer)
        .filter(offer=offer, status__in=ACTIVE_STATUSES)
        .select_related("student__person", "student__current_class", "student__current_school", "parent", "feedback")
        .order_by("queued_at", "pk")
    )
    by_status = defaultdict(list)
    for registration in registrations:
        by_status[registration.status].append(registration)
    confirmed = sorted(by_status[STATUS.CONFIRMED], key=lambda r: (r.attendee.last_name, r.attendee.first_name, r.pk))
    return OfferList(confirmed, by_status[STATUS.OFFERED], by_status[STATUS.WAITING])


def registration_get(*, viewer: Viewer, pk: int) -> Registration:
    return get_object_or_404(registrations_visible(viewer).select_related("offer__provider", "student__person", "parent"), pk=pk)


def own_registration_get(*, viewer: Viewer, pk: int) -> Registration:
    """The student's own registration (their ticket), or a parent's own; anyone else's is a 404."""
    condition = Q(pk__in=[])
    if viewer.own_student_id:
        condition |= Q(student_id=viewer.own_student_id)
    if viewer.person_id:
        condition |= Q(parent_id=viewer.person_id)
    return get_object_or_404(Registration.objects.filter(condition).select_related("offer__provider", "student__person", "parent"), pk=pk)


def my_registrations(*, viewer: Viewer) -> list[Registration]:
    """The viewer's own registrations (a student's, a parent's) and, for a parent, their children's."""
    condition = Q(pk__in=[])
    if viewer.own_student_id:
        condition |= Q(student_id=viewer.own_student_id)
    if viewer.person_id:
        condition |= Q(parent_id=viewer.person_id)
    if viewer.child_student_ids:
        condition |= Q(student_id__in=viewer.child_student_ids)
    return list(
        Registration.objects.filter(condition)
        .exclude(status=STATUS.CANCELLED, offer__starts_at__lt=timezone.now())
        .select_related("offer__provider", "student__person", "parent", "feedback")
        .order_by("-offer__starts_at", "pk")[:200]
    )


def position_in_line(registration: Registration) -> int:
    from events.services import waiting_position

    return waiting_position(registration)


# --- a teacher-navigator's class: who has no trial or event yet -----------------------------------------------------


@dataclass
class CoverageRow:
    student: Student
    attended: int
    trials: int
    upcoming: int

    @property
    def covered(self) -> bool:
        return bool(self.attended or self.trials or self.upcoming)


def class_coverage(*, viewer: Viewer, school_class: SchoolClass, school_year: SchoolYear) -> list[CoverageRow]:
    """Each student of the class this school year: offers attended, trials (marked here or imported) and places
    still to come. A row with none of them is a student with no trial or event yet."""
    students = list(
        students_visible(viewer)
        .filter(current_class=school_class)
        .select_related("person")
        .order_by("person__last_name", "person__first_name", "pk")
    )
    ids = [s.pk for s in students]
    start, end = _day_start(school_year.starts_on), _day_start(school_year.ends_on + datetime.timedelta(days=1))
    attended = dict(
        Registration.objects.filter(student_id__in=ids, attended=True, offer__starts_at__gte=start, offer__starts_at__lt=end)
        .values("student_id").annotate(n=Count("pk")).values_list("student_id", "n")
    )  # fmt: skip
    trials = dict(
        TrialRecord.objects.filter(student_id__in=ids, held_on__gte=school_year.starts_on, held_on__lte=school_year.ends_on)
        .values("student_id").annotate(n=Count("pk")).values_list("student_id", "n")
    )  # fmt: skip
    upcoming = dict(
        Registration.objects.filter(student_id__in=ids, status__in=ACTIVE_STATUSES, offer__starts_at__gte=timezone.now(), offer__starts_at__lt=end)
        .values("student_id").annotate(n=Count("pk")).values_list("student_id", "n")
    )  # fmt: skip
    return [CoverageRow(s, attended.get(s.pk, 0), trials.get(s.pk, 0), upcoming.get(s.pk, 0)) for s in students]


def uncovered_counts(*, class_ids: list[int], school_year: SchoolYear) -> dict[int, int]:
    """For each class, how many of its students have no trial, no event attended and no place ahead this year."""
    if not class_ids:
        return {}
    start, end = _day_start(school_year.starts_on), _day_start(school_year.ends_on + datetime.timedelta(days=1))
    students = Student.objects.filter(current_class_id__in=class_ids)
    covered = (
        Q(event_registrations__attended=True, event_registrations__offer__starts_at__gte=start, event_registrations__offer__starts_at__lt=end)
        | Q(event_registrations__status__in=ACTIVE_STATUSES, event_registrations__offer__starts_at__gte=timezone.now(),
            event_registrations__offer__starts_at__lt=end)
        | Q(trial_records__held_on__gte=school_year.starts_on, trial_records__held_on__lte=school_year.ends_on)
    )  # fmt: skip
    covered_ids = students.filter(covered).values("pk")
    rows = students.exclude(pk__in=covered_ids).values("current_class_id").annotate(n=Count("pk")).values_list("current_class_id", "n")
    return dict(rows)


# --- into the recommendations ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class UpcomingOffer:
    """An offer as a student's next step: what, when, where and how many places are left."""

    offer: Offer
    free: int
    reason: str


def upcoming_offers_for(*, student: Student, professions=(), sectors=(), limit: int = 5) -> list[UpcomingOffer]:
    """Published offers still to come that fit the student — their grade and the republic or their municipality —
    and match the recommended professions (by name, in the offer's professions, title or competency) or sectors
    (codes of events.sectors), with free places first. The recommendations' next steps read this."""
    now = timezone.now()
    school_class = student.current_class
    offers = offers_public().filter(starts_at__gte=now).exclude(kind=Offer.Kind.PARENT_MEETING)
    if school_class is not None:
        offers = offers.filter(grade_min__lte=school_class.grade, grade_max__gte=school_class.grade)
    municipality_id = student.current_school.municipality_id if student.current_school_id else None
    offers = offers.filter(Q(municipality__isnull=True) | Q(municipality_id=municipality_id))
    names = [p if isinstance(p, str) else (getattr(p, "name", None) or getattr(p, "title", None) or str(p)) for p in professions]
    codes = [s if isinstance(s, str) else getattr(s, "code", str(s)) for s in sectors]
    condition = Q(pk__in=[])
    if codes:
        condition |= Q(sector__in=codes)
    for name in names:
        for word in normalize_search_text(name).split()[:3]:
            if len(word) >= 4:
                condition |= Q(search_text__contains=word[:-2] if len(word) > 6 else word)
    if not names and not codes:
        return []
    already = Registration.objects.filter(student=student, status__in=ACTIVE_STATUSES).values("offer_id")
    found = list(
        offers.filter(condition).exclude(pk__in=already).select_related("provider").order_by("starts_at", "pk")[: max(limit, 1) * 4]
    )
    folded = [normalize_search_text(n) for n in names]

    def reason(offer: Offer) -> str:
        for name, fold in zip(names, folded):
            if fold and fold.split()[0][:-2] in offer.search_text:
                return f"знакомит с профессией «{name}»"
        return f"отрасль: {offer.get_sector_display()}"

    found.sort(key=lambda offer: (offer.free == 0, offer.starts_at, offer.pk))
    return [UpcomingOffer(offer, offer.free, reason(offer)) for offer in found[:limit]]


def children_of(parent_person_id: int) -> list[int]:
    return list(ParentLink.objects.filter(parent_id=parent_person_id).values_list("student_id", flat=True))


def offers_upcoming(*, viewer: Viewer, student: Student | None = None, professions=(), sectors=(), limit: int = 5) -> list[UpcomingOffer]:
    """A student's next steps among the offers, for the guidance layer: upcoming published offers that fit the
    student (their own, or one the viewer sees) and the recommended professions or sectors, with free places and
    dates. A student the viewer may not see, or a viewer without one, gets an empty list."""
    if student is None:
        if viewer.own_student_id is None:
            return []
        student = Student.objects.select_related("current_class", "current_school").filter(pk=viewer.own_student_id).first()
    elif not students_visible(viewer).filter(pk=student.pk).exists():
        return []
    if student is None:
        return []
    return upcoming_offers_for(student=student, professions=professions, sectors=sectors, limit=min(max(limit, 1), 50))


# --- the monitoring's self-analysis (item 5.5): figures of one school over a period -----------------------------------


def trial_students_count(*, school: Organization, since: datetime.date, until: datetime.date) -> int:
    """Distinct students of the school (where they were on the day) with a professional trial in [since, until]:
    trials marked at the host here and those imported from «Билет в будущее» alike (TrialRecord)."""
    records = TrialRecord.objects.filter(school=school, held_on__gte=since, held_on__lte=until)
    return records.values("student_id").distinct().count()


def trials_count(*, school: Organization, since: datetime.date, until: datetime.date) -> int:
    """Professional trials the school's students took part in over the period: distinct (trial, day, site)."""
    records = TrialRecord.objects.filter(school=school, held_on__gte=since, held_on__lte=until)
    return records.values("title", "held_on", "site_key").distinct().count()


def excursions_count(*, school: Organization, since: datetime.date, until: datetime.date) -> int:
    """Excursions at least one of the school's students attended over the period."""
    start = _day_start(since)
    end = _day_start(until + datetime.timedelta(days=1))
    attended = Registration.objects.filter(
        offer__kind=Offer.Kind.EXCURSION, offer__starts_at__gte=start, offer__starts_at__lt=end, attended=True,
        student__current_school=school,
    )  # fmt: skip
    return attended.values("offer_id").distinct().count()
