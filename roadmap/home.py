"""What the roadmap adds to the portal (core.registry): the menu entry for those who file or read its reports, and
what needs attention — an executor's returned, overdue and soon-due reports, the ministry's reports waiting for its
decision, a lead's contributions waiting for it. A handful of queries bounded by the plan's size (46 items), never
by the region's."""

import datetime

from django.urls import reverse

from core.formatting import count_text, date_text
from core.registry import Attention, MenuItem, Panel, registry
from roadmap import selectors
from roadmap.models import Report
from roadmap.policy import filer_organization_ids, may_see_roadmap
from roadmap.responsibility import Network, plan_responsibilities

SOON_DAYS = 14
TOP = 3


def _filer_ids(ctx) -> frozenset[int]:
    cache = ctx.request.__dict__.setdefault("_roadmap_home", {})
    if "filer_ids" not in cache:
        cache["filer_ids"] = filer_organization_ids(ctx.viewer) if ctx.viewer.is_authenticated else frozenset()
    return cache["filer_ids"]


@registry.menu("roadmap", order=58)
def roadmap_menu(ctx) -> MenuItem | None:
    if not ctx.viewer.is_authenticated or ctx.kind not in ("republic", "municipality", "school", "partner"):
        return None
    if not may_see_roadmap(ctx.viewer, _filer_ids(ctx)):
        return None
    return MenuItem("Дорожная карта", reverse("roadmap:home"), current_on=r"^/roadmap/")


def _report_word(count: int) -> str:
    return count_text(count, "отчёт", "отчёта", "отчётов")


@registry.attention("roadmap.reports", order=50)
def reports_attention(ctx) -> list[Attention]:
    if not ctx.viewer.is_authenticated or ctx.kind not in ("republic", "municipality", "school", "partner"):
        return []
    filer_ids = _filer_ids(ctx)
    if not filer_ids and not ctx.viewer.is_ministry_admin:
        return []
    plan = selectors.plan_current()
    if plan is None or plan.is_source:
        return []  # the order's own text is the source of the years' plans, not reported on
    items: list[Attention] = []
    plan_url = reverse("roadmap:plan", args=[plan.pk])
    duties = None
    if filer_ids:
        from orgs.models import Organization

        organizations = list(Organization.objects.filter(pk__in=filer_ids).order_by("pk"))
        plan_items = selectors.plan_items(plan)
        duties = plan_responsibilities(plan_items, Network())
        rows = selectors.owed_reports(plan, organizations=organizations, today=ctx.today, items=plan_items, duties=duties)
        returned = [row for row in rows if row.state == "returned"]
        overdue = [row for row in rows if row.overdue and row.state != "returned"]
        horizon = ctx.today + datetime.timedelta(days=SOON_DAYS)
        soon = [row for row in rows if not row.overdue and row.state in ("in_work", "ahead") and row.period.due_on <= horizon]
        for row in returned[:TOP]:
            items.append(Attention(
                f"Отчёт по пункту {row.item.number} дорожной карты возвращён на доработку", reverse("roadmap:report", args=[row.report.pk]),
                "danger", f"Замечание: {row.report.comment[:300]}",
            ))  # fmt: skip
        if overdue:
            first = overdue[0]
            items.append(Attention(
                f"{_report_word(len(overdue))} по дорожной карте — срок прошёл", plan_url, "danger",
                f"Первый: пункт {first.item.number}, {first.period.label}, срок {date_text(first.period.due_on)}.",
            ))  # fmt: skip
        if soon:
            first = soon[0]
            items.append(Attention(
                f"{_report_word(len(soon))} по дорожной карте — срок в ближайшие две недели",
                reverse("roadmap:period", args=[first.period.pk]), "warning",
                f"Ближайший: пункт {first.item.number}, {first.period.label}, срок {date_text(first.period.due_on)}.",
            ))  # fmt: skip
    led = selectors.items_led_by(duties, filer_ids) if duties is not None else []
    waiting = selectors.reports_waiting_decision(viewer=ctx.viewer, filer_ids=filer_ids, plan=plan, led_item_ids=led)
    if waiting["lead"]:
        items.append(Attention(
            f"{count_text(waiting['lead'], 'отчёт ждёт', 'отчёта ждут', 'отчётов ждут')} решения министерства по дорожной карте",
            f"{plan_url}?plan-state={Report.State.SUBMITTED}#table-plan-section", "info",
        ))  # fmt: skip
    if waiting["contributions"]:
        items.append(Attention(
            f"{count_text(waiting['contributions'], 'вклад соисполнителя ждёт', 'вклада соисполнителей ждут', 'вкладов соисполнителей ждут')} вашей проверки",
            plan_url, "info",
        ))  # fmt: skip
    return items


@registry.panel("roadmap", order=46)
def roadmap_panel(ctx) -> Panel | None:
    """The republic's home: the current plan's execution in five numbers (the lead's reports; four queries)."""
    if ctx.kind != "republic" or not ctx.viewer.is_republic:
        return None
    plan = selectors.plan_current()
    if plan is None or plan.is_source:
        return None
    from django.db.models import Count, Exists, OuterRef

    from roadmap.models import Period

    states = dict(
        Report.objects.filter(period__item__plan=plan, is_lead=True)
        .order_by()
        .values("state")
        .annotate(n=Count("pk"))
        .values_list("state", "n")
    )
    done = Report.objects.filter(period=OuterRef("pk"), is_lead=True, state__in=[Report.State.SUBMITTED, Report.State.ACCEPTED])
    due = Period.objects.filter(item__plan=plan, due_on__lt=ctx.today)
    context = {
        "plan": plan, "url": reverse("roadmap:plan", args=[plan.pk]), "due": due.count(), "overdue": due.filter(~Exists(done)).count(),
        "accepted": states.get(Report.State.ACCEPTED, 0), "submitted": states.get(Report.State.SUBMITTED, 0),
        "returned": states.get(Report.State.RETURNED, 0),
    }  # fmt: skip
    return Panel("Дорожная карта", "roadmap/panels/plan.html", context)
