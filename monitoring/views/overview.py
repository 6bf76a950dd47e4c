"""The republic's and a municipality's monitoring: who handed in which form, coverage by month and by municipality,
the twice-yearly figures summed — read from the rollups (monitoring.rollups), so a page costs the rows it shows.

Each page picks a period (?period=<id>, the latest open one by default); each table sorts, filters and pages by its
own parameters and downloads whole as XLSX from the same address (?format=xlsx&table=…), laid out as the form is.
"""

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils import timezone

from access.policy import active_role, home_municipality_id, home_school_id, landing_kind, viewer_for
from core import charts
from core.charts import Bar
from core.formatting import count_text, date_text, datetime_text, number
from core.tables import BLANK, Cell, ChoiceFilter, Column, Row, Table, number_cell, text_cell
from monitoring import selectors
from monitoring.figures import PROFMINIMUM, figures_for, loaded, share
from monitoring.models import Period, Report, Scope
from monitoring.policy import can_decide, sees_monitoring
from monitoring.views.common import (
    KIND_LEADS,
    KIND_TITLES,
    REPUBLIC_NAME,
    crumbs,
    current_year,
    due_text,
    export,
    percent_text,
    period_choices,
    respond,
)

SCHOOLS = ("школа", "школы", "школ")
STATUS_FILTER = ChoiceFilter(
    "status", "Форма",
    [("missing", "не сдана"), (Report.Status.SUBMITTED, "ждёт приёмки"), (Report.Status.ACCEPTED, "принята"),
     (Report.Status.RETURNED, "возвращена")],
    any_label="любая",
)  # fmt: skip
CHART_WIDTH = 560


@login_required
def index(request: HttpRequest) -> HttpResponse:
    """/monitoring/ opens the level of the active role: the republic, the municipality, the school."""
    viewer = viewer_for(request.user)
    kind = landing_kind(active_role(request, viewer))
    if kind == "republic" and viewer.is_republic:
        return redirect("monitoring:coverage")
    if kind == "municipality" and (pk := home_municipality_id(viewer)):
        return redirect("monitoring:coverage_municipality", pk)
    if kind == "school" and (pk := home_school_id(viewer)) and viewer.school_ids:
        return redirect("monitoring:school", pk)
    if viewer.is_republic:
        return redirect("monitoring:coverage")
    raise Http404("Мониторинг доступен школам, муниципалитетам и министерству.")


def _chosen(request: HttpRequest, kind: str):
    year = current_year()
    today = timezone.localdate()
    periods = selectors.year_periods(school_year=year, kind=kind)
    period = selectors.chosen_period(periods, request.GET.get("period", ""), today)
    if period is None:
        raise Http404("Периодов мониторинга на этот учебный год нет.")
    return year, today, periods, period


def _status_cells(totals, schools_default: int = 0) -> list[Cell]:
    schools = totals.schools if totals else schools_default
    sent = totals.sent if totals else 0
    accepted = totals.accepted if totals else 0
    missing = max(0, schools - sent)
    return [
        number_cell(schools, 0),
        Cell(sent, number(sent, 0), note=f"из {number(schools, 0)}" if schools else ""),
        number_cell(accepted, 0),
        Cell(missing, number(missing, 0), sort=missing),
    ]


def _status_columns() -> list[Column]:
    return [
        Column("schools", "Школ", "int"),
        Column("sent", "Сдали форму", "int"),
        Column("accepted", "Из них приняты", "int", "Приняты"),
        Column("missing", "Не сдали", "int"),
    ]


def _share_cell(value) -> Cell:
    return Cell(value, percent_text(value))


def _percent_chart(chart_id: str, title: str, bars: list[Bar], desc: str) -> str:
    return charts.bar_chart(
        chart_id=chart_id, title=title, bars=bars, unit="%", desc=desc, width=CHART_WIDTH,
        value_text=lambda v: percent_text(v), empty_text="Данных пока нет.",
    )  # fmt: skip


def _trend_chart(*, chart_id: str, where: str, trend: dict, periods: list[Period], today) -> charts.ChartBlock:
    bars = [
        Bar(p.title, share(trend[p.month].covered, trend[p.month].students) or 0)
        for p in periods
        if p.month <= today and p.month in trend and trend[p.month].students
    ]
    svg = _percent_chart(chart_id, f"Охват дополнительным образованием по месяцам: {where}", bars, f"{where}, по данным платформы.")
    return charts.ChartBlock(chart_id, "Охват по месяцам", svg, note="Текущий месяц — предварительно: он ещё не закончился.")


def _period_context(*, kind: str, periods, period, today, year) -> dict:
    return {
        "kind": kind, "kind_title": KIND_TITLES[kind], "kind_lead": KIND_LEADS[kind], "year": year, "periods": period_choices(periods, today),
        "period": period, "period_open": period.is_open(today), "due": due_text(period, today), "today": today,
    }  # fmt: skip


# --- coverage: the republic ---------------------------------------------------------------------------------------------


def _coverage_municipalities_table(rows, republic_cov, republic_totals, period) -> Table:
    columns = [
        Column("name", "Муниципалитет"),
        *_status_columns(),
        Column("students", "Обучающихся 6–11 классов (данные платформы)", "int", "Обучающихся 6–11 кл."),
        Column("covered", "Из них занимаются в программах ДО (данные платформы)", "int", "Охвачено ДО"),
        Column("percent", "Охват, % (данные платформы)", "decimal", "Охват"),
        Column("reported", "Охват, % (по сданным формам школ)", "decimal", "Охват по формам"),
    ]
    table_rows = []
    for row in rows:
        cov, totals = row.coverage, row.totals
        reported = share(totals.values.get("covered"), totals.values.get("students")) if totals and totals.sent else None
        url = f"{reverse('monitoring:coverage_municipality', args=[row.municipality.pk])}?period={period.pk}"
        table_rows.append(
            Row([
                text_cell(row.municipality.name, url=url), *_status_cells(totals),
                number_cell(cov.students if cov else 0, 0), number_cell(cov.covered if cov else 0, 0),
                _share_cell(share(cov.covered, cov.students) if cov else None), _share_cell(reported),
            ])
        )  # fmt: skip
    footer = None
    if len(rows) > 1:
        reported = (
            share(republic_totals.values.get("covered"), republic_totals.values.get("students"))
            if republic_totals and republic_totals.sent
            else None
        )
        footer = [
            *_status_cells(republic_totals),
            number_cell(republic_cov.students if republic_cov else 0, 0),
            number_cell(republic_cov.covered if republic_cov else 0, 0),
            _share_cell(share(republic_cov.covered, republic_cov.students) if republic_cov else None),
            _share_cell(reported),
        ]
    return Table(
        key="municipalities", title=f"Муниципалитеты: охват за {period.title.lower()}", columns=columns, rows=table_rows, footer=footer,
        footer_label="Республика", empty="Муниципалитетов нет.",
        note="Охват — доля обучающихся 6–11 классов, занятых хотя бы в одной программе: обучающийся в трёх программах считается один раз.",
    )  # fmt: skip


@login_required
def coverage_republic(request: HttpRequest) -> HttpResponse:
    viewer = viewer_for(request.user)
    if not viewer.is_republic:
        if viewer.municipality_ids:
            return redirect("monitoring:coverage_municipality", min(viewer.municipality_ids))
        raise Http404("Показатели республики доступны министерству.")
    year, today, periods, period = _chosen(request, Period.Kind.COVERAGE)
    rows = selectors.republic_rows(viewer=viewer, period=period)
    months = [p.month for p in periods]
    trend = selectors.coverage_trend(scope=Scope.REPUBLIC, scope_id=0, months=months)
    republic_cov = trend.get(period.month)
    republic_totals = selectors.scope_totals(period=period, scope=Scope.REPUBLIC, scope_id=0)
    table = _coverage_municipalities_table(rows, republic_cov, republic_totals, period).bind(request, export_params={"period": period.pk})
    if request.GET.get("format") == "xlsx":
        return export(request, [table], title=f"Охват дополнительным образованием за {period.title.lower()}", scope=REPUBLIC_NAME,
                      file_stem=f"coverage-{period.month:%Y-%m}", on_date=period.as_of)  # fmt: skip
    republic_share = share(republic_cov.covered, republic_cov.students) if republic_cov else None
    bars = [
        Bar(row.municipality.name, share(row.coverage.covered, row.coverage.students) or 0, republic_share, "республика")
        for row in rows
        if row.coverage and row.coverage.students
    ]
    compare = charts.ChartBlock(
        "chart-municipalities",
        f"Муниципалитеты за {period.title.lower()}",
        _percent_chart(
            "chart-municipalities", f"Охват по муниципалитетам за {period.title.lower()}", bars,
            "Черта на полосе — охват по республике.",
        ),
        note="Черта — охват по республике.",
    )  # fmt: skip
    context = {
        **_period_context(kind=Period.Kind.COVERAGE, periods=periods, period=period, today=today, year=year),
        "heading": "Охват дополнительным образованием в республике", "page_title": "Охват ДО: республика",
        "coverage": republic_cov, "coverage_share": percent_text(republic_share), "totals": republic_totals,
        "computed_at": datetime_text(republic_cov.computed_at) if republic_cov else "", "table": table,
        "charts": [_trend_chart(chart_id="chart-trend", where="республика", trend=trend, periods=periods, today=today), compare],
        "breadcrumbs": [{"label": "Мониторинг", "url": ""}], "switch_url": reverse("monitoring:profminimum"),
        "can_edit_periods": viewer.is_ministry_admin,
    }  # fmt: skip
    return respond(request, "monitoring/coverage_republic.html", context, [table])


# --- coverage: a municipality -------------------------------------------------------------------------------------------


def _status_of(report) -> tuple[str, str]:
    """(facet value, text) of a school's form."""
    if report is None:
        return "missing", "не начата"
    if report.status == Report.Status.DRAFT:
        return "missing", "черновик, не сдана"
    return report.status, report.get_status_display()


def _school_status_cell(report, period, today) -> Cell:
    facet, text = _status_of(report)
    overdue = facet in ("missing", Report.Status.RETURNED) and period.is_open(today) and period.is_overdue(today)
    return Cell(text, text, note="срок истёк" if overdue else "", sort=(facet != "missing", text))


def _coverage_schools_table(rows, period, today) -> Table:
    columns = [
        Column("name", "Школа"),
        Column("status", "Форма"),
        Column("students", "Обучающихся 6–11 классов (данные платформы)", "int", "Обучающихся 6–11 кл."),
        Column("covered", "Охвачено ДО (данные платформы)", "int", "Охвачено ДО"),
        Column("percent", "Охват, % (данные платформы)", "decimal", "Охват"),
        Column("reported_students", "Обучающихся по форме школы", "int", "По форме: обучающихся"),
        Column("reported_covered", "Охвачено по форме школы", "int", "По форме: охвачено"),
        Column("reported", "Охват, % по форме школы", "decimal", "По форме: охват"),
        Column("corrected", "Исправлено школой", "text", "Исправлено"),
    ]
    table_rows = []
    for row in rows:
        cov, report = row.coverage, row.report
        sent = report is not None and report.is_sent
        values = report.values if sent else {}
        corrected = ", ".join(f.label.lower() for f in figures_for(period.kind) if sent and f.key in report.reasons)
        url = reverse("monitoring:report", args=[row.school.pk, period.pk])
        facet, _ = _status_of(report)
        table_rows.append(
            Row(
                [
                    text_cell(row.school.short_name, url=url), _school_status_cell(report, period, today),
                    number_cell(cov.students if cov else 0, 0), number_cell(cov.covered if cov else 0, 0),
                    _share_cell(share(cov.covered, cov.students) if cov else None),
                    number_cell(values.get("students"), 0) if sent else BLANK, number_cell(values.get("covered"), 0) if sent else BLANK,
                    _share_cell(share(values.get("covered"), values.get("students"))) if sent else BLANK,
                    text_cell(corrected or ("нет" if sent else "")),
                ],
                facets={"status": {facet}},
            )
        )  # fmt: skip
    return Table(
        key="schools", title=f"Школы: охват за {period.title.lower()}", columns=columns, rows=table_rows, empty="Школ нет.",
        search_label="Школа", filters=[STATUS_FILTER],
    )  # fmt: skip


@login_required
def coverage_municipality(request: HttpRequest, pk: int) -> HttpResponse:
    viewer = viewer_for(request.user)
    municipality = selectors.municipality_get(viewer=viewer, pk=pk)
    year, today, periods, period = _chosen(request, Period.Kind.COVERAGE)
    rows = selectors.municipality_school_rows(viewer=viewer, municipality=municipality, period=period)
    counts = selectors.municipality_counts(municipality=municipality, period=period)
    table = _coverage_schools_table(rows, period, today).bind(request, export_params={"period": period.pk})
    if request.GET.get("format") == "xlsx":
        return export(request, [table], title=f"Охват дополнительным образованием за {period.title.lower()}", scope=municipality.name,
                      file_stem=f"coverage-{municipality.pk}-{period.month:%Y-%m}", on_date=period.as_of)  # fmt: skip
    trend = selectors.coverage_trend(scope=Scope.MUNICIPALITY, scope_id=municipality.pk, months=[p.month for p in periods])
    cov = trend.get(period.month)
    context = {
        **_period_context(kind=Period.Kind.COVERAGE, periods=periods, period=period, today=today, year=year),
        "heading": f"Охват дополнительным образованием: {municipality.name}", "page_title": f"Охват ДО: {municipality.name}",
        "municipality": municipality, "coverage": cov, "coverage_share": percent_text(share(cov.covered, cov.students) if cov else None),
        "counts": counts, "table": table, "computed_at": datetime_text(cov.computed_at) if cov else "",
        "charts": [_trend_chart(chart_id="chart-trend", where=municipality.name, trend=trend, periods=periods, today=today)],
        "breadcrumbs": crumbs(viewer, municipality=municipality),
        "switch_url": reverse("monitoring:profminimum_municipality", args=[municipality.pk]),
    }  # fmt: skip
    return respond(request, "monitoring/coverage_municipality.html", context, [table])


# --- the профминимум, twice a year ----------------------------------------------------------------------------------------

SUMMED = list(PROFMINIMUM)


def _figure_cells(values: dict | None) -> list[Cell]:
    """The form's figures in its order, with the course attendance as a share after the marks."""
    if values is None:
        return [BLANK] * (len(SUMMED) + 1)
    cells = []
    for figure in SUMMED:
        value = loaded(figure, values.get(figure.key))
        cells.append(number_cell(value, 1 if figure.kind == "decimal" else 0) if value is not None else Cell(None, "—"))
        if figure.key == "course_present":
            cells.append(_share_cell(share(loaded(figure, values.get("course_present")), values.get("course_marks"))))
    return cells


def _figure_columns() -> list[Column]:
    columns = []
    for figure in SUMMED:
        columns.append(Column(figure.key, figure.label, "decimal" if figure.kind == "decimal" else "int", figure.short))
        if figure.key == "course_present":
            columns.append(Column("attendance", "Посещаемость занятий курса, %", "decimal", "Посещаемость курса"))
    return columns


def _profminimum_municipalities_table(rows, republic_totals, period) -> Table:
    columns = [Column("name", "Муниципалитет"), *_status_columns(), *_figure_columns()]
    table_rows = []
    for row in rows:
        totals = row.totals
        url = f"{reverse('monitoring:profminimum_municipality', args=[row.municipality.pk])}?period={period.pk}"
        table_rows.append(
            Row([text_cell(row.municipality.name, url=url), *_status_cells(totals), *_figure_cells(totals.values if totals else {})])
        )
    footer = None
    if len(rows) > 1:
        footer = [*_status_cells(republic_totals), *_figure_cells(republic_totals.values if republic_totals else {})]
    return Table(
        key="municipalities", title=f"Муниципалитеты: {period.title.lower()}", columns=columns, rows=table_rows, footer=footer,
        footer_label="Республика", empty="Муниципалитетов нет.", note="Суммы по формам, которые школы сдали.",
    )  # fmt: skip


@login_required
def profminimum_republic(request: HttpRequest) -> HttpResponse:
    viewer = viewer_for(request.user)
    if not viewer.is_republic:
        if viewer.municipality_ids:
            return redirect("monitoring:profminimum_municipality", min(viewer.municipality_ids))
        raise Http404("Показатели республики доступны министерству.")
    year, today, periods, period = _chosen(request, Period.Kind.PROFMINIMUM)
    rows = selectors.republic_rows(viewer=viewer, period=period)
    republic_totals = selectors.scope_totals(period=period, scope=Scope.REPUBLIC, scope_id=0)
    table = _profminimum_municipalities_table(rows, republic_totals, period).bind(request, export_params={"period": period.pk})
    if request.GET.get("format") == "xlsx":
        return export(request, [table], title=f"Реализация профминимума: {period.title.lower()}", scope=REPUBLIC_NAME,
                      file_stem=f"profminimum-{period.as_of:%Y-%m}", on_date=period.as_of)  # fmt: skip
    bars = [
        Bar(row.municipality.name, share(row.totals.values.get("met"), row.totals.values.get("students")) or 0)
        for row in rows
        if row.totals and row.totals.sent and row.totals.values.get("students")
    ]
    levels = selectors.level_counts(republic_totals.values if republic_totals else {})
    level_chart = charts.bar_chart(
        chart_id="chart-levels", title=f"Школы по уровням профминимума на {date_text(period.as_of)}",
        bars=[Bar(label, count) for label, count in levels], width=CHART_WIDTH,
        value_text=lambda v: count_text(int(v), *SCHOOLS),
    )  # fmt: skip
    context = {
        **_period_context(kind=Period.Kind.PROFMINIMUM, periods=periods, period=period, today=today, year=year),
        "heading": "Реализация профминимума в республике: самоанализ школ", "page_title": "Профминимум: мониторинг республики",
        "totals": republic_totals, "table": table, "levels": levels,
        "computed_at": datetime_text(republic_totals.computed_at) if republic_totals else "",
        "charts": [
            charts.ChartBlock(
                "chart-met", "Выполнили минимум уровня",
                _percent_chart("chart-met", f"Доля выполнивших минимум уровня, {period.title.lower()}", bars, "По сданным формам школ."),
                note="Доля обучающихся 6–11 классов по сданным формам школ.",
            ),
            charts.ChartBlock("chart-levels", "Школы по уровням", level_chart),
        ],
        "breadcrumbs": [{"label": "Мониторинг", "url": ""}], "switch_url": reverse("monitoring:coverage"),
        "can_edit_periods": viewer.is_ministry_admin,
    }  # fmt: skip
    return respond(request, "monitoring/profminimum_republic.html", context, [table])


def _profminimum_schools_table(rows, period, today) -> Table:
    columns = [
        Column("name", "Школа"),
        Column("level", "Уровень профминимума", "text", "Уровень"),
        Column("status", "Форма"),
        *_figure_columns(),
    ]
    table_rows = []
    from monitoring.figures import LEVEL_NAMES

    for row in rows:
        report = row.report
        sent = report is not None and report.is_sent
        level = LEVEL_NAMES.get(report.prefilled.get("level", ""), "") if report is not None else ""
        facet, _ = _status_of(report)
        url = reverse("monitoring:report", args=[row.school.pk, period.pk])
        table_rows.append(
            Row(
                [text_cell(row.school.short_name, url=url), text_cell(level), _school_status_cell(report, period, today),
                 *_figure_cells(report.values if sent else None)],
                facets={"status": {facet}},
            )
        )  # fmt: skip
    return Table(
        key="schools", title=f"Школы: {period.title.lower()}", columns=columns, rows=table_rows, empty="Школ нет.",
        search_label="Школа", filters=[STATUS_FILTER], note="Показатели — по сданным формам; у несданных пусто.",
    )  # fmt: skip


@login_required
def profminimum_municipality(request: HttpRequest, pk: int) -> HttpResponse:
    viewer = viewer_for(request.user)
    municipality = selectors.municipality_get(viewer=viewer, pk=pk)
    year, today, periods, period = _chosen(request, Period.Kind.PROFMINIMUM)
    rows = selectors.municipality_school_rows(viewer=viewer, municipality=municipality, period=period)
    counts = selectors.municipality_counts(municipality=municipality, period=period)
    table = _profminimum_schools_table(rows, period, today).bind(request, export_params={"period": period.pk})
    if request.GET.get("format") == "xlsx":
        return export(request, [table], title=f"Реализация профминимума: {period.title.lower()}", scope=municipality.name,
                      file_stem=f"profminimum-{municipality.pk}-{period.as_of:%Y-%m}", on_date=period.as_of)  # fmt: skip
    context = {
        **_period_context(kind=Period.Kind.PROFMINIMUM, periods=periods, period=period, today=today, year=year),
        "heading": f"Реализация профминимума: {municipality.name}", "page_title": f"Профминимум: мониторинг, {municipality.name}",
        "municipality": municipality, "counts": counts, "table": table,
        "breadcrumbs": crumbs(viewer, municipality=municipality, last="Профминимум"),
        "switch_url": reverse("monitoring:coverage_municipality", args=[municipality.pk]),
    }  # fmt: skip
    return respond(request, "monitoring/profminimum_municipality.html", context, [table])


def may_open(viewer) -> bool:
    return sees_monitoring(viewer) or can_decide(viewer)


urlpatterns = [
    path("", index, name="index"),
    path("coverage/", coverage_republic, name="coverage"),
    path("coverage/municipalities/<int:pk>/", coverage_municipality, name="coverage_municipality"),
    path("profminimum/", profminimum_republic, name="profminimum"),
    path("profminimum/municipalities/<int:pk>/", profminimum_municipality, name="profminimum_municipality"),
]
