"""Deadline reminders of the monitoring's forms, through notifications.services.notify (in the platform and by
e-mail): three days before a form is due, its school's coordinators whose form is not handed in; the day after,
those still missing, and each municipality's coordinators with how many of its schools have not handed it in.
Each reminder goes once (monitoring.models.Reminder); the job (monitoring.tasks) runs it every hour."""

import datetime
from collections import defaultdict

from django.contrib.auth import get_user_model
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from core.formatting import count_text, date_text, plural_form
from monitoring.models import Period, Reminder, Report
from monitoring.views.common import KIND_TITLES
from notifications.services import notify
from orgs.models import Organization
from people.models import Role, StaffMembership

DUE_SOON_DAYS = 3


def _users(organization_ids, role: str) -> dict[int, list]:
    """{organization id: the active accounts holding the role there}."""
    result: dict[int, list] = defaultdict(list)
    users = get_user_model().objects.filter(is_active=True)
    memberships = StaffMembership.objects.filter(organization_id__in=list(organization_ids), role=role, is_active=True).values_list(
        "organization_id", "person__user_id"
    )
    ids = {user_id for _, user_id in memberships if user_id}
    by_id = {user.pk: user for user in users.filter(pk__in=ids)}
    for organization_id, user_id in memberships:
        if user_id in by_id:
            result[organization_id].append(by_id[user_id])
    return result


def _claim(period: Period, kind: str, scope: str, scope_ids) -> set[int]:
    """The scopes not yet reminded of this, now marked as reminded (a second run, or a second worker, sends nothing)."""
    scope_ids = set(scope_ids)
    done = set(Reminder.objects.filter(period=period, kind=kind, scope=scope, scope_id__in=scope_ids).values_list("scope_id", flat=True))
    fresh = scope_ids - done
    Reminder.objects.bulk_create([Reminder(period=period, kind=kind, scope=scope, scope_id=pk) for pk in fresh], ignore_conflicts=True)
    return fresh


def _missing_schools(period: Period) -> dict[int, int | None]:
    """{school id: municipality id} of the active schools whose form for the period is not handed in."""
    sent = Report.objects.filter(period=period, status__in=Report.SENT).values("school_id")
    return dict(
        Organization.objects.filter(kind=Organization.Kind.SCHOOL, is_active=True).exclude(pk__in=sent).values_list("pk", "municipality_id")
    )


@transaction.atomic
def reminders_send(*, today: datetime.date | None = None) -> dict[str, int]:
    """Send the reminders due today; returns how many schools and municipalities were reminded."""
    today = today or timezone.localdate()
    counts = {"due_soon": 0, "overdue": 0, "municipalities": 0}
    soon = Period.objects.filter(due_on__gte=today, due_on__lte=today + datetime.timedelta(days=DUE_SOON_DAYS), as_of__lte=today)
    overdue = Period.objects.filter(due_on__lt=today, due_on__gte=today - datetime.timedelta(days=7))
    for period in soon.select_related("school_year"):
        missing = _missing_schools(period)
        fresh = _claim(period, Reminder.Kind.DUE_SOON, "school", missing)
        coordinators = _users(fresh, Role.SCHOOL_COORDINATOR)
        for school_id in fresh:
            if coordinators.get(school_id):
                notify(
                    users=coordinators[school_id], subject=f"Сдайте форму за {period.month_name} до {date_text(period.due_on)}",
                    text=f"{KIND_TITLES[period.kind]} за {period.title.lower()}: форма школы ещё не сдана. Срок — {date_text(period.due_on)}.",
                    url=reverse("monitoring:report", args=[school_id, period.pk]), kind="monitoring.due_soon",
                )  # fmt: skip
                counts["due_soon"] += 1
    for period in overdue.select_related("school_year"):
        missing = _missing_schools(period)
        fresh = _claim(period, Reminder.Kind.OVERDUE, "school", missing)
        coordinators = _users(fresh, Role.SCHOOL_COORDINATOR)
        for school_id in fresh:
            if coordinators.get(school_id):
                notify(
                    users=coordinators[school_id], subject=f"Форма за {period.month_name} не сдана",
                    text=f"{KIND_TITLES[period.kind]} за {period.title.lower()}: срок сдачи истёк {date_text(period.due_on)}. Заполните и сдайте форму.",
                    url=reverse("monitoring:report", args=[school_id, period.pk]), kind="monitoring.overdue",
                )  # fmt: skip
                counts["overdue"] += 1
        by_municipality: dict[int, int] = defaultdict(int)
        for municipality_id in missing.values():
            if municipality_id:
                by_municipality[municipality_id] += 1
        fresh_municipalities = _claim(period, Reminder.Kind.OVERDUE, "municipality", by_municipality)
        departments = dict(
            Organization.objects.filter(kind=Organization.Kind.MUNICIPAL_DEPARTMENT, municipality_id__in=fresh_municipalities).values_list(
                "pk", "municipality_id"
            )
        )
        coordinators = _users(departments, Role.MUNICIPAL_COORDINATOR)
        name = "coverage_municipality" if period.kind == Period.Kind.COVERAGE else "profminimum_municipality"
        for department_id, municipality_id in departments.items():
            count = by_municipality[municipality_id]
            verb = plural_form(count, "не сдала", "не сдали", "не сдали")
            if coordinators.get(department_id):
                notify(
                    users=coordinators[department_id], subject=f"{count_text(count, 'школа', 'школы', 'школ')} {verb} форму за {period.month_name}",
                    text=f"{KIND_TITLES[period.kind]} за {period.title.lower()}: срок сдачи истёк {date_text(period.due_on)}.",
                    url=f"{reverse(f'monitoring:{name}', args=[municipality_id])}?period={period.pk}&schools-status=missing",
                    kind="monitoring.overdue_municipality",
                )  # fmt: skip
                counts["municipalities"] += 1
    return counts
