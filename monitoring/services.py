"""Writes of the monitoring: enrolments in programmes, the schools' forms and their acceptance, the periods.

Every write that changes a figure some rollup holds leaves a note for the periodic job (monitoring.rollups) in the
same transaction; none recomputes a total itself. Errors are ValidationError with a Russian message naming the
field (a dict keyed by the form's field names where there is a form).
"""

import datetime

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from core.formatting import date_short, date_text
from monitoring.figures import TEXT_LIMIT, bound_errors, figures_for, loaded, stored, texts_for
from monitoring.models import Period, ProgrammeEnrolment, Report, ReportEvent
from monitoring.prefill import figures_day, prefill
from monitoring.rollups import coverage_due, coverage_months_between, totals_due
from notifications.services import notify
from orgs.models import Organization
from people.models import Enrollment, Role, StaffMembership, Student

EARLIEST = datetime.date(2000, 1, 1)
LONGEST_ENROLMENT = datetime.timedelta(days=366 * 6)
REASON_LIMIT = 500
COMMENT_LIMIT = 2000


# --- enrolments in programmes ------------------------------------------------------------------------------------


def _schools_between(student_id: int, start: datetime.date, end: datetime.date | None) -> set[int]:
    """The schools the student was placed in at some time in [start, end]."""
    rows = Enrollment.objects.filter(student_id=student_id)
    if end is not None:
        rows = rows.filter(started_on__lte=end)
    rows = rows.exclude(ended_on__lt=start)
    return set(rows.values_list("school_class__school_id", flat=True))


def _note_enrolment(student_id: int, ranges: list[tuple[datetime.date, datetime.date | None]]) -> None:
    for start, end in ranges:
        coverage_due(months=coverage_months_between(start, end), school_ids=_schools_between(student_id, start, end))


def _dates_errors(starts_on, ends_on, today: datetime.date) -> dict[str, str]:
    if not isinstance(starts_on, datetime.date):
        return {"starts_on": "«Занимается с»: укажите дату в формате ДД.ММ.ГГГГ."}
    if starts_on < EARLIEST or starts_on > today + datetime.timedelta(days=366):
        return {
            "starts_on": f"«Занимается с»: дата должна быть между {date_short(EARLIEST)} и {date_short(today + datetime.timedelta(days=366))}."
        }
    if ends_on is not None:
        if ends_on < starts_on:
            return {"ends_on": f"«По»: дата окончания не может быть раньше начала ({date_short(starts_on)})."}
        if ends_on - starts_on > LONGEST_ENROLMENT:
            return {"ends_on": "«По»: запись в программу не бывает дольше шести лет; проверьте год."}
    return {}


@transaction.atomic
def enrolment_upsert(
    *, student: Student, programme, starts_on: datetime.date, ends_on: datetime.date | None = None, by=None,
    source: str = ProgrammeEnrolment.Source.IMPORTED,
) -> tuple[ProgrammeEnrolment, bool]:  # fmt: skip
    """Record that `student` attends `programme` (a monitoring.Programme) from `starts_on` to `ends_on` (None:
    still attends). The one way enrolments are written — the school's page and an import alike. An enrolment of the
    same student in the same programme whose dates overlap these is updated to them rather than doubled, so
    importing the same list twice changes nothing. Returns (enrolment, created). Refused, with the field named:
    dates out of order or implausible, a programme that is no longer offered (for an enrolment still running)."""
    if isinstance(starts_on, datetime.datetime):
        starts_on = starts_on.date()
    if isinstance(ends_on, datetime.datetime):
        ends_on = ends_on.date()
    today = timezone.localdate()
    if errors := _dates_errors(starts_on, ends_on, today):
        raise ValidationError(errors)
    if not getattr(programme, "is_active", True) and (ends_on is None or ends_on >= today):
        raise ValidationError({"programme": f"«Программа»: «{programme}» больше не предлагается; укажите дату окончания занятий."})
    overlapping = (
        ProgrammeEnrolment.objects.select_for_update()
        .filter(student=student, programme=programme)
        .exclude(ends_on__lt=starts_on)
        .order_by("starts_on", "pk")
    )
    if ends_on is not None:
        overlapping = overlapping.filter(starts_on__lte=ends_on)
    enrolment = overlapping.first()
    if enrolment is None:
        enrolment = ProgrammeEnrolment.objects.create(
            student=student, programme=programme, starts_on=starts_on, ends_on=ends_on, source=source, created_by=by, updated_by=by
        )
        _note_enrolment(student.pk, [(starts_on, ends_on)])
        return enrolment, True
    if (enrolment.starts_on, enrolment.ends_on) != (starts_on, ends_on):
        before = (enrolment.starts_on, enrolment.ends_on)
        enrolment.starts_on, enrolment.ends_on, enrolment.updated_by = starts_on, ends_on, by
        enrolment.save(update_fields=["starts_on", "ends_on", "updated_by", "updated_at"])
        _note_enrolment(student.pk, [before, (starts_on, ends_on)])
    return enrolment, False


@transaction.atomic
def enrolment_end(*, enrolment: ProgrammeEnrolment, ends_on: datetime.date, by=None) -> ProgrammeEnrolment:
    """The student no longer attends the programme after `ends_on`."""
    enrolment = ProgrammeEnrolment.objects.select_for_update().get(pk=enrolment.pk)
    if errors := _dates_errors(enrolment.starts_on, ends_on, timezone.localdate()):
        raise ValidationError(errors)
    before = (enrolment.starts_on, enrolment.ends_on)
    enrolment.ends_on, enrolment.updated_by = ends_on, by
    enrolment.save(update_fields=["ends_on", "updated_by", "updated_at"])
    _note_enrolment(enrolment.student_id, [before])
    return enrolment


@transaction.atomic
def enrolment_delete(*, enrolment: ProgrammeEnrolment, by=None) -> None:
    """Remove an enrolment entered by mistake (one that really ended is ended, not deleted)."""
    enrolment = ProgrammeEnrolment.objects.select_for_update().get(pk=enrolment.pk)
    _note_enrolment(enrolment.student_id, [(enrolment.starts_on, enrolment.ends_on)])
    enrolment.delete()


# --- the schools' forms -----------------------------------------------------------------------------------------


def school_coordinators(school_ids) -> list:
    """The accounts of the coordinators of these schools (who are told about their forms)."""
    person_ids = StaffMembership.objects.filter(organization_id__in=list(school_ids), role=Role.SCHOOL_COORDINATOR, is_active=True).values(
        "person_id"
    )
    return list(get_user_model().objects.filter(person__in=person_ids, is_active=True))


def report_url(report_or_school, period: Period | None = None) -> str:
    if period is None:
        school_id, period_id = report_or_school.school_id, report_or_school.period_id
    else:
        school_id, period_id = report_or_school.pk, period.pk
    return reverse("monitoring:report", args=[school_id, period_id])


def _event(report: Report, action: str, by, comment: str = "") -> None:
    ReportEvent.objects.create(report=report, action=action, by=by, comment=comment, values=dict(report.values))


def _figure_values(*, period: Period, raw: dict, shown: dict, fresh: dict, reasons: dict, submit: bool) -> tuple[dict, dict, dict]:
    """The school's figures from what it typed: a value left as it was shown confirms the platform's (today's) figure;
    another one is a correction and needs a reason. Returns (values, reasons, errors by field name)."""
    values, kept_reasons, errors = {}, {}, {}
    for figure in figures_for(period.kind):
        typed = (raw.get(figure.key) or "").strip()
        platform = loaded(figure, fresh.get(figure.key))
        if platform is not None and typed == (shown.get(figure.key) or "").strip():
            values[figure.key] = platform
        elif typed == "" and not submit:
            values[figure.key] = None
        else:
            try:
                values[figure.key] = figure.parse(typed)
            except ValueError as error:
                errors[f"value_{figure.key}"] = str(error)
                continue
        reason = " ".join((reasons.get(figure.key) or "").split())
        if platform is not None and values[figure.key] is not None and values[figure.key] != platform:
            if not reason:
                errors[f"reason_{figure.key}"] = (
                    f"«{figure.label}»: вы исправили значение платформы ({stored(platform)}) — укажите причину исправления."
                )
            elif len(reason) > REASON_LIMIT:
                errors[f"reason_{figure.key}"] = f"«{figure.label}»: причина — не длиннее {REASON_LIMIT} символов."
            else:
                kept_reasons[figure.key] = reason
    for key, message in bound_errors(period.kind, values).items():
        errors.setdefault(f"value_{key}", message)
    return {key: stored(value) for key, value in values.items()}, kept_reasons, errors


@transaction.atomic
def report_save(
    *, school: Organization, period: Period, values: dict, shown: dict | None = None, reasons: dict | None = None,
    texts: dict | None = None, submit: bool = False, by=None, today: datetime.date | None = None,
) -> Report:  # fmt: skip
    """Save the school's form for the period (submit: and hand it in to the ministry). `values` are the figures as
    typed ({key: text}); `shown` the platform's figures the page showed, so that a figure left as shown confirms
    the platform's figure of the moment; `reasons` why a figure was corrected; `texts` the self-analysis. The
    platform's figures are stored beside the school's (frozen once the form is accepted). A form already handed in
    or accepted is not the school's to change; a period not yet over has no form."""
    today = today or timezone.localdate()
    if school.kind != Organization.Kind.SCHOOL:
        raise ValidationError("Формы мониторинга заполняют только школы.")
    if not period.is_open(today):
        raise ValidationError(f"Форма за {period.title.lower()} откроется {date_text(period.as_of)}: тогда станут известны данные.")
    report, _ = Report.objects.select_for_update().get_or_create(
        period=period, school=school, defaults={"municipality_id": school.municipality_id}
    )
    if report.status == Report.Status.ACCEPTED:
        raise ValidationError(
            "Форма принята министерством: изменить её школа не может. Если нужна правка, попросите министерство открыть её повторно."
        )
    if report.status == Report.Status.SUBMITTED:
        raise ValidationError("Форма сдана и ждёт приёмки: изменить её можно, если министерство вернёт её на доработку.")
    fresh = prefill(school=school, period=period, today=today)
    figure_values, kept_reasons, errors = _figure_values(
        period=period, raw=values or {}, shown=shown or {}, fresh=fresh, reasons=reasons or {}, submit=submit
    )
    kept_texts = {}
    for key, heading, _ in texts_for(period.kind):
        text = ((texts or {}).get(key) or "").strip()
        if len(text) > TEXT_LIMIT:
            errors[f"text_{key}"] = f"«{heading}»: не длиннее {TEXT_LIMIT} символов (сейчас {len(text)})."
        elif submit and not text:
            errors[f"text_{key}"] = f"«{heading}»: напишите хотя бы несколько слов — это самоанализ школы."
        kept_texts[key] = text
    if errors:
        raise ValidationError(errors)
    report.prefilled, report.prefilled_on = fresh, figures_day(period, today)
    report.values, report.reasons, report.texts = figure_values, kept_reasons, kept_texts
    report.municipality_id = school.municipality_id
    report.updated_by = by
    if submit:
        report.status, report.submitted_by, report.submitted_at = Report.Status.SUBMITTED, by, timezone.now()
    elif report.status != Report.Status.RETURNED:
        report.status = Report.Status.DRAFT
    report.save()
    _event(report, ReportEvent.Action.SUBMITTED if submit else ReportEvent.Action.SAVED, by)
    totals_due(period_ids=[period.pk])
    return report


def _locked(report: Report) -> Report:
    return Report.objects.select_for_update().select_related("period", "school").get(pk=report.pk)


@transaction.atomic
def report_accept(*, report: Report, by=None) -> Report:
    """The ministry accepts a form handed in: from now on its figures are fixed (the school cannot change them)."""
    report = _locked(report)
    if report.status != Report.Status.SUBMITTED:
        raise ValidationError("Принять можно только сданную форму, которая ждёт приёмки.")
    report.status, report.decided_by, report.decided_at, report.comment = Report.Status.ACCEPTED, by, timezone.now(), ""
    report.save(update_fields=["status", "decided_by", "decided_at", "comment", "updated_at"])
    _event(report, ReportEvent.Action.ACCEPTED, by)
    totals_due(period_ids=[report.period_id])
    notify(
        users=school_coordinators([report.school_id]), subject=f"Форма «{report.period.get_kind_display()}» за {report.period.title.lower()} принята",
        text=f"Министерство приняло форму школы «{report.school.short_name}» за {report.period.title.lower()}.", url=report_url(report),
        kind="monitoring.accepted",
    )  # fmt: skip
    return report


def _comment(text: str, field: str, what: str) -> str:
    text = (text or "").strip()
    if not text:
        raise ValidationError({field: f"«{what}»: напишите, что нужно исправить, — школа увидит это."})
    if len(text) > COMMENT_LIMIT:
        raise ValidationError({field: f"«{what}»: не длиннее {COMMENT_LIMIT} символов."})
    return text


@transaction.atomic
def report_return(*, report: Report, comment: str, by=None) -> Report:
    """The ministry returns a form handed in to the school with a comment; the school corrects it and hands it in again."""
    comment = _comment(comment, "comment", "Комментарий для школы")
    report = _locked(report)
    if report.status != Report.Status.SUBMITTED:
        raise ValidationError("Вернуть на доработку можно только сданную форму, которая ждёт приёмки.")
    return _send_back(report, comment, ReportEvent.Action.RETURNED, by)


@transaction.atomic
def report_reopen(*, report: Report, reason: str, by=None) -> Report:
    """The ministry reopens an accepted form with a reason: the school may correct it and hand it in again."""
    reason = _comment(reason, "reason", "Причина повторного открытия")
    report = _locked(report)
    if report.status != Report.Status.ACCEPTED:
        raise ValidationError("Открыть повторно можно только принятую форму.")
    return _send_back(report, reason, ReportEvent.Action.REOPENED, by)


def _send_back(report: Report, comment: str, action: str, by) -> Report:
    report.status, report.comment, report.decided_by, report.decided_at = Report.Status.RETURNED, comment, by, timezone.now()
    report.save(update_fields=["status", "comment", "decided_by", "decided_at", "updated_at"])
    _event(report, action, by, comment)
    totals_due(period_ids=[report.period_id])
    what = "возвращена на доработку" if action == ReportEvent.Action.RETURNED else "открыта повторно"
    notify(
        users=school_coordinators([report.school_id]),
        subject=f"Форма «{report.period.get_kind_display()}» за {report.period.title.lower()} {what}",
        text=f"Министерство: {comment}", url=report_url(report), kind=f"monitoring.{action}",
    )  # fmt: skip
    return report


# --- the periods ----------------------------------------------------------------------------------------------


@transaction.atomic
def period_update(*, period: Period, as_of: datetime.date | None, due_on: datetime.date | None, by=None) -> Period:
    """The ministry moves a period's day (the профминимум's only: coverage is always as of the month's last day) or its
    deadline. The day of a period whose forms were handed in stays: their figures are for it."""
    period = Period.objects.select_for_update().select_related("school_year").get(pk=period.pk)
    as_of = as_of or period.as_of
    if not isinstance(due_on, datetime.date):
        raise ValidationError({"due_on": "«Срок сдачи»: укажите дату в формате ДД.ММ.ГГГГ."})
    if as_of != period.as_of:
        if period.kind == Period.Kind.COVERAGE:
            raise ValidationError({"as_of": "«Данные на дату»: охват считается на последний день месяца, эту дату не меняют."})
        year = period.school_year
        if not year.starts_on <= as_of <= year.ends_on:
            raise ValidationError(
                {
                    "as_of": f"«Данные на дату»: дата должна быть в пределах {year} учебного года ({date_short(year.starts_on)} — {date_short(year.ends_on)})."
                }
            )
        if Report.objects.filter(period=period).exclude(status=Report.Status.DRAFT).exists():
            raise ValidationError(
                {"as_of": "«Данные на дату»: школы уже сдавали формы за этот период — их данные на прежнюю дату; дату не меняют."}
            )
    if due_on < as_of:
        raise ValidationError({"due_on": f"«Срок сдачи»: не раньше даты, на которую собираются данные ({date_short(as_of)})."})
    if due_on > as_of + datetime.timedelta(days=120):
        raise ValidationError({"due_on": "«Срок сдачи»: не позже чем через 120 дней после даты данных."})
    period.as_of, period.due_on = as_of, due_on
    period.save(update_fields=["as_of", "due_on"])
    return period
