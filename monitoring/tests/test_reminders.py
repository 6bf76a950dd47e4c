"""Deadline reminders of the forms go through the one notification service, once each: the schools that have not
handed in a form due soon; after the deadline, those still missing and their municipality, with how many."""

import datetime

from django.utils import timezone

from monitoring.models import Period
from monitoring.reminders import reminders_send
from monitoring.services import report_save
from notifications.models import Notification


def test_a_form_due_soon_is_reminded_once_to_the_schools_that_have_not_handed_it_in(mon):
    cast = mon.cast
    today = timezone.localdate()
    period = mon.open_period()
    Period.objects.filter(pk=period.pk).update(due_on=today + datetime.timedelta(days=2))
    period.refresh_from_db()
    report_save(school=cast.orgs["a2"], period=period, values={"students": "6", "covered": "0", "enrolments": "0"},
                shown={"students": "6", "covered": "0", "enrolments": "0"}, submit=True, by=cast.user("coordinator_a2"))  # fmt: skip
    assert reminders_send(today=today)["due_soon"] == 2  # A1 and B1; A2 handed it in
    reminded = Notification.objects.filter(kind="monitoring.due_soon")
    assert set(reminded.values_list("user__username", flat=True)) == {"coordinator_a1", "coordinator_b1"}
    assert reminders_send(today=today)["due_soon"] == 0
    assert reminded.count() == 2


def test_after_the_deadline_the_municipality_is_told_how_many_schools_are_missing(mon):
    cast = mon.cast
    today = timezone.localdate()
    mon.open_period(overdue=True)
    counts = reminders_send(today=today)
    assert counts["overdue"] == 3 and counts["municipalities"] == 2
    told = Notification.objects.get(user=cast.user("municipal_a"), kind="monitoring.overdue_municipality")
    assert told.subject.startswith("2 школы не сдали форму за")
