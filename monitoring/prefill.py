"""The platform's figures a school's form is prefilled with, for one school and one period.

Coverage (item 4.8) comes from monitoring.coverage. The профминимум's self-analysis (item 5.5) comes from the
профминимум's rollups as of the period's day (profminimum.selectors.scope_compliance, the dated histogram, the
lessons of ScopeDayLessons), from the attendance marks of the school's own students, and from the staff roles; the
figures other domains hold (diagnostics, professional trials, excursions) come from monitoring.providers, which
answers None where no domain holds them yet — the school then enters them itself.

Every figure here is about one school: its cost is that school's students and activities, never the region's.
"""

import datetime

from django.db.models import Count, Q
from django.utils import timezone

from monitoring import providers
from monitoring.coverage import school_coverage
from monitoring.figures import stored
from monitoring.models import Period
from orgs.models import Organization
from people.models import Enrollment, Role, StaffMembership


def figures_day(period: Period, today: datetime.date | None = None) -> datetime.date:
    """The day the figures are for: the period's day, or today while it has not come yet."""
    today = today or timezone.localdate()
    return min(period.as_of, today)


def prefill(*, school: Organization, period: Period, today: datetime.date | None = None) -> dict:
    """{figure key: value as stored, or None where the platform has no data}; a 5.5 form also carries "level"."""
    day = figures_day(period, today)
    if period.kind == Period.Kind.COVERAGE:
        counts = school_coverage(school_id=school.pk, day=day)
        return {"students": counts.students, "covered": counts.covered, "enrolments": counts.enrolments}
    return _profminimum(school=school, period=period, day=day)


def _end_of(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day + datetime.timedelta(days=1), datetime.time.min))


def _profminimum(*, school: Organization, period: Period, day: datetime.date) -> dict:
    from profminimum import selectors as pm
    from profminimum.models import Attendance, Direction, SchoolLevelChange, Scope

    year = period.school_year
    figures = pm.scope_compliance(school_year=year, scope=Scope.SCHOOL, scope_ids=[school.pk], on=day)[school.pk]
    buckets = pm.histogram_as_of(school_year=year, scope=Scope.SCHOOL, scope_ids=[school.pk], on=day)[school.pk]
    covered = sum(students for (_, hours, _), students in buckets.items() if hours > 0 and students > 0)
    level = (
        SchoolLevelChange.objects.filter(school=school, school_year=year, effective_on__lte=day)
        .order_by("-effective_on", "-pk")
        .values_list("level__code", flat=True)
        .first()
    )
    # The school's students this year, and their marks made while they were in this school: the marks of a
    # student who moved stay with the school they were marked in (the hours' own rule).
    students = Enrollment.objects.filter(school_class__school=school, school_class__school_year=year).values("student_id")
    marks = Attendance.objects.filter(
        student_id__in=students, school=school, activity__school_year=year, activity__deleted_at__isnull=True,
        activity__starts_at__lt=_end_of(day),
    )  # fmt: skip
    course = marks.filter(activity__course_lesson__isnull=False).aggregate(marks=Count("pk"), present=Count("pk", filter=Q(present=True)))
    parents = marks.filter(activity__direction__code=Direction.Code.PARENTS, present=True).aggregate(
        meetings=Count("activity_id", distinct=True), participants=Count("student_id", distinct=True)
    )
    training = marks.filter(activity__direction__code=Direction.Code.PROFESSIONAL_TRAINING, present=True).aggregate(
        students=Count("student_id", distinct=True)
    )
    navigators = StaffMembership.objects.filter(organization=school, role=Role.TEACHER_NAVIGATOR, is_active=True).count()
    since = year.starts_on
    return {
        "level": level or "",
        "students": figures.students,
        "covered": covered,
        "hours": stored(figures.total_hours),
        "met": figures.by_state[pm.State.MET],
        "lessons": figures.lessons_held,
        "course_marks": course["marks"],
        "course_present": course["present"],
        "diagnostics": providers.diagnostics_completed(school=school, since=since, until=day),
        "trial_students": providers.trial_students(school=school, since=since, until=day),
        "trials": providers.trials_held(school=school, since=since, until=day),
        "parent_meetings": parents["meetings"],
        "parent_participants": parents["participants"],
        "excursions": providers.excursions_held(school=school, since=since, until=day),
        "training_students": training["students"],
        "navigators": navigators,
    }
