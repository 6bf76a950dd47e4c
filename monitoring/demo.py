"""The monitoring in the demo region: the year's periods, a dozen additional-education programmes of the region's
colleges and universities, students of grades 6–11 enrolled in them (about a third of them, some in two or three
programmes), every month's coverage computed, and the demo school's forms in the states a reviewer meets: an early
month accepted, the last month handed in. Enrolments go into the table in bulk; deterministic for a seed."""

import datetime
import random
import time

from django.utils import timezone

from accounts.models import User
from core.bulk import insert_model_rows
from core.formatting import number, thousands
from monitoring.coverage import GRADES
from monitoring.models import Period, Programme, ProgrammeEnrolment
from monitoring.periods import periods_ensure
from monitoring.prefill import prefill
from monitoring.rollups import rollups_refresh
from monitoring.services import report_accept, report_save
from orgs.models import Organization
from orgs.selectors import school_year_current
from people.models import Enrollment

TITLES = [
    ("Робототехника", Programme.Direction.TECHNICAL), ("Юный программист", Programme.Direction.TECHNICAL),
    ("3D-моделирование", Programme.Direction.TECHNICAL), ("Экологическая лаборатория", Programme.Direction.SCIENCE),
    ("Юный химик", Programme.Direction.SCIENCE), ("Школьный театр", Programme.Direction.ARTS),
    ("Осетинский танец", Programme.Direction.ARTS), ("Волонтёры-медики", Programme.Direction.SOCIAL),
    ("Медиастудия", Programme.Direction.SOCIAL), ("Вольная борьба", Programme.Direction.SPORTS),
    ("Шахматы", Programme.Direction.SPORTS), ("Юный краевед Осетии", Programme.Direction.TOURISM),
]  # fmt: skip
COVERED_SHARE = 0.35
FIELDS = ("student_id", "programme_id", "starts_on", "ends_on", "source")


def build_monitoring_demo(*, seed: int, stdout=None) -> dict[str, int]:
    started = time.perf_counter()
    year = school_year_current()
    if year is None or Programme.objects.exists():
        return {}
    rng = random.Random(seed * 7919 + 13)
    today = timezone.localdate()
    periods_ensure(school_year=year)
    providers = list(
        Organization.objects.filter(kind__in=[Organization.Kind.COLLEGE, Organization.Kind.UNIVERSITY, Organization.Kind.ADDITIONAL_EDUCATION])
        .order_by("pk")
    )  # fmt: skip
    if not providers:
        return {}
    programmes = Programme.objects.bulk_create(
        Programme(title=title, provider=providers[index % len(providers)], direction=direction) for index, (title, direction) in enumerate(TITLES)
    )  # fmt: skip
    students = list(
        Enrollment.objects.filter(
            school_class__school_year=year, school_class__grade__gte=GRADES[0], school_class__grade__lte=GRADES[1], ended_on__isnull=True
        )
        .order_by("student_id")
        .values_list("student_id", flat=True)
    )
    rows = []
    for student_id in students:
        if rng.random() >= COVERED_SHARE:
            continue
        for programme in rng.sample(programmes, rng.choice((1, 1, 1, 2, 2, 3))):
            starts_on = year.starts_on + datetime.timedelta(days=rng.choice((0, 0, 14, 30, 45, 75)))
            ends_on = starts_on + datetime.timedelta(days=rng.randint(40, 120)) if rng.random() < 0.1 else None
            if starts_on > today:
                continue
            rows.append((student_id, programme.pk, starts_on, ends_on, ProgrammeEnrolment.Source.IMPORTED))
    insert_model_rows(ProgrammeEnrolment, FIELDS, rows)
    rollups_refresh(school_year=year)
    forms = _demo_school_forms(year, today)
    counts = {"programmes": len(programmes), "enrolments": len(rows), "forms": forms}
    if stdout is not None:
        stdout.write(f"Мониторинг: {thousands(len(rows))} записей в программы ДО, форм демо-школы: {forms} — "
                     f"{number(time.perf_counter() - started, 1)} с")  # fmt: skip
    return counts


def _demo_school_forms(year, today) -> int:
    """The demo school's coverage forms: the first month accepted, the last month over handed in."""
    users = {user.username: user for user in User.objects.filter(username__in=["minobr", "koordinator"])}
    if len(users) < 2:
        return 0
    school = Organization.objects.filter(memberships__person__user=users["koordinator"], kind=Organization.Kind.SCHOOL).first()
    open_periods = list(Period.objects.filter(school_year=year, kind=Period.Kind.COVERAGE, as_of__lt=today).order_by("as_of"))
    if school is None or not open_periods:
        return 0
    made = 0
    for period in {open_periods[0].pk: open_periods[0], open_periods[-1].pk: open_periods[-1]}.values():
        figures = prefill(school=school, period=period, today=today)
        values = {key: str(value) for key, value in figures.items() if value is not None}
        report = report_save(school=school, period=period, values=values, shown=values, submit=True, by=users["koordinator"], today=today)
        if period.pk == open_periods[0].pk and len(open_periods) > 1:
            report_accept(report=report, by=users["minobr"])
        made += 1
    return made
