"""The periods of the monitoring in the current school year: for which day each form's figures are and by when it is
due. Everyone who follows the monitoring sees them; the ministry's administrator moves a deadline, or the day of a
twice-yearly period (December and May by default)."""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone

from access.policy import viewer_for
from monitoring import selectors, services
from monitoring.models import Period
from monitoring.policy import can_edit_periods, sees_monitoring
from monitoring.views.common import KIND_LEADS, KIND_TITLES, current_year


def _date(raw: str, label: str) -> datetime.date | None:
    raw = (raw or "").strip()
    if not raw:
        return None
    for pattern in ("%Y-%m-%d", "%d.%m.%Y"):
        try:
            return datetime.datetime.strptime(raw, pattern).date()
        except ValueError:
            continue
    raise ValidationError({label: f"«{'Данные на дату' if label == 'as_of' else 'Срок сдачи'}»: дата в формате ДД.ММ.ГГГГ."})


@login_required
def periods(request: HttpRequest) -> HttpResponse:
    viewer = viewer_for(request.user)
    if not sees_monitoring(viewer):
        raise Http404("Сроки мониторинга доступны школам, муниципалитетам и министерству.")
    year = current_year()
    may_edit = can_edit_periods(viewer)
    errors: dict[int, dict] = {}
    status = 200
    if request.method == "POST":
        if not may_edit:
            raise PermissionDenied
        raw = request.POST.get("period", "")
        period = selectors.period_get(pk=int(raw)) if raw.isdigit() and len(raw) < 12 else None
        if period is None or period.school_year_id != year.pk:
            raise Http404("Такого периода в текущем учебном году нет.")
        try:
            as_of = _date(request.POST.get("as_of", ""), "as_of") if period.kind == Period.Kind.PROFMINIMUM else None
            due_on = _date(request.POST.get("due_on", ""), "due_on")
            services.period_update(period=period, as_of=as_of, due_on=due_on, by=request.user)
        except ValidationError as error:
            errors[period.pk] = {key: " ".join(value) for key, value in error.message_dict.items()}
            status = 400
        else:
            messages.success(request, f"Сроки периода «{period.title}» ({KIND_TITLES[period.kind].lower()}) сохранены.")
            return redirect("monitoring:periods")
    today = timezone.localdate()
    sections = [
        {
            "kind": kind, "title": KIND_TITLES[kind], "lead": KIND_LEADS[kind],
            "periods": [{"period": p, "errors": errors.get(p.pk, {}), "open": p.is_open(today)} for p in selectors.year_periods(school_year=year, kind=kind)],
        }
        for kind in (Period.Kind.COVERAGE, Period.Kind.PROFMINIMUM)
    ]  # fmt: skip
    context = {
        "year": year, "sections": sections, "may_edit": may_edit, "page_title": "Сроки мониторинга",
        "breadcrumbs": [{"label": "Мониторинг", "url": "/monitoring/"}, {"label": "Сроки", "url": ""}],
    }  # fmt: skip
    return render(request, "monitoring/periods.html", context, status=status)


urlpatterns = [path("periods/", periods, name="periods")]
