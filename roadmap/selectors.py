"""Reads of the roadmap: the plans, each period's state of execution (overdue ones stand out), the reports an
organisation owes, the contributions a lead consolidates, one report with its history. Reports are narrowed by
roadmap.policy; the plan itself and the state of its items are the ministry's public order and its execution.

A plan's execution costs a fixed handful of queries whatever the region's size: the items with their executors
and periods, the network's single organisations and counts by kind (roadmap.responsibility.Network), the lead
reports, and the contributions counted per period."""

import datetime
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Prefetch
from django.shortcuts import get_object_or_404

from access.policy import Viewer
from orgs.models import Organization
from roadmap.models import Evidence, Item, Period, Plan, Report, ReportEvent
from roadmap.policy import may_read_report, reports_visible
from roadmap.responsibility import Network, Responsibility, plan_responsibilities

DONE_STATES = (Report.State.SUBMITTED, Report.State.ACCEPTED)

# The state of a period's report as the plan shows it: its label and its marker (core.charts.STATES).
STATES: dict[str, tuple[str, str]] = {
    "overdue": ("просрочен", "at_risk"),
    "returned": ("возвращён на доработку", "behind"),
    "submitted": ("на проверке", "on_track"),
    "accepted": ("принят", "met"),
    "in_work": ("в работе", "no_level"),
    "ahead": ("впереди", "no_level"),
}
STATE_ORDER = ("overdue", "returned", "submitted", "in_work", "ahead", "accepted")
SOON_DAYS = 14  # «due soon» on homes


def period_state(report_state: str | None, period: Period, today: datetime.date) -> str:
    if report_state in (Report.State.ACCEPTED, Report.State.SUBMITTED, Report.State.RETURNED):
        return report_state
    if period.due_on < today:
        return "overdue"
    if period.starts_on > today:
        return "ahead"
    return "in_work"


def is_overdue(report_state: str | None, period: Period, today: datetime.date) -> bool:
    return period.due_on < today and report_state not in DONE_STATES


# --- plans -------------------------------------------------------------------------------------------------------


def plans_list() -> list[Plan]:
    return list(Plan.objects.select_related("school_year", "copied_from").annotate(item_count=Count("items")).order_by("-starts_on", "pk"))


def plan_current() -> Plan | None:
    """The plan of the current school year; else the latest plan (the order's own text, on a fresh database)."""
    plan = Plan.objects.filter(school_year__is_current=True).first()
    return plan or Plan.objects.order_by("-starts_on", "-is_source").first()


def plan_get(pk: int) -> Plan:
    return get_object_or_404(Plan.objects.select_related("school_year", "copied_from"), pk=pk)


def plan_items(plan: Plan) -> list[Item]:
    """The plan's items in the source's order, with their section, executors and periods."""
    return list(
        Item.objects.filter(plan=plan)
        .select_related("section")
        .prefetch_related("executors__organization", Prefetch("periods", queryset=Period.objects.order_by("due_on", "position")))
        .order_by("section__position", "position")
    )


# --- a plan's execution --------------------------------------------------------------------------------------------


@dataclass
class PeriodRow:
    item: Item
    period: Period
    duty: Responsibility
    lead_report: dict | None  # id, state, execution, text, submitted_at of the lead's report
    contributions_done: int
    state: str
    overdue: bool
    days_overdue: int

    @property
    def state_label(self) -> str:
        return STATES[self.state][0]

    @property
    def marker(self) -> str:
        return STATES[self.state][1]


@dataclass
class SectionSummary:
    number: str
    title: str
    items: int = 0
    periods: int = 0
    due: int = 0  # periods due by today
    accepted: int = 0
    overdue: int = 0


@dataclass
class Execution:
    plan: Plan
    items: list[Item]
    duties: dict[int, Responsibility]
    rows: list[PeriodRow]
    today: datetime.date
    sections: list[SectionSummary] = field(default_factory=list)
    by_state: Counter = field(default_factory=Counter)

    @property
    def overdue(self) -> int:
        return sum(1 for row in self.rows if row.overdue)


def plan_execution(plan: Plan, *, today: datetime.date, network: Network | None = None) -> Execution:
    items = plan_items(plan)
    duties = plan_responsibilities(items, network)
    leads = {}
    for report in Report.objects.filter(period__item__plan=plan, is_lead=True).values(
        "pk", "period_id", "organization_id", "state", "execution", "text", "submitted_at", "decided_at"
    ):
        leads[(report["period_id"], report["organization_id"])] = report
    contributions = dict(
        Report.objects.filter(period__item__plan=plan, is_lead=False, state__in=DONE_STATES)
        .order_by()
        .values("period_id")
        .annotate(total=Count("pk"))
        .values_list("period_id", "total")
    )
    rows, sections = [], {}
    for item in items:
        duty = duties[item.pk]
        summary = sections.setdefault(item.section_id, SectionSummary(item.section.number, item.section.title))
        summary.items += 1
        for period in item.periods.all():
            lead = leads.get((period.pk, duty.lead_id))
            state = period_state(lead["state"] if lead else None, period, today)
            overdue = is_overdue(lead["state"] if lead else None, period, today)
            rows.append(
                PeriodRow(
                    item=item, period=period, duty=duty, lead_report=lead, contributions_done=contributions.get(period.pk, 0),
                    state=state, overdue=overdue, days_overdue=(today - period.due_on).days if overdue else 0,
                )
            )  # fmt: skip
            summary.periods += 1
            summary.due += period.due_on < today
            summary.accepted += state == "accepted"
            summary.overdue += overdue
    execution = Execution(plan=plan, items=items, duties=duties, rows=rows, today=today, sections=list(sections.values()))
    execution.by_state = Counter(row.state for row in rows)
    return execution


def executor_choices(execution: Execution) -> list[tuple[str, str]]:
    """The executors of a plan for the «by executor» filter: each organisation, then each kind of them."""
    from roadmap.responsibility import kinds_text

    organizations: dict[int, str] = {}
    kinds: list[str] = []
    for duty in execution.duties.values():
        for organization in ([duty.lead] if duty.lead else []) + duty.contributors:
            organizations.setdefault(organization.pk, organization.short_name)
        kinds.extend(kind for kind in duty.kinds if kind not in kinds)
    return [(f"org:{pk}", name) for pk, name in organizations.items()] + [(f"kind:{kind}", kinds_text([kind])) for kind in kinds]


@dataclass
class ExecutorRow:
    key: str
    label: str
    lead_periods: int = 0  # periods it leads
    contribution_periods: int = 0  # periods it contributes to (for a kind: each organisation's)
    submitted: int = 0
    accepted: int = 0
    returned: int = 0
    overdue: int = 0  # its own reports past due and not submitted


def executor_rows(execution: Execution) -> list[ExecutorRow]:
    """Each executor of the plan with its reports by state: the single organisations, and every kind of them as
    one row (all schools together)."""
    today = execution.today
    rows: dict[str, ExecutorRow] = {key: ExecutorRow(key, label) for key, label in executor_choices(execution)}
    plan = execution.plan
    reports = Report.objects.filter(period__item__plan=plan).values_list("period_id", "organization_id", "organization__kind", "state")
    by_period: dict[int, dict[int, str]] = defaultdict(dict)
    kind_states: dict[tuple[int, str], Counter] = defaultdict(Counter)
    for period_id, organization_id, kind, state in reports:
        by_period[period_id][organization_id] = state
        kind_states[(period_id, kind)][state] += 1
    for row in execution.rows:
        duty, period = row.duty, row.period
        for organization in ([duty.lead] if duty.lead else []) + duty.contributors:
            target = rows[f"org:{organization.pk}"]
            if duty.lead and organization.pk == duty.lead.pk:
                target.lead_periods += 1
            else:
                target.contribution_periods += 1
            state = by_period[period.pk].get(organization.pk)
            target.submitted += state == Report.State.SUBMITTED
            target.accepted += state == Report.State.ACCEPTED
            target.returned += state == Report.State.RETURNED
            target.overdue += is_overdue(state, period, today)
        for kind in duty.kinds:
            target = rows[f"kind:{kind}"]
            total = duty.kind_totals.get(kind, 0)
            counted = kind_states[(period.pk, kind)]
            target.contribution_periods += total
            target.submitted += counted[Report.State.SUBMITTED]
            target.accepted += counted[Report.State.ACCEPTED]
            target.returned += counted[Report.State.RETURNED]
            if period.due_on < today:
                target.overdue += max(0, total - counted[Report.State.SUBMITTED] - counted[Report.State.ACCEPTED])
    return list(rows.values())


# --- what an organisation owes ---------------------------------------------------------------------------------------


@dataclass
class OwedRow:
    item: Item
    period: Period
    organization: Organization
    role: str  # "lead" | "contribution"
    report: Report | None
    state: str
    overdue: bool

    @property
    def state_label(self) -> str:
        return STATES[self.state][0]

    @property
    def marker(self) -> str:
        return STATES[self.state][1]

    @property
    def role_label(self) -> str:
        return "ведущий исполнитель" if self.role == "lead" else "соисполнитель"


def owed_reports(plan: Plan, *, organizations: list[Organization], today: datetime.date, items: list[Item] | None = None,
                 duties: dict[int, Responsibility] | None = None) -> list[OwedRow]:  # fmt: skip
    """Every period of the plan each of these organisations answers for, with its report and state, by due date."""
    if not organizations:
        return []
    items = plan_items(plan) if items is None else items
    duties = plan_responsibilities(items) if duties is None else duties
    reports = {
        (r.period_id, r.organization_id): r
        for r in Report.objects.filter(period__item__plan=plan, organization__in=organizations).select_related("period")
    }
    rows = []
    for item in items:
        duty = duties[item.pk]
        for organization in organizations:
            role = duty.answers(organization)
            if role is None:
                continue
            for period in item.periods.all():
                report = reports.get((period.pk, organization.pk))
                state = report.state if report else None
                rows.append(
                    OwedRow(
                        item=item, period=period, organization=organization, role=role, report=report,
                        state=period_state(state, period, today), overdue=is_overdue(state, period, today),
                    )
                )  # fmt: skip
    rows.sort(key=lambda row: (row.period.due_on, row.item.section.position, row.item.position))
    return rows


def owed_now(rows: list[OwedRow], *, today: datetime.date, soon_days: int = 45) -> list[OwedRow]:
    """What needs doing: returned, overdue, a draft, or due within `soon_days` days — accepted and submitted ones left
    out, and those far ahead."""
    horizon = today + datetime.timedelta(days=soon_days)
    return [
        row
        for row in rows
        if row.state in ("returned", "overdue")
        or (row.state in ("in_work", "ahead") and (row.report is not None or row.period.due_on <= horizon))
    ]


# --- a period: the lead's report and the contributions ---------------------------------------------------------------


@dataclass
class ContributionRow:
    organization: Organization
    report: Report | None
    state: str
    overdue: bool

    @property
    def state_label(self) -> str:
        return STATES[self.state][0]

    @property
    def marker(self) -> str:
        return STATES[self.state][1]


def period_contributions(period: Period, duty: Responsibility, *, viewer: Viewer, filer_ids, today: datetime.date) -> list[ContributionRow]:
    """Every contributor of the period with its contribution's state: all of them to the republic's bodies and the
    lead; a municipality's own department and schools to a municipal coordinator; one's own to anyone else."""
    leads = duty.lead is not None and duty.lead.pk in filer_ids
    everyone = viewer.is_republic or leads
    organizations = list(duty.contributors)
    if duty.kinds:
        kind_orgs = (
            Organization.objects.filter(kind__in=duty.kinds, is_active=True).exclude(pk=duty.lead_id or 0).select_related("municipality")
        )
        organizations += [o for o in kind_orgs if all(o.pk != c.pk for c in duty.contributors)]
    if not everyone:
        organizations = [
            o
            for o in organizations
            if o.pk in filer_ids or (o.municipality_id is not None and o.municipality_id in viewer.municipality_ids)
        ]
    reports = {r.organization_id: r for r in Report.objects.filter(period=period, is_lead=False, organization__in=organizations)}
    rows = []
    for organization in organizations:
        report = reports.get(organization.pk)
        state = report.state if report else None
        rows.append(
            ContributionRow(
                organization=organization, report=report, state=period_state(state, period, today), overdue=is_overdue(state, period, today)
            )
        )
    rows.sort(key=lambda row: (STATE_ORDER.index(row.state), row.organization.kind, row.organization.short_name))
    return rows


def period_get(pk: int) -> Period:
    return get_object_or_404(Period.objects.select_related("item__plan", "item__section"), pk=pk)


def lead_report(period: Period, duty: Responsibility) -> Report | None:
    if duty.lead is None:
        return None
    return Report.objects.filter(period=period, organization=duty.lead).first()


# --- one report -------------------------------------------------------------------------------------------------------


def report_get(*, viewer: Viewer, pk: int, filer_ids, duty_of) -> Report:
    """A report the viewer may read, else 404. `duty_of(item)` gives the item's responsibility (who leads)."""
    report = get_object_or_404(Report.objects.select_related("period__item__plan", "period__item__section", "organization"), pk=pk)
    duty = duty_of(report.period.item)
    led = [report.period.item_id] if duty.lead is not None and duty.lead.pk in filer_ids else []
    if not may_read_report(viewer, report, filer_ids=filer_ids, led_item_ids=led):
        from django.http import Http404

        raise Http404
    return report


def report_history(report: Report) -> list[ReportEvent]:
    return list(report.events.select_related("by").order_by("at", "pk"))


def report_evidence(report: Report) -> list[Evidence]:
    return list(report.evidence.select_related("added_by"))


def evidence_get(*, report: Report, pk: int) -> Evidence:
    return get_object_or_404(Evidence.objects.filter(report=report, file__gt=""), pk=pk)


def reports_waiting_decision(*, viewer: Viewer, filer_ids, plan: Plan, led_item_ids) -> dict[str, int]:
    """Reports waiting for the viewer's decision: the items' reports (the ministry), the contributions to items the
    viewer's organisation leads."""
    result = {"lead": 0, "contributions": 0}
    submitted = Report.objects.filter(period__item__plan=plan, state=Report.State.SUBMITTED)
    if viewer.is_ministry_admin:
        result["lead"] = submitted.filter(is_lead=True).count()
    if led_item_ids:
        result["contributions"] = submitted.filter(is_lead=False, period__item_id__in=list(led_item_ids)).count()
    return result


def visible_reports(*, viewer: Viewer, filer_ids, led_item_ids=()):
    return reports_visible(viewer, filer_ids=filer_ids, led_item_ids=led_item_ids)


def contributions_for_lead(report: Report) -> list[Report]:
    """The contributions filed to the same period as a lead's report (what the lead consolidates)."""
    return list(
        Report.objects.filter(period=report.period, is_lead=False)
        .exclude(state=Report.State.DRAFT)
        .select_related("organization")
        .annotate(evidence_count=Count("evidence"))
        .order_by("organization__kind", "organization__short_name")
    )


def overdue_lead_count(execution: Execution) -> int:
    return sum(1 for row in execution.rows if row.overdue)


def items_led_by(duties: dict[int, Responsibility], filer_ids) -> list[int]:
    return [item_id for item_id, duty in duties.items() if duty.lead is not None and duty.lead.pk in filer_ids]


def soon(rows: list[OwedRow], today: datetime.date, days: int = SOON_DAYS) -> list[OwedRow]:
    horizon = today + datetime.timedelta(days=days)
    return [row for row in rows if row.state in ("in_work", "ahead") and row.period.due_on <= horizon]
