"""Writes of the roadmap: copying a plan for a new year and editing the copy; starting, filling, submitting and
deciding reports; their evidence; reminders. Every rule of roadmap.policy is checked here again, whatever page or
request calls; errors are ValidationErrors in Russian naming the field and the reason."""

import datetime
import re
import secrets
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.validators import URLValidator
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone

from access.policy import viewer_for
from core.formatting import date_text
from notifications.services import notify
from orgs.models import Organization, SchoolYear
from roadmap.figures import Figure, FigureContext, figure_providers, figure_value_json, figure_value_parse
from roadmap.models import Evidence, Executor, Item, Period, Plan, Reminder, Report, ReportEvent, Section
from roadmap.policy import (
    filer_organization_ids,
    filer_users,
    may_copy_plan,
    may_decide,
    may_edit_plan,
    may_file,
    ministry_deciders,
)
from roadmap.responsibility import Network, responsibility
from roadmap.source import ITEM_NUMBER, Schedule, add_years, deadline_schedule, executors_parse, plan_year_bounds, schedule_periods
from roadmap.uploads import evidence_file_check

MAX_TEXT = 20_000
MAX_COMMENT = 5_000
MAX_EVIDENCE = 20
MAX_OWN_FIGURES = 10
REMIND_DAYS = 7  # a report is reminded of this many days before it is due
_YEAR = re.compile(r"(?<!\d)(20\d\d)(?!\d)")


def _text(value: str | None) -> str:
    return (value or "").replace("\r\n", "\n").strip()


# --- the plan ----------------------------------------------------------------------------------------------------


def years_shifted(text: str, offset: int) -> str:
    """«Июль 2023 года» a year on: «Июль 2024 года» (a copy's deadlines and period labels)."""
    return _YEAR.sub(lambda match: str(int(match.group(1)) + offset), text) if offset else text


def plan_copy(*, plan: Plan, school_year: SchoolYear, by) -> Plan:
    """A plan for `school_year`, copied from `plan` with everything its items say: texts, executors, periods moved to
    the new year (a month or a year named in a deadline moves along with it). The copy is then edited."""
    viewer = viewer_for(by)
    if not may_copy_plan(viewer):
        raise PermissionDenied
    if Plan.objects.filter(school_year=school_year).exists() or Plan.objects.filter(year_title=school_year.title).exists():
        raise ValidationError({"school_year": f"План на {school_year.title} учебный год уже есть."})
    starts_on, ends_on = plan_year_bounds(school_year.starts_on.year)
    offset = starts_on.year - plan.starts_on.year
    title = re.sub(r"на\s+\d{4}\s*-\s*\d{4}\s+учебный год", f"на {starts_on.year}-{ends_on.year} учебный год", plan.title)
    with transaction.atomic():
        copy = Plan.objects.create(
            title=title,
            basis="",
            year_title=school_year.title,
            starts_on=starts_on,
            ends_on=ends_on,
            school_year=school_year,
            copied_from=plan,
        )
        sections = {}
        for section in plan.sections.all():
            sections[section.pk] = Section.objects.create(plan=copy, number=section.number, title=section.title, position=section.position)
        items = list(plan.items.prefetch_related("executors", "periods"))
        for item in items:
            anchored = item.schedule in Schedule.ANCHORED and item.anchor is not None
            new_item = Item.objects.create(
                plan=copy, section=sections[item.section_id], position=item.position, number=item.number, code=item.code,
                activity=item.activity, executors_text=item.executors_text, expected_result=item.expected_result,
                deadline_text=years_shifted(item.deadline_text, offset) if anchored else item.deadline_text,
                schedule=item.schedule, anchor=add_years(item.anchor, offset) if item.anchor else None,
            )  # fmt: skip
            Executor.objects.bulk_create(
                Executor(
                    item=new_item, position=e.position, text=e.text, kinds=e.kinds, every=e.every, organization_id=e.organization_id,
                    leads=e.leads,
                )
                for e in item.executors.all()
            )  # fmt: skip
            Period.objects.bulk_create(
                Period(
                    item=new_item, position=p.position, label=years_shifted(p.label, offset),
                    starts_on=add_years(p.starts_on, offset), due_on=add_years(p.due_on, offset),
                )
                for p in item.periods.all()
            )  # fmt: skip
    return copy


def _editable_plan(plan: Plan, by) -> None:
    if plan.is_source:
        raise ValidationError("Исходный текст приказа не редактируется: скопируйте план на учебный год и редактируйте копию.")
    if not may_edit_plan(viewer_for(by), plan):
        raise PermissionDenied


def _item_fields(*, number, activity, executors_text, expected_result, deadline_text, schedule) -> dict:
    errors: dict[str, str] = {}
    number = _text(number)
    if not ITEM_NUMBER.match(number):
        errors["number"] = "Номер пункта: нужен номер вида «4.8» или «4.5.»."
    values = {
        "activity": (_text(activity), "Наименование мероприятия", 5000),
        "executors_text": (_text(executors_text), "Ответственный исполнитель", 3000),
        "expected_result": (_text(expected_result), "Ожидаемый результат", 5000),
        "deadline_text": (_text(deadline_text), "Сроки исполнения", 200),
    }
    for name, (value, label, limit) in values.items():
        if not value:
            errors[name] = f"{label}: поле не заполнено."
        elif len(value) > limit:
            errors[name] = f"{label}: не больше {limit} знаков."
    read = deadline_schedule(values["deadline_text"][0]) if values["deadline_text"][0] else None
    anchor = None
    if schedule:
        if schedule not in dict(Schedule.CHOICES):
            errors["schedule"] = "Периодичность: выберите из списка."
        elif schedule in Schedule.ANCHORED:
            if read is None or read[0] != schedule:
                errors["schedule"] = "Периодичность «месяц» или «год»: назовите месяц и год в сроке («Июль 2026 года», «2026 год»)."
            else:
                anchor = read[1]
    elif read is None:
        errors["schedule"] = "Срок не распознан: выберите периодичность."
    else:
        schedule, anchor = read
    if errors:
        raise ValidationError(errors)
    return {
        "number": number, "activity": values["activity"][0], "executors_text": values["executors_text"][0],
        "expected_result": values["expected_result"][0], "deadline_text": values["deadline_text"][0], "schedule": schedule, "anchor": anchor,
    }  # fmt: skip


def _executors_replace(item: Item) -> None:
    item.executors.all().delete()
    Executor.objects.bulk_create(
        Executor(item=item, position=index, text=spec.text[:500], kinds=list(spec.kinds), every=spec.every, leads=spec.leads)
        for index, spec in enumerate(executors_parse(item.executors_text))
    )


def _periods_regenerate(item: Item) -> None:
    if Report.objects.filter(period__item=item).exists():
        raise ValidationError({"schedule": "По периодам пункта уже есть отчёты: срок не меняется; измените даты периодов ниже."})
    plan = item.plan
    item.periods.all().delete()
    specs = schedule_periods(
        item.schedule, item.anchor, plan_starts_on=plan.starts_on, plan_ends_on=plan.ends_on, year_title=plan.year_title
    )
    Period.objects.bulk_create(
        Period(item=item, position=index, label=spec.label, starts_on=spec.starts_on, due_on=spec.due_on)
        for index, spec in enumerate(specs)
    )


def _unique_code(plan: Plan, number: str, exclude_pk: int | None = None) -> str:
    taken = set(Item.objects.filter(plan=plan).exclude(pk=exclude_pk).values_list("code", flat=True))
    base, occurrence = number.rstrip("."), 1
    code = base
    while code in taken:
        occurrence += 1
        code = f"{base}({occurrence})"
    return code


def item_update(*, item: Item, by, **fields) -> Item:
    """Edit an item of a plan that is not the order's own text. New executors' text is read into links again; a new
    schedule (or month, or year) makes the periods again — refused once a period has reports."""
    _editable_plan(item.plan, by)
    data = _item_fields(**fields)
    with transaction.atomic():
        item = Item.objects.select_for_update().get(pk=item.pk)
        executors_changed = data["executors_text"] != item.executors_text
        schedule_changed = (data["schedule"], data["anchor"]) != (item.schedule, item.anchor)
        for name, value in data.items():
            setattr(item, name, value)
        item.save()
        if executors_changed:
            _executors_replace(item)
        if schedule_changed:
            _periods_regenerate(item)
    return item


def item_create(*, plan: Plan, section: Section, by, **fields) -> Item:
    _editable_plan(plan, by)
    if section.plan_id != plan.pk:
        raise ValidationError({"section": "Раздел: выберите раздел этого плана."})
    data = _item_fields(**fields)
    with transaction.atomic():
        position = (Item.objects.filter(plan=plan).aggregate(last=Max("position"))["last"] or 0) + 1
        item = Item.objects.create(plan=plan, section=section, position=position, code=_unique_code(plan, data["number"]), **data)
        _executors_replace(item)
        _periods_regenerate(item)
    return item


def item_delete(*, item: Item, by) -> None:
    _editable_plan(item.plan, by)
    if Report.objects.filter(period__item=item).exists():
        raise ValidationError("По пункту уже есть отчёты: удалить его нельзя.")
    with transaction.atomic():
        item.periods.all().delete()
        item.delete()


def _period_dates(plan: Plan, label: str, starts_on, due_on) -> dict:
    errors = {}
    label = _text(label)
    if not label or len(label) > 100:
        errors["label"] = "Название периода: от 1 до 100 знаков."
    earliest, latest = add_years(plan.starts_on, -1), add_years(plan.ends_on, 1)
    for name, value, what in (("starts_on", starts_on, "Начало периода"), ("due_on", due_on, "Срок")):
        if not isinstance(value, datetime.date):
            errors[name] = f"{what}: укажите дату."
        elif not earliest <= value <= latest:
            errors[name] = f"{what}: дата в пределах года плана и года до и после него ({date_text(earliest)} — {date_text(latest)})."
    if not errors and due_on < starts_on:
        errors["due_on"] = "Срок: не раньше начала периода."
    if errors:
        raise ValidationError(errors)
    return {"label": label, "starts_on": starts_on, "due_on": due_on}


def period_update(*, period: Period, label: str, starts_on, due_on, by) -> Period:
    """Move a due period (the two of 5.5 are December and May until the plan's editor moves them)."""
    _editable_plan(period.item.plan, by)
    data = _period_dates(period.item.plan, label, starts_on, due_on)
    Period.objects.filter(pk=period.pk).update(**data)
    period.refresh_from_db()
    return period


def period_add(*, item: Item, label: str, starts_on, due_on, by) -> Period:
    _editable_plan(item.plan, by)
    data = _period_dates(item.plan, label, starts_on, due_on)
    position = (item.periods.aggregate(last=Max("position"))["last"] or 0) + 1
    return Period.objects.create(item=item, position=position, **data)


def period_delete(*, period: Period, by) -> None:
    _editable_plan(period.item.plan, by)
    if period.reports.exists():
        raise ValidationError("По периоду уже есть отчёты: удалить его нельзя.")
    period.delete()


# --- figures ------------------------------------------------------------------------------------------------------


def school_year_of(day: datetime.date) -> SchoolYear | None:
    """The platform's school year a day belongs to (its summer included: up to the next 1 September)."""
    year = SchoolYear.objects.filter(starts_on__lte=day).order_by("-starts_on").first()
    if year is None or day >= add_years(year.starts_on, 1):
        return None
    return year


def figure_context(period: Period, organization: Organization, *, today: datetime.date | None = None) -> FigureContext:
    today = today or timezone.localdate()
    kind = organization.kind
    if kind in (Organization.Kind.MINISTRY, Organization.Kind.REGIONAL_OPERATOR):
        scope, scope_id = "republic", 0
    elif kind == Organization.Kind.MUNICIPAL_DEPARTMENT and organization.municipality_id:
        scope, scope_id = "municipality", organization.municipality_id
    elif kind == Organization.Kind.SCHOOL:
        scope, scope_id = "school", organization.pk
    else:
        scope, scope_id = "", 0
    ends_on = min(period.due_on, today)
    plan = period.item.plan
    school_year = plan.school_year if plan.school_year_id else school_year_of(ends_on)
    return FigureContext(
        item_code=period.item.code, organization=organization, scope=scope, scope_id=scope_id, starts_on=period.starts_on,
        ends_on=max(ends_on, period.starts_on), school_year=school_year,
    )  # fmt: skip


def _prefill(report: Report) -> None:
    figures: list[Figure] = figure_providers.figures(figure_context(report.period, report.organization))
    report.prefilled = [figure.as_json() for figure in figures]
    report.prefilled_at = timezone.now()


# --- reports ------------------------------------------------------------------------------------------------------


def _filer_check(report: Report, by) -> None:
    if not may_file(filer_organization_ids(viewer_for(by)), report.organization_id):
        raise PermissionDenied


def _editable(report: Report) -> None:
    if report.state == Report.State.SUBMITTED:
        raise ValidationError("Отчёт на проверке: менять его можно, когда его вернут на доработку.")
    if report.state == Report.State.ACCEPTED:
        raise ValidationError("Отчёт принят: менять его нельзя. Открыть его заново может министерство.")


def _locked(report: Report) -> Report:
    return Report.objects.select_for_update(of=("self",)).select_related("period__item__plan", "organization").get(pk=report.pk)


def report_start(*, period: Period, organization: Organization, by) -> Report:
    """The organisation's report on the period (a new draft, prefilled with the platform's figures, if it has none)."""
    viewer = viewer_for(by)
    if not may_file(filer_organization_ids(viewer), organization.pk):
        raise PermissionDenied
    answer = responsibility(period.item, Network()).answers(organization)
    if answer is None:
        raise ValidationError(f"{organization.short_name} не отвечает за пункт {period.item.number}: отчёт по нему не сдаётся.")
    existing = Report.objects.filter(period=period, organization=organization).first()
    if existing is not None:
        return existing
    report = Report(period=period, organization=organization, is_lead=answer == "lead", created_by=by)
    _prefill(report)
    try:
        with transaction.atomic():
            report.save()
            ReportEvent.objects.create(report=report, action=ReportEvent.Action.CREATED, by=by)
    except IntegrityError:  # another person of the organisation started it at the same moment
        return Report.objects.get(period=period, organization=organization)
    return report


def report_save(*, report: Report, execution: str, text: str, corrections: dict, own_figures: list, by) -> Report:
    """Save the executor's part: the state of execution, the text, the corrections of the prefilled figures
    (`{key: (value, reason)}`; an empty value confirms the figure) and their own figures (`[(label, value)]`)."""
    _filer_check(report, by)
    errors: dict[str, str] = {}
    if execution and execution not in Report.Execution.values:
        errors["execution"] = "Исполнение: выберите из списка."
    text = _text(text)
    if len(text) > MAX_TEXT:
        errors["text"] = f"Что сделано: не больше {MAX_TEXT} знаков (сейчас {len(text)})."
    with transaction.atomic():
        report = _locked(report)
        _editable(report)
        fixed: dict[str, dict] = {}
        for figure in report.prefilled:
            key = figure["key"]
            raw, reason = corrections.get(key, ("", ""))
            raw, reason = _text(raw), _text(reason)
            if not raw:
                continue
            try:
                value = figure_value_parse(raw, figure["kind"])
            except ValueError as error:
                errors[f"fix:{key}"] = f"«{figure['label']}»: {error}."
                continue
            if figure_value_json(value, figure["kind"]) == figure["value"] or (
                figure["kind"] != "text" and figure["value"] is not None and Decimal(str(value)) == Decimal(str(figure["value"]))
            ):
                continue  # the same as the platform's: confirmed
            if len(reason) < 3:
                errors[f"reason:{key}"] = f"«{figure['label']}»: укажите причину исправления."
                continue
            fixed[key] = {"value": figure_value_json(value, figure["kind"]), "reason": reason[:1000]}
        own = []
        for index, (label, raw) in enumerate(own_figures[:MAX_OWN_FIGURES]):
            label, raw = _text(label), _text(raw)
            if not label and not raw:
                continue
            if not label or len(label) > 200:
                errors[f"own:{index}"] = f"Свой показатель № {index + 1}: название от 1 до 200 знаков."
                continue
            try:
                value = figure_value_parse(raw, "decimal")
            except ValueError as error:
                errors[f"own:{index}"] = f"Свой показатель «{label}»: {error}."
                continue
            own.append({"label": label, "value": figure_value_json(value, "decimal")})
        if errors:
            raise ValidationError(errors)
        report.execution, report.text, report.corrections, report.own_figures = execution, text, fixed, own
        report.save(update_fields=["execution", "text", "corrections", "own_figures", "updated_at"])
    return report


def report_refresh(*, report: Report, by) -> Report:
    """Take the platform's figures again (a draft or a returned report only); corrections of figures that are gone
    are dropped."""
    _filer_check(report, by)
    with transaction.atomic():
        report = _locked(report)
        _editable(report)
        _prefill(report)
        keys = {figure["key"] for figure in report.prefilled}
        report.corrections = {key: value for key, value in report.corrections.items() if key in keys}
        report.save(update_fields=["prefilled", "prefilled_at", "corrections", "updated_at"])
        ReportEvent.objects.create(report=report, action=ReportEvent.Action.REFRESHED, by=by)
    return report


def report_figures(report: Report) -> list[dict]:
    """The report's figures as they stand: the platform's value, the correction and its reason, the final value."""
    rows = []
    for figure in report.prefilled:
        fix = report.corrections.get(figure["key"])
        rows.append({
            **figure, "platform": figure["value"], "corrected": fix["value"] if fix else None, "reason": fix["reason"] if fix else "",
            "final": fix["value"] if fix else figure["value"],
        })  # fmt: skip
    return rows


def _snapshot(report: Report) -> dict:
    return {
        "execution": report.execution,
        "text": report.text,
        "figures": report_figures(report),
        "own_figures": report.own_figures,
        "prefilled_at": report.prefilled_at.isoformat() if report.prefilled_at else None,
        "evidence": [{"title": e.title, "kind": e.content_kind or "link", "url": e.url} for e in report.evidence.all()],
    }


def report_url(report: Report) -> str:
    return reverse("roadmap:report", args=[report.pk])


def _what(report: Report) -> str:
    item = report.period.item
    return f"пункту {item.number} дорожной карты ({report.period.label})"


def report_submit(*, report: Report, by) -> Report:
    _filer_check(report, by)
    with transaction.atomic():
        report = _locked(report)
        _editable(report)
        errors = {}
        if not report.execution:
            errors["execution"] = "Исполнение: выберите, выполнено ли мероприятие."
        if not report.text:
            errors["text"] = "Что сделано: опишите, что сделано (не меньше одной фразы)."
        if errors:
            raise ValidationError(errors)
        report.state = Report.State.SUBMITTED
        report.submitted_at, report.submitted_by = timezone.now(), by
        report.save(update_fields=["state", "submitted_at", "submitted_by", "updated_at"])
        ReportEvent.objects.create(report=report, action=ReportEvent.Action.SUBMITTED, by=by, snapshot=_snapshot(report))
        if report.is_lead:
            reviewers = list(ministry_deciders())
            subject = f"Отчёт по {_what(report)} ждёт проверки"
        else:
            lead = responsibility(report.period.item, Network()).lead
            reviewers = filer_users([lead.pk]).get(lead.pk, []) if lead else []
            subject = f"Вклад в отчёт по {_what(report)} ждёт проверки"
        notify(
            users=[user for user in reviewers if user.pk != by.pk], subject=subject,
            text=f"{report.organization.short_name} сдал(а) отчёт: «{report.period.item.activity[:200]}».",
            url=report_url(report), kind="roadmap.report_submitted",
        )  # fmt: skip
    return report


def _decision_check(report: Report, by) -> None:
    viewer = viewer_for(by)
    lead = responsibility(report.period.item, Network()).lead if not report.is_lead else None
    if not may_decide(viewer, report, filer_ids=filer_organization_ids(viewer), lead_org_id=lead.pk if lead else None):
        raise PermissionDenied


def _tell_executor(report: Report, *, subject: str, text: str, kind: str, by) -> None:
    users = filer_users([report.organization_id]).get(report.organization_id, [])
    notify(users=[user for user in users if user.pk != by.pk], subject=subject, text=text, url=report_url(report), kind=kind)


def _comment(comment: str, what: str, *, required: bool) -> str:
    comment = _text(comment)
    if required and len(comment) < 3:
        raise ValidationError({"comment": f"{what}: напишите, что нужно исправить."})
    if len(comment) > MAX_COMMENT:
        raise ValidationError({"comment": f"{what}: не больше {MAX_COMMENT} знаков."})
    return comment


def report_return(*, report: Report, comment: str, by) -> Report:
    """Return a submitted report to its executor with a comment they see on the report."""
    comment = _comment(comment, "Замечание", required=True)
    with transaction.atomic():
        report = _locked(report)
        _decision_check(report, by)
        if report.state != Report.State.SUBMITTED:
            raise ValidationError("Вернуть можно только отчёт на проверке.")
        report.state, report.comment = Report.State.RETURNED, comment
        report.decided_at, report.decided_by = timezone.now(), by
        report.save(update_fields=["state", "comment", "decided_at", "decided_by", "updated_at"])
        ReportEvent.objects.create(report=report, action=ReportEvent.Action.RETURNED, comment=comment, by=by)
        _tell_executor(
            report,
            subject=f"Отчёт по {_what(report)} возвращён на доработку",
            text=f"Замечание: {comment}",
            kind="roadmap.report_returned",
            by=by,
        )
    return report


def report_accept(*, report: Report, by, comment: str = "") -> Report:
    comment = _comment(comment, "Комментарий", required=False)
    with transaction.atomic():
        report = _locked(report)
        _decision_check(report, by)
        if report.state != Report.State.SUBMITTED:
            raise ValidationError("Принять можно только отчёт на проверке.")
        report.state, report.comment = Report.State.ACCEPTED, ""
        report.decided_at, report.decided_by = timezone.now(), by
        report.save(update_fields=["state", "comment", "decided_at", "decided_by", "updated_at"])
        ReportEvent.objects.create(report=report, action=ReportEvent.Action.ACCEPTED, comment=comment, by=by)
        _tell_executor(
            report,
            subject=f"Отчёт по {_what(report)} принят",
            text=comment or "Отчёт принят без замечаний.",
            kind="roadmap.report_accepted",
            by=by,
        )
    return report


def report_reopen(*, report: Report, reason: str, by) -> Report:
    """Open an accepted report again, with the reason: it goes back to its executor as returned."""
    reason = _comment(reason, "Причина", required=True)
    with transaction.atomic():
        report = _locked(report)
        _decision_check(report, by)
        if report.state != Report.State.ACCEPTED:
            raise ValidationError("Открыть заново можно только принятый отчёт.")
        report.state, report.comment = Report.State.RETURNED, reason
        report.decided_at, report.decided_by = timezone.now(), by
        report.save(update_fields=["state", "comment", "decided_at", "decided_by", "updated_at"])
        ReportEvent.objects.create(report=report, action=ReportEvent.Action.REOPENED, comment=reason, by=by)
        _tell_executor(
            report,
            subject=f"Принятый отчёт по {_what(report)} открыт заново",
            text=f"Причина: {reason}",
            kind="roadmap.report_reopened",
            by=by,
        )
    return report


# --- evidence -------------------------------------------------------------------------------------------------------


def _evidence_room(report: Report) -> None:
    if report.evidence.count() >= MAX_EVIDENCE:
        raise ValidationError(f"К отчёту приложено уже {MAX_EVIDENCE} подтверждений: удалите лишние.")


def _title(title: str, fallback: str) -> str:
    title = " ".join(_text(title).split()) or " ".join(fallback.split())
    return title[:300] or "Подтверждение"


def evidence_file_add(*, report: Report, upload, title: str = "", by) -> Evidence:
    """Attach a file, checked by its content (roadmap.uploads); stored under a name of the platform's own."""
    _filer_check(report, by)
    kind = evidence_file_check(upload)
    with transaction.atomic():
        report = _locked(report)
        _editable(report)
        _evidence_room(report)
        original = (getattr(upload, "name", "") or "").rsplit("/", 1)[-1].rsplit("\\", 1)[-1]
        evidence = Evidence(report=report, title=_title(title, original), content_kind=kind.extension, size=upload.size, added_by=by)
        upload.seek(0)
        evidence.file.save(f"{secrets.token_hex(12)}.{kind.extension}", ContentFile(upload.read()), save=False)
        evidence.save()
    return evidence


def evidence_link_add(*, report: Report, url: str, title: str = "", by) -> Evidence:
    _filer_check(report, by)
    url = _text(url)
    if not url:
        raise ValidationError({"url": "Ссылка: вставьте адрес страницы (https://…)."})
    if len(url) > 1000:
        raise ValidationError({"url": "Ссылка: не длиннее 1000 знаков."})
    try:
        URLValidator(schemes=["http", "https"])(url)
    except ValidationError:
        raise ValidationError({"url": "Ссылка: нужен адрес страницы, начинающийся с https:// или http://."}) from None
    with transaction.atomic():
        report = _locked(report)
        _editable(report)
        _evidence_room(report)
        return Evidence.objects.create(report=report, title=_title(title, url), url=url, added_by=by)


def evidence_remove(*, evidence: Evidence, by) -> None:
    _filer_check(evidence.report, by)
    with transaction.atomic():
        _editable(_locked(evidence.report))
        stored = evidence.file.name if evidence.file else ""
        storage = evidence.file.storage if evidence.file else None
        evidence.delete()
        if stored:
            transaction.on_commit(lambda: storage.delete(stored))


# --- reminders --------------------------------------------------------------------------------------------------


def reminders_send(*, today: datetime.date | None = None) -> int:
    """Tell each responsible organisation that has not submitted its report that the report is due within
    REMIND_DAYS days — once per period and organisation. Returns how many organisations were told."""
    today = today or timezone.localdate()
    periods = list(
        Period.objects.filter(due_on__gte=today, due_on__lte=today + datetime.timedelta(days=REMIND_DAYS))
        .select_related("item__plan")
        .prefetch_related("item__executors__organization")
    )
    if not periods:
        return 0
    network = Network()
    told = 0
    for period in periods:
        duty = responsibility(period.item, network, list(period.item.executors.all()))
        done = set(
            Report.objects.filter(period=period, state__in=[Report.State.SUBMITTED, Report.State.ACCEPTED]).values_list(
                "organization_id", flat=True
            )
        )
        reminded = set(Reminder.objects.filter(period=period, kind="due_soon").values_list("organization_id", flat=True))
        org_ids = {o.pk for o in ([duty.lead] if duty.lead else []) + duty.contributors}
        if duty.kinds:
            org_ids |= set(Organization.objects.filter(kind__in=duty.kinds, is_active=True).values_list("pk", flat=True))
        org_ids -= done | reminded
        if not org_ids:
            continue
        with transaction.atomic():
            Reminder.objects.bulk_create(
                [Reminder(period=period, organization_id=org_id, kind="due_soon") for org_id in sorted(org_ids)], ignore_conflicts=True
            )
            users = [user for users in filer_users(org_ids).values() for user in users]
            notify(
                users=users, subject=f"Срок отчёта по пункту {period.item.number} дорожной карты — {date_text(period.due_on)}",
                text=f"«{period.item.activity[:200]}», {period.label}. Заполните и сдайте отчёт.",
                url=reverse("roadmap:period", args=[period.pk]), kind="roadmap.due_soon",
            )  # fmt: skip
        told += len(org_ids)
    return told
