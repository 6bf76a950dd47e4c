"""The roadmap in the demo region: the order's plan copied into the current school year (so that the prefilled figures
have data), and reports in every state a reviewer meets — the ЦОПП's accepted, submitted and returned reports, the demo
school's contribution. Done through the services, as the people would, a few dozen rows: it keeps `seed_demo` fast."""

import datetime
import time

from django.utils import timezone

from accounts.models import User
from core.formatting import number
from orgs.models import Organization
from orgs.selectors import school_year_current
from roadmap.models import Plan, Report
from roadmap.services import (
    evidence_link_add,
    plan_copy,
    report_accept,
    report_return,
    report_save,
    report_start,
    report_submit,
)
from roadmap.source import source_plan_ensure

DEMO_LINK = "https://example.org/copp/otchet"


def _lead_period(plan: Plan, code: str, today: datetime.date):
    """The item's period due last by today (or its first one)."""
    periods = plan.items.get(code=code).periods.order_by("due_on")
    return periods.filter(due_on__lte=today).last() or periods.first()


def build_roadmap_demo(*, stdout=None) -> dict[str, int]:
    started = time.perf_counter()
    year = school_year_current()
    users = {user.username: user for user in User.objects.filter(username__in=["minobr", "copp", "koordinator"])}
    if year is None or len(users) < 3 or Plan.objects.filter(school_year=year).exists():
        return {}
    today = timezone.localdate()
    ministry, copp = users["minobr"], users["copp"]
    plan = plan_copy(plan=source_plan_ensure(), school_year=year, by=ministry)
    operator = Organization.objects.filter(kind=Organization.Kind.REGIONAL_OPERATOR, is_active=True).order_by("pk").first()

    def filed(code: str, text: str) -> Report:
        report = report_start(period=_lead_period(plan, code, today), organization=operator, by=copp)
        report_save(report=report, execution=Report.Execution.DONE, text=text, corrections={}, own_figures=[], by=copp)
        evidence_link_add(report=report, url=DEMO_LINK, title="Отчёт на сайте ЦОПП", by=copp)
        return report_submit(report=report, by=copp)

    accepted = filed("3.5", "Проведена региональная конференция педагогов-навигаторов, 140 участников.")
    report_accept(report=accepted, comment="Принято.", by=ministry)
    filed("4.18", "Проведены профессиональные пробы на площадках колледжей, 620 обучающихся.")
    returned = filed("3.6", "Обновлён реестр площадок профессиональных проб.")
    report_return(report=returned, comment="Приложите приказ об утверждении реестра.", by=ministry)
    # The demo school's contribution to item 1.2 (its level of the профминимум), started, not yet submitted.
    school = Organization.objects.filter(memberships__person__user=users["koordinator"], kind=Organization.Kind.SCHOOL).first()
    if school is not None:
        report_start(period=plan.items.get(code="1.2").periods.order_by("due_on").first(), organization=school, by=users["koordinator"])
    counts = {"roadmap_items": plan.items.count(), "roadmap_reports": Report.objects.filter(period__item__plan=plan).count()}
    if stdout is not None:
        stdout.write(f"Дорожная карта: план на {year.title} ({counts['roadmap_items']} пунктов), "
                     f"{counts['roadmap_reports']} отчёта — {number(time.perf_counter() - started, 1)} с")  # fmt: skip
    return counts
