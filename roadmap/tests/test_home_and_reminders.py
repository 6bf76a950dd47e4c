"""Homes say what needs attention (a returned report with the ministry's comment, reports waiting for the ministry),
and reminders of a coming deadline go once, through the one notification service."""

import datetime

from django.utils import timezone

from notifications.models import Notification
from roadmap.models import Report
from roadmap.services import reminders_send, report_return, report_save, report_start, report_submit


def _submitted(road):
    cast = road.cast
    report = report_start(period=road.period("3.5"), organization=cast.orgs["copp"], by=cast.user("operator"))
    report_save(report=report, execution="done", text="Сделано.", corrections={}, own_figures=[], by=cast.user("operator"))
    return report_submit(report=report, by=cast.user("operator"))


def test_the_ministrys_home_counts_reports_waiting_and_the_executors_home_shows_the_comment(client, road):
    cast = road.cast
    report = _submitted(road)
    client.force_login(cast.user("ministry_admin"))
    assert "1 отчёт ждёт решения министерства по дорожной карте" in client.get("/").content.decode()
    page = client.get("/").content.decode()
    assert "Дорожная карта" in page and "Ждут решения</dt><dd>1</dd>" in page
    report_return(report=report, comment="Приложите программу", by=cast.user("ministry_admin"))
    client.force_login(cast.user("operator"))
    page = client.get("/").content.decode()
    assert "Отчёт по пункту 3.5 дорожной карты возвращён на доработку" in page
    assert "Замечание: Приложите программу" in page
    assert Report.objects.get(pk=report.pk).state == Report.State.RETURNED


def test_a_coming_deadline_is_reminded_once_to_the_executor_who_has_not_submitted(road):
    cast = road.cast
    today = timezone.localdate()
    period = road.period("3.5")
    period.starts_on, period.due_on = today - datetime.timedelta(days=30), today + datetime.timedelta(days=3)
    period.save()
    assert reminders_send(today=today) >= 1
    sent = Notification.objects.filter(user=cast.user("operator"), kind="roadmap.due_soon", subject__contains="пункту 3.5 ")
    assert sent.count() == 1
    reminders_send(today=today)
    assert sent.count() == 1  # once per period and organisation
    assert not Notification.objects.filter(user=cast.user("coordinator_a1"), kind="roadmap.due_soon", subject__contains="3.5").exists()
