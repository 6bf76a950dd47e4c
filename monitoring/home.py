"""What the monitoring adds to the portal (core.registry): the menu entry, what needs attention — a school
coordinator's «форма за ноябрь не сдана», a municipality's and the ministry's «N школ не сдали» — and a small panel.

A school reads its own forms; a municipality counts its schools' forms (its own size); the republic reads the
rollups' republic rows. A handful of indexed queries on any home, whatever the size of the region."""

from collections.abc import Callable

from django.urls import reverse

from access.policy import home_municipality_id, home_school_id
from core.formatting import count_text, date_text, plural_form
from core.registry import Attention, MenuItem, Panel, registry
from monitoring.figures import share
from monitoring.models import Period, Report, Scope
from monitoring.policy import can_decide
from monitoring.views.common import KIND_TITLES, percent_text
from orgs.selectors import school_year_current

MENU_PATHS = r"^/monitoring/"
TOP = 3
SCHOOLS = ("школа", "школы", "школ")


def _memo(ctx, key: str, compute: Callable):
    cache = ctx.request.__dict__.setdefault("_monitoring_home", {})
    if key not in cache:
        cache[key] = compute()
    return cache[key]


def _year(ctx):
    return _memo(ctx, "year", school_year_current)


def _school_pk(ctx) -> int | None:
    """The school whose forms this home is about: the school-wide roles (coordinator, psychologist)."""
    if ctx.kind != "school" or not ctx.viewer.school_ids:
        return None
    return home_school_id(ctx.viewer)


def _latest(ctx) -> dict[str, Period]:
    """The latest open period of each form this school year."""
    from monitoring.periods import latest_open, periods_of

    def compute():
        year = _year(ctx)
        if year is None:
            return {}
        result = {}
        for kind in (Period.Kind.COVERAGE, Period.Kind.PROFMINIMUM):
            period = latest_open(periods_of(school_year=year, kind=kind), ctx.today)
            if period is not None:
                result[kind] = period
        return result

    return _memo(ctx, "latest", compute)


def menu_url(ctx) -> str:
    viewer = ctx.viewer
    if ctx.kind == "republic" and viewer.is_republic:
        return reverse("monitoring:coverage")
    if ctx.kind == "municipality" and (pk := home_municipality_id(viewer)):
        return reverse("monitoring:coverage_municipality", args=[pk])
    if (pk := _school_pk(ctx)) is not None:
        return reverse("monitoring:school", args=[pk])
    return ""


@registry.menu("monitoring", order=60)
def monitoring_menu(ctx) -> MenuItem | None:
    url = menu_url(ctx)
    return MenuItem("Мониторинг", url, current_on=MENU_PATHS) if url else None


@registry.links("monitoring", order=40)
def object_links(ctx, subject: str, obj) -> list[MenuItem]:
    if subject == "organization" and obj.is_school and (ctx.viewer.is_republic or obj.municipality_id in ctx.viewer.municipality_ids
                                                        or obj.pk in ctx.viewer.school_ids):  # fmt: skip
        return [MenuItem("Формы мониторинга", reverse("monitoring:school", args=[obj.pk]))]
    return []


# --- what needs attention -------------------------------------------------------------------------------------------


def _not_sent_text(count: int, period: Period) -> str:
    """«5 школ не сдали форму за ноябрь»."""
    verb = plural_form(count, "не сдала", "не сдали", "не сдали")
    return f"{count_text(count, *SCHOOLS)} {verb} форму за {period.month_name}"


def _tone(period: Period, today) -> str:
    return "danger" if period.is_overdue(today) else "warning"


def _detail(period: Period, today) -> str:
    when = f"срок истёк {date_text(period.due_on)}" if period.is_overdue(today) else f"срок — {date_text(period.due_on)}"
    return f"{KIND_TITLES[period.kind]}; {when}."


@registry.attention("monitoring.forms", order=45)
def forms_attention(ctx) -> list[Attention]:
    if _year(ctx) is None:
        return []
    if (pk := _school_pk(ctx)) is not None and pk in ctx.viewer.coordinated_school_ids:
        return _school_attention(ctx, pk)
    if ctx.kind == "municipality" and (pk := home_municipality_id(ctx.viewer)):
        return _municipality_attention(ctx, pk)
    if ctx.kind == "republic" and ctx.viewer.is_republic:
        return _republic_attention(ctx)
    return []


def _school_attention(ctx, school_pk: int) -> list[Attention]:
    from monitoring import selectors

    school = selectors.monitoring_schools(ctx.viewer).filter(pk=school_pk).first()
    if school is None:
        return []
    lines = selectors.school_due(school=school, today=ctx.today)
    items = []
    for line in lines[:TOP]:
        period = line.period
        url = reverse("monitoring:report", args=[school.pk, period.pk])
        if line.report is not None and line.report.status == Report.Status.RETURNED:
            items.append(
                Attention(f"Форма за {period.month_name} возвращена на доработку", url, "danger", f"Министерство: {line.report.comment}")
            )
        else:
            items.append(Attention(f"Форма за {period.month_name} не сдана", url, _tone(period, ctx.today), _detail(period, ctx.today)))
    if len(lines) > TOP:
        rest = len(lines) - TOP
        items.append(
            Attention(
                f"И ещё {count_text(rest, 'несданная форма', 'несданные формы', 'несданных форм')}",
                reverse("monitoring:school", args=[school.pk]),
            )
        )
    return items


def _municipality_attention(ctx, municipality_pk: int) -> list[Attention]:
    from monitoring import selectors

    municipality = selectors.monitoring_municipalities(ctx.viewer).filter(pk=municipality_pk).first()
    if municipality is None:
        return []
    items = []
    for kind, period in _latest(ctx).items():
        counts = selectors.municipality_counts(municipality=municipality, period=period)
        if counts["missing"]:
            name = "coverage_municipality" if kind == Period.Kind.COVERAGE else "profminimum_municipality"
            url = f"{reverse(f'monitoring:{name}', args=[municipality.pk])}?period={period.pk}&schools-status=missing"
            items.append(Attention(_not_sent_text(counts["missing"], period), url, _tone(period, ctx.today), _detail(period, ctx.today)))
    return items


def _republic_attention(ctx) -> list[Attention]:
    from monitoring import selectors

    latest = _latest(ctx)
    totals = selectors.republic_due(periods=list(latest.values()))
    items = []
    for kind, period in latest.items():
        row = totals.get(period.pk)
        if row is not None and row.missing:
            name = "coverage" if kind == Period.Kind.COVERAGE else "profminimum"
            url = f"{reverse(f'monitoring:{name}')}?period={period.pk}"
            items.append(Attention(_not_sent_text(row.missing, period), url, _tone(period, ctx.today), _detail(period, ctx.today)))
    if can_decide(ctx.viewer):
        for kind, period in latest.items():
            row = totals.get(period.pk)
            if row is not None and row.submitted:
                name = "coverage" if kind == Period.Kind.COVERAGE else "profminimum"
                waiting = count_text(row.submitted, "форма ждёт", "формы ждут", "форм ждут")
                items.append(Attention(f"{waiting} приёмки: {period.month_name}", f"{reverse(f'monitoring:{name}')}?period={period.pk}", "info",
                                       f"{KIND_TITLES[kind]}.",))  # fmt: skip
    return items


# --- panels ------------------------------------------------------------------------------------------------------------


@registry.panel("monitoring", order=45)
def monitoring_panel(ctx) -> Panel | None:
    from monitoring import selectors

    if _year(ctx) is None:
        return None
    latest = _latest(ctx)
    coverage_period = latest.get(Period.Kind.COVERAGE)
    if (pk := _school_pk(ctx)) is not None:
        school = selectors.monitoring_schools(ctx.viewer).filter(pk=pk).first()
        if school is None:
            return None
        figure = selectors.coverage(scope=Scope.SCHOOL, scope_id=school.pk, month=coverage_period.month) if coverage_period else None
        context = {
            "coverage": percent_text(share(figure.covered, figure.students)) if figure else "—", "period": coverage_period,
            "school_url": reverse("monitoring:school", args=[school.pk]), "enrolments_url": reverse("monitoring:enrolments", args=[school.pk]),
        }  # fmt: skip
        return Panel("Мониторинг", "monitoring/panels/school.html", context)
    if ctx.kind == "municipality" and (pk := home_municipality_id(ctx.viewer)):
        scope, scope_id, url = Scope.MUNICIPALITY, pk, reverse("monitoring:coverage_municipality", args=[pk])
    elif ctx.kind == "republic" and ctx.viewer.is_republic:
        scope, scope_id, url = Scope.REPUBLIC, 0, reverse("monitoring:coverage")
    else:
        return None
    rows = []
    for kind, period in latest.items():
        if kind == Period.Kind.COVERAGE:
            summary = selectors.coverage(scope=scope, scope_id=scope_id, month=period.month)
            if summary is not None:
                rows.append({"period": period, "title": KIND_TITLES[kind], "share": percent_text(summary.percent), "sent": summary.sent,
                             "schools": summary.schools})  # fmt: skip
        else:
            summary = selectors.profminimum_figures(scope=scope, scope_id=scope_id, period=period)
            rows.append({"period": period, "title": KIND_TITLES[kind], "share": "", "sent": summary.sent, "schools": summary.schools})
    return Panel("Мониторинг", "monitoring/panels/territory.html", {"rows": rows, "url": url})
