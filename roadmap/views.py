"""The roadmap's pages: the plans; a plan's execution by section, by status and by executor (with its XLSX and a
printable PDF); an item and its due periods; a period with the lead's report and the contributions; a report, filled
by its executor and decided by the ministry; the evidence files. Thin: parse, call roadmap.services or
roadmap.selectors, render."""

from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from access.policy import Viewer, viewer_for
from core.formatting import count_text, date_text, datetime_text, number, thousands
from core.tables import Cell, ChoiceFilter, Column, Row, Table, date_cell, number_cell, table_swapped, text_cell
from orgs.models import Organization, SchoolYear
from roadmap import selectors, services
from roadmap.forms import (
    CommentForm,
    CopyForm,
    EvidenceFileForm,
    EvidenceLinkForm,
    ItemForm,
    PeriodForm,
    ReportForm,
    error_lines,
    errors_to_form,
)
from roadmap.models import Item, Period, Plan, Report
from roadmap.policy import filer_organization_ids, may_copy_plan, may_decide, may_edit_plan, may_file, may_see_roadmap
from roadmap.responsibility import Network, kinds_text, responsibility
from roadmap.uploads import kind_of_stored

FIGURE_UNITS = {"percent": "%", "hours": "ч"}


@dataclass
class Who:
    """The request's viewer with what the roadmap needs of them, read once."""

    viewer: Viewer
    filer_ids: frozenset[int]

    @property
    def filer_orgs(self) -> list[Organization]:
        return list(Organization.objects.filter(pk__in=self.filer_ids).order_by("pk"))


def _who(request: HttpRequest) -> Who:
    cached = getattr(request, "_roadmap_who", None)
    if cached is None:
        viewer = viewer_for(request.user)
        cached = Who(viewer=viewer, filer_ids=filer_organization_ids(viewer))
        request._roadmap_who = cached
    if not may_see_roadmap(cached.viewer, cached.filer_ids):
        raise PermissionDenied
    return cached


def figure_text(value, kind: str) -> str:
    """A figure as the page shows it: «1 234», «87,5 %», «12,5 ч», or the text itself."""
    if value is None:
        return "нет данных"
    if value == "":
        return "—"
    if kind == "text":
        return str(value)
    if kind == "int":
        return thousands(int(value))
    text = number(value)
    unit = FIGURE_UNITS.get(kind)
    return f"{text} {unit}" if unit else text


def _crumbs(plan: Plan | None = None, *more) -> list[dict]:
    crumbs = [{"label": "Дорожная карта", "url": reverse("roadmap:plans")}]
    if plan is not None:
        crumbs.append({"label": plan.year_title, "url": reverse("roadmap:plan", args=[plan.pk])})
    crumbs.extend(more)
    if crumbs:
        crumbs[-1] = {**crumbs[-1], "url": ""}
    return crumbs


# --- plans -------------------------------------------------------------------------------------------------------


@login_required
def home(request: HttpRequest) -> HttpResponse:
    _who(request)
    plan = selectors.plan_current()
    return redirect("roadmap:plan", pk=plan.pk) if plan else redirect("roadmap:plans")


@login_required
@require_http_methods(["GET", "POST"])
def plans(request: HttpRequest) -> HttpResponse:
    who = _who(request)
    can_copy = may_copy_plan(who.viewer)
    all_plans = selectors.plans_list()
    taken = [plan.year_title for plan in all_plans]
    years = SchoolYear.objects.exclude(title__in=taken).order_by("-starts_on")
    form = CopyForm(request.POST or None, plans=Plan.objects.order_by("-starts_on"), years=years) if can_copy else None
    status = 200
    if request.method == "POST":
        if form is None:
            raise PermissionDenied
        if form.is_valid():
            try:
                copy = services.plan_copy(plan=form.cleaned_data["source"], school_year=form.cleaned_data["school_year"], by=request.user)
            except ValidationError as error:
                errors_to_form(form, error)
            else:
                messages.success(request, f"План на {copy.year_title} учебный год создан: отредактируйте пункты, сроки и периоды.")
                return redirect("roadmap:plan", pk=copy.pk)
        status = 400
    context = {
        "plans": all_plans, "form": form, "errors": error_lines(form) if form is not None and form.errors else [],
        "breadcrumbs": [{"label": "Дорожная карта"}], "has_years": years.exists(),
    }  # fmt: skip
    return render(request, "roadmap/plans.html", context, status=status)


def _plan_table(execution: selectors.Execution, request: HttpRequest, *, show_text: bool) -> Table:
    filters = [
        ChoiceFilter("section", "Раздел", [(s.number, f"{s.number}. {s.title[:60]}{'…' if len(s.title) > 60 else ''}") for s in execution.sections], "все разделы"),
        ChoiceFilter("executor", "Исполнитель", selectors.executor_choices(execution), "все исполнители"),
        ChoiceFilter("state", "Состояние", [(key, selectors.STATES[key][0]) for key in selectors.STATE_ORDER], "любое"),
    ]  # fmt: skip
    columns = [
        Column("number", "№ п/п"),
        Column("activity", "Наименование мероприятия"),
        Column("section", "Раздел", on_page=False),
        Column("lead", "Ведущий исполнитель"),
        Column("executors", "Ответственный исполнитель (соисполнитель)", on_page=False),
        Column("period", "Период"),
        Column("due", "Срок", "date"),
        Column("state", "Состояние", "state"),
        Column("execution", "Исполнение", on_page=False),
        Column("contributions", "Вкладов сдано", "int", short="Вклады"),
        Column("expected", "Вкладов ожидается", "int", on_page=False),
        Column("text", "Что сделано (отчёт ведущего исполнителя)", on_page=False),
    ]
    rows = []
    for index, row in enumerate(execution.rows):
        item, period, duty, lead = row.item, row.period, row.duty, row.lead_report
        note = ""
        if row.overdue:
            note = f"срок прошёл {count_text(row.days_overdue, 'день', 'дня', 'дней')} назад"
        elif lead and lead["submitted_at"] and row.state in ("submitted", "accepted"):
            note = f"сдан {date_text(lead['submitted_at'])}"
        execution_text = (
            dict(Report.Execution.choices).get(lead["execution"], "") if lead and row.state in ("submitted", "accepted") else ""
        )
        expected = duty.expected_contributions
        rows.append(
            Row(
                [
                    Cell(item.number, item.number, url=reverse("roadmap:item", args=[item.pk]), sort=index),
                    Cell(item.activity, item.activity),
                    text_cell(f"{item.section.number}. {item.section.title}"),
                    text_cell(duty.lead.short_name if duty.lead else duty.lead_text),
                    text_cell(item.executors_text),
                    Cell(period.label, period.label, url=reverse("roadmap:period", args=[period.pk]), sort=(period.due_on, index)),
                    date_cell(period.due_on),
                    Cell(row.state_label, row.state_label, state=row.marker, note=note, sort=selectors.STATE_ORDER.index(row.state)),
                    text_cell(execution_text),
                    Cell(row.contributions_done, f"{thousands(row.contributions_done)} из {thousands(expected)}" if expected else "—"),
                    number_cell(expected, 0),
                    text_cell(lead["text"] if lead and show_text and row.state in ("submitted", "accepted") else ""),
                ],
                facets={
                    "section": {item.section.number},
                    "executor": duty.executor_keys(),
                    "state": {row.state} | ({"overdue"} if row.overdue else set()),
                },
            )
        )
    table = Table(
        key="plan", title="Исполнение плана", columns=columns, rows=rows, filters=filters, search_label="Мероприятие",
        search_column="activity", default_sort="number", per_page=100, empty="В плане нет пунктов.",
        note="Каждая строка — пункт плана и период его отчёта. Просроченные отмечены красным квадратом.",
    )  # fmt: skip
    return table.bind(request)


def _respond_table(request: HttpRequest, template: str, context: dict, tables: list[Table], *, title: str, file_stem: str, scope: str):
    if request.GET.get("format") == "xlsx":
        key = request.GET.get("table") or tables[0].key
        table = next((t for t in tables if t.key == key), None)
        if table is None:
            raise Http404("Такой таблицы на странице нет.")
        today = timezone.localdate()
        return table.xlsx_response(filename=f"{file_stem}-{today.isoformat()}.xlsx", title=title, scope=scope, on_date=today)
    swapped = table_swapped(request, tables)
    if swapped is not None:
        return render(request, "roadmap/_table_swap.html", {"table": swapped})
    return render(request, template, context)


@login_required
def plan(request: HttpRequest, pk: int) -> HttpResponse:
    who = _who(request)
    plan = selectors.plan_get(pk)
    today = timezone.localdate()
    network = Network()
    execution = selectors.plan_execution(plan, today=today, network=network)
    table = _plan_table(execution, request, show_text=who.viewer.is_republic)
    owed = []
    organizations = who.filer_orgs
    if organizations:
        owed = selectors.owed_reports(plan, organizations=organizations, today=today, items=execution.items, duties=execution.duties)
    led = selectors.items_led_by(execution.duties, who.filer_ids)
    waiting = selectors.reports_waiting_decision(viewer=who.viewer, filer_ids=who.filer_ids, plan=plan, led_item_ids=led)
    state_links = [
        {"key": key, "label": selectors.STATES[key][0], "marker": selectors.STATES[key][1], "count": execution.by_state.get(key, 0),
         "url": f"{reverse('roadmap:plan', args=[plan.pk])}?plan-state={key}#table-plan-section"}
        for key in selectors.STATE_ORDER
    ]  # fmt: skip
    context = {
        "plan": plan, "execution": execution, "table": table, "owed": selectors.owed_now(owed, today=today), "owed_total": len(owed),
        "waiting": waiting, "state_links": state_links, "can_edit": may_edit_plan(who.viewer, plan), "breadcrumbs": _crumbs(plan),
        "today": today, "page_title": str(plan),
    }  # fmt: skip
    return _respond_table(
        request, "roadmap/plan.html", context, [table], title=f"{plan}: исполнение", file_stem=f"dorozhnaya-karta-{plan.year_title.replace('/', '-')}",
        scope=plan.basis or plan.title,
    )  # fmt: skip


@login_required
def executors(request: HttpRequest, pk: int) -> HttpResponse:
    _who(request)
    plan = selectors.plan_get(pk)
    execution = selectors.plan_execution(plan, today=timezone.localdate())
    rows = []
    for row in selectors.executor_rows(execution):
        url = f"{reverse('roadmap:plan', args=[plan.pk])}?plan-executor={row.key}#table-plan-section"
        cells = [
            Cell(row.label, row.label, url=url), number_cell(row.lead_periods, 0), number_cell(row.contribution_periods, 0),
            number_cell(row.submitted, 0), number_cell(row.accepted, 0), number_cell(row.returned, 0),
            Cell(row.overdue, thousands(row.overdue), state="at_risk" if row.overdue else ""),
        ]  # fmt: skip
        rows.append(Row(cells))
    table = Table(
        key="executors", title="Исполнители", rows=rows, default_sort="label", search_label="Исполнитель", per_page=100,
        columns=[
            Column("label", "Исполнитель"), Column("lead", "Ведёт отчётов", "int"), Column("contributions", "Вкладов ожидается", "int"),
            Column("submitted", "На проверке", "int"), Column("accepted", "Принято", "int"), Column("returned", "Возвращено", "int"),
            Column("overdue", "Просрочено", "int"),
        ],
        note="Тип организаций («все общеобразовательные организации») — одна строка: вклады всех организаций этого типа вместе.",
    ).bind(request)  # fmt: skip
    context = {
        "plan": plan,
        "table": table,
        "breadcrumbs": _crumbs(plan, {"label": "По исполнителям"}),
        "page_title": f"{plan}: исполнители",
    }
    return _respond_table(
        request, "roadmap/executors.html", context, [table], title=f"{plan}: исполнители",
        file_stem=f"dorozhnaya-karta-{plan.year_title.replace('/', '-')}-ispolniteli", scope=plan.basis or plan.title,
    )  # fmt: skip


@login_required
def plan_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """The plan's execution to print: each item as the order prints it, its periods, their state and the lead's report."""
    who = _who(request)
    from privacy.export import PdfUnavailable, pdf_render  # the platform's one PDF library, WeasyPrint

    plan = selectors.plan_get(pk)
    today = timezone.localdate()
    execution = selectors.plan_execution(plan, today=today)
    sections = []
    for item in execution.items:
        if not sections or sections[-1]["section"].pk != item.section_id:
            sections.append({"section": item.section, "rows": []})
        sections[-1]["rows"].append({"item": item, "periods": [row for row in execution.rows if row.item.pk == item.pk]})
    context = {
        "plan": plan, "sections": sections, "made_text": datetime_text(timezone.now()), "today": today, "execution": execution,
        "show_text": who.viewer.is_republic,
        "executions": dict(Report.Execution.choices),
    }  # fmt: skip
    try:
        pdf = pdf_render("roadmap/print/plan.html", context)
    except PdfUnavailable as error:
        return HttpResponse(str(error), status=503, content_type="text/plain; charset=utf-8")
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="dorozhnaya-karta-{plan.year_title.replace("/", "-")}-{today.isoformat()}.pdf"'
    return response


# --- items -----------------------------------------------------------------------------------------------------------


def _item(pk: int) -> Item:
    return get_object_or_404(Item.objects.select_related("plan", "section"), pk=pk)


def _executor_lines(item: Item, network: Network) -> list[dict]:
    lines = []
    for executor in item.executors.select_related("organization"):
        single = network.organization(executor)
        if single is not None:
            target = single.short_name
        elif executor.every and executor.kinds:
            total = sum(network.counts.get(kind, 0) for kind in executor.kinds)
            target = f"{kinds_text(executor.kinds)} ({thousands(total)})"
        elif executor.kinds:
            target = "в сети платформы такой организации нет"
        else:
            target = "не организация сети платформы: отчёт не сдаёт"
        lines.append({"text": executor.text, "target": target, "leads": executor.leads})
    return lines


@login_required
def item(request: HttpRequest, pk: int) -> HttpResponse:
    who = _who(request)
    item = _item(pk)
    network = Network()
    duty = responsibility(item, network)
    today = timezone.localdate()
    leads = {r.period_id: r for r in Report.objects.filter(period__item=item, organization=duty.lead)} if duty.lead else {}
    periods = []
    for period in item.periods.order_by("due_on", "position"):
        report = leads.get(period.pk)
        state = selectors.period_state(report.state if report else None, period, today)
        periods.append({"period": period, "state": state, "label": selectors.STATES[state][0], "marker": selectors.STATES[state][1],
                        "overdue": selectors.is_overdue(report.state if report else None, period, today)})  # fmt: skip
    context = {
        "item": item, "plan": item.plan, "duty": duty, "executors": _executor_lines(item, network), "periods": periods,
        "can_edit": may_edit_plan(who.viewer, item.plan), "kinds_text": kinds_text(duty.kinds),
        "breadcrumbs": _crumbs(item.plan, {"label": f"Пункт {item.number}"}), "page_title": f"Пункт {item.number}",
    }  # fmt: skip
    return render(request, "roadmap/item.html", context)


def _period_forms(item: Item, data=None) -> list[tuple[Period, PeriodForm]]:
    forms = []
    for period in item.periods.order_by("due_on", "position"):
        prefix = f"period-{period.pk}"
        bound = data if data is not None and data.get("period") == str(period.pk) else None
        forms.append(
            (
                period,
                PeriodForm(bound, prefix=prefix, initial={"label": period.label, "starts_on": period.starts_on, "due_on": period.due_on}),
            )
        )
    return forms


@login_required
@require_http_methods(["GET", "POST"])
def item_edit(request: HttpRequest, pk: int) -> HttpResponse:
    who = _who(request)
    item = _item(pk)
    if not may_edit_plan(who.viewer, item.plan):
        raise PermissionDenied
    initial = {name: getattr(item, name) for name in ("number", "activity", "executors_text", "expected_result", "deadline_text")}
    initial["schedule"] = item.schedule
    action = request.POST.get("action", "") if request.method == "POST" else ""
    form = ItemForm(request.POST if action == "item" else None, initial=initial)
    period_forms = _period_forms(item, request.POST if action == "period" else None)
    new_period = PeriodForm(request.POST if action == "period_add" else None, prefix="new")
    errors: list[str] = []
    if request.method == "POST":
        try:
            if action == "item":
                if form.is_valid():
                    try:
                        services.item_update(item=item, by=request.user, **form.service_fields())
                    except ValidationError as error:
                        errors_to_form(form, error)
                    else:
                        messages.success(request, f"Пункт {form.cleaned_data['number']} сохранён.")
                        return redirect("roadmap:item", pk=item.pk)
                errors = error_lines(form)
            elif action == "period":
                period_form = next((f for p, f in period_forms if str(p.pk) == request.POST.get("period")), None)
                if period_form is None:
                    raise ValidationError("Такого периода у пункта нет.")
                if period_form.is_valid():
                    try:
                        services.period_update(
                            period=next(p for p, f in period_forms if f is period_form), by=request.user, **period_form.cleaned_data
                        )
                    except ValidationError as error:
                        errors_to_form(period_form, error)
                    else:
                        messages.success(request, f"Период «{period_form.cleaned_data['label']}» сохранён.")
                        return redirect("roadmap:item_edit", pk=item.pk)
                errors = error_lines(period_form)
            elif action == "period_add":
                if new_period.is_valid():
                    try:
                        services.period_add(item=item, by=request.user, **new_period.cleaned_data)
                    except ValidationError as error:
                        errors_to_form(new_period, error)
                    else:
                        messages.success(request, f"Период «{new_period.cleaned_data['label']}» добавлен.")
                        return redirect("roadmap:item_edit", pk=item.pk)
                errors = error_lines(new_period)
            elif action == "period_delete":
                raw = request.POST.get("period", "")
                period = item.periods.filter(pk=int(raw)).first() if raw.isdigit() and len(raw) < 12 else None
                if period is None:
                    raise ValidationError("Такого периода у пункта нет.")
                services.period_delete(period=period, by=request.user)
                messages.success(request, f"Период «{period.label}» удалён.")
                return redirect("roadmap:item_edit", pk=item.pk)
            elif action == "delete":
                plan = item.plan
                services.item_delete(item=item, by=request.user)
                messages.success(request, f"Пункт {item.number} удалён из плана.")
                return redirect("roadmap:plan", pk=plan.pk)
            else:
                errors = ["Неизвестное действие."]
        except ValidationError as error:
            errors = error.messages
    context = {
        "item": item, "plan": item.plan, "form": form, "period_forms": period_forms, "new_period": new_period, "errors": errors,
        "breadcrumbs": _crumbs(item.plan, {"label": f"Пункт {item.number}", "url": reverse("roadmap:item", args=[item.pk])}, {"label": "Изменить"}),
        "page_title": f"Пункт {item.number}: изменить",
    }  # fmt: skip
    return render(request, "roadmap/item_edit.html", context, status=400 if errors else 200)


@login_required
@require_http_methods(["GET", "POST"])
def item_new(request: HttpRequest, pk: int) -> HttpResponse:
    who = _who(request)
    plan = selectors.plan_get(pk)
    if not may_edit_plan(who.viewer, plan):
        raise PermissionDenied
    form = ItemForm(request.POST or None, sections=plan.sections.order_by("position"))
    errors: list[str] = []
    if request.method == "POST":
        if form.is_valid():
            try:
                created = services.item_create(plan=plan, section=form.cleaned_data["section"], by=request.user, **form.service_fields())
            except ValidationError as error:
                errors_to_form(form, error)
            else:
                messages.success(request, f"Пункт {created.number} добавлен в план.")
                return redirect("roadmap:item", pk=created.pk)
        errors = error_lines(form)
    context = {
        "plan": plan,
        "form": form,
        "errors": errors,
        "breadcrumbs": _crumbs(plan, {"label": "Новый пункт"}),
        "page_title": "Новый пункт плана",
    }
    return render(request, "roadmap/item_new.html", context, status=400 if errors else 200)


# --- periods ---------------------------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def period(request: HttpRequest, pk: int) -> HttpResponse:
    who = _who(request)
    period = selectors.period_get(pk)
    item = period.item
    duty = responsibility(item, Network())
    today = timezone.localdate()
    mine = []
    for organization in who.filer_orgs:
        role = duty.answers(organization)
        if role is not None:
            report = Report.objects.filter(period=period, organization=organization).first()
            mine.append({"organization": organization, "role": role, "report": report})
    if request.method == "POST":
        raw = request.POST.get("organization", "")
        organization = next((m["organization"] for m in mine if str(m["organization"].pk) == raw), None)
        if organization is None:
            messages.error(request, "Организация: выберите организацию, за которую вы сдаёте отчёт по этому пункту.")
            return redirect("roadmap:period", pk=period.pk)
        try:
            report = services.report_start(period=period, organization=organization, by=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect("roadmap:period", pk=period.pk)
        return redirect("roadmap:report", pk=report.pk)
    lead = selectors.lead_report(period, duty)
    lead_visible = lead is not None and (who.viewer.is_republic or lead.organization_id in who.filer_ids or (
        lead.organization.municipality_id is not None and lead.organization.municipality_id in who.viewer.municipality_ids))  # fmt: skip
    lead_state = selectors.period_state(lead.state if lead else None, period, today)
    contributions = selectors.period_contributions(period, duty, viewer=who.viewer, filer_ids=who.filer_ids, today=today)
    readable = who.viewer.is_republic or (duty.lead is not None and duty.lead.pk in who.filer_ids)
    rows = []
    for row in contributions:
        url = ""
        if row.report is not None and (
            readable or row.organization.pk in who.filer_ids or row.organization.municipality_id in who.viewer.municipality_ids
        ):
            url = reverse("roadmap:report", args=[row.report.pk])
        note = "просрочен" if row.overdue and row.state != "overdue" else ""
        rows.append(
            Row(
                [
                    Cell(row.organization.short_name, row.organization.short_name, url=url),
                    text_cell(row.organization.municipality.name if row.organization.municipality_id else "—"),
                    Cell(row.state_label, row.state_label, state=row.marker, note=note, sort=selectors.STATE_ORDER.index(row.state)),
                ],
                facets={"state": {row.state} | ({"overdue"} if row.overdue else set())},
            )
        )
    table = Table(
        key="contributions", title="Вклады соисполнителей", rows=rows, search_label="Организация", per_page=50,
        columns=[Column("organization", "Организация"), Column("municipality", "Муниципалитет"), Column("state", "Состояние", "state")],
        filters=[ChoiceFilter("state", "Состояние", [(key, selectors.STATES[key][0]) for key in selectors.STATE_ORDER], "любое")],
        empty="У этого пункта нет соисполнителей, сдающих вклады." if not duty.elsewhere else duty.elsewhere,
    ).bind(request)  # fmt: skip
    context = {
        "period": period, "item": item, "plan": item.plan, "duty": duty, "mine": mine, "lead": lead, "lead_visible": lead_visible,
        "lead_state": lead_state, "lead_state_label": selectors.STATES[lead_state][0], "lead_marker": selectors.STATES[lead_state][1],
        "overdue": selectors.is_overdue(lead.state if lead else None, period, today), "table": table, "kinds_text": kinds_text(duty.kinds),
        "breadcrumbs": _crumbs(item.plan, {"label": f"Пункт {item.number}", "url": reverse("roadmap:item", args=[item.pk])}, {"label": period.label}),
        "page_title": f"Пункт {item.number}: {period.label}",
    }  # fmt: skip
    return _respond_table(
        request, "roadmap/period.html", context, [table], title=f"Пункт {item.number}, {period.label}: вклады",
        file_stem=f"dorozhnaya-karta-{item.code}-vklady", scope=str(item.plan),
    )  # fmt: skip


# --- reports ---------------------------------------------------------------------------------------------------------


def _report_for(request: HttpRequest, pk: int) -> tuple[Who, Report, object]:
    who = _who(request)
    network = Network()
    duties: dict[int, object] = {}

    def duty_of(item):
        if item.pk not in duties:
            duties[item.pk] = responsibility(item, network)
        return duties[item.pk]

    report = selectors.report_get(viewer=who.viewer, pk=pk, filer_ids=who.filer_ids, duty_of=duty_of)
    return who, report, duty_of(report.period.item)


def _consolidated(contributions: list[Report]) -> list[dict]:
    """The contributions' figures added up by figure (numbers only; shares are not added)."""
    from decimal import Decimal

    totals: dict[str, dict] = {}
    for contribution in contributions:
        if contribution.state not in (Report.State.SUBMITTED, Report.State.ACCEPTED):
            continue
        for figure in services.report_figures(contribution):
            if figure["kind"] not in ("int", "decimal", "hours") or figure["final"] is None:
                continue
            entry = totals.setdefault(
                figure["key"], {"label": figure["label"], "kind": figure["kind"], "value": Decimal("0"), "reports": 0}
            )
            entry["value"] += Decimal(str(figure["final"]))
            entry["reports"] += 1
    return [{**entry, "text": figure_text(entry["value"], entry["kind"])} for entry in totals.values()]


@login_required
@require_http_methods(["GET", "POST"])
def report(request: HttpRequest, pk: int) -> HttpResponse:
    who, report, duty = _report_for(request, pk)
    can_file = may_file(who.filer_ids, report.organization_id)
    can_decide = may_decide(who.viewer, report, filer_ids=who.filer_ids, lead_org_id=duty.lead_id)
    action = request.POST.get("action", "") if request.method == "POST" else ""
    form = ReportForm(request.POST if action in ("save", "submit") else None, report=report)
    file_form = EvidenceFileForm(request.POST if action == "file" else None, request.FILES if action == "file" else None)
    link_form = EvidenceLinkForm(request.POST if action == "link" else None)
    decision_form = CommentForm(request.POST if action in ("accept", "return", "reopen") else None)
    errors: list[str] = []
    if request.method == "POST":
        if action in ("save", "submit", "file", "link", "remove", "refresh") and not can_file:
            raise PermissionDenied
        if action in ("accept", "return", "reopen") and not can_decide:
            raise PermissionDenied
        try:
            outcome = _report_action(
                request, report, action, form=form, file_form=file_form, link_form=link_form, decision_form=decision_form
            )
        except ValidationError as error:
            target = {"save": form, "submit": form, "file": file_form, "link": link_form}.get(action, decision_form)
            mapping = form.error_mapping() if target is form else {"url": "url", "comment": "comment"}
            if action == "file":
                mapping = {"__all__": "file"}
            if target.is_bound:
                errors_to_form(target, error, mapping)
                errors = error_lines(target)
            else:  # an unknown action or a missing piece of evidence: no form of the page was sent
                errors = error.messages
        else:
            if outcome is not None:
                messages.success(request, outcome)
                return redirect("roadmap:report", pk=report.pk)
            errors = error_lines(form) + error_lines(file_form) + error_lines(link_form) + error_lines(decision_form) or [
                "Неизвестное действие."
            ]
        report.refresh_from_db()
    contributions = selectors.contributions_for_lead(report) if report.is_lead else []
    figures = [
        {**f, "platform_text": figure_text(f["platform"], f["kind"]), "corrected_text": figure_text(f["corrected"], f["kind"]) if f["corrected"] is not None else ""}
        for f in services.report_figures(report)
    ]  # fmt: skip
    today = timezone.localdate()
    state = selectors.period_state(report.state, report.period, today)
    own = [{"label": o["label"], "text": figure_text(o["value"], "decimal")} for o in report.own_figures]
    for row in form.figure_rows:
        row["platform_text"] = figure_text(row["figure"]["value"], row["figure"]["kind"])
    context = {
        "report": report, "item": report.period.item, "period": report.period, "plan": report.period.item.plan, "duty": duty,
        "can_file": can_file, "editable": can_file and report.is_editable, "can_decide": can_decide, "form": form, "file_form": file_form,
        "link_form": link_form, "decision_form": decision_form, "errors": errors, "figures": figures, "own": own,
        "evidence": selectors.report_evidence(report), "history": selectors.report_history(report), "contributions": contributions,
        "consolidated": _consolidated(contributions), "state": state, "state_label": selectors.STATES[state][0],
        "marker": selectors.STATES[state][1], "overdue": selectors.is_overdue(report.state, report.period, today),
        "reviewer": "министерства" if report.is_lead else "ведущего исполнителя", "execution_label": report.get_execution_display(),
        "prefilled_at_text": datetime_text(report.prefilled_at) if report.prefilled_at else "",
        "breadcrumbs": _crumbs(
            report.period.item.plan, {"label": f"Пункт {report.period.item.number}", "url": reverse("roadmap:item", args=[report.period.item.pk])},
            {"label": report.period.label, "url": reverse("roadmap:period", args=[report.period.pk])}, {"label": report.organization.short_name},
        ),
        "page_title": f"Отчёт по пункту {report.period.item.number}: {report.organization.short_name}",
    }  # fmt: skip
    return render(request, "roadmap/report.html", context, status=400 if errors else 200)


def _report_action(request, report: Report, action: str, *, form, file_form, link_form, decision_form) -> str | None:
    """Carry out one action of the report page; the message to show, or None when a form did not validate."""
    by = request.user
    if action in ("save", "submit"):
        if not form.is_valid():
            return None
        services.report_save(report=report, by=by, **form.service_fields())
        if action == "submit":
            services.report_submit(report=report, by=by)
            return "Отчёт сдан на проверку." if report.is_lead else "Вклад сдан ведущему исполнителю."
        return "Отчёт сохранён."
    if action == "refresh":
        services.report_refresh(report=report, by=by)
        return "Данные платформы обновлены."
    if action == "file":
        if not file_form.is_valid():
            return None
        upload = file_form.cleaned_data.get("file")
        if upload is None:
            raise ValidationError({"file": "Файл: выберите файл (PDF, DOC, DOCX, XLSX, JPEG или PNG, до 10 МБ)."})
        try:
            evidence = services.evidence_file_add(report=report, upload=upload, title=file_form.cleaned_data.get("title", ""), by=by)
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                raise
            raise ValidationError({"file": [f"Файл: {message}" for message in error.messages]}) from None
        return f"Файл «{evidence.title}» приложен."
    if action == "link":
        if not link_form.is_valid():
            return None
        evidence = services.evidence_link_add(
            report=report, url=link_form.cleaned_data["url"], title=link_form.cleaned_data["link_title"], by=by
        )
        return f"Ссылка «{evidence.title}» добавлена."
    if action == "remove":
        raw = request.POST.get("evidence", "")
        evidence = report.evidence.filter(pk=int(raw)).first() if raw.isdigit() and len(raw) < 12 else None
        if evidence is None:
            raise ValidationError("Такого подтверждения у отчёта нет.")
        services.evidence_remove(evidence=evidence, by=by)
        return f"«{evidence.title}» удалено из отчёта."
    if action in ("accept", "return", "reopen"):
        if not decision_form.is_valid():
            return None
        comment = decision_form.cleaned_data["comment"]
        if action == "accept":
            services.report_accept(report=report, comment=comment, by=by)
            return "Отчёт принят."
        if action == "return":
            services.report_return(report=report, comment=comment, by=by)
            return "Отчёт возвращён исполнителю с замечанием."
        services.report_reopen(report=report, reason=comment, by=by)
        return "Отчёт открыт заново и возвращён исполнителю."
    raise ValidationError("Неизвестное действие.")


@login_required
def evidence_download(request: HttpRequest, pk: int, evidence_pk: int) -> FileResponse:
    """An evidence file, only to those who may read the report; anyone else gets 404."""
    _, report, _ = _report_for(request, pk)
    evidence = selectors.evidence_get(report=report, pk=evidence_pk)
    kind = kind_of_stored(evidence.file.name)
    if kind is None:
        raise Http404
    try:
        handle = evidence.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    stem = "".join(ch if ch.isalnum() or ch in " -_" else "_" for ch in evidence.title.rsplit(".", 1)[0])[:80].strip() or "podtverzhdenie"
    response = FileResponse(handle, as_attachment=True, filename=f"{stem}.{kind.extension}", content_type=kind.content_type)
    response["Cache-Control"] = "private, no-store"
    return response
