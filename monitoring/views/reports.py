"""A school's monitoring: its forms of the year with their deadlines, and one form — prefilled with the platform's
figures, confirmed or corrected with reasons by the school's coordinator, handed in, then accepted or returned by the
ministry (which may reopen an accepted one with a reason). The form downloads as XLSX in its own layout."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone

from access.policy import viewer_for
from core import charts
from core.charts import Bar
from core.formatting import date_text, datetime_text, number
from core.xlsx import XlsxColumn, xlsx_response
from monitoring import selectors, services
from monitoring.figures import LEVEL_NAMES, figures_for, groups, loaded, share, texts_for
from monitoring.models import Period, Report
from monitoring.periods import coverage_months
from monitoring.policy import can_decide, can_enter_enrolments, can_fill
from monitoring.views.common import KIND_LEADS, KIND_TITLES, crumbs, current_year, due_text, percent_text


@login_required
def school(request: HttpRequest, pk: int) -> HttpResponse:
    viewer = viewer_for(request.user)
    school = selectors.school_get(viewer=viewer, pk=pk)
    year = current_year()
    today = timezone.localdate()
    coverage_lines = selectors.school_lines(school=school, school_year=year, kind=Period.Kind.COVERAGE, today=today)
    profminimum_lines = selectors.school_lines(school=school, school_year=year, kind=Period.Kind.PROFMINIMUM, today=today)
    months = coverage_months(year)
    trend = selectors.school_coverage_trend(school=school, months=months)
    bars = [
        Bar(line.period.title, share(trend[line.period.month].covered, trend[line.period.month].students) or 0)
        for line in coverage_lines
        if line.period.month <= today and line.period.month in trend and trend[line.period.month].students
    ]
    chart = charts.ChartBlock(
        "chart-trend", "Охват по месяцам",
        charts.bar_chart(
            chart_id="chart-trend", title=f"Охват дополнительным образованием по месяцам: {school.short_name}", bars=bars, unit="%",
            width=560, value_text=lambda v: percent_text(v), empty_text="Данных пока нет.",
        ),
        note="По данным платформы; текущий месяц — предварительно.",
    )  # fmt: skip
    rows = []
    for line in coverage_lines:
        cov = trend.get(line.period.month)
        report = line.report
        reported = share(report.values.get("covered"), report.values.get("students")) if line.is_sent else None
        rows.append(
            {"line": line, "platform": percent_text(share(cov.covered, cov.students) if cov else None), "reported": percent_text(reported)}
        )
    context = {
        "school": school, "year": year, "today": today, "coverage_rows": rows, "profminimum_lines": profminimum_lines,
        "due": {line.period.pk: due_text(line.period, today) for line in coverage_lines + profminimum_lines},
        "chart": chart, "can_fill": can_fill(viewer, school), "can_enter": can_enter_enrolments(viewer, school),
        "breadcrumbs": crumbs(viewer, municipality=school.municipality, school=school), "page_title": f"Мониторинг: {school.short_name}",
    }  # fmt: skip
    return render(request, "monitoring/school.html", context)


# --- one form -----------------------------------------------------------------------------------------------------------


def _rows(view: selectors.FormView) -> list[dict]:
    """Each figure with the platform's value, the school's, its reason and what the input shows."""
    report = view.report
    rows = []
    for figure in figures_for(view.period.kind):
        platform = loaded(figure, view.platform.get(figure.key))
        school_value = loaded(figure, report.values.get(figure.key)) if report is not None else None
        initial = view.initial(figure.key)
        rows.append({
            "figure": figure, "platform": platform, "platform_text": _num(figure, platform),
            "school": school_value, "school_text": _num(figure, school_value),
            "reason": report.reasons.get(figure.key, "") if report is not None else "",
            "corrected": report is not None and figure.key in report.reasons,
            "initial": "" if initial is None else str(initial).replace(".", ","),
            "shown": "" if platform is None else str(view.platform.get(figure.key)).replace(".", ","),
        })  # fmt: skip
    return rows


def _num(figure, value) -> str:
    if value is None:
        return "—"
    return number(value, 1 if figure.kind == "decimal" else 0)


def _grouped(rows: list[dict], kind: str) -> list[tuple[str, list[dict]]]:
    by_key = {row["figure"].key: row for row in rows}
    return [(title, [by_key[f.key] for f in figures]) for title, figures in groups(figures_for(kind))]


def _shares(view: selectors.FormView) -> list[dict]:
    """The shares that follow from the figures: coverage; for the профминимум, those covered, those who met the minimum,
    the course's attendance."""
    kind = view.period.kind
    platform, school_values = view.platform, view.report.values if view.report is not None and view.report.values else {}
    pairs = (
        [("Охват дополнительным образованием", "covered", "students")]
        if kind == Period.Kind.COVERAGE
        else [
            ("Охвачено профминимумом", "covered", "students"),
            ("Выполнили минимум уровня", "met", "students"),
            ("Посещаемость занятий курса", "course_present", "course_marks"),
        ]
    )
    result = []
    for label, a, b in pairs:
        platform_share = share(platform.get(a), platform.get(b))
        school_share = share(school_values.get(a), school_values.get(b)) if school_values else None
        result.append({
            "label": label, "platform_value": platform_share, "school_value": school_share,
            "platform": percent_text(platform_share), "school": percent_text(school_share),
        })  # fmt: skip
    return result


def _export_form(view: selectors.FormView, rows: list[dict]) -> HttpResponse:
    """The form in its own layout: each figure with the platform's value, the school's and the reason; then the shares
    and the school's text."""
    columns = [XlsxColumn("Раздел"), XlsxColumn("Показатель"), XlsxColumn("Данные платформы", "decimal"), XlsxColumn("Значение школы", "decimal"),
               XlsxColumn("Причина исправления")]  # fmt: skip
    lines = [[row["figure"].group, row["figure"].label, row["platform"], row["school"], row["reason"]] for row in rows]
    for item in _shares(view):
        lines.append(["Доли, %", item["label"], item["platform_value"], item["school_value"], ""])
    for key, heading, _ in texts_for(view.period.kind):
        lines.append(["Самоанализ школы", heading, None, None, (view.report.texts.get(key, "") if view.report else "")])
    status = view.report.get_status_display() if view.report else "не начата"
    return xlsx_response(
        filename=f"monitoring-{view.period.kind}-{view.period.as_of:%Y-%m}-school-{view.school.pk}.xlsx",
        title=f"{KIND_TITLES[view.period.kind]} за {view.period.title.lower()} (форма {status})", scope=view.school.short_name,
        on_date=view.platform_on, columns=columns, rows=lines, sheet_title=f"Форма {view.period.roadmap_item}",
    )  # fmt: skip


def _errors_by_field(error: ValidationError) -> tuple[dict, list[str]]:
    if hasattr(error, "error_dict"):
        fields = {key: " ".join(m for e in errors for m in e.messages) for key, errors in error.error_dict.items()}
        return fields, list(fields.values())
    return {}, error.messages


@login_required
def report(request: HttpRequest, pk: int, period_pk: int) -> HttpResponse:
    viewer = viewer_for(request.user)
    school = selectors.school_get(viewer=viewer, pk=pk)
    period = selectors.period_get(pk=period_pk)
    today = timezone.localdate()
    may_fill, may_decide = can_fill(viewer, school), can_decide(viewer)
    field_errors: dict = {}
    errors: list[str] = []
    posted = None
    status = 200
    if request.method == "POST":
        action = request.POST.get("action", "")
        existing = Report.objects.filter(period=period, school=school).first()
        try:
            if action in ("save", "submit"):
                if not may_fill:
                    raise PermissionDenied
                figures = figures_for(period.kind)
                posted = request.POST
                services.report_save(
                    school=school, period=period, submit=action == "submit", by=request.user, today=today,
                    values={f.key: request.POST.get(f"value_{f.key}", "") for f in figures},
                    shown={f.key: request.POST.get(f"shown_{f.key}", "") for f in figures},
                    reasons={f.key: request.POST.get(f"reason_{f.key}", "") for f in figures},
                    texts={key: request.POST.get(f"text_{key}", "") for key, _, _ in texts_for(period.kind)},
                )  # fmt: skip
                messages.success(
                    request,
                    "Форма сдана. Министерство проверит её и примет или вернёт с комментарием."
                    if action == "submit"
                    else "Черновик сохранён.",
                )
                return redirect(reverse("monitoring:report", args=[school.pk, period.pk]))
            if action in ("accept", "return", "reopen"):
                if not may_decide:
                    raise PermissionDenied
                if existing is None:
                    raise ValidationError("Школа ещё не заполняла эту форму.")
                if action == "accept":
                    services.report_accept(report=existing, by=request.user)
                    messages.success(request, f"Форма школы «{school.short_name}» принята. Школа больше не может её изменить.")
                elif action == "return":
                    services.report_return(report=existing, comment=request.POST.get("comment", ""), by=request.user)
                    messages.success(request, "Форма возвращена школе на доработку с вашим комментарием.")
                else:
                    services.report_reopen(report=existing, reason=request.POST.get("reason", ""), by=request.user)
                    messages.success(request, "Форма открыта повторно: школа может её исправить и сдать снова.")
                return redirect(reverse("monitoring:report", args=[school.pk, period.pk]))
            errors = ["Неизвестное действие с формой."]
            status = 400
        except ValidationError as error:
            field_errors, errors = _errors_by_field(error)
            status = 400
    view = selectors.report_view(school=school, period=period, today=today)
    if request.GET.get("format") == "xlsx":
        return _export_form(view, _rows(view))
    rows = _rows(view)
    if posted is not None:
        # The page shows again what the person typed, with the errors beside it.
        for row in rows:
            key = row["figure"].key
            row["initial"] = posted.get(f"value_{key}", row["initial"])
            row["reason"] = posted.get(f"reason_{key}", row["reason"])
    for row in rows:
        row["error"] = field_errors.get(f"value_{row['figure'].key}", "")
        row["reason_error"] = field_errors.get(f"reason_{row['figure'].key}", "")
    report_obj = view.report
    editable = (
        may_fill and period.is_open(today) and (report_obj is None or report_obj.status in (Report.Status.DRAFT, Report.Status.RETURNED))
    )
    texts = [
        {"key": key, "heading": heading, "hint": hint, "error": field_errors.get(f"text_{key}", ""),
         "value": posted.get(f"text_{key}", "") if posted is not None else (report_obj.texts.get(key, "") if report_obj else "")}
        for key, heading, hint in texts_for(period.kind)
    ]  # fmt: skip
    context = {
        "school": school, "period": period, "view": view, "report": report_obj, "groups": _grouped(rows, period.kind), "rows": rows,
        "shares": _shares(view), "texts": texts, "editable": editable, "may_fill": may_fill, "may_decide": may_decide,
        "is_open": period.is_open(today), "due": due_text(period, today),
        "overdue": period.is_open(today) and period.is_overdue(today) and not (report_obj and report_obj.is_sent),
        "kind_title": KIND_TITLES[period.kind], "kind_lead": KIND_LEADS[period.kind],
        "level": LEVEL_NAMES.get(view.platform.get("level", ""), "") if period.kind == Period.Kind.PROFMINIMUM else "",
        "platform_on": date_text(view.platform_on), "errors": errors, "field_errors": field_errors,
        "comment_error": field_errors.get("comment", ""), "reason_error": field_errors.get("reason", ""),
        "posted_comment": request.POST.get("comment", "") if request.method == "POST" else "",
        "posted_reason": request.POST.get("reason", "") if request.method == "POST" else "",
        "events": [{"event": e, "when": datetime_text(e.at)} for e in view.events],
        "breadcrumbs": crumbs(viewer, municipality=school.municipality, school=school, last=f"{period.roadmap_item}: {period.title}"),
        "page_title": f"{KIND_TITLES[period.kind]} за {period.title.lower()} — {school.short_name}",
        "accepted": report_obj is not None and report_obj.status == Report.Status.ACCEPTED,
    }  # fmt: skip
    return render(request, "monitoring/report.html", context, status=status)


urlpatterns = [
    path("schools/<int:pk>/", school, name="school"),
    path("schools/<int:pk>/forms/<int:period_pk>/", report, name="report"),
]
