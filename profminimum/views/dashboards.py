"""The compliance dashboards of the профминимум, from the republic down to one student.

One view shows a scope — the republic, a municipality or a school; the class and the student have their own.
Each parses the date («на дату»), asks profminimum.selectors for every figure as of that date (read from
the rollups, narrowed by the access policy, in a number of queries that does not grow with the region) and
lays them out: tables of core.tables (sorted, filtered and paged by their own query parameters; each one
downloads whole as XLSX from the same URL with ?format=xlsx&table=…), SVG charts of core.charts, and the
states that profminimum.compliance decides. Breadcrumbs link only the levels the viewer may open.

Without JavaScript the date and the tables are plain GET forms and links; with htmx the date re-renders the
figures and a table re-renders only itself, while «Загрузка…» shows and the region being replaced is
aria-busy.
"""

import datetime
from decimal import Decimal

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
from core.formatting import count_text, date_short, date_text, hours_noun, hours_text, number, percent, plural_form, signed_hours
from core.search import natural_sort_key
from core.tables import BLANK, Cell, ChoiceFilter, Column, Row, Table, date_cell, number_cell, table_swapped, text_cell
from orgs.models import SchoolYear
from privacy.policy import Answer, parent_sharing
from profminimum import selectors
from profminimum.compliance import missing_by_direction
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
# A state column sorted ascending lists the students who need help first.
STATE_RANK = {State.AT_RISK: 0, State.BEHIND: 1, State.ON_TRACK: 2, State.MET: 3, State.NO_LEVEL: 4}
STUDENTS = ("обучающийся", "обучающихся", "обучающихся")
SCHOOLS = ("школа", "школы", "школ")
GRID_WIDTH = 560  # the charts two to a row on a desktop: drawn at about the size they are shown
REPUBLIC_NAME = "Республика Северная Осетия-Алания"
DATE_FORM_ID = "dashboard-date-form"  # the tables keep their sort and filters in it when the date changes


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


# --- tables -------------------------------------------------------------------------------------------------


def _capital(name: str) -> str:
    return name[:1].upper() + name[1:]


def _fraction(figures: Compliance, state: str) -> float:
    # A float is exact enough to order by (equal shares divide to equal floats) and a tenth of a Decimal's cost
    # on a table of 445 rows × 6 columns.
    return figures.by_state[state] / figures.students if figures.students else 0.0


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
    """Students, then each state's count with its share under it (the share is what the column sorts by: a
    school of 900 and a school of 40 compare by the part of their students, and «в зоне риска» breaks ties
    by the part «отстаёт»), the average hours and the course lessons held."""
    cells = [number_cell(figures.students, 0)]
    behind = _fraction(figures, State.BEHIND)
    for state, _ in STATE_HEADERS:
        count = figures.by_state[state]
        share = _fraction(figures, state)
        cells.append(
            Cell(
                count, number(count, 0), note=f"{figures.share(state)} %" if figures.students else "",
                sort=(share, behind) if state == State.AT_RISK else (share, count),
            )
        )  # fmt: skip
    cells.append(number_cell(figures.average_hours))
    cells.append(number_cell(figures.lessons_held, 0))
    return cells


def _compliance_columns() -> list[Column]:
    return [
        Column("students", "Обучающихся", "int"),
        *[Column(state, header, "int") for state, header in STATE_HEADERS],
        Column("average", "Средние часы на обучающегося", "decimal", "Часов в среднем"),
        Column("lessons", "Занятий курса проведено", "int", "Занятий курса"),
    ]


SCOPE_STATE_FILTER = ChoiceFilter(
    "state", "Состояние",
    [(State.AT_RISK, "есть в зоне риска"), (State.BEHIND, "есть отстающие"), (State.ON_TRACK, "есть идущие по графику"),
     (State.MET, "есть выполнившие норму"), (State.NO_LEVEL, "есть без уровня школы")],
    any_label="любое",
)  # fmt: skip
STUDENT_STATE_FILTER = ChoiceFilter(
    "state", "Состояние", [(state, _capital(State.LABELS[state])) for state in sorted(STATE_RANK, key=STATE_RANK.get)], any_label="любое"
)
STATES_NOTE = "В столбцах состояний — число обучающихся и их доля; по доле эти столбцы и сортируются."


def _compliance_row(label: str, url: str, figures: Compliance, extra: list[Cell] | tuple = ()) -> Row:
    return Row(
        [text_cell(label, url=url), *extra, *_compliance_cells(figures)],
        facets={"state": {state for state in State.ORDER if figures.by_state[state]}},
        data=figures,
    )


def _compliance_footer(blanks: int):
    """Totals of the rows the filter leaves (all pages), when there is more than one."""

    def footer(rows: list[Row]) -> list[Cell] | None:
        if len(rows) < 2:
            return None
        return [*[BLANK] * blanks, *_compliance_cells(_sum([row.data for row in rows]))]

    return footer


def _direction_table(*, directions, figures: Compliance, key: str = "directions") -> Table:
    total = sum(figures.hours_by_direction.values(), Decimal("0"))
    rows = []
    for direction in directions:
        hours = figures.hours_by_direction.get(direction.pk, Decimal("0"))
        share = hours / total if total else Decimal("0")  # the XLSX keeps the exact fraction; the page rounds
        rows.append([text_cell(_capital(direction.name)), number_cell(hours), Cell(share, f"{percent(hours, total)} %")])
    footer = [number_cell(total), Cell(1 if total else 0, "100 %" if total else "0 %")]
    return Table(
        key=key, title="Часы по направлениям", rows=rows, footer=footer, footer_label="Всего",
        columns=[Column("name", "Направление"), Column("hours", "Часов", "decimal"), Column("share", "Доля", "percent")],
    )  # fmt: skip


def _level_cells(school_level, labels: dict | None = None) -> list[Cell]:
    """The level, and its status (on the page, under the level; in the XLSX, a column of its own). The level
    sorts by its minimum; a school without one sorts last. `labels`: a dict the caller keeps for a table, so
    that 445 schools of three levels word them three times, not 445."""
    if school_level is None:
        return [Cell("уровень не выбран", "уровень не выбран", sort=""), Cell("", "—")]
    key = (school_level.level_id, school_level.status)
    if labels is None or key not in labels:
        status = school_level.get_status_display()
        level = f"{school_level.level.get_code_display()} (от\u00a0{number(school_level.level.min_hours)}\u00a0ч)"
        if labels is None:
            return [Cell(level, level, note=status, sort=school_level.level.min_hours), text_cell(status)]
        labels[key] = (level, status, school_level.level.min_hours)
    level, status, min_hours = labels[key]
    return [Cell(level, level, note=status, sort=min_hours), text_cell(status)]


def _level_summary(school_level) -> str:
    if school_level is None:
        return "уровень не выбран"
    level = school_level.level
    summary = f"{level.get_code_display()}, минимум {hours_text(level.min_hours)} в год; {school_level.get_status_display()}"
    if order := school_level.order_text():
        summary += f"; приказ школы {order}"
    return summary


# Rows of the municipality's table of schools on one page: the page stays the same size however many schools
# the municipality has (445 in the largest at 250,000 students).
SCHOOLS_PER_PAGE = 50


def _url_of(name: str, keep: str):
    """pk -> the page's URL with the date kept, resolving the pattern once: a table of 445 schools called
    reverse() 445 times, a tenth of its page's time."""
    sentinel = 987654321
    head, tail = reverse(name, args=[sentinel]).split(str(sentinel))
    return lambda pk: f"{head}{pk}{tail}{keep}"


def _municipalities_table(data, keep: str) -> Table:
    url = _url_of("profminimum:dashboard_municipality", keep)
    rows = [_compliance_row(r.obj.name, url(r.obj.pk), r.figures) for r in data.rows]
    return Table(
        key="municipalities", title="Муниципалитеты", columns=[Column("name", "Муниципалитет"), *_compliance_columns()], rows=rows,
        footer=_compliance_footer(0), empty="Муниципалитеты ещё не заведены.", search_label="Муниципалитет",
        filters=[SCOPE_STATE_FILTER], note=STATES_NOTE,
    )  # fmt: skip


def _schools_table(data, keep: str) -> Table:
    # Given in the natural order of names, so that schools equal in the sorted column list «№ 2» before «№ 11».
    url = _url_of("profminimum:dashboard_school", keep)
    labels: dict = {}
    rows = [
        _compliance_row(r.obj.short_name, url(r.obj.pk), r.figures, _level_cells(r.school_level, labels))
        for r in sorted(data.rows, key=lambda r: natural_sort_key(r.obj.short_name))
    ]
    return Table(
        key="schools", title="Школы", rows=rows, footer=_compliance_footer(2), empty="В муниципалитете нет школ.",
        columns=[Column("name", "Школа"), Column("level", "Уровень"), Column("level_status", "Статус уровня", on_page=False), *_compliance_columns()],
        per_page=SCHOOLS_PER_PAGE, default_sort=f"-{State.AT_RISK}", search_label="Школа", filters=[SCOPE_STATE_FILTER],
        note="Сначала — школы с наибольшей долей обучающихся в зоне риска, затем отстающих. " + STATES_NOTE,
    )  # fmt: skip


def _classes_table(data, keep: str) -> Table:
    url = _url_of("profminimum:dashboard_class", keep)
    rows = [_compliance_row(f"{r.obj.name} класс", url(r.obj.pk), r.figures) for r in data.rows]
    return Table(
        key="classes", title="Классы 6–11", columns=[Column("name", "Класс"), *_compliance_columns()], rows=rows,
        footer=_compliance_footer(0), empty="Классов 6–11, доступных вам, в этом учебном году нет.", search_label="Класс",
        filters=[SCOPE_STATE_FILTER], note=STATES_NOTE,
    )  # fmt: skip


# --- charts -------------------------------------------------------------------------------------------------


def _direction_chart(chart_id: str, directions, figures: Compliance, where: str) -> charts.ChartBlock:
    bars = [Bar(_capital(d.name), figures.hours_by_direction.get(d.pk, Decimal("0"))) for d in directions]
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


RISK_BANDS = [(0, 19), (20, 39), (40, 59), (60, 79), (80, 100)]


def _risk_chart(chart_id: str, rows, where: str) -> charts.ChartBlock:
    """How many schools have which share of their students at risk: five bars whatever the number of schools,
    so that a municipal coordinator sees at once how many schools are in trouble (the table, sorted by that
    share, names them)."""
    counts = [0] * len(RISK_BANDS)
    without_students = 0
    for row in rows:
        if not row.figures.students:
            without_students += 1
            continue
        share = min(max(row.figures.share(State.AT_RISK), 0), 100)  # whole percent, as the table shows it
        counts[next(i for i, (low, high) in enumerate(RISK_BANDS) if low <= share <= high)] += 1
    heading = "Школы по доле обучающихся в зоне риска"
    desc = "Сколько школ имеют ту или иную долю обучающихся в зоне риска."
    if without_students:
        desc += f" Не учтены школы без обучающихся 6–11 классов: {without_students}."
    svg = charts.bar_chart(
        chart_id=chart_id, title=f"{heading}: {where}", width=GRID_WIDTH, desc=desc,
        bars=[Bar(f"{low}–{high} %", count) for (low, high), count in zip(RISK_BANDS, counts)],
        value_text=lambda value: count_text(value, *SCHOOLS), empty_text="Школ нет.",
    )  # fmt: skip
    return charts.ChartBlock(chart_id, heading, svg, note="Доля — от обучающихся 6–11 классов школы на выбранную дату.")


def _distribution_chart(chart_id: str, bins: list[tuple[str, int]], where: str) -> charts.ChartBlock:
    svg = charts.column_chart(
        chart_id=chart_id, title=f"Распределение обучающихся по числу часов: {where}", width=GRID_WIDTH,
        desc="Сколько обучающихся набрали 0–9, 10–19 и так далее часов.", columns=bins,
        x_title="часов профминимума", y_title="обучающихся",
    )  # fmt: skip
    return charts.ChartBlock(chart_id, "Распределение по числу часов", svg)


def _pace_chart(chart_id: str, pace_year, pace, day: datetime.date, where: str) -> charts.ChartBlock:
    """The average hours week by week up to the date (as of it), against the pace each level expects over the
    whole year."""
    actual = {point.week: point.average_hours for point in pace}
    weeks = [point.week for point in pace_year]
    last = pace[-1].average_hours if pace else Decimal("0")
    series = [
        Series("В среднем на обучающегося", [actual.get(week) for week in weeks], primary=True, end_label=f"в среднем {number(last)} ч")
    ]
    for name in list(pace_year[0].expected_by_level) if pace_year else []:
        final = pace_year[-1].expected_by_level[name]
        series.append(
            Series(
                f"Ожидаемый темп: {name} уровень", [p.expected_by_level[name] for p in pace_year], end_label=f"{name}: {number(final)} ч"
            )
        )
    svg = charts.line_chart(
        chart_id=chart_id, title=f"Темп набора часов за год: {where}", width=GRID_WIDTH,
        desc=f"Средние часы на обучающегося нарастающим итогом по неделям до {date_text(day)} и ожидаемый темп каждого уровня (пунктир).",
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


# --- answering ------------------------------------------------------------------------------------------------


def _no_year(request: HttpRequest, crumbs: list[dict]) -> HttpResponse:
    return render(request, "profminimum/dashboard_no_year.html", {"dashboard_crumbs": crumbs})


def _bind(request: HttpRequest, tables: list[Table], day: datetime.date) -> list[Table]:
    for table in tables:
        table.bind(request, export_params={"on": day.isoformat()})  # the file is for the day the page shows
    return tables


def _wants_xlsx(request: HttpRequest) -> bool:
    return request.GET.get("format") == "xlsx"


def _export(request: HttpRequest, tables: list[Table], *, scope_name: str, file_stem: str, day: datetime.date, year) -> HttpResponse:
    """The whole table (every row of its current sort and filter) as a streamed XLSX titled with the page's date."""
    key = request.GET.get("table") or tables[0].key
    table = next((t for t in tables if t.key == key), None)
    if table is None:
        raise Http404("Такой таблицы на странице нет.")
    if table.personal:
        personal_data_read_log(
            user=request.user, subject=f"выгрузка XLSX «{table.title}» ({scope_name})"[:200], channel="export", people_count=table.count,
        )  # fmt: skip
    return table.xlsx_response(
        filename=f"profminimum-{file_stem}-{table.key}-{day.isoformat()}.xlsx", title=f"Профминимум {year}: {table.title}",
        scope=scope_name, on_date=day,
    )  # fmt: skip


def _respond(request: HttpRequest, template: str, partial: str, context: dict, tables: list[Table]) -> HttpResponse:
    """The whole page; with htmx, only the figures (the date changed) or only one table (sorted, filtered, paged)."""
    swapped = table_swapped(request, tables)
    if swapped is not None:
        return render(request, "profminimum/_dashboard_table_swap.html", {**context, "table": swapped})
    if request.htmx and request.htmx.target == "dashboard-figures":
        return render(request, partial, context)
    return render(request, template, context)


def _base_context(*, form, day, school_year, figures: Compliance | None, crumbs, tables) -> dict:
    return {
        "form": form, "day": day, "day_text": date_text(day), "school_year": school_year, "figures": figures,
        "totals": _totals(figures) if figures is not None else [], "tables": tables, "dashboard_crumbs": crumbs,
        "date_form_id": DATE_FORM_ID,
    }  # fmt: skip


# --- the republic, a municipality, a school: one view over a scope ------------------------------------------


def _landing(request: HttpRequest, viewer) -> HttpResponse | None:
    """/profminimum/ opens the level of the viewer's active role; the republic only for the republic's roles."""
    kind = landing_kind(active_role(request, viewer))
    if viewer.is_republic and kind == "republic":
        return None
    target = selectors.dashboard_landing(viewer=viewer, kind=kind)
    if target is None:
        raise Http404("Показателей профминимума, доступных вам, нет.")
    level, pk = target
    if level == "republic":
        return None
    url = reverse(f"profminimum:dashboard_{level}", args=[pk])
    return redirect(f"{url}?{request.GET.urlencode()}" if request.GET else url)


def _scope_parts(place, data, keep: str) -> dict:
    """What differs between the republic, a municipality and a school: names, the table of the level below and
    the chart that sums it up."""
    if place.scope == Scope.REPUBLIC:
        where = "республика"
        return {
            "where": where, "scope_name": REPUBLIC_NAME, "file_stem": "republic",
            "page_title": "Профминимум в республике", "heading": "Профминимум в Республике Северная Осетия-Алания",
            "lead": "Муниципалитеты, их обучающиеся 6–11 классов и выполнение профминимума.",
            "table": _municipalities_table(data, keep),
            "chart": _states_chart("chart-states", "Состояния по муниципалитетам", [(r.obj.name, r.figures) for r in data.rows], where),
        }  # fmt: skip
    if place.scope == Scope.MUNICIPALITY:
        municipality = place.municipality
        return {
            "where": municipality.name, "scope_name": municipality.name, "file_stem": f"municipality-{municipality.pk}",
            "page_title": f"Профминимум: {municipality.name}", "heading": f"Профминимум: {municipality.name}",
            "lead": "Школы муниципалитета, их уровни профминимума и выполнение.",
            "table": _schools_table(data, keep), "chart": _risk_chart("chart-schools-risk", data.rows, municipality.name),
        }  # fmt: skip
    school = place.school
    return {
        "where": school.short_name, "scope_name": school.short_name, "file_stem": f"school-{school.pk}",
        "page_title": f"Профминимум: {school.short_name}", "heading": f"Профминимум: {school.short_name}",
        "lead": f"{school.municipality.name}." if school.municipality_id else "",
        "table": _classes_table(data, keep),
        "chart": _states_chart("chart-states", "Состояния по классам", [(f"{r.obj.name} класс", r.figures) for r in data.rows], school.short_name),
        "level_summary": _level_summary(data.school_level), "has_level": data.school_level is not None,
    }  # fmt: skip


@login_required
def scope_dashboard(request: HttpRequest, scope: str, pk: int = 0) -> HttpResponse:
    viewer = viewer_for(request.user)
    if scope == Scope.REPUBLIC and (landing := _landing(request, viewer)) is not None:
        return landing
    place = selectors.scope_place_get(viewer=viewer, scope=scope, pk=pk)
    if place.school_year is None:
        return _no_year(request, _crumbs(viewer, municipality=place.municipality, school=place.school))
    form, day, keep = _date_form(request, place.school_year)
    data = selectors.scope_figures(viewer=viewer, place=place, on=day)
    parts = _scope_parts(place, data, keep)
    tables = _bind(request, [parts["table"], _direction_table(directions=data.directions, figures=data.figures)], day)
    if _wants_xlsx(request):
        return _export(request, tables, scope_name=parts["scope_name"], file_stem=parts["file_stem"], day=day, year=place.school_year)
    where = parts["where"]
    context = _base_context(
        form=form, day=day, school_year=place.school_year, figures=data.figures, tables=tables,
        crumbs=_crumbs(viewer, municipality=place.municipality, school=place.school, keep=keep),
    )  # fmt: skip
    context.update(
        page_title=parts["page_title"], heading=parts["heading"], lead=f"Учебный год {place.school_year}. {parts['lead']}".strip(),
        level_summary=parts.get("level_summary", ""), has_level=parts.get("has_level", False),
        main_table=tables[0], direction_table=tables[1],
        direction_chart=_direction_chart("chart-directions", data.directions, data.figures, where),
        charts=[
            parts["chart"],
            _distribution_chart("chart-distribution", data.distribution, where),
            _pace_chart("chart-pace", data.pace_year, data.pace, day, where),
        ],
    )  # fmt: skip
    return _respond(request, "profminimum/dashboard_scope.html", "profminimum/_dashboard_scope_figures.html", context, tables)


# --- one class ------------------------------------------------------------------------------------------------


def _state_cell(state: str) -> Cell:
    label = State.LABELS[state]
    return Cell(label, label, state=state, sort=STATE_RANK[state])


def _students_table(data, day: datetime.date, keep: str) -> Table:
    columns = [
        Column("name", "Обучающийся"), Column("hours", "Часов", "decimal"), Column("min", "Минимум уровня", "decimal"),
        Column("expected", f"Ожидается к {date_short(day)}", "decimal"), Column("state", "Состояние", "state"),
        *[Column(f"d{d.pk}", _capital(d.name), "decimal") for d in data.directions],
    ]  # fmt: skip
    rows = []
    url = _url_of("profminimum:dashboard_student", keep)
    for row in data.rows:
        hours = row.hours.total_hours if row.hours else Decimal("0")
        by_direction = row.hours.hours_by_direction if row.hours else {}
        cells = [
            text_cell(row.student.person.full_name, url=url(row.student.pk)),
            number_cell(hours), number_cell(row.min_hours), number_cell(row.expected), _state_cell(row.state),
            *[number_cell(Decimal(str(by_direction.get(str(d.pk), "0")))) for d in data.directions],
        ]  # fmt: skip
        rows.append(Row(cells, facets={"state": {row.state}}))
    return Table(
        key="students", title="Обучающиеся", columns=columns, rows=rows, empty="В классе нет обучающихся.", personal=True,
        search_label="Обучающийся", filters=[STUDENT_STATE_FILTER],
    )  # fmt: skip


@login_required
def school_class(request: HttpRequest, pk: int) -> HttpResponse:
    viewer = viewer_for(request.user)
    school_class = selectors.class_dashboard_get(viewer=viewer, pk=pk)
    school = school_class.school
    school_year = school_class.school_year
    form, day, keep = _date_form(request, school_year)
    data = selectors.class_figures(viewer=viewer, school_class=school_class, on=day)
    scope_name = f"{school_class.name} класс, {school.short_name}"
    tables = _bind(request, [_students_table(data, day, keep)], day)
    table = tables[0]
    if _wants_xlsx(request):
        return _export(request, tables, scope_name=scope_name, file_stem=f"class-{pk}", day=day, year=school_year)
    personal_data_read_log(
        user=request.user,
        subject=f"профминимум: список класса {school_class} ({school})",
        channel="page",
        people_count=len(table.page_rows),
    )
    student_bars = [
        Bar(row.student.person.short_name, row.hours.total_hours if row.hours else Decimal("0"), row.expected, "ожид.") for row in data.rows
    ]
    context = _base_context(
        form=form, day=day, school_year=school_year, figures=data.figures, tables=tables,
        crumbs=_crumbs(viewer, municipality=school.municipality, school=school, school_class=school_class, keep=keep),
    )  # fmt: skip
    context.update(
        page_title=f"Профминимум: {school_class.name} класс", heading=f"Профминимум: {school_class.name} класс",
        lead=f"{school.short_name}, учебный год {school_year}.", main_table=table,
        charts=[
            charts.ChartBlock("chart-students", "Часы обучающихся", charts.bar_chart(
                chart_id="chart-students", title=f"Часы обучающихся: {scope_name}", width=GRID_WIDTH,
                desc=f"Часы каждого обучающегося на {date_text(day)}; черта — сколько часов ожидается к этой дате.", bars=student_bars,
            )),
            _pace_chart("chart-pace", data.pace_year, data.pace, day, scope_name),
        ],
    )  # fmt: skip
    return _respond(request, "profminimum/dashboard_class.html", "profminimum/_dashboard_class_figures.html", context, tables)


# --- one student --------------------------------------------------------------------------------------------


def _student_tables(compliance) -> list[Table]:
    direction_rows = []
    for direction, hours, minimum in compliance.by_direction:
        met = "—" if minimum is None else ("да" if hours >= minimum else "нет")
        direction_rows.append([text_cell(_capital(direction.name)), number_cell(hours), number_cell(minimum), text_cell(met)])
    directions = Table(
        key="directions", title="Часы по направлениям", rows=direction_rows,
        columns=[Column("name", "Направление"), Column("hours", "Часов", "decimal"), Column("min", "Минимум по направлению", "decimal"),
                 Column("met", "Минимум выполнен")],
    )  # fmt: skip
    entry_rows = [
        [
            date_cell(entry.occurred_on), text_cell(entry.activity.title), text_cell(entry.direction.name),
            Cell(entry.hours, signed_hours(entry.hours)), text_cell(entry.get_reason_display()), text_cell(entry.school.short_name),
            text_cell(f"{entry.school_class.name} класс"),
        ]
        for entry in compliance.entries
    ]  # fmt: skip
    ledger = Table(
        key="ledger", title="Журнал часов", rows=entry_rows, empty="Часов пока не зачтено.", default_sort="-date",
        columns=[Column("date", "Дата", "date"), Column("title", "Мероприятие"), Column("direction", "Направление"),
                 Column("hours", "Часы", "decimal"), Column("reason", "Основание"), Column("school", "Школа"), Column("class", "Класс")],
        search_label="Мероприятие", search_column="title",
    )  # fmt: skip
    return [ledger, directions]


def _progress_note(compliance) -> str:
    """When the year's hours are there but a direction's minimum is not, say which: the state is not «met»."""
    row = compliance.row
    if row.min_hours is None or row.state == State.MET or not row.hours or row.hours.total_hours < row.min_hours:
        return ""
    missing = missing_by_direction(compliance.by_direction)
    if not missing:
        return ""
    names = "; ".join(f"{direction.name} — ещё {hours_text(hours)}" for direction, hours in missing)
    return f"Годовой минимум часов набран, но не выполнен минимум по направлениям: {names}."


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
    # A parent sees the child's results only while the consent to share them stands (privacy decides).
    sharing = parent_sharing(viewer, student_obj)
    if sharing == Answer.NO:
        return render(request, "privacy/withheld.html", {"student": student_obj, "page_title": f"Профминимум: {person.short_name}"})
    school_class = student_obj.current_class
    school = student_obj.current_school
    tables = _bind(request, _student_tables(compliance), day)
    ledger, direction_table = tables
    if _wants_xlsx(request):
        if request.GET.get("table", ledger.key) in {t.key for t in tables}:  # one person's data: logged by person
            personal_data_read_log(
                user=request.user, subject="выгрузка XLSX профминимума обучающегося", channel="export", person_id=person.pk
            )
        return _export(request, tables, scope_name=person.full_name, file_stem=f"student-{pk}", day=day, year=school_year)
    personal_data_read_log(user=request.user, subject="профминимум обучающегося", channel="page", person_id=person.pk)

    total = row.hours.total_hours if row.hours else Decimal("0")
    state_label = State.LABELS[row.state]
    progress_note = _progress_note(compliance)
    progress = charts.progress_bar(
        chart_id="chart-progress", title=f"Часы профминимума: {person.full_name}", width=420, state=row.state,
        value=total, maximum=row.min_hours, expected=row.expected,
        desc=(f"Зачтённые часы против минимума уровня школы. Состояние: {state_label}. {progress_note}".strip()
              if row.min_hours is not None else "Уровень школы не выбран: минимума нет."),
    )  # fmt: skip
    directions_chart = charts.bar_chart(
        chart_id="chart-directions", title=f"Часы по направлениям: {person.full_name}",
        desc="Часы обучающегося по каждому направлению; черта — минимум по направлению, если он установлен.",
        bars=[Bar(_capital(d.name), h, m) for d, h, m in compliance.by_direction],
    )  # fmt: skip
    crumbs = _crumbs(
        viewer, municipality=school.municipality if school else None, school=school, school_class=school_class, student=student_obj,
        keep=keep,
    )  # fmt: skip
    context = _base_context(form=form, day=day, school_year=school_year, figures=None, crumbs=crumbs, tables=tables)
    context.update(
        row=row, student=student_obj, person=person, school=school, school_class=school_class,
        total_text=hours_text(total), min_text=hours_text(row.min_hours) if row.min_hours is not None else "",
        expected_text=hours_text(row.expected) if row.expected is not None else "",
        level_name=row.hours.level.get_code_display() if row.hours and row.hours.level_id else "",
        state_label=state_label, state_marker=charts.state_marker(row.state), progress_note=progress_note,
        progress_svg=progress, ledger=ledger, direction_table=direction_table,
        charts=[charts.ChartBlock("chart-directions", "Часы по направлениям", directions_chart)],
        siblings=[s for s in selectors.student_siblings(viewer=viewer) if s.pk != student_obj.pk], keep=keep,
        consent_purpose="share_with_parent" if sharing == Answer.ASK else "",
        entries_count=count_text(len(compliance.entries), "запись", "записи", "записей"),
        page_title=f"Профминимум: {person.short_name}", heading=person.full_name,
        lead=(f"{school.short_name}, {school_class.name} класс. " if school and school_class else "") + f"Учебный год {school_year}.",
    )  # fmt: skip
    return _respond(request, "profminimum/dashboard_student.html", "profminimum/_dashboard_student_figures.html", context, tables)


urlpatterns = [
    path("", scope_dashboard, {"scope": Scope.REPUBLIC}, name="dashboard"),
    path("municipalities/<int:pk>/", scope_dashboard, {"scope": Scope.MUNICIPALITY}, name="dashboard_municipality"),
    path("schools/<int:pk>/", scope_dashboard, {"scope": Scope.SCHOOL}, name="dashboard_school"),
    path("classes/<int:pk>/", school_class, name="dashboard_class"),
    path("students/<int:pk>/", student, name="dashboard_student"),
]
