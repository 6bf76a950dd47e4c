"""The monitoring's rollups: coverage of every month for every school, municipality and the republic, and the sums
of the schools' forms of every period. The republic's and a municipality's pages read these rows — a dozen per
page, whatever the size of the region — and never count students or forms themselves.

Writers do not compute: an enrolment saved, a student transferred, a form handed in each leave a note of what is
now out of date (RollupDue: a month of one school's coverage, or a period's totals), in the writer's transaction.
The periodic job (monitoring.tasks, every minute) takes the notes and recomputes exactly that: one school's month is
one indexed query over that school's students, then its municipality and the republic are re-added from the
rows below them. Once a night it recomputes every month of the year from scratch (changes made outside the
platform's services — an import of classes, an edit in the admin — are caught there), and
`manage.py monitoring_rollups` does the same at once.
"""

import datetime
from collections import Counter, defaultdict

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone

from monitoring.coverage import Counts, coverage_by_school
from monitoring.figures import LEVEL_CODES, figures_for, loaded
from monitoring.models import CoverageFigure, Period, Report, ReportTotals, RollupDue, Scope, month_end
from monitoring.periods import month_from_key, month_key, periods_ensure
from orgs.models import Organization
from orgs.selectors import school_year_current
from people.models import Enrollment

ALL_SCHOOLS = 0


# --- notes of what is out of date --------------------------------------------------------------------------------


def coverage_due(*, months, school_ids=(ALL_SCHOOLS,)) -> None:
    """Note that these months' coverage of these schools (0: every school) must be recomputed."""
    rows = [
        RollupDue(kind=RollupDue.Kind.COVERAGE, key=month_key(month), school_id=school_id)
        for month in {m.replace(day=1) for m in months}
        for school_id in set(school_ids)
        if school_id is not None
    ]
    if rows:
        RollupDue.objects.bulk_create(rows, ignore_conflicts=True)


def totals_due(*, period_ids) -> None:
    rows = [RollupDue(kind=RollupDue.Kind.TOTALS, key=pk, school_id=ALL_SCHOOLS) for pk in set(period_ids)]
    if rows:
        RollupDue.objects.bulk_create(rows, ignore_conflicts=True)


def coverage_months_between(start: datetime.date, end: datetime.date | None) -> list[datetime.date]:
    """The reported months whose last day falls within [start, end] (end None: from start on)."""
    periods = Period.objects.filter(kind=Period.Kind.COVERAGE, as_of__gte=start)
    if end is not None:
        periods = periods.filter(as_of__lte=end)
    return [day.replace(day=1) for day in periods.values_list("as_of", flat=True)]


def on_placement_changed(*, student, school_class, on: datetime.date, **_signal) -> None:
    """people.signals.placement_changed: the months from the transfer on count the student in the new school, and no
    longer in the one they left."""
    previous = (
        Enrollment.objects.filter(student=student, ended_on=on - datetime.timedelta(days=1))
        .values_list("school_class__school_id", flat=True)
        .first()
    )
    coverage_due(months=coverage_months_between(on, None), school_ids={school_class.school_id, previous})


def on_school_municipality_changed(*, school, municipality, **_signal) -> None:
    """orgs.signals.school_municipality_changed: the school's forms and coverage count in the new municipality."""
    periods = set(Report.objects.filter(school=school).values_list("period_id", flat=True))
    Report.objects.filter(school=school).update(municipality=municipality)
    months = CoverageFigure.objects.filter(scope=Scope.SCHOOL, scope_id=school.pk).values_list("month", flat=True)
    coverage_due(months=list(months), school_ids=[school.pk])
    # Every period of the year counts the municipalities' schools again, besides those with the school's forms.
    year = school_year_current()
    if year is not None:
        periods |= set(Period.objects.filter(school_year=year).values_list("pk", flat=True))
    totals_due(period_ids=periods)


# --- coverage ------------------------------------------------------------------------------------------------------


def _upsert_coverage(rows: list[CoverageFigure]) -> None:
    if rows:
        CoverageFigure.objects.bulk_create(
            rows, update_conflicts=True, unique_fields=["month", "scope", "scope_id"],
            update_fields=["municipality_id_at", "students", "covered", "enrolments", "computed_at"],
        )  # fmt: skip


def coverage_recompute(*, month: datetime.date, school_ids=None) -> None:
    """Recompute a month's coverage of these schools (every school when None), then their municipalities' and the
    republic's rows from the rows below them."""
    month = month.replace(day=1)
    day = month_end(month)
    now = timezone.now()
    counts = coverage_by_school(day=day, school_ids=school_ids)
    schools = Organization.objects.filter(kind=Organization.Kind.SCHOOL)
    if school_ids is not None:
        schools = schools.filter(pk__in=list(school_ids))
    municipality_of = dict(schools.values_list("pk", "municipality_id"))
    old = CoverageFigure.objects.filter(month=month, scope=Scope.SCHOOL)
    if school_ids is not None:
        old = old.filter(scope_id__in=list(school_ids))
    touched = set(old.values_list("municipality_id_at", flat=True))
    with transaction.atomic():
        # A school without students that day keeps no row (its figures are zero).
        old.exclude(scope_id__in=[pk for pk, c in counts.items() if c.students]).delete()
        rows = []
        for school_id, figures in counts.items():
            if not figures.students:
                continue
            municipality_id = municipality_of.get(school_id) or 0
            touched.add(municipality_id)
            rows.append(
                CoverageFigure(
                    month=month, scope=Scope.SCHOOL, scope_id=school_id, municipality_id_at=municipality_id, students=figures.students,
                    covered=figures.covered, enrolments=figures.enrolments, computed_at=now,
                )
            )  # fmt: skip
        _upsert_coverage(rows)
        _readd(month, touched if school_ids is not None else None, now)


def _readd(month: datetime.date, municipality_ids, now) -> None:
    """Municipalities' rows as the sums of their schools' rows; the republic's as the sum of the municipalities' and
    of the schools that have none. `municipality_ids` None: every municipality."""
    school_rows = CoverageFigure.objects.filter(month=month, scope=Scope.SCHOOL)
    if municipality_ids is not None:
        school_rows = school_rows.filter(municipality_id_at__in=list(municipality_ids))
    sums = {
        row["municipality_id_at"]: Counts(row["s"] or 0, row["c"] or 0, row["e"] or 0)
        for row in school_rows.values("municipality_id_at").annotate(s=Sum("students"), c=Sum("covered"), e=Sum("enrolments"))
    }
    municipal = CoverageFigure.objects.filter(month=month, scope=Scope.MUNICIPALITY)
    if municipality_ids is not None:
        municipal = municipal.filter(scope_id__in=list(municipality_ids))
    municipal.exclude(scope_id__in=[pk for pk in sums if pk]).delete()
    _upsert_coverage(
        [
            CoverageFigure(month=month, scope=Scope.MUNICIPALITY, scope_id=pk, students=c.students, covered=c.covered, enrolments=c.enrolments,
                           computed_at=now)
            for pk, c in sums.items()
            if pk
        ]
    )  # fmt: skip
    total = CoverageFigure.objects.filter(month=month, scope=Scope.MUNICIPALITY).aggregate(
        s=Sum("students"), c=Sum("covered"), e=Sum("enrolments")
    )
    loose = CoverageFigure.objects.filter(month=month, scope=Scope.SCHOOL, municipality_id_at=0).aggregate(
        s=Sum("students"), c=Sum("covered"), e=Sum("enrolments")
    )
    republic = Counts(total["s"] or 0, total["c"] or 0, total["e"] or 0) + Counts(loose["s"] or 0, loose["c"] or 0, loose["e"] or 0)
    _upsert_coverage(
        [
            CoverageFigure(
                month=month, scope=Scope.REPUBLIC, scope_id=0, students=republic.students, covered=republic.covered,
                enrolments=republic.enrolments, computed_at=now,
            )
        ]
    )  # fmt: skip


# --- the forms' totals -------------------------------------------------------------------------------------------------


def _levels_on(*, school_year, day: datetime.date) -> dict[int, str]:
    """Each school's профминимум level (its code) in force on the day, from the history of levels."""
    from profminimum.models import SchoolLevelChange

    levels: dict[int, str] = {}
    for school_id, code in (
        SchoolLevelChange.objects.filter(school_year=school_year, effective_on__lte=day)
        .order_by("school_id", "effective_on", "pk")
        .values_list("school_id", "level__code")
    ):
        levels[school_id] = code or ""
    return levels


def totals_recompute(*, period: Period) -> None:
    """A period's totals for every municipality and the republic: schools, forms by status, and the sums of the
    figures of the forms handed in (and, for the профминимум, the schools by their level on the period's day)."""
    now = timezone.now()
    figures = figures_for(period.kind)
    schools = dict(Organization.objects.filter(kind=Organization.Kind.SCHOOL, is_active=True).values_list("pk", "municipality_id"))
    by_scope: dict[tuple[str, int], dict] = defaultdict(lambda: {"schools": 0, "status": Counter(), "values": defaultdict(lambda: 0)})

    def scopes(municipality_id):
        yield (Scope.REPUBLIC, 0)
        if municipality_id:
            yield (Scope.MUNICIPALITY, municipality_id)

    for municipality_id in schools.values():
        for key in scopes(municipality_id):
            by_scope[key]["schools"] += 1
    for municipality_id, status, values in Report.objects.filter(period=period).values_list("municipality_id", "status", "values"):
        for key in scopes(municipality_id):
            entry = by_scope[key]
            entry["status"][status] += 1
            if status in Report.SENT:
                for figure in figures:
                    value = loaded(figure, values.get(figure.key))
                    if value is not None:
                        entry["values"][figure.key] += value
    if period.kind == Period.Kind.PROFMINIMUM:
        levels = _levels_on(school_year=period.school_year, day=period.as_of)
        for school_id, municipality_id in schools.items():
            code = levels.get(school_id, "")
            for key in scopes(municipality_id):
                by_scope[key]["values"][f"level_{code}" if code in LEVEL_CODES else "level_none"] += 1
    rows = [
        ReportTotals(
            period=period, scope=scope, scope_id=scope_id, schools=entry["schools"],
            drafts=entry["status"][Report.Status.DRAFT] + entry["status"][Report.Status.RETURNED],
            submitted=entry["status"][Report.Status.SUBMITTED], accepted=entry["status"][Report.Status.ACCEPTED],
            values={key: str(value) if not isinstance(value, int) else value for key, value in entry["values"].items()},
            computed_at=now,
        )
        for (scope, scope_id), entry in by_scope.items()
    ]  # fmt: skip
    with transaction.atomic():
        keep = [(row.scope, row.scope_id) for row in rows]
        for row in ReportTotals.objects.filter(period=period).values_list("pk", "scope", "scope_id"):
            if (row[1], row[2]) not in keep:
                ReportTotals.objects.filter(pk=row[0]).delete()
        if rows:
            ReportTotals.objects.bulk_create(
                rows, update_conflicts=True, unique_fields=["period", "scope", "scope_id"],
                update_fields=["schools", "drafts", "submitted", "accepted", "values", "computed_at"],
            )  # fmt: skip


# --- the periodic job -------------------------------------------------------------------------------------------------


def _take_due(limit: int = 500) -> list[RollupDue]:
    """The notes to work on, removed as they are taken: a writer that notes the same thing again meanwhile leaves a
    new note for the next run."""
    with transaction.atomic():
        taken = list(RollupDue.objects.order_by("pk")[:limit])
        RollupDue.objects.filter(pk__in=[row.pk for row in taken]).delete()
    return taken


def rollups_maintain(*, today: datetime.date | None = None) -> dict:
    """What the periodic job does: make sure the current year's periods exist and every month of it up to this one
    has its coverage, then recompute what writers noted as out of date."""
    today = today or timezone.localdate()
    done = {"months": 0, "schools": 0, "periods": 0}
    year = school_year_current()
    if year is not None:
        periods_ensure(school_year=year)
        reported = Period.objects.filter(school_year=year, kind=Period.Kind.COVERAGE, as_of__lte=month_end(today)).values_list(
            "as_of", flat=True
        )
        have = set(
            CoverageFigure.objects.filter(scope=Scope.REPUBLIC, month__in=[d.replace(day=1) for d in reported]).values_list(
                "month", flat=True
            )
        )
        coverage_due(months=[d.replace(day=1) for d in reported if d.replace(day=1) not in have])
    while taken := _take_due():
        by_month: dict[int, set[int]] = defaultdict(set)
        for row in taken:
            if row.kind == RollupDue.Kind.COVERAGE:
                by_month[row.key].add(row.school_id)
            else:
                period = Period.objects.filter(pk=row.key).select_related("school_year").first()
                if period is not None:
                    totals_recompute(period=period)
                    done["periods"] += 1
        for key, school_ids in sorted(by_month.items()):
            if ALL_SCHOOLS in school_ids:
                coverage_recompute(month=month_from_key(key))
                done["months"] += 1
            else:
                coverage_recompute(month=month_from_key(key), school_ids=school_ids)
                done["schools"] += len(school_ids)
    return done


def rollups_refresh(*, school_year=None) -> dict:
    """Recompute every month of the year (the current one by default) up to this one and every period's totals:
    the nightly run and the repair command."""
    school_year = school_year or school_year_current()
    if school_year is None:
        return {}
    periods_ensure(school_year=school_year)
    today = timezone.localdate()
    months = [
        d.replace(day=1)
        for d in Period.objects.filter(school_year=school_year, kind=Period.Kind.COVERAGE, as_of__lte=month_end(today)).values_list(
            "as_of", flat=True
        )
    ]
    for month in months:
        coverage_recompute(month=month)
    periods = list(Period.objects.filter(school_year=school_year).select_related("school_year"))
    for period in periods:
        totals_recompute(period=period)
    return {"months": len(months), "periods": len(periods)}
