"""The roadmap's own figure providers for the domains below it (see roadmap.figures): what the platform already
holds about an item, for the scope the reporting organisation answers for, over the report's period.

- 4.1 — the course «Россия — мои горизонты»: lessons held (the профминимум's ScopeDayLessons rollup), attendance at
  them, students and their average hours (`scope_compliance` as of the period's end);
- 1.2 and 1.3 — the schools' levels of the профминимум with their orders (`SchoolLevel`).

- 4.8 and 5.5 — the monitoring's forms; 4.2 and 4.9 — professional trials (events' TrialRecord); 4.3 — diagnostics
  finished (diagnostics' attempts); 4.12 — students with a justified backup choice and recommendations (guidance's
  trajectories): the roadmap sits above all of them and reads them here."""

import datetime
from decimal import Decimal

from django.db.models import Count, Q, Sum
from django.urls import reverse
from django.utils import timezone

from orgs.models import Organization
from roadmap.figures import Figure, FigureContext, figure_providers

ROLLUP_SCOPE = {"republic": "republic", "municipality": "municipality", "school": "school"}


def _day_start(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time.min, tzinfo=timezone.get_current_timezone())


def _dashboard_url(ctx: FigureContext) -> str:
    if ctx.scope == "republic":
        return reverse("profminimum:dashboard")
    if ctx.scope == "municipality":
        return reverse("profminimum:dashboard_municipality", args=[ctx.scope_id])
    return reverse("profminimum:dashboard_school", args=[ctx.scope_id])


def _share(part: int, whole: int) -> Decimal:
    return (Decimal(part) * 100 / whole).quantize(Decimal("0.1")) if whole else Decimal("0")


@figure_providers.register("4.1", key="profminimum.course")
def course_figures(ctx: FigureContext) -> list[Figure]:
    """Lessons of the course held in the period and attendance at them; students and hours as of its end."""
    if ctx.scope not in ROLLUP_SCOPE or ctx.school_year is None:
        return []
    from profminimum.models import Attendance, ScopeDayLessons
    from profminimum.selectors.compliance import scope_compliance

    url = _dashboard_url(ctx)
    lessons = (
        ScopeDayLessons.objects.filter(
            school_year=ctx.school_year, scope=ROLLUP_SCOPE[ctx.scope], scope_id=ctx.scope_id, day__gte=ctx.starts_on, day__lte=ctx.ends_on
        ).aggregate(total=Sum("lessons"))["total"]
        or 0
    )
    marks = Attendance.objects.filter(
        activity__school_year=ctx.school_year, activity__course_lesson__isnull=False, activity__deleted_at__isnull=True,
        activity__starts_at__gte=_day_start(ctx.starts_on), activity__starts_at__lt=_day_start(ctx.ends_on + datetime.timedelta(days=1)),
    )  # fmt: skip
    if ctx.scope == "school":
        marks = marks.filter(school_id=ctx.scope_id)
    elif ctx.scope == "municipality":
        marks = marks.filter(school__municipality_id=ctx.scope_id)
    counted = marks.aggregate(total=Count("pk"), present=Count("pk", filter=Q(present=True)))
    compliance = scope_compliance(school_year=ctx.school_year, scope=ROLLUP_SCOPE[ctx.scope], scope_ids=[ctx.scope_id], on=ctx.ends_on)[
        ctx.scope_id
    ]
    return [
        Figure("lessons_held", "Проведено занятий курса «Россия — мои горизонты» (занятие в классе — одно)", lessons, url=url),
        Figure("attendance_marks", "Отметок посещаемости на занятиях курса", counted["total"], url=url),
        Figure("attendance_present", "Из них присутствовали", counted["present"], url=url),
        Figure("attendance_share", "Посещаемость занятий курса, %", _share(counted["present"], counted["total"]), "percent", url=url),
        Figure("students", "Обучающихся 6–11 классов в профминимуме", compliance.students, url=url),
        Figure("average_hours", "Часов профминимума в среднем на обучающегося", compliance.average_hours, "hours", url=url),
    ]


@figure_providers.register("1.2", key="profminimum.levels")
@figure_providers.register("1.3", key="profminimum.levels")
def level_figures(ctx: FigureContext) -> list[Figure]:
    """The schools' levels for the year and their orders; a school's own level and order."""
    if ctx.scope not in ROLLUP_SCOPE or ctx.school_year is None:
        return []
    from profminimum.models import SchoolLevel

    levels = SchoolLevel.objects.filter(school_year=ctx.school_year).select_related("level")
    if ctx.scope == "school":
        level = levels.filter(school_id=ctx.scope_id).first()
        url = reverse("profminimum:school_level", args=[ctx.scope_id])
        if level is None:
            return [Figure("level", "Уровень профминимума", "не выбран", "text", url=url)]
        return [
            Figure("level", "Уровень профминимума", level.level.get_code_display(), "text", url=url),
            Figure("status", "Решение по уровню", level.get_status_display(), "text", url=url),
            Figure(
                "order", "Приказ школы о выборе уровня", level.order_text() or "нет (уровень установлен министерством)", "text", url=url
            ),
        ]
    schools = Organization.objects.filter(kind=Organization.Kind.SCHOOL, is_active=True)
    url = reverse("profminimum:level_list")
    if ctx.scope == "municipality":
        schools = schools.filter(municipality_id=ctx.scope_id)
        levels = levels.filter(school__municipality_id=ctx.scope_id)
        url += f"?municipality={ctx.scope_id}"
    counted = levels.aggregate(
        chosen=Count("pk"),
        approved=Count("pk", filter=Q(status__in=[SchoolLevel.Status.APPROVED, SchoolLevel.Status.SET_BY_MINISTRY])),
        waiting=Count("pk", filter=Q(status=SchoolLevel.Status.CHOSEN)),
        orders=Count("pk", filter=~Q(order_file="")),
    )
    figures = [
        Figure("schools", "Общеобразовательных организаций", schools.count(), url=url),
        Figure("levels_chosen", "Выбрали уровень профминимума", counted["chosen"], url=url),
        Figure("levels_approved", "Уровень утверждён или установлен министерством", counted["approved"], url=url),
        Figure("levels_waiting", "Ждут утверждения уровня", counted["waiting"], url=url),
        Figure("orders", "Приложили приказ о выборе уровня", counted["orders"], url=url),
    ]
    by_code = dict(levels.order_by().values("level__code").annotate(total=Count("pk")).values_list("level__code", "total"))
    from profminimum.models import Level

    for code, label in Level.Code.choices:
        figures.append(Figure(f"level_{code}", f"Уровень «{label}»", by_code.get(code, 0), url=url))
    return figures


# --- 4.8 and 5.5: the monitoring's forms ---------------------------------------------------------------------------

figure_providers.contributions_elsewhere(
    "4.8", "Школы сдают ежемесячную форму «Охват дополнительным образованием» в разделе «Мониторинг»: отчёт сводит её итоги."
)


@figure_providers.register("4.8", key="monitoring.coverage")
def coverage_figures(ctx: FigureContext) -> list[Figure]:
    """Coverage of the scope as of the last day of the period's month (the platform's count and the forms handed in)."""
    if ctx.scope not in ROLLUP_SCOPE:
        return []
    from monitoring import selectors as monitoring

    summary = monitoring.coverage(scope=ctx.scope, scope_id=ctx.scope_id, month=ctx.ends_on)
    if summary is None:
        return []
    url = summary.url
    figures = [
        Figure("students", "Обучающихся 6–11 классов", summary.students, url=url),
        Figure("covered", "Из них занимаются в программах дополнительного образования (каждый один раз)", summary.covered, url=url),
        Figure("coverage", "Охват дополнительным образованием, %", summary.percent or Decimal("0"), "percent", url=url),
        Figure("enrolments", "Записей в программы", summary.enrolments, url=url),
    ]
    if ctx.scope != "school":
        figures += [
            Figure("forms_sent", "Школ сдали форму за месяц", summary.sent, url=url, note=f"из {summary.schools}"),
            Figure("forms_accepted", "Из них форм принято", summary.accepted, url=url),
        ]
    return figures


@figure_providers.register("5.5", key="monitoring.profminimum")
def self_analysis_figures(ctx: FigureContext) -> list[Figure]:
    """The schools' twice-yearly self-analysis forms of the period: how many handed in and accepted, and their sums."""
    if ctx.scope not in ROLLUP_SCOPE or ctx.school_year is None:
        return []
    from monitoring import selectors as monitoring
    from monitoring.models import Period as FormPeriod

    period = (
        FormPeriod.objects.filter(school_year=ctx.school_year, kind=FormPeriod.Kind.PROFMINIMUM, as_of__gte=ctx.starts_on, as_of__lte=ctx.ends_on)
        .order_by("-as_of")
        .first()
    )  # fmt: skip
    if period is None:
        return []
    summary = monitoring.profminimum_figures(scope=ctx.scope, scope_id=ctx.scope_id, period=period)
    url = summary.url
    figures = [
        Figure("forms_sent", "Школ сдали самоанализ за полугодие", summary.sent, url=url, note=f"из {summary.schools}"),
        Figure("forms_accepted", "Из них принято", summary.accepted, url=url),
    ]
    for key, label in (("students", "Обучающихся 6–11 классов (по формам)"), ("met", "Выполнили минимум уровня (по формам)")):
        if key in summary.values:
            figures.append(Figure(key, label, summary.values[key], url=url))
    return figures


# --- trials (4.2, 4.9) and diagnostics (4.3): the events and diagnostics domains, below the roadmap ----------------


def _scope_filter(ctx: FigureContext, school_field: str, municipality_field: str) -> Q | None:
    if ctx.scope == "republic":
        return Q()
    if ctx.scope == "municipality":
        return Q(**{municipality_field: ctx.scope_id})
    if ctx.scope == "school":
        return Q(**{school_field: ctx.scope_id})
    return None


def _trial_records(ctx: FigureContext):
    from events.models import TrialRecord

    scope = _scope_filter(ctx, "school_id", "municipality_id")
    if scope is None:
        return None
    return TrialRecord.objects.filter(scope, held_on__gte=ctx.starts_on, held_on__lte=ctx.ends_on)


@figure_providers.register("4.2", key="events.trials")
def trial_student_figures(ctx: FigureContext) -> list[Figure]:
    """Students covered by professional trials over the period, where they studied on the day (marked at the host
    here or imported from «Билет в будущее», counted alike), and the sites the trials were held at."""
    records = _trial_records(ctx)
    if records is None:
        return []
    figures = records.aggregate(students=Count("student_id", distinct=True), sites=Count("site_key", distinct=True))
    url = reverse("events:indicators")
    return [
        Figure("trial_students", "Обучающихся, прошедших профессиональные пробы", figures["students"], url=url),
        Figure("trial_sites", "Площадок профессиональных проб", figures["sites"], url=url),
    ]


@figure_providers.register("4.9", key="events.trials")
def trials_figures(ctx: FigureContext) -> list[Figure]:
    """Professional trials held over the period: one trial on one day at one site, however many students came."""
    records = _trial_records(ctx)
    if records is None:
        return []
    trials = records.values("title", "held_on", "site_key").distinct().count()
    return [Figure("trials", "Профессиональных проб проведено", trials, url=reverse("events:indicators"))]


@figure_providers.register("4.3", key="diagnostics.completed")
def diagnostics_figures(ctx: FigureContext) -> list[Figure]:
    """Diagnostics finished over the period by the scope's students (first takings; retakes and low-confidence
    results are not counted), and how many students took at least one."""
    from diagnostics.models import Attempt

    scope = _scope_filter(ctx, "student__current_school_id", "student__current_school__municipality_id")
    if scope is None:
        return []
    finished = Attempt.objects.filter(
        scope, status=Attempt.Status.FINISHED, is_retake=False, low_confidence=False,
        finished_at__gte=_day_start(ctx.starts_on), finished_at__lt=_day_start(ctx.ends_on + datetime.timedelta(days=1)),
    )  # fmt: skip
    figures = finished.aggregate(attempts=Count("pk"), students=Count("student_id", distinct=True))
    return [
        Figure("diagnostics", "Диагностик пройдено обучающимися", figures["attempts"]),
        Figure("diagnostics_students", "Обучающихся, прошедших хотя бы одну диагностику", figures["students"]),
    ]


@figure_providers.register("4.12", key="guidance.backup_choice")
def backup_choice_figures(ctx: FigureContext) -> list[Figure]:
    """Students with a justified backup choice and recommendations (the item's indicator), with what it is counted
    from. Trajectories keep no history: the figures are as the platform holds them on the day of the report."""
    from guidance.selectors import backup_choice_figures as counted

    if ctx.scope not in ROLLUP_SCOPE:
        return []
    scope = (
        {"school_id": ctx.scope_id} if ctx.scope == "school" else {"municipality_id": ctx.scope_id} if ctx.scope == "municipality" else {}
    )
    figures = counted(**scope)
    today = "на день составления отчёта"
    return [
        Figure("students", "Обучающихся 6–11 классов", figures["students"], note=today),
        Figure("trajectories", "Составили индивидуальную траекторию", figures["trajectories"], note=today),
        Figure("backup", "Из них указали обоснованный запасной вариант", figures["backup"], note=today),
        Figure(
            "backup_and_recommendations", "Имеют обоснованный запасной вариант и получили рекомендации", figures["indicator"], note=today
        ),
        Figure("backup_share", "Доля таких обучающихся, %", _share(figures["indicator"], figures["students"]), "percent", note=today),
        Figure("confirmed", "Из них траекторию подтвердил педагог-навигатор", figures["confirmed"], note=today),
    ]
