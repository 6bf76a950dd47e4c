"""What a teacher-navigator sees of a class (who has had no trial or event yet this school year), and the
«Билет в будущее» indicators of a school, a municipality or the republic for any period."""

import datetime

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import path, reverse
from django.utils import timezone

from access.policy import home_school_id, municipalities_visible, schools_visible, viewer_for
from access.services import personal_data_read_log
from core.formatting import date_range_text
from core.tables import Column, Row, Table, number_cell, table_swapped, text_cell
from events.forms import PeriodForm, form_errors
from events.indicators import municipality_indicators, republic_indicators, school_indicators
from events.policy import coverage_classes
from events.selectors import class_coverage
from orgs.selectors import school_year_current


@login_required
def class_view(request: HttpRequest, pk: int) -> HttpResponse:
    viewer = viewer_for(request.user)
    school_class = get_object_or_404(coverage_classes(viewer).select_related("school", "school_year"), pk=pk)
    year = school_class.school_year
    rows = class_coverage(viewer=viewer, school_class=school_class, school_year=year)
    personal_data_read_log(
        user=request.user, subject=f"пробы и мероприятия класса {school_class} ({school_class.school})", channel="web",
        person_ids=[row.student.person_id for row in rows],
    )  # fmt: skip
    uncovered = [row for row in rows if not row.covered]
    table = Table(
        key="coverage", title=f"{school_class} — пробы и мероприятия за {year} учебный год", personal=True,
        columns=[Column("name", "Обучающийся"), Column("attended", "Посетил(а)", "int"), Column("trials", "Проб", "int"), Column("upcoming", "Записан(а) на будущие", "int")],
        rows=[Row([text_cell(r.student.person.full_name), number_cell(r.attended, 0), number_cell(r.trials, 0), number_cell(r.upcoming, 0)], facets={"covered": ["yes" if r.covered else "no"]}) for r in rows],
        search_label="Обучающийся", empty="В классе нет обучающихся.",
    )  # fmt: skip
    table.bind(request)
    if request.GET.get("format") == "xlsx":
        personal_data_read_log(
            user=request.user, subject=f"выгрузка XLSX «{table.title}»"[:200], channel="export", people_count=table.count
        )
        return table.xlsx_response(
            filename=f"proby-{school_class.pk}.xlsx", title=table.title, scope=str(school_class.school), on_date=timezone.localdate()
        )
    if table_swapped(request, [table]) is not None:
        return render(request, "events/_table_swap.html", {"table": table})
    return render(
        request, "events/class.html",
        {
            "school_class": school_class, "year": year, "uncovered": uncovered, "rows": rows, "table": table,
            "page_title": f"Пробы и мероприятия: {school_class} класс",
            "breadcrumbs": [{"label": school_class.school.short_name, "url": reverse("directory:organization_detail", args=[school_class.school_id])},
                            {"label": f"{school_class} класс", "url": reverse("directory:class_detail", args=[school_class.pk])}, {"label": "Пробы и мероприятия"}],
        },
    )  # fmt: skip


def _period(request: HttpRequest) -> tuple[PeriodForm, datetime.date, datetime.date]:
    year = school_year_current()
    today = timezone.localdate()
    default_from = year.starts_on if year else today.replace(month=1, day=1)
    default_to = min(today, year.ends_on) if year else today
    form = PeriodForm(request.GET or None, initial={"date_from": default_from, "date_to": default_to})
    date_from, date_to = default_from, default_to
    if form.is_bound and form.is_valid():
        date_from = form.cleaned_data.get("date_from") or default_from
        date_to = form.cleaned_data.get("date_to") or default_to
        if date_to < date_from:
            date_from, date_to = default_from, default_to
    return form, date_from, date_to


@login_required
def indicators_view(request: HttpRequest) -> HttpResponse:
    """The republic's bodies see the republic by municipality; a municipality its schools; a school itself. A
    municipality or school the viewer may not open is a 404."""
    viewer = viewer_for(request.user)
    form, date_from, date_to = _period(request)
    query = f"?date_from={date_from.isoformat()}&date_to={date_to.isoformat()}"

    def url_for(scope: str, pk: int) -> str:
        return f"{reverse('events:indicators')}{query}&{scope}={pk}"

    raw_municipality, raw_school = request.GET.get("municipality", ""), request.GET.get("school", "")
    if raw_school.isdigit() and len(raw_school) < 19:
        school = get_object_or_404(schools_visible(viewer), pk=int(raw_school))
        indicators = school_indicators(school=school, date_from=date_from, date_to=date_to)
    elif raw_municipality.isdigit() and len(raw_municipality) < 19:
        municipality = get_object_or_404(municipalities_visible(viewer), pk=int(raw_municipality))
        indicators = municipality_indicators(municipality=municipality, date_from=date_from, date_to=date_to, url_for=url_for)
    elif viewer.is_republic:
        indicators = republic_indicators(date_from=date_from, date_to=date_to, url_for=url_for)
    elif viewer.municipality_ids:
        municipality = municipalities_visible(viewer).order_by("pk").first()
        indicators = municipality_indicators(municipality=municipality, date_from=date_from, date_to=date_to, url_for=url_for)
    elif (pk := home_school_id(viewer)) is not None:
        indicators = school_indicators(school=schools_visible(viewer).get(pk=pk), date_from=date_from, date_to=date_to)
    else:
        raise Http404
    columns = [
        Column("name", indicators.row_label), Column("students", "Обучающихся охвачено пробами", "int"),
        Column("sites", "Площадок проб", "int"), Column("trials", "Проб пройдено", "int"),
        Column("trajectories", "Рекомендаций по траекториям", "int"),
        Column("diagnostics", "Прошли онлайн-диагностику", "int"),
    ]  # fmt: skip

    def cells(row):
        trajectories = number_cell(row.trajectories, 0) if row.trajectories is not None else text_cell("—", note="нет данных")
        diagnostics = number_cell(row.diagnostics, 0) if row.diagnostics is not None else text_cell("—", note="нет данных")
        return [
            text_cell(row.label, url=row.url),
            number_cell(row.students, 0),
            number_cell(row.sites, 0),
            number_cell(row.trials, 0),
            trajectories,
            diagnostics,
        ]

    total = indicators.total
    table = Table(
        key="indicators", title=f"«Билет в будущее»: {indicators.title}, {date_range_text(date_from, date_to)}", columns=columns,
        rows=[Row(cells(row)) for row in indicators.rows] if indicators.rows else [Row(cells(total))],
        footer=cells(total)[1:] if indicators.rows else None, footer_label=total.label, search_label=indicators.row_label if indicators.rows else "",
    )  # fmt: skip
    table.bind(request, export_params={"date_from": date_from.isoformat(), "date_to": date_to.isoformat()})
    if request.GET.get("format") == "xlsx":
        return table.xlsx_response(
            filename=f"bilet-v-budushchee-{date_from.isoformat()}-{date_to.isoformat()}.xlsx",
            title=table.title,
            scope=indicators.title,
            on_date=date_to,
        )
    if table_swapped(request, [table]) is not None:
        return render(request, "events/_table_swap.html", {"table": table})
    return render(
        request, "events/indicators.html",
        {
            "form": form, "errors": form_errors(form) if form.is_bound else [], "indicators": indicators, "table": table,
            "period": date_range_text(date_from, date_to), "no_trajectories": total.trajectories is None,
            "page_title": "Показатели «Билета в будущее»", "breadcrumbs": [{"label": "Показатели «Билета в будущее»"}],
        },
    )  # fmt: skip


urlpatterns = [
    path("classes/<int:pk>/", class_view, name="class"),
    path("indicators/", indicators_view, name="indicators"),
]
