"""What the monitoring's pages share: the school year, the period chosen, breadcrumbs, tables that answer htmx
and download as XLSX, and how shares are written."""

import datetime
from decimal import Decimal

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse

from core.formatting import NBSP, date_text, number
from core.tables import Table, table_swapped
from monitoring.models import Period
from monitoring.policy import monitoring_municipalities, monitoring_schools
from orgs.selectors import school_year_current

REPUBLIC_NAME = "Республика Северная Осетия-Алания"
KIND_TITLES = {
    Period.Kind.COVERAGE: "Охват дополнительным образованием",
    Period.Kind.PROFMINIMUM: "Самоанализ реализации профминимума",
}
KIND_LEADS = {
    Period.Kind.COVERAGE: "Пункт 4.8 дорожной карты: ежемесячно, на последний день месяца.",
    Period.Kind.PROFMINIMUM: "Пункт 5.5 дорожной карты: два раза в год, самоанализ школ.",
}


def current_year():
    year = school_year_current()
    if year is None:
        raise Http404("Текущий учебный год не задан: мониторинга пока нет.")
    return year


def percent_text(value: Decimal | None) -> str:
    """«62,3 %», or «—» when there is nothing to divide."""
    return "—" if value is None else f"{number(value)}{NBSP}%"


def period_choices(periods: list[Period], today: datetime.date) -> list[dict]:
    return [{"pk": p.pk, "label": p.title + ("" if p.is_open(today) else " — ещё не наступил"), "open": p.is_open(today)} for p in periods]


def due_text(period: Period, today: datetime.date) -> str:
    if not period.is_open(today):
        return f"откроется {date_text(period.as_of)}, сдать до {date_text(period.due_on)}"
    if period.is_overdue(today):
        return f"срок сдачи истёк {date_text(period.due_on)}"
    return f"сдать до {date_text(period.due_on)}"


def crumbs(viewer, *, municipality=None, school=None, last: str = "") -> list[dict]:
    """Republic › municipality › school › the page: each level linked only where the viewer may open it."""
    result = []
    if viewer.is_republic:
        result.append({"label": "Мониторинг", "url": reverse("monitoring:coverage")})
    if municipality is not None:
        may = monitoring_municipalities(viewer).filter(pk=municipality.pk).exists()
        result.append(
            {"label": municipality.name, "url": reverse("monitoring:coverage_municipality", args=[municipality.pk]) if may else ""}
        )
    if school is not None:
        may = monitoring_schools(viewer).filter(pk=school.pk).exists()
        result.append({"label": school.short_name, "url": reverse("monitoring:school", args=[school.pk]) if may else ""})
    if last:
        result.append({"label": last, "url": ""})
    if result:
        result[-1] = {"label": result[-1]["label"], "url": ""}
    return result


def respond(request: HttpRequest, template: str, context: dict, tables: list[Table]) -> HttpResponse:
    """The page; with htmx, only the table that was sorted, filtered or paged."""
    swapped = table_swapped(request, tables)
    if swapped is not None:
        return render(request, "monitoring/_table_swap.html", {**context, "table": swapped})
    return render(request, template, context)


def export(request: HttpRequest, tables: list[Table], *, title: str, scope: str, file_stem: str, on_date: datetime.date) -> HttpResponse:
    key = request.GET.get("table") or tables[0].key
    table = next((t for t in tables if t.key == key), None)
    if table is None:
        raise Http404("Такой таблицы на странице нет.")
    return table.xlsx_response(filename=f"monitoring-{file_stem}-{table.key}.xlsx", title=title, scope=scope, on_date=on_date)
