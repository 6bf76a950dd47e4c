"""Reads of the monitoring, narrowed by monitoring.policy (a foreign school or municipality is a 404).

The republic's and a municipality's pages read the rollups (monitoring.rollups: CoverageFigure, ReportTotals) —
rows per municipality or per school of one municipality, never per student. A school's form reads its own school.

For the roadmap (items 4.8 and 5.5 link to and prefill from these forms) three reads are public and take no viewer
(the caller narrows by its own policy):

    coverage(scope="republic" | "municipality" | "school", scope_id=0 | id, month=date) -> CoverageSummary | None
    profminimum_periods(school_year=...) -> [Period]                     # December and May by default
    profminimum_figures(scope=..., scope_id=..., period=Period) -> ProfminimumSummary
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Q
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone

from access.policy import Viewer, students_visible
from monitoring.figures import LEVEL_CODES, figures_for, loaded, share
from monitoring.models import CoverageFigure, Period, ProgrammeEnrolment, Report, ReportEvent, ReportTotals, Scope
from monitoring.periods import latest_open, periods_of
from monitoring.policy import monitoring_municipalities, monitoring_schools
from monitoring.prefill import figures_day, prefill
from orgs.models import Municipality, Organization, SchoolYear
from orgs.selectors import school_year_current

REPUBLIC = Scope.REPUBLIC
MUNICIPALITY = Scope.MUNICIPALITY
SCHOOL = Scope.SCHOOL


# --- figures -------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CoverageSummary:
    """Coverage of one scope for one month: from the platform's data, and as the schools reported it in their forms
    (those handed in; for a school, its own form)."""

    month: datetime.date
    as_of: datetime.date
    students: int
    covered: int
    enrolments: int
    reported_students: int | None = None
    reported_covered: int | None = None
    schools: int = 0
    sent: int = 0
    accepted: int = 0
    url: str = ""

    @property
    def percent(self) -> Decimal | None:
        return share(self.covered, self.students)

    @property
    def reported_percent(self) -> Decimal | None:
        return share(self.reported_covered, self.reported_students)


def _period_for_month(month: datetime.date) -> Period | None:
    from monitoring.periods import coverage_period

    return coverage_period(month=month)


def coverage(*, scope: str, scope_id: int, month: datetime.date) -> CoverageSummary | None:
    """Coverage of a scope ("republic" with 0, "municipality", "school") for the month of `month`, as of its last day:
    the platform's figure (the rollup the periodic job keeps) and the figure of the forms handed in. None when the
    month has not been computed (not a reported month, or the job has not run yet). No access check: the caller's."""
    month = month.replace(day=1)
    row = CoverageFigure.objects.filter(month=month, scope=scope, scope_id=scope_id).first()
    period = _period_for_month(month)
    if row is None and period is None:
        return None
    base = {
        "month": month, "as_of": period.as_of if period else month, "students": row.students if row else 0,
        "covered": row.covered if row else 0, "enrolments": row.enrolments if row else 0,
    }  # fmt: skip
    if period is None:
        return CoverageSummary(**base)
    if scope == SCHOOL:
        report = Report.objects.filter(period=period, school_id=scope_id).first()
        sent = report is not None and report.is_sent
        return CoverageSummary(
            **base, reported_students=report.values.get("students") if sent else None,
            reported_covered=report.values.get("covered") if sent else None, schools=1, sent=int(sent),
            accepted=int(report is not None and report.status == Report.Status.ACCEPTED),
            url=reverse("monitoring:report", args=[scope_id, period.pk]),
        )  # fmt: skip
    totals = ReportTotals.objects.filter(period=period, scope=scope, scope_id=scope_id).first()
    url = reverse("monitoring:coverage") if scope == REPUBLIC else reverse("monitoring:coverage_municipality", args=[scope_id])
    return CoverageSummary(
        **base, reported_students=totals.values.get("students", 0) if totals and totals.sent else None,
        reported_covered=totals.values.get("covered", 0) if totals and totals.sent else None,
        schools=totals.schools if totals else 0, sent=totals.sent if totals else 0, accepted=totals.accepted if totals else 0,
        url=f"{url}?period={period.pk}",
    )  # fmt: skip


def profminimum_periods(*, school_year: SchoolYear) -> list[Period]:
    """The twice-yearly periods of item 5.5 of the year (made with their defaults, December and May, if new)."""
    return periods_of(school_year=school_year, kind=Period.Kind.PROFMINIMUM)


@dataclass(frozen=True)
class ProfminimumSummary:
    """The 5.5 figures of a scope for a period: {figure key: value} summed over the schools' forms handed in (a
    school: its own form's figures), the schools by level ("level_basic", …, "level_none") and who handed in."""

    period: Period
    values: dict
    schools: int
    sent: int
    accepted: int
    url: str


def profminimum_figures(*, scope: str, scope_id: int, period: Period) -> ProfminimumSummary:
    """No access check: the caller's."""
    if scope == SCHOOL:
        report = Report.objects.filter(period=period, school_id=scope_id).first()
        sent = report is not None and report.is_sent
        values = dict(report.values) if sent else {}
        if report is not None:
            values["level"] = report.prefilled.get("level", "")
        return ProfminimumSummary(
            period, values, 1, int(sent), int(report is not None and report.status == Report.Status.ACCEPTED),
            reverse("monitoring:report", args=[scope_id, period.pk]),
        )  # fmt: skip
    totals = ReportTotals.objects.filter(period=period, scope=scope, scope_id=scope_id).first()
    url = reverse("monitoring:profminimum") if scope == REPUBLIC else reverse("monitoring:profminimum_municipality", args=[scope_id])
    if totals is None:
        return ProfminimumSummary(period, {}, 0, 0, 0, f"{url}?period={period.pk}")
    return ProfminimumSummary(period, dict(totals.values), totals.schools, totals.sent, totals.accepted, f"{url}?period={period.pk}")


# --- places, narrowed by the policy -------------------------------------------------------------------------------------


def school_get(*, viewer: Viewer, pk: int) -> Organization:
    return get_object_or_404(monitoring_schools(viewer).select_related("municipality"), pk=pk)


def municipality_get(*, viewer: Viewer, pk: int) -> Municipality:
    return get_object_or_404(monitoring_municipalities(viewer), pk=pk)


def period_get(*, pk: int, kind: str | None = None) -> Period:
    periods = Period.objects.select_related("school_year")
    if kind:
        periods = periods.filter(kind=kind)
    return get_object_or_404(periods, pk=pk)


def year_periods(*, school_year: SchoolYear, kind: str) -> list[Period]:
    return periods_of(school_year=school_year, kind=kind)


def chosen_period(periods: list[Period], raw: str, today: datetime.date) -> Period | None:
    """The period asked for (?period=<id>), else the latest one open, else the first."""
    if raw.isdigit():
        for period in periods:
            if period.pk == int(raw):
                return period
    return latest_open(periods, today) or (periods[0] if periods else None)


# --- a school's forms -------------------------------------------------------------------------------------------------------


@dataclass
class FormLine:
    """One period of a school: its form (or none yet) and where it stands."""

    period: Period
    report: Report | None
    today: datetime.date

    @property
    def is_open(self) -> bool:
        return self.period.is_open(self.today)

    @property
    def is_sent(self) -> bool:
        return self.report is not None and self.report.is_sent

    @property
    def is_overdue(self) -> bool:
        return self.is_open and not self.is_sent and self.period.is_overdue(self.today)

    @property
    def status_text(self) -> str:
        if not self.is_open:
            return "ещё не открыта"
        if self.report is None:
            return "не начата"
        return self.report.get_status_display()

    @property
    def tone(self) -> str:
        if self.is_overdue:
            return "danger"
        if self.report is not None and self.report.status == Report.Status.RETURNED:
            return "warning"
        if self.is_sent:
            return "done"
        return "todo" if self.is_open else ""


def school_lines(*, school: Organization, school_year: SchoolYear, kind: str, today: datetime.date) -> list[FormLine]:
    periods = periods_of(school_year=school_year, kind=kind)
    reports = {r.period_id: r for r in Report.objects.filter(school=school, period__in=periods)}
    return [FormLine(period, reports.get(period.pk), today) for period in periods]


def school_due(*, school: Organization, today: datetime.date) -> list[FormLine]:
    """The school's open forms not handed in (the oldest first): what its coordinator's home asks for."""
    year = school_year_current()
    if year is None:
        return []
    lines = []
    for kind in (Period.Kind.COVERAGE, Period.Kind.PROFMINIMUM):
        lines.extend(
            line for line in school_lines(school=school, school_year=year, kind=kind, today=today) if line.is_open and not line.is_sent
        )
    return sorted(lines, key=lambda line: (line.period.due_on, line.period.kind))


def school_coverage_trend(*, school: Organization, months: list[datetime.date]) -> dict[datetime.date, CoverageFigure]:
    return {row.month: row for row in CoverageFigure.objects.filter(scope=SCHOOL, scope_id=school.pk, month__in=months)}


@dataclass
class FormView:
    """A school's form as its page shows it: the platform's figures (live while the school still edits, frozen once
    handed in), the school's values and reasons, the history."""

    school: Organization
    period: Period
    report: Report | None
    platform: dict
    platform_on: datetime.date
    frozen: bool
    events: list = field(default_factory=list)

    def initial(self, key: str):
        """What the input shows: a corrected figure as the school corrected it, else the platform's figure."""
        report = self.report
        if report is not None and (key in report.reasons or self.platform.get(key) is None):
            return report.values.get(key)
        return self.platform.get(key)


def report_view(*, school: Organization, period: Period, today: datetime.date | None = None) -> FormView:
    today = today or timezone.localdate()
    report = Report.objects.filter(period=period, school=school).select_related("submitted_by", "decided_by").first()
    frozen = report is not None and report.is_sent
    if frozen:
        platform, platform_on = report.prefilled, report.prefilled_on or period.as_of
    elif period.is_open(today):
        platform, platform_on = prefill(school=school, period=period, today=today), figures_day(period, today)
    else:
        platform, platform_on = {}, period.as_of
    events = list(ReportEvent.objects.filter(report=report).select_related("by").order_by("-at", "-pk")) if report else []
    return FormView(school, period, report, platform, platform_on, frozen, events)


# --- a municipality's schools, the republic's municipalities ------------------------------------------------------------


@dataclass
class SchoolRow:
    school: Organization
    report: Report | None
    coverage: CoverageFigure | None = None


def municipality_school_rows(*, viewer: Viewer, municipality: Municipality, period: Period) -> list[SchoolRow]:
    """The municipality's schools with their forms for the period (and their platform coverage for a coverage month):
    a municipality's size, never the region's."""
    schools = list(monitoring_schools(viewer).filter(municipality=municipality, is_active=True).order_by("short_name"))
    reports = {r.school_id: r for r in Report.objects.filter(period=period, school__in=schools)}
    coverage_rows = {}
    if period.kind == Period.Kind.COVERAGE:
        coverage_rows = {
            row.scope_id: row
            for row in CoverageFigure.objects.filter(month=period.month, scope=SCHOOL, scope_id__in=[s.pk for s in schools])
        }
    return [SchoolRow(s, reports.get(s.pk), coverage_rows.get(s.pk)) for s in schools]


def municipality_counts(*, municipality: Municipality, period: Period) -> dict[str, int]:
    """How many of the municipality's schools handed in their form for the period (straight from the forms)."""
    schools = Organization.objects.filter(kind=Organization.Kind.SCHOOL, is_active=True, municipality=municipality).count()
    statuses = dict(
        Report.objects.filter(period=period, municipality=municipality, school__is_active=True)
        .values_list("status")
        .annotate(n=Count("pk"))
        .values_list("status", "n")
    )
    sent = statuses.get(Report.Status.SUBMITTED, 0) + statuses.get(Report.Status.ACCEPTED, 0)
    return {
        "schools": schools, "sent": sent, "submitted": statuses.get(Report.Status.SUBMITTED, 0),
        "accepted": statuses.get(Report.Status.ACCEPTED, 0), "missing": max(0, schools - sent),
        "returned": statuses.get(Report.Status.RETURNED, 0),
    }  # fmt: skip


@dataclass
class MunicipalityRow:
    municipality: Municipality
    coverage: CoverageFigure | None
    totals: ReportTotals | None


def republic_rows(*, viewer: Viewer, period: Period) -> list[MunicipalityRow]:
    municipalities = list(monitoring_municipalities(viewer).order_by("kind", "name"))
    ids = [m.pk for m in municipalities]
    totals = {t.scope_id: t for t in ReportTotals.objects.filter(period=period, scope=MUNICIPALITY, scope_id__in=ids)}
    coverage_rows = {}
    if period.kind == Period.Kind.COVERAGE:
        coverage_rows = {
            row.scope_id: row for row in CoverageFigure.objects.filter(month=period.month, scope=MUNICIPALITY, scope_id__in=ids)
        }
    return [MunicipalityRow(m, coverage_rows.get(m.pk), totals.get(m.pk)) for m in municipalities]


def scope_totals(*, period: Period, scope: str, scope_id: int) -> ReportTotals | None:
    return ReportTotals.objects.filter(period=period, scope=scope, scope_id=scope_id).first()


def coverage_trend(*, scope: str, scope_id: int, months: list[datetime.date]) -> dict[datetime.date, CoverageFigure]:
    return {row.month: row for row in CoverageFigure.objects.filter(scope=scope, scope_id=scope_id, month__in=months)}


def computed_at(*, period: Period) -> datetime.datetime | None:
    """When the republic's rows of the period were last added up (the pages say how fresh they are)."""
    row = ReportTotals.objects.filter(period=period, scope=REPUBLIC, scope_id=0).values_list("computed_at", flat=True).first()
    return row


def republic_due(*, periods: list[Period]) -> dict[int, ReportTotals]:
    """The republic's totals of these periods (who handed in), from the rollup."""
    return {t.period_id: t for t in ReportTotals.objects.filter(period__in=periods, scope=REPUBLIC, scope_id=0)}


def level_counts(values: dict) -> list[tuple[str, int]]:
    from monitoring.figures import LEVEL_NAMES

    return [(LEVEL_NAMES[code], int(values.get(f"level_{code}", 0))) for code in LEVEL_CODES] + [
        (LEVEL_NAMES[""], int(values.get("level_none", 0)))
    ]


def summed(kind: str, values: dict) -> dict:
    """Totals' values as numbers (decimals arrive as text)."""
    return {f.key: loaded(f, values.get(f.key)) for f in figures_for(kind)}


# --- enrolments ---------------------------------------------------------------------------------------------------------


def school_enrolments(*, viewer: Viewer, school: Organization, today: datetime.date, include_ended: bool = False):
    """Enrolments of the school's current students the viewer may see (the student's data: the caller logs the read)."""
    students = students_visible(viewer).filter(current_school=school)
    rows = ProgrammeEnrolment.objects.filter(student__in=students).select_related("student__person", "student__current_class", "programme")
    if not include_ended:
        rows = rows.filter(Q(ends_on__isnull=True) | Q(ends_on__gte=today))
    return rows.order_by("student__current_class__grade", "student__current_class__letter", "student__person__last_name", "starts_on")


def enrolment_get(*, viewer: Viewer, school: Organization, pk: int) -> ProgrammeEnrolment:
    students = students_visible(viewer).filter(current_school=school)
    return get_object_or_404(ProgrammeEnrolment.objects.filter(student__in=students).select_related("student__person", "programme"), pk=pk)
