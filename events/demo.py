"""The events of the demo region: partners (every employer, college, university and centre of additional education
of the region) with agreements, excursion routes, the year's offers of every kind across the municipalities, and
a few stories the demo logins open — `uchenik` with a place ahead and a trial behind, `partner` with an offer that
began an hour ago (its list to mark) and a full one with a waiting list, mentors with their checks.

Deterministic for a seed and small (a few hundred rows): offers and places go in bulk; only the attendance of the
past trials goes through the services, so that their hours reach the ledger through the one crediting service."""

import datetime
import random
import time
from decimal import Decimal

from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from core.formatting import thousands
from events.models import (
    Agreement,
    ExcursionRoute,
    Mentor,
    MentorMeeting,
    Offer,
    Partner,
    Registration,
    RouteStop,
    new_short_code,
)
from events.sectors import SECTORS
from events.services import attendance_mark, mentor_assign
from orgs.models import Organization, SchoolClass
from orgs.selectors import school_year_current
from people.models import Person, Student

OFFERS = 160
PAST_TRIALS = 10
PROVIDER_KINDS = (
    Organization.Kind.EMPLOYER,
    Organization.Kind.COLLEGE,
    Organization.Kind.UNIVERSITY,
    Organization.Kind.ADDITIONAL_EDUCATION,
)
SECTOR_CODES = [code for code, _ in SECTORS]
# (kind, title pattern, hours, direction, grades)
KINDS = {
    Organization.Kind.UNIVERSITY: [
        (Offer.Kind.UNIVERSITY_SATURDAY, "Университетская суббота: {topic}", "2", "upbringing", (8, 11)),
        (Offer.Kind.OPEN_DAY, "День открытых дверей", "1", "upbringing", (9, 11)),
        (Offer.Kind.CONFERENCE, "Конференция «Наука молодым»", "2", "upbringing", (9, 11)),
    ],
    Organization.Kind.COLLEGE: [
        (Offer.Kind.COLLEGE_SATURDAY, "Суббота в СПО: {topic}", "2", "upbringing", (6, 9)),
        (Offer.Kind.TRIAL, "Профессиональная проба «{profession}»", "2", "additional_education", (7, 11)),
        (Offer.Kind.OPEN_DAY, "День открытых дверей", "1", "upbringing", (8, 11)),
    ],
    Organization.Kind.EMPLOYER: [
        (Offer.Kind.TRIAL, "Профессиональная проба «{profession}»", "2", "additional_education", (8, 11)),
        (Offer.Kind.PROFESSION_DAY, "День профессии «{profession}»", "1", "upbringing", (6, 11)),
        (Offer.Kind.NETWORKING, "Встреча с работодателем: как к нам попасть", "1", "upbringing", (9, 11)),
        (Offer.Kind.EXCURSION, "Экскурсия на предприятие", "3", "upbringing", (6, 11)),
    ],
    Organization.Kind.ADDITIONAL_EDUCATION: [
        (Offer.Kind.MASTER_CLASS, "Мастер-класс «{topic}»", "2", "additional_education", (6, 10)),
        (Offer.Kind.TRIAL, "Профессиональная проба «{profession}»", "2", "additional_education", (6, 9)),
    ],
}
TOPICS = ("робототехника", "3D-моделирование", "биология в лаборатории", "программирование", "химия вокруг нас", "медиа", "дизайн")
PROFESSIONS = (
    "агроном", "технолог пищевого производства", "сварщик", "электромонтажник", "программист", "медицинская сестра",
    "повар-кондитер", "логист", "оператор станков с ЧПУ", "воспитатель", "гид-экскурсовод", "лаборант", "инженер-энергетик",
)  # fmt: skip
STOPS = (
    ("Проходная и инструктаж", "правила безопасности на территории", 15),
    ("Производственный цех", "как устроена линия и кто на ней работает", 40),
    ("Лаборатория контроля качества", "как проверяют продукцию", 20),
    ("Встреча с молодыми специалистами", "вопросы о профессии и учёбе", 20),
)
MENTORS = (
    ("Гагиев", "Алан", "Русланович", "construction"), ("Цаллаева", "Зарина", "Таймуразовна", "medicine"),
    ("Бестаев", "Сослан", "Германович", "it"), ("Кокоева", "Мадина", "Казбековна", "agriculture"),
    ("Дзуцев", "Георгий", "Аланович", "energy"), ("Хетагурова", "Фатима", "Олеговна", "education"),
)  # fmt: skip


def build_events_demo(*, seed: int, stdout=None) -> dict[str, int]:
    started = time.perf_counter()
    with transaction.atomic():
        counts = _Builder(seed=seed).build()
    if stdout is not None:
        stdout.write(
            f"Мероприятия: партнёров {thousands(counts['partners'])}, предложений {thousands(counts['offers'])}, "
            f"записей {thousands(counts['registrations'])} за {time.perf_counter() - started:.1f} с\n".replace(".", ",")
        )
    return counts


class _Builder:
    def __init__(self, *, seed: int):
        self.rng = random.Random(seed * 7919 + 11)
        self.now = timezone.now().replace(second=0, microsecond=0)
        self.year = school_year_current()

    def build(self) -> dict[str, int]:
        providers = list(Organization.objects.filter(kind__in=PROVIDER_KINDS, is_active=True).order_by("pk"))
        if not providers or self.year is None:
            return {"partners": 0, "offers": 0, "registrations": 0}
        partners = self._partners(providers)
        routes = self._routes([p for p in providers if p.kind == Organization.Kind.EMPLOYER][:6])
        offers = self._offers(providers, routes)
        registrations = self._stories(providers)
        registrations += self._past_trials(offers)
        self._mentors(providers)
        return {"partners": len(partners), "offers": Offer.objects.count(), "registrations": registrations}

    # --- partners and routes ------------------------------------------------------------------------------------

    def _partners(self, providers: list[Organization]) -> list[Partner]:
        partners = [
            Partner(
                organization=org, sectors=self.rng.sample(SECTOR_CODES, 2), contact=f"Отдел кадров, тел. +7 (8672) 5{self.rng.randrange(10**5):05}",
                is_trial_site=org.kind in (Organization.Kind.COLLEGE, Organization.Kind.EMPLOYER), description="Принимаем школьников на пробы и экскурсии.",
            )
            for org in providers
        ]  # fmt: skip
        Partner.objects.bulk_create(partners)
        partners = list(Partner.objects.filter(organization__in=providers))
        starts = self.year.starts_on
        Agreement.objects.bulk_create(
            [
                Agreement(
                    partner=partner, number=f"{n + 1}-СП", signed_on=starts - datetime.timedelta(days=20 + n), valid_from=starts,
                    valid_until=starts.replace(year=starts.year + 3), subject="О сетевом взаимодействии в профориентации обучающихся",
                )
                for n, partner in enumerate(partners)
            ]
        )  # fmt: skip
        return partners

    def _routes(self, hosts: list[Organization]) -> list[ExcursionRoute]:
        routes = []
        for host in hosts:
            route = ExcursionRoute(
                title=f"{host.short_name}: как работает предприятие", host=host, municipality=host.municipality,
                sector=self.rng.choice(SECTOR_CODES), duration_minutes=sum(m for _, _, m in STOPS),
                safety_notes="Закрытая обувь, без украшений; по цеху — только с сопровождающим, в выданной каске.",
                description="Обзорная экскурсия с остановками на главных участках.",
            )  # fmt: skip
            route.search_text = route.build_search_text()
            routes.append(route)
        ExcursionRoute.objects.bulk_create(routes)
        routes = list(ExcursionRoute.objects.filter(host__in=hosts).order_by("pk"))
        RouteStop.objects.bulk_create(
            [
                RouteStop(route=route, position=i + 1, title=t, description=d, minutes=m)
                for route in routes
                for i, (t, d, m) in enumerate(STOPS)
            ]
        )
        return routes

    # --- offers -------------------------------------------------------------------------------------------------

    def _offer(self, provider: Organization, *, starts_at, route=None, kind_spec=None, capacity=None) -> Offer:
        kind, pattern, hours, direction, grades = kind_spec or self.rng.choice(KINDS[provider.kind])
        if kind == Offer.Kind.EXCURSION and route is None:
            kind, pattern, hours, direction, grades = KINDS[provider.kind][0]
        profession = self.rng.choice(PROFESSIONS)
        offer = Offer(
            kind=kind, title=pattern.format(topic=self.rng.choice(TOPICS), profession=profession), provider=provider,
            description="Расскажем о профессии, покажем рабочие места, дадим попробовать самим.",
            starts_at=starts_at, ends_at=starts_at + datetime.timedelta(hours=2), place=f"{provider.address or 'РСО-Алания'}",
            municipality=provider.municipality, sector=self.rng.choice(SECTOR_CODES),
            professions=profession if kind in (Offer.Kind.TRIAL, Offer.Kind.PROFESSION_DAY) else "",
            route=route if kind == Offer.Kind.EXCURSION else None, grade_min=grades[0], grade_max=grades[1],
            capacity=capacity or self.rng.choice((15, 20, 25, 30, 40, 60)), hours=Decimal(hours), direction=direction,
            status=Offer.Status.PUBLISHED,
        )  # fmt: skip
        offer.search_text = offer.build_search_text()
        return offer

    def _offers(self, providers: list[Organization], routes: list[ExcursionRoute]) -> list[Offer]:
        route_of = {route.host_id: route for route in routes}
        start = timezone.make_aware(datetime.datetime.combine(self.year.starts_on, datetime.time(10)))
        span = (self.year.ends_on - self.year.starts_on).days
        offers = []
        for n in range(OFFERS):
            provider = providers[n % len(providers)]
            day = start + datetime.timedelta(days=self.rng.randrange(span), hours=self.rng.choice((0, 2, 4, 5)))
            if day.weekday() == 6:
                day -= datetime.timedelta(days=1)
            offers.append(self._offer(provider, starts_at=day, route=route_of.get(provider.pk)))
        # The regional event «Будущее за нами!», for the whole republic.
        regional = self._offer(
            providers[0], starts_at=start + datetime.timedelta(days=min(span - 1, 200)),
            kind_spec=(Offer.Kind.REGIONAL_EVENT, "Региональный фестиваль «Будущее за нами!»", "3", "upbringing", (6, 11)), capacity=2000,
        )  # fmt: skip
        regional.municipality = None
        offers.append(regional)
        Offer.objects.bulk_create(offers)
        return list(Offer.objects.order_by("pk"))

    # --- the demo logins' stories ----------------------------------------------------------------------------------

    def _register(self, offer: Offer, students: list[Student], *, status=Registration.Status.CONFIRMED) -> list[Registration]:
        rows = []
        for n, student in enumerate(students):
            rows.append(
                Registration(
                    offer=offer,
                    student=student,
                    status=status,
                    queued_at=self.now - datetime.timedelta(days=3, minutes=-n),
                    code=new_short_code(),
                )
            )
        Registration.objects.bulk_create(rows)
        return rows

    def _stories(self, providers: list[Organization]) -> int:
        count = 0
        uchenik = Student.objects.filter(person__user__username="uchenik").select_related("current_class", "current_school").first()
        partner_org = Organization.objects.filter(memberships__person__user__username="partner").first()
        if partner_org is None:
            partner_org = providers[0]
        if uchenik is None or uchenik.current_class is None:
            return count
        grade = uchenik.current_class.grade
        classmates = list(Student.objects.filter(current_class=uchenik.current_class).exclude(pk=uchenik.pk).order_by("pk")[:12])
        spec = (Offer.Kind.TRIAL, "Профессиональная проба «{profession}»", "2", "additional_education", (grade, grade))
        # An offer of the partner that began an hour ago: its list waits for the host's marks.
        now_offer = self._offer(partner_org, starts_at=self.now - datetime.timedelta(hours=1), kind_spec=spec, capacity=20)
        # A full one next week, with a waiting list.
        full = self._offer(partner_org, starts_at=self.now + datetime.timedelta(days=6, hours=2), kind_spec=spec, capacity=5)
        # The student's place ahead, at a college near them.
        college = next((p for p in providers if p.kind == Organization.Kind.COLLEGE), providers[0])
        ahead = self._offer(college, starts_at=self.now + datetime.timedelta(days=3), kind_spec=spec, capacity=25)
        for offer in (now_offer, full, ahead):
            offer.save()
        count += len(self._register(now_offer, [uchenik, *classmates[:7]]))
        count += len(self._register(full, classmates[:5]))
        count += len(self._register(full, classmates[5:8], status=Registration.Status.WAITING))
        count += len(self._register(ahead, [uchenik]))
        for offer in (now_offer, full, ahead):
            taken = offer.registrations.filter(status__in=("confirmed", "offered")).count()
            Offer.objects.filter(pk=offer.pk).update(taken=taken)
        return count

    def _past_trials(self, offers: list[Offer]) -> int:
        """Trials held this year before today, attended by students of the provider's municipality: their hours
        go to the ledger through the one crediting service, and the «Билет в будущее» indicators count them."""
        today = timezone.localdate()
        past = [
            o for o in offers
            if o.kind == Offer.Kind.TRIAL and o.starts_at.date() < today - datetime.timedelta(days=1) and o.starts_at.date() >= self.year.starts_on
        ][:PAST_TRIALS]  # fmt: skip
        uchenik = Student.objects.filter(person__user__username="uchenik").select_related("current_class").first()
        count = 0
        for n, offer in enumerate(past):
            classes = SchoolClass.objects.filter(
                school_year=self.year, grade__gte=offer.grade_min, grade__lte=offer.grade_max,
                school__municipality_id=offer.municipality_id,
            ).annotate(n=Count("students")).filter(n__gt=0).order_by("pk")  # fmt: skip
            school_class = classes.first()
            if school_class is None:
                continue
            students = list(Student.objects.filter(current_class=school_class).order_by("pk")[: min(offer.capacity, 8)])
            if n == 0 and uchenik is not None and offer.grade_min <= uchenik.current_class.grade <= offer.grade_max:
                students = [uchenik, *students[:7]]
            rows = self._register(offer, students)
            Offer.objects.filter(pk=offer.pk).update(taken=len(rows))
            registrations = list(Registration.objects.filter(offer=offer))
            attendance_mark(offer=offer, marks={r.pk: i % 5 != 4 for i, r in enumerate(registrations)}, by=None)
            count += len(rows)
        return count

    # --- mentors ----------------------------------------------------------------------------------------------------

    def _mentors(self, providers: list[Organization]) -> None:
        today = timezone.localdate()
        mentors = []
        for n, (last, first, middle, sector) in enumerate(MENTORS):
            person = Person.objects.create(last_name=last, first_name=first, middle_name=middle)
            vetted = n < 4
            mentor = Mentor(
                person=person, organization=providers[n % len(providers)], sector=sector, competencies=f"помогает с выбором: {dict(SECTORS)[sector]}",
                vetting=Mentor.Vetting.CLEARED if vetted else Mentor.Vetting.NOT_SUBMITTED,
                record_checked_on=today - datetime.timedelta(days=60 + n) if vetted else None,
                record_check_expires_on=today + datetime.timedelta(days=20 if n == 3 else 300) if vetted else None,
            )  # fmt: skip
            mentor.save()
            mentors.append(mentor)
        uchenik = Student.objects.filter(person__user__username="uchenik").first()
        if uchenik is not None:
            assignment = mentor_assign(
                mentor=mentors[2], student=uchenik, goal="Разобраться, какие ИТ-профессии подходят", by=None,
                started_on=max(self.year.starts_on, today - datetime.timedelta(days=45)),
            )  # fmt: skip
            MentorMeeting.objects.create(
                assignment=assignment, held_on=max(assignment.started_on, today - datetime.timedelta(days=10)), minutes=45,
                topic="Знакомство и планы", notes="Договорились о пробе в ИТ-компании.",
            )  # fmt: skip
