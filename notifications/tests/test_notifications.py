"""The one notification service (issue 7, Decisions: «build one notification service (in the platform and by
e-mail) that every capability calls»): stored per person, shown only to them, e-mailed by the task worker."""

import datetime
from unittest import mock

import pytest
from django.utils import timezone
from django.utils.module_loading import autodiscover_modules
from django_tasks_db.models import DBTaskResult

from core.periodic import periodic_jobs
from notifications.models import Notification
from notifications.services import notification_emails_retry, notify
from notifications.tests.helpers import run_queued_tasks


def tell(cast, *names, email=True, url="/profminimum/", subject="Новое мероприятие в школе"):
    return notify(
        users=[cast.user(name) for name in names],
        subject=subject,
        text="В четверг, 3 декабря, — занятие курса «Россия — мои горизонты».",
        url=url,
        kind="tests.event",
        email=email,
    )


def test_a_notification_appears_for_its_person_and_for_nobody_else(client, cast):
    """Issue 7, point 8: one notification service that every capability calls — shown in the platform."""
    (notification,) = tell(cast, "navigator_a1")
    client.force_login(cast.user("navigator_a1"))
    page = client.get("/notifications/").content.decode()
    assert "Новое мероприятие в школе" in page and "3 декабря" in page
    assert "1 уведомление, из них 1 непрочитанное." in page

    client.force_login(cast.user("navigator_a2"))
    other = client.get("/notifications/").content.decode()
    assert "Новое мероприятие в школе" not in other and "Уведомлений пока нет" in other
    # Another's notification can be neither opened nor marked: it does not exist for them.
    assert client.get(f"/notifications/{notification.pk}/").status_code == 404
    assert client.post(f"/notifications/{notification.pk}/read/").status_code == 404
    notification.refresh_from_db()
    assert notification.read_at is None


def test_the_menu_counts_unread_notifications_and_opening_one_marks_it_read(client, cast):
    tell(cast, "navigator_a1")
    (second,) = tell(cast, "navigator_a1", subject="Изменилось расписание")
    client.force_login(cast.user("navigator_a1"))
    home = client.get("/").content.decode()
    assert ">Уведомления (2)</a>" in home
    assert "2 непрочитанных уведомления" in home  # among what needs attention

    response = client.get(f"/notifications/{second.pk}/")
    assert response.status_code == 302 and response.url == "/profminimum/"
    second.refresh_from_db()
    assert second.read_at is not None
    assert ">Уведомления (1)</a>" in client.get("/notifications/").content.decode()

    response = client.post("/notifications/read-all/", follow=True)
    page = response.content.decode()
    assert "Отмечено прочитанными: 1 уведомление." in page
    assert ">Уведомления</a>" in page and "все прочитаны" in page
    assert not Notification.objects.filter(read_at__isnull=True).exists()


def test_a_notification_without_a_link_is_marked_read_with_a_button(client, cast):
    (notification,) = tell(cast, "parent_a1", url="")
    client.force_login(cast.user("parent_a1"))
    page = client.get("/notifications/").content.decode()
    assert f'action="/notifications/{notification.pk}/read/"' in page
    assert client.post(f"/notifications/{notification.pk}/read/", {"page": "1"}).url == "/notifications/?page=1"
    notification.refresh_from_db()
    assert notification.is_read


@pytest.mark.parametrize("page", ["abc", "-1", "0", "200000000000000000", "99"])
def test_any_page_number_shows_a_page(client, cast, page):
    tell(cast, "navigator_a1")
    client.force_login(cast.user("navigator_a1"))
    response = client.get("/notifications/", {"page": page})
    assert response.status_code == 200 and "Новое мероприятие в школе" in response.content.decode()


def test_letters_are_sent_by_the_task_worker_one_per_person_with_a_russian_subject(cast, mailoutbox, settings):
    """Issue 7, point 8: e-mail through a background task, never inside the request; one letter per person."""
    settings.SITE_URL = "https://profnav.example.ru"
    parent = cast.user("parent_a1")
    parent.email = ""
    parent.save(update_fields=["email"])
    rows = tell(cast, "navigator_a1", "coordinator_a1", "parent_a1", "navigator_a1")  # a repeat is one person
    assert len(rows) == 3
    assert mailoutbox == []  # nothing is sent by notify itself
    assert DBTaskResult.objects.filter(task_path="notifications.tasks.notification_email_send_task").count() == 1

    results = run_queued_tasks()
    assert results == [{"sent": 2, "failed": 0, "skipped": 0}]
    assert sorted(message.to[0] for message in mailoutbox) == ["coordinator_a1@test.local", "navigator_a1@test.local"]
    assert {message.subject for message in mailoutbox} == {"Профнавигатор: Новое мероприятие в школе"}
    assert "Подробнее: https://profnav.example.ru/profminimum/" in mailoutbox[0].body
    # The person without an e-mail has the notification in the platform only.
    statuses = dict(Notification.objects.values_list("user__username", "email_status"))
    assert statuses == {"navigator_a1": "sent", "coordinator_a1": "sent", "parent_a1": "none"}


def test_in_platform_only_when_asked(cast, mailoutbox):
    tell(cast, "navigator_a1", email=False)
    assert not DBTaskResult.objects.exists()
    assert Notification.objects.get().email_status == Notification.Email.NONE


def test_a_failing_mail_server_breaks_neither_the_caller_nor_the_other_letters(cast, mailoutbox):
    """Issue 7, point 8: failures of the mail server don't break the caller; the failed letter is tried again."""
    real_send = mock.Mock(side_effect=OSError("Connection refused"))
    rows = tell(cast, "navigator_a1", "coordinator_a1")  # the caller never meets the mail server
    assert len(rows) == 2

    from django.core.mail import EmailMessage

    original = EmailMessage.send

    def send(message, *args, **kwargs):
        if message.to == ["navigator_a1@test.local"]:
            return real_send()
        return original(message, *args, **kwargs)

    with mock.patch.object(EmailMessage, "send", send):
        assert run_queued_tasks() == [{"sent": 1, "failed": 1, "skipped": 0}]
    assert [message.to for message in mailoutbox] == [["coordinator_a1@test.local"]]
    failed = Notification.objects.get(user__username="navigator_a1")
    assert failed.email_status == Notification.Email.FAILED and failed.email_attempts == 1

    # The periodic retry sends it once the server is back; the letter already sent is not sent again.
    assert "notifications.email_retry" in [job.key for job in periodic_jobs()]
    assert notification_emails_retry() == {"sent": 1, "failed": 0, "skipped": 0}
    assert sorted(message.to[0] for message in mailoutbox) == ["coordinator_a1@test.local", "navigator_a1@test.local"]
    assert notification_emails_retry() == {"sent": 0, "failed": 0, "skipped": 0}


def test_a_failed_letter_is_given_up_after_five_tries(cast, mailoutbox):
    tell(cast, "navigator_a1")
    with mock.patch("django.core.mail.EmailMessage.send", side_effect=OSError("Connection refused")):
        run_queued_tasks()
        for _ in range(10):
            notification_emails_retry()
    notification = Notification.objects.get()
    assert notification.email_attempts == 5 and notification.email_status == Notification.Email.FAILED
    assert mailoutbox == []


def test_a_deactivated_account_gets_nothing(cast, mailoutbox):
    navigator = cast.user("navigator_a1")
    navigator.is_active = False
    navigator.save(update_fields=["is_active"])
    assert tell(cast, "navigator_a1") == []
    assert not Notification.objects.exists()


@pytest.mark.parametrize("url", ["https://evil.example/", "//evil.example/", "javascript:alert(1)", "/a b", "/\\evil"])
def test_a_link_must_stay_inside_the_platform(cast, url):
    with pytest.raises(ValueError, match="страницу платформы"):
        tell(cast, "navigator_a1", url=url)


def test_subjects_are_one_line(cast):
    (notification,) = tell(cast, "navigator_a1", subject="  Заявка\r\nотклонена  ")
    assert notification.subject == "Заявка отклонена"


def test_notifications_older_than_a_year_are_purged(cast):
    rows = tell(cast, "navigator_a1", "coordinator_a1", email=False)
    Notification.objects.filter(pk=rows[0].pk).update(created_at=timezone.now() - datetime.timedelta(days=366))
    from privacy.retention import retention_run

    autodiscover_modules("tasks")  # as run_periodic does
    assert "privacy.retention" in [job.key for job in periodic_jobs()]
    retention_run()
    assert list(Notification.objects.values_list("pk", flat=True)) == [rows[1].pk]


def test_the_notifications_page_needs_sign_in(client, db):
    response = client.get("/notifications/")
    assert response.status_code == 302 and response.url.startswith("/accounts/login/")
