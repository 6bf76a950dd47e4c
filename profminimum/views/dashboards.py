"""The compliance dashboards of the профминимум, from the republic down to one student.

Every figure is read from the rollups through profminimum.selectors, so a page costs the rows it shows, not
the size of the hours ledger. Each level has a date selector («на дату»: the states depend on the pace
expected by that date; htmx re-renders only the figures, and the plain form works without JavaScript),
breadcrumbs (only the levels the viewer may open are links), tables with an «Скачать XLSX» link (the same
URL with ?format=xlsx&table=…) and SVG charts from core.charts.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal
from urllib.parse import urlencode

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone

from access.policy import active_role, landing_kind, viewer_for
from access.services import personal_data_read_log
from core import charts
from core.charts import Bar, Series, StackRow
from core.formatting import count_text, date_short, date_text, hours_noun, hours_text, number, percent, plural_form
from core.xlsx import XlsxColumn, xlsx_response
from orgs.models import SchoolYear
from profminimum import selectors
from profminimum.models import Scope
from profminimum.selectors import Compliance, State

STATE_HEADERS = [
    (State.MET, "Норма выполнена"),
    (State.ON_TRACK, "Идёт по графику"),
    (State.BEHIND, "Отстаёт"),
    (State.AT_RISK, "В зоне риска"),
    (State.NO_LEVEL, "Уровень не выбран"),
]
STATE_LEGEND = [(state, State.LABELS[state]) for state in State.ORDER]
STUDENTS = ("обучающийся", "обучающихся", "обучающихся")
GRID_WIDTH = 560  # the charts two to a row on a desktop: drawn at about the size they are shown


# --- the date selector -----------------------------------------------------------------------------------


class DateForm(forms.Form):
    on = forms.DateField(
        label="На дату",
        required=False,
        input_formats=["%Y-%m-%d", "%d.%m.%Y"],
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": "Поле «На дату»: введите дату в формате ДД.ММ.ГГГГ, например 26.11.2026."},
    )

    # The input itself is written out in _dashboard_date_form.html (its help, error and limits wired to it).

    def __init__(self, *args, school_year: SchoolYear | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.school_year = school_year

    @property
    def input_value(self) -> str:
        """What the date input shows: the typed text when it was wrong, else the date in ISO form."""
        if self.is_bound:
            if self.is_valid() and self.cleaned_data.get("on"):
                return self.cleaned_data["on"].isoformat()
            return self.data.get("on", "")
        initial = self.initial.get("on")
        return initial.isoformat() if initial else ""

    def clean_on(self):
        day = self.cleaned_data.get("on")
        year = self.school_year
        if day is not None and year is not None and not year.starts_on <= day <= year.ends_on:
            raise forms.ValidationError(
                f"Поле «На дату»: дата должна быть в пределах учебного года {year} "
                f"(с {date_text(year.starts_on)} по {date_text(year.ends_on)})."
            )
        return day


def _default_day(school_year: SchoolYear | None) -> datetime.date:
    today = timezone.localdate()
    if school_year is None:
        return today
    return min(max(today, school_year.starts_on), school_year.ends_on)


def _date_form(request: HttpRequest, school_year: SchoolYear | None) -> tuple[DateForm, datetime.date, str]:
    """The form, the date the figures are for, and the query that keeps a chosen date on the links down."""
    form = DateForm(request.GET if "on" in request.GET else None, school_year=school_year)
    day = _default_day(school_year)
    keep = ""
    if form.is_bound and form.is_valid() and form.cleaned_data["on"]:
        day = form.cleaned_data["on"]
        keep = f"?on={day.isoformat()}"
    if not form.is_bound:
        form = DateForm(initial={"on": day}, school_year=school_year)
    return form, day, keep


# --- tables: one definition drives the HTML table and its XLSX ------------------------------------------


@dataclass(frozen=True)
class Column:
    header: str  # the XLSX header, and the page's unless `short` is given
    kind: str = "text"  # text | int | decimal | percent | date | state
    short: str = ""  # a shorter header where a wide table must fit a desktop
    on_page: bool = True  # False: only in the XLSX (the page shows it inside another cell)

    @property
    def label(self) -> str:
        return self.short or self.header

    @property
    def numeric(self) -> bool:
        return self.kind in ("int", "decimal", "percent")

    def xlsx(self) -> XlsxColumn:
        return XlsxColumn(self.header, "text" if self.kind == "state" else self.kind)


@dataclass(frozen=True)
class Cell:
    value: object  # what the XLSX holds
    text: str = ""  # what the page shows
    url: str = ""
    note: str = ""  # a quiet addition on the page only (a share)
    state: str = ""  # a state's marker

    @property
    def marker(self) -> str:
        return charts.state_marker(self.state) if self.state else ""


def num(value, digits: int = 1, **extra) -> Cell:
    return Cell(value, number(value, digits), **extra)


def text(value, **extra) -> Cell:
    return Cell(value, str(value), **extra)


@dataclass
class Table:
    key: str
    title: str
    columns: list[Column]
    rows: list[list[Cell]]
    footer: list[Cell] | None = None
    empty: str = "Нет данных."
    personal: bool = False  # rows name students: exports are logged
    xlsx_url: str = ""

    @property
    def page_columns(self) -> list[Column]:
        return [c for c in self.columns if c.on_page]

    @property
    def html_rows(self) -> list[list[tuple[Cell, Column]]]:
        return [[(cell, c) for cell, c in zip(row, self.columns) if c.on_page] for row in self.rows]

    @property
    def html_footer(self) -> list[tuple[Cell, Column]]:
        return [(cell, c) for cell, c in zip(self.footer, self.columns) if c.on_page] if self.footer else []


def _xlsx_url(request: HttpRequest, day: datetime.date, key: str) -> str:
    return f"{request.path}?{urlencode({'on': day.isoformat(), 'format': 'xlsx', 'table': key})}"


def _export(request: HttpRequest, tables: list[Table], *, scope_name: str, file_stem: str, day: datetime.date, year) -> HttpResponse:
    key = request.GET.get("table") or tables[0].key
    table = next((t for t in tables if t.key == key), None)
    if table is None:
        raise Http404("Такой таблицы на странице нет.")
    rows = [[cell.value for cell in row] for row in table.rows]
    if table.footer:
        rows.append([cell.value for cell in table.footer])
    if table.personal:
        personal_data_read_log(
            user=request.user, subject=f"выгрузка XLSX «{table.title}» ({scope_name})"[:200], channel="export",
            people_count=len(table.rows),
        )  # fmt: skip
    return xlsx_response(
        filename=f"profminimum-{file_stem}-{table.key}-{day.isoformat()}.xlsx",
        title=f"Профминимум {year}: {table.title}",
        scope=scope_name, on_date=day, columns=[c.xlsx() for c in table.columns], rows=rows, sheet_title=table.title,
    )  # fmt: skip


def _wants_xlsx(request: HttpRequest) -> bool:
    return request.GET.get("format") == "xlsx"


# --- figures shared by the republic, a municipality and a school ------------------------------------------


def _sum(figures: list[Compliance]) -> Compliance:
    total = Compliance()
    for item in figures:
        total.students += item.students
        total.total_hours += item.total_hours
        total.lessons_held += item.lessons_held
        for state, count in item.by_state.items():
            total.by_state[state] += count
        for direction_id, hours in item.hours_by_direction.items():
            total.hours_by_direction[direction_id] = total.hours_by_direction.get(direction_id, Decimal("0")) + hours
    return total


def _compliance_cells(figures: Compliance) -> list[Cell]:
    cells = [num(figures.students, 0)]
    for state, _ in STATE_HEADERS:
        count = figures.by_state[state]
        cells.append(Cell(count, number(count, 0), note=f"{figures.share(state)} %" if figures.students else ""))
    cells.append(num(figures.average_hours))
    cells.append(num(figures.lessons_held, 0))
    return cells


def _compliance_columns() -> list[Column]:
    return (
        [Column("Обучающихся", "int")]
        + [Column(header, "int") for _, header in STATE_HEADERS]
        + [Column("Средние часы на обучающегося", "decimal", "Часов в среднем"), Column("Занятий курса проведено", "int", "Занятий курса")]
    )


def _compliance_table(*, key: str, title: str, first: str, rows, extra_columns=(), empty: str = "Нет данных.") -> Table:
    """rows: (label, url, figures, extra cells)."""
    body = [[text(label, url=url), *extra, *_compliance_cells(figures)] for label, url, figures, extra in rows]
    footer = None
    if len(rows) > 1:
        footer = [text("Итого"), *[Cell(None, "") for _ in extra_columns], *_compliance_cells(_sum([r[2] for r in rows]))]
    return Table(key, title, [Column(first), *extra_columns, *_compliance_columns()], body, footer, empty)


def _direction_table(*, directions, figures: Compliance, key: str = "directions") -> Table:
    total = sum(figures.hours_by_direction.values(), Decimal("0"))
    rows = []
    for direction in directions:
        hours = figures.hours_by_direction.get(direction.pk, Decimal("0"))
        share = hours / total if total else Decimal("0")  # the XLSX keeps the exact fraction; the page rounds
        rows.append([text(direction.name[:1].upper() + direction.name[1:]), num(hours), Cell(share, f"{percent(hours, total)} %")])
    footer = [text("Всего"), num(total), Cell(1 if total else 0, "100 %" if total else "0 %")]
    return Table(key, "Часы по направлениям", [Column("Направление"), Column("Часов", "decimal"), Column("Доля", "percent")], rows, footer)


def _direction_chart(chart_id: str, directions, figures: Compliance, where: str) -> charts.ChartBlock:
    bars = [Bar(d.name[:1].upper() + d.name[1:], figures.hours_by_direction.get(d.pk, Decimal("0"))) for d in directions]
    svg = charts.bar_chart(
        chart_id=chart_id, title=f"Часы по направлениям: {where}",
        desc="Сколько академических часов профминимума проведено по каждому направлению.", bars=bars,
    )  # fmt: skip
    return charts.ChartBlock(chart_id, "Часы по направлениям", svg)


def _states_chart(chart_id: str, heading: str, rows: list[tuple[str, Compliance]], where: str) -> charts.ChartBlock:
    svg = charts.stacked_bar_chart(
        chart_id=chart_id, title=f"{heading}: {where}", width=GRID_WIDTH,
        desc="Доли обучающихся в каждом состоянии выполнения профминимума.",
        rows=[StackRow(label, dict(figures.by_state)) for label, figures in rows], states=STATE_LEGEND,
    )  # fmt: skip
    return charts.ChartBlock(chart_id, heading, svg)


def _distribution_chart(chart_id: str, school_year, scope: str, scope_id: int, where: str) -> charts.ChartBlock:
    bins = selectors.hours_distribution(school_year=school_year, scope=scope, scope_id=scope_id)
    svg = charts.column_chart(
        chart_id=chart_id, title=f"Распределение обучающихся по числу часов: {where}", width=GRID_WIDTH,
        desc="Сколько обучающихся набрали 0–9, 10–19 и так далее часов.", columns=bins,
        x_title="часов профминимума", y_title="обучающихся",
    )  # fmt: skip
    return charts.ChartBlock(chart_id, "Распределение по числу часов", svg)


def _pace_chart(chart_id: str, school_year, scope: str, scope_id: int, students: int, day: datetime.date, where: str) -> charts.ChartBlock:
    points = selectors.pace_series(school_year=school_year, scope=scope, scope_id=scope_id, students=students, on=school_year.ends_on)
    weeks = [p.week for p in points]
    series = [
        Series("В среднем на обучающегося", [p.average_hours if p.week <= day else None for p in points], primary=True,
               end_label=f"в среднем {number(next((p.average_hours for p in reversed(points) if p.week <= day), 0))} ч"),
    ]  # fmt: skip
    level_names = list(points[0].expected_by_level) if points else []
    for name in level_names:
        final = points[-1].expected_by_level[name]
        series.append(
            Series(f"Ожидаемый темп: {name} уровень", [p.expected_by_level[name] for p in points], end_label=f"{name}: {number(final)} ч")
        )
    svg = charts.line_chart(
        chart_id=chart_id, title=f"Темп набора часов за год: {where}", width=GRID_WIDTH,
        desc="Средние часы на обучающегося нарастающим итогом по неделям и ожидаемый темп каждого уровня (пунктир).",
        x=weeks, series=series, marker=day, marker_label=f"на {date_short(day)}",
    )  # fmt: skip
    return charts.ChartBlock(chart_id, "Темп за учебный год", svg)


def _totals(figures: Compliance) -> list[dict]:
    cards = [{"value": number(figures.students, 0), "label": plural_form(figures.students, *STUDENTS), "note": "6–11 классов"}]
    for state in State.ORDER:
        cards.append({
            "value": number(figures.by_state[state], 0), "label": State.LABELS[state], "note": f"{figures.share(state)} % обучающихся",
            "state": state, "marker": charts.state_marker(state),
        })  # fmt: skip
    cards.append(
        {"value": number(figures.average_hours), "label": f"{hours_noun(figures.average_hours)} в среднем", "note": "на обучающегося"}
    )
    lessons = figures.lessons_held
    cards.append({
        "value": number(lessons, 0), "label": plural_form(lessons, "занятие курса проведено", "занятия курса проведены", "занятий курса проведено"),
        "note": "«Россия — мои горизонты», по классам",
    })  # fmt: skip
    return cards


# --- breadcrumbs ------------------------------------------------------------------------------------------


def _crumbs(viewer, *, municipality=None, school=None, school_class=None, student=None, keep: str = "") -> list[dict]:
    links = selectors.dashboard_links(
        viewer=viewer, municipality_id=municipality.pk if municipality else None, school_id=school.pk if school else None,
        class_id=school_class.pk if school_class else None,
    )  # fmt: skip
    crumbs = [{"label": "Республика", "url": reverse("profminimum:dashboard") + keep if links.republic else ""}]
    if municipality is not None:
        url = reverse("profminimum:dashboard_municipality", args=[municipality.pk]) + keep
        crumbs.append({"label": municipality.name, "url": url if links.municipality else ""})
    if school is not None:
        url = reverse("profminimum:dashboard_school", args=[school.pk]) + keep
        crumbs.append({"label": school.short_name, "url": url if links.school else ""})
    if school_class is not None:
        url = reverse("profminimum:dashboard_class", args=[school_class.pk]) + keep
        crumbs.append({"label": f"{school_class.name} класс", "url": url if links.school_class else ""})
    if student is not None:
        crumbs.append({"label": student.person.short_name, "url": ""})
    crumbs[-1] = {"label": crumbs[-1]["label"], "url": "", "current": True}
    return crumbs


# --- pages --------------------------------------------------------------------------------------------------


def _no_year(request: HttpRequest, crumbs: list[dict]) -> HttpResponse:
    return render(request, "profminimum/dashboard_no_year.html", {"dashboard_crumbs": crumbs})


def _respond(request: HttpRequest, template: str, partial: str, context: dict) -> HttpResponse:
    if request.htmx and request.htmx.target == "dashboard-figures":
        return render(request, partial, context)
    return render(request, template, context)


@login_required
def republic(request: HttpRequest) -> HttpResponse:
    viewer = viewer_for(request.user)
    if not viewer.is_republic or landing_kind(active_role(request, viewer)) != "republic":
        target = selectors.dashboard_landing(viewer=viewer, kind=landing_kind(active_role(request, viewer)))
        if target is None:
            raise Http404("Показателей профминимума, доступных вам, нет.")
        level, pk = target
        if level != "republic":
            url = reverse(f"profminimum:dashboard_{level}", args=[pk])
            return redirect(f"{url}?{request.GET.urlencode()}" if request.GET else url)
    school_year = selectors.school_year_current()
    if school_year is None:
        return _no_year(request, _crumbs(viewer))
    form, day, keep = _date_form(request, school_year)
    crumbs = _crumbs(viewer, keep=keep)
    figures = selectors.scope_compliance(school_year=school_year, scope=Scope.REPUBLIC, scope_ids=[0], on=day)[0]
    rows = selectors.municipality_rows(viewer=viewer, school_year=school_year, on=day)
    directions = selectors.direction_list(school_year=school_year)
    where = "республика"
    tables = [
        _compliance_table(
            key="municipalities",
            title="Муниципалитеты",
            first="Муниципалитет",
            rows=[(m.name, reverse("profminimum:dashboard_municipality", args=[m.pk]) + keep, f, []) for m, f in rows],
            empty="Муниципалитеты ещё не заведены.",
        ),
        _direction_table(directions=directions, figures=figures),
    ]
    if _wants_xlsx(request):
        return _export(request, tables, scope_name="Республика Северная Осетия-Алания", file_stem="republic", day=day, year=school_year)
    context = _scope_context(request, tables, form=form, day=day, school_year=school_year, figures=figures)
    context.update(
        page_title="Профминимум в республике", heading="Профминимум в Республике Северная Осетия-Алания",
        lead=f"Учебный год {school_year}. Муниципалитеты, их обучающиеся 6–11 классов и выполнение профминимума.",
        dashboard_crumbs=crumbs,
        direction_chart=_direction_chart("chart-directions", directions, figures, where),
        charts=[
            _states_chart("chart-states", "Состояния по муниципалитетам", [(m.name, f) for m, f in rows], where),
            _distribution_chart("chart-distribution", school_year, Scope.REPUBLIC, 0, where),
            _pace_chart("chart-pace", school_year, Scope.REPUBLIC, 0, figures.students, day, where),
        ],
    )  # fmt: skip
    return _respond(request, "profminimum/dashboard_scope.html", "profminimum/_dashboard_scope_figures.html", context)


def _scope_context(request, tables: list[Table], *, form, day, school_year, figures: Compliance) -> dict:
    for table in tables:
        table.xlsx_url = _xlsx_url(request, day, table.key)
    return {
        "form": form, "day": day, "day_text": date_text(day), "school_year": school_year, "figures": figures,
        "totals": _totals(figures), "tables": tables, "main_table": tables[0], "direction_table": tables[-1],
    }  # fmt: skip


@login_required
def municipality(request: HttpRequest, pk: int) -> HttpResponse:
    viewer = viewer_for(request.user)
    municipality = selectors.municipality_dashboard_get(viewer=viewer, pk=pk)
    school_year = selectors.school_year_current()
    if school_year is None:
        return _no_year(request, _crumbs(viewer, municipality=municipality))
    form, day, keep = _date_form(request, school_year)
    crumbs = _crumbs(viewer, municipality=municipality, keep=keep)
    figures = selectors.scope_compliance(school_year=school_year, scope=Scope.MUNICIPALITY, scope_ids=[pk], on=day)[pk]
    rows = selectors.school_rows(viewer=viewer, school_year=school_year, municipality=municipality, on=day)
    directions = selectors.direction_list(school_year=school_year)
    where = municipality.name
    tables = [
        _compliance_table(
            key="schools",
            title="Школы",
            first="Школа",
            rows=[
                (school.short_name, reverse("profminimum:dashboard_school", args=[school.pk]) + keep, f, _level_cells(level))
                for school, f, level in rows
            ],
            extra_columns=[Column("Уровень"), Column("Статус уровня", on_page=False)],
            empty="В муниципалитете нет школ.",
        ),
        _direction_table(directions=directions, figures=figures),
    ]
    if _wants_xlsx(request):
        return _export(request, tables, scope_name=municipality.name, file_stem=f"municipality-{pk}", day=day, year=school_year)
    context = _scope_context(request, tables, form=form, day=day, school_year=school_year, figures=figures)
    context.update(
        page_title=f"Профминимум: {municipality.name}", heading=f"Профминимум: {municipality.name}",
        lead=f"Учебный год {school_year}. Школы муниципалитета, их уровни профминимума и выполнение.",
        dashboard_crumbs=crumbs,
        direction_chart=_direction_chart("chart-directions", directions, figures, where),
        charts=[
            _states_chart("chart-states", "Состояния по школам", [(s.short_name, f) for s, f, _ in rows], where),
            _distribution_chart("chart-distribution", school_year, Scope.MUNICIPALITY, pk, where),
            _pace_chart("chart-pace", school_year, Scope.MUNICIPALITY, pk, figures.students, day, where),
        ],
    )  # fmt: skip
    return _respond(request, "profminimum/dashboard_scope.html", "profminimum/_dashboard_scope_figures.html", context)


def _level_cells(school_level) -> list[Cell]:
    """The level, and its status (on the page, under the level; in the XLSX, a column of its own)."""
    if school_level is None:
        return [text("уровень не выбран"), Cell("", "—")]
    status = school_level.get_status_display()
    level = f"{school_level.level.get_code_display()} (от\u00a0{number(school_level.level.min_hours)}\u00a0ч)"
    return [text(level, note=status), text(status)]


def _level_summary(school_level) -> str:
    if school_level is None:
        return "уровень не выбран"
    level = school_level.level
    summary = f"{level.get_code_display()}, минимум {hours_text(level.min_hours)} в год; {school_level.get_status_display()}"
    if school_level.order_number:
        summary += f"; приказ школы № {school_level.order_number}"
        if school_level.order_date:
            summary += f" от {date_text(school_level.order_date)}"
    return summary


@login_required
def school(request: HttpRequest, pk: int) -> HttpResponse:
    viewer = viewer_for(request.user)
    school = selectors.school_dashboard_get(viewer=viewer, pk=pk)
    school_year = selectors.school_year_current()
    if school_year is None:
        return _no_year(request, _crumbs(viewer, municipality=school.municipality, school=school))
    form, day, keep = _date_form(request, school_year)
    crumbs = _crumbs(viewer, municipality=school.municipality, school=school, keep=keep)
    figures = selectors.scope_compliance(school_year=school_year, scope=Scope.SCHOOL, scope_ids=[pk], on=day)[pk]
    rows = selectors.class_rows(viewer=viewer, school_year=school_year, school=school, on=day)
    school_level = selectors.school_level_get(school_year=school_year, school=school)
    directions = selectors.direction_list(school_year=school_year)
    where = school.short_name
    tables = [
        _compliance_table(
            key="classes",
            title="Классы 6–11",
            first="Класс",
            rows=[(f"{c.name} класс", reverse("profminimum:dashboard_class", args=[c.pk]) + keep, f, []) for c, f in rows],
            empty="Классов 6–11, доступных вам, в этом учебном году нет.",
        ),
        _direction_table(directions=directions, figures=figures),
    ]
    if _wants_xlsx(request):
        return _export(request, tables, scope_name=school.short_name, file_stem=f"school-{pk}", day=day, year=school_year)
    context = _scope_context(request, tables, form=form, day=day, school_year=school_year, figures=figures)
    context.update(
        page_title=f"Профминимум: {school.short_name}", heading=f"Профминимум: {school.short_name}",
        lead=f"Учебный год {school_year}." + (f" {school.municipality.name}." if school.municipality_id else ""),
        level_summary=_level_summary(school_level), has_level=school_level is not None,
        dashboard_crumbs=crumbs,
        direction_chart=_direction_chart("chart-directions", directions, figures, where),
        charts=[
            _states_chart("chart-states", "Состояния по классам", [(f"{c.name} класс", f) for c, f in rows], where),
            _distribution_chart("chart-distribution", school_year, Scope.SCHOOL, pk, where),
            _pace_chart("chart-pace", school_year, Scope.SCHOOL, pk, figures.students, day, where),
        ],
    )  # fmt: skip
    return _respond(request, "profminimum/dashboard_scope.html", "profminimum/_dashboard_scope_figures.html", context)


@login_required
def school_class(request: HttpRequest, pk: int) -> HttpResponse:
    viewer = viewer_for(request.user)
    school_class = selectors.class_dashboard_get(viewer=viewer, pk=pk)
    school = school_class.school
    school_year = school_class.school_year
    form, day, keep = _date_form(request, school_year)
    crumbs = _crumbs(viewer, municipality=school.municipality, school=school, school_class=school_class, keep=keep)
    rows = selectors.student_rows(viewer=viewer, school_year=school_year, school_class=school_class, on=day)
    figures = selectors.scope_compliance(school_year=school_year, scope=Scope.CLASS, scope_ids=[pk], on=day)[pk]
    directions = selectors.direction_list(school_year=school_year)
    scope_name = f"{school_class.name} класс, {school.short_name}"

    columns = [
        Column("Обучающийся"), Column("Часов", "decimal"), Column("Минимум уровня", "decimal"),
        Column(f"Ожидается к {date_short(day)}", "decimal"), Column("Состояние", "state"),
        *[Column(d.name[:1].upper() + d.name[1:], "decimal") for d in directions],
    ]  # fmt: skip
    body = []
    for row in rows:
        hours = row.hours.total_hours if row.hours else Decimal("0")
        by_direction = row.hours.hours_by_direction if row.hours else {}
        body.append([
            text(row.student.person.full_name, url=reverse("profminimum:dashboard_student", args=[row.student.pk]) + keep),
            num(hours),
            Cell(row.min_hours, number(row.min_hours) if row.min_hours is not None else "—"),
            Cell(row.expected, number(row.expected) if row.expected is not None else "—"),
            Cell(State.LABELS[row.state], State.LABELS[row.state], state=row.state),
            *[num(Decimal(by_direction.get(str(d.pk), "0"))) for d in directions],
        ])  # fmt: skip
    table = Table("students", "Обучающиеся", columns, body, empty="В классе нет обучающихся.", personal=True)
    if _wants_xlsx(request):
        return _export(request, [table], scope_name=scope_name, file_stem=f"class-{pk}", day=day, year=school_year)
    personal_data_read_log(
        user=request.user, subject=f"профминимум: список класса {school_class} ({school})", channel="page", people_count=len(rows)
    )
    table.xlsx_url = _xlsx_url(request, day, table.key)
    student_bars = [
        Bar(row.student.person.short_name, row.hours.total_hours if row.hours else Decimal("0"), row.expected, "ожид.")
        for row in rows
    ]  # fmt: skip
    chart_list = [
        charts.ChartBlock("chart-students", "Часы обучающихся", charts.bar_chart(
            chart_id="chart-students", title=f"Часы обучающихся: {scope_name}", width=GRID_WIDTH,
            desc="Часы каждого обучающегося; черта — сколько часов ожидается к выбранной дате.", bars=student_bars,
        )),
        _pace_chart("chart-pace", school_year, Scope.CLASS, pk, figures.students, day, scope_name),
    ]  # fmt: skip
    context = {
        "form": form, "day": day, "day_text": date_text(day), "school_year": school_year, "figures": figures,
        "totals": _totals(figures), "main_table": table, "tables": [table], "charts": chart_list,
        "page_title": f"Профминимум: {school_class.name} класс", "heading": f"Профминимум: {school_class.name} класс",
        "lead": f"{school.short_name}, учебный год {school_year}.", "dashboard_crumbs": crumbs,
    }  # fmt: skip
    return _respond(request, "profminimum/dashboard_class.html", "profminimum/_dashboard_class_figures.html", context)


@login_required
def student(request: HttpRequest, pk: int) -> HttpResponse:
    viewer = viewer_for(request.user)
    school_year = selectors.school_year_current()
    if school_year is None:
        raise Http404("Текущий учебный год не заведён.")
    form, day, keep = _date_form(request, school_year)
    compliance = selectors.student_compliance(viewer=viewer, student_pk=pk, school_year=school_year, on=day)
    row = compliance.row
    student_obj = row.student
    person = student_obj.person
    school_class = student_obj.current_class
    school = student_obj.current_school

    direction_rows = []
    for direction, hours, minimum in compliance.by_direction:
        met = "—" if minimum is None else ("да" if hours >= minimum else "нет")
        direction_rows.append([
            text(direction.name[:1].upper() + direction.name[1:]), num(hours),
            Cell(minimum, number(minimum) if minimum is not None else "—"), text(met),
        ])  # fmt: skip
    direction_table = Table(
        "directions", "Часы по направлениям",
        [Column("Направление"), Column("Часов", "decimal"), Column("Минимум по направлению", "decimal"), Column("Минимум выполнен")],
        direction_rows, personal=True,
    )  # fmt: skip
    entry_rows = [
        [
            Cell(entry.occurred_on, date_text(entry.occurred_on)), text(entry.activity.title), text(entry.direction.name),
            Cell(entry.hours, ("+" if entry.hours > 0 else "") + number(entry.hours)), text(entry.get_reason_display()),
            text(entry.school.short_name), text(f"{entry.school_class.name} класс"),
        ]
        for entry in compliance.entries
    ]  # fmt: skip
    ledger = Table(
        "ledger", "Журнал часов",
        [Column("Дата", "date"), Column("Мероприятие"), Column("Направление"), Column("Часы", "decimal"), Column("Основание"),
         Column("Школа"), Column("Класс")],
        entry_rows, empty="Часов пока не зачтено.", personal=True,
    )  # fmt: skip
    tables = [ledger, direction_table]
    if _wants_xlsx(request):
        key = request.GET.get("table") or ledger.key
        if key in {t.key for t in tables}:
            personal_data_read_log(
                user=request.user, subject="выгрузка XLSX профминимума обучающегося", channel="export", person_id=person.pk
            )
        return _export(
            request, [_unlogged(t) for t in tables], scope_name=person.full_name, file_stem=f"student-{pk}", day=day, year=school_year
        )  # fmt: skip
    personal_data_read_log(user=request.user, subject="профминимум обучающегося", channel="page", person_id=person.pk)
    for table in tables:
        table.xlsx_url = _xlsx_url(request, day, table.key)

    total = row.hours.total_hours if row.hours else Decimal("0")
    progress = charts.progress_bar(
        chart_id="chart-progress", title=f"Часы профминимума: {person.full_name}", width=420,
        value=total, maximum=row.min_hours, expected=row.expected,
        desc="Зачтённые часы против минимума уровня школы." if row.min_hours is not None else "Уровень школы не выбран: минимума нет.",
    )  # fmt: skip
    directions_chart = charts.bar_chart(
        chart_id="chart-directions", title=f"Часы по направлениям: {person.full_name}",
        desc="Часы обучающегося по каждому направлению; черта — минимум по направлению, если он установлен.",
        bars=[Bar(d.name[:1].upper() + d.name[1:], h, m) for d, h, m in compliance.by_direction],
    )  # fmt: skip
    crumbs = _crumbs(
        viewer, municipality=school.municipality if school else None, school=school, school_class=school_class, student=student_obj,
        keep=keep,
    )  # fmt: skip
    siblings = [s for s in selectors.student_siblings(viewer=viewer) if s.pk != student_obj.pk]
    context = {
        "form": form, "day": day, "day_text": date_text(day), "school_year": school_year, "row": row,
        "student": student_obj, "person": person, "school": school, "school_class": school_class,
        "total_text": hours_text(total), "min_text": hours_text(row.min_hours) if row.min_hours is not None else "",
        "expected_text": hours_text(row.expected) if row.expected is not None else "",
        "level_name": row.hours.level.get_code_display() if row.hours and row.hours.level_id else "",
        "state_label": State.LABELS[row.state], "state_marker": charts.state_marker(row.state),
        "progress_svg": progress, "tables": tables, "ledger": ledger, "direction_table": direction_table,
        "charts": [charts.ChartBlock("chart-directions", "Часы по направлениям", directions_chart)],
        "siblings": siblings, "keep": keep, "entries_count": count_text(len(entry_rows), "запись", "записи", "записей"),
        "page_title": f"Профминимум: {person.short_name}", "heading": person.full_name,
        "lead": (f"{school.short_name}, {school_class.name} класс. " if school and school_class else "") + f"Учебный год {school_year}.",
        "dashboard_crumbs": crumbs,
    }  # fmt: skip
    return _respond(request, "profminimum/dashboard_student.html", "profminimum/_dashboard_student_figures.html", context)


def _unlogged(table: Table) -> Table:
    """The student's tables are one person's data, logged once by person above rather than by count."""
    table.personal = False
    return table


urlpatterns = [
    path("", republic, name="dashboard"),
    path("municipalities/<int:pk>/", municipality, name="dashboard_municipality"),
    path("schools/<int:pk>/", school, name="dashboard_school"),
    path("classes/<int:pk>/", school_class, name="dashboard_class"),
    path("students/<int:pk>/", student, name="dashboard_student"),
]
