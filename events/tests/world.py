"""A small world of the events app for the fuzz walk and the page tests: a partner with an agreement and a joint
plan, a route, a published offer with a student's place (student_a1's), a vetted mentor with a mentee."""

import datetime
from decimal import Decimal
from types import SimpleNamespace

from django.utils import timezone

from events.models import Agreement, JointPlan, JointPlanItem, Offer, Partner
from events.services import (
    mentor_assign,
    mentor_create,
    mentor_vetting_record,
    offer_create,
    offer_publish,
    registration_create,
    route_create,
)
from people.models import Person


def events_world(cast) -> SimpleNamespace:
    operator = cast.user("operator")
    partner = Partner.objects.get_or_create(organization=cast.orgs["employer_a"], defaults={"is_trial_site": True})[0]
    agreement = Agreement.objects.create(
        partner=partner, number="17-П", signed_on=cast.year.starts_on, valid_from=cast.year.starts_on, subject="О сотрудничестве"
    )
    plan = JointPlan.objects.create(partner=partner, school_year=cast.year, title="План на год")
    plan_item = JointPlanItem.objects.create(plan=plan, what="День открытых дверей", due_on=cast.year.ends_on)
    route = route_create(
        title="Ферма «Альфа-Агро»", host=cast.orgs["employer_a"], duration_minutes=90, safety_notes="Закрытая обувь.",
        stops=[("Теплица", "Как растят томаты", 30)],
    )  # fmt: skip
    starts = timezone.now().replace(microsecond=0) + datetime.timedelta(days=5)
    offer = offer_create(
        by=operator, kind=Offer.Kind.MASTER_CLASS, title="Мастер-класс агронома", provider=cast.orgs["employer_a"],
        starts_at=starts, ends_at=starts + datetime.timedelta(hours=2), place="ул. Полевая, 1", capacity=10,
        hours=Decimal("2"), direction="upbringing", grade_min=8, grade_max=9, sector="agriculture", professions="агроном",
    )  # fmt: skip
    offer_publish(offer=offer, by=operator)
    registration = registration_create(offer=offer, student=cast.students["a1_8a_1"], by=cast.user("student_a1")).registration
    mentor_person = Person.objects.create(last_name="Наставников", first_name="Руслан", middle_name="Петрович")
    mentor = mentor_create(person=mentor_person, organization=cast.orgs["employer_a"], sector="agriculture", competencies="агрономия")
    today = timezone.localdate()
    mentor_vetting_record(
        mentor=mentor, vetting="cleared", checked_on=today - datetime.timedelta(days=30), expires_on=today + datetime.timedelta(days=300), by=operator
    )  # fmt: skip
    assignment = mentor_assign(mentor=mentor, student=cast.students["a1_9a_0"], goal="Выбор колледжа", by=operator)
    return SimpleNamespace(
        partner=partner, agreement=agreement, plan_item=plan_item, route=route, offer=offer, registration=registration,
        mentor=mentor, assignment=assignment,
    )  # fmt: skip
