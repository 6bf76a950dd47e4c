"""Sign-in that cannot be turned against users (issue 7, point 3): bad input, the delay per login, the limit per
address, one answer for real and made-up logins, password-reset letters and their limits, the purge."""

import datetime
import html
import re
from unittest import mock

import pytest
from django.contrib.auth.hashers import MD5PasswordHasher
from django.db import connection
from django.db.models import F
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django.utils.module_loading import autodiscover_modules

from accounts import throttle
from accounts.forms import LoginForm, PasswordResetRequestForm
from accounts.models import LoginFailure, PasswordResetRequest, User
from conftest import PASSWORD
from core.periodic import periodic_jobs
from notifications.models import Notification
from notifications.tests.helpers import run_queued_tasks

LOGIN_URL = "/accounts/login/"
RESET_URL = "/accounts/password/reset/"


def login(client, username, password=PASSWORD, address="198.51.100.10", **extra):
    return client.post(LOGIN_URL, {"username": username, "password": password}, REMOTE_ADDR=address, **extra)


def form_errors(response) -> list[str]:
    """The messages the form shows (above the fields and under them), without the echoed input."""
    page = response.content.decode()
    blocks = re.findall(r'<div class="form-errors" role="alert">(.*?)</div>', page, re.S)
    blocks += re.findall(r'<ul class="errorlist"[^>]*>(.*?)</ul>', page, re.S)
    return [html.unescape(" ".join(text.split())) for block in blocks for text in re.findall(r"<(?:p|li)>(.*?)</(?:p|li)>", block, re.S)]


def age_failures(seconds: float) -> None:
    LoginFailure.objects.update(at=F("at") - datetime.timedelta(seconds=seconds))


# --- bad input ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"username": "", "password": PASSWORD}, "Введите логин или e-mail."),
        ({"username": "coordinator_a1", "password": ""}, "Введите пароль."),
        ({}, "Введите логин или e-mail."),
        ({"username": "я" * 255, "password": PASSWORD}, "Логин или e-mail слишком длинный: не больше 254 символов (сейчас 255)."),
        ({"username": "a" * 10_000, "password": PASSWORD}, "Логин или e-mail слишком длинный: не больше 254 символов (сейчас 10000)."),
        ({"username": "coordinator_a1", "password": "x" * 5000}, "Пароль слишком длинный: не больше 4096 символов."),
    ],
    ids=[
        "empty-login",
        "empty-password",
        "nothing",
        "255-chars",
        "10000-chars",
        "long-password",
    ],
)
def test_bad_sign_in_input_is_a_russian_message_under_its_field(client, cast, data, message):
    """Issue 7, point 3: an empty password or username, a NUL byte or a username of 255+ characters gave HTTP 500."""
    response = client.post(LOGIN_URL, data)
    assert response.status_code == 200
    assert message in form_errors(response)
    assert LoginFailure.objects.count() == 0  # nothing was tried, so nothing counts against anyone


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"username": "coordinator\x00_a1", "password": PASSWORD}, "Логин или e-mail не может содержать управляющие символы."),
        ({"username": "coordinator_a1", "password": "Пароль\x00"}, "Пароль не может содержать управляющие символы."),
        ({"username": "coordinator_a1\x07", "password": PASSWORD}, "Логин или e-mail не может содержать управляющие символы."),
        ({"username": "coordinator_a1", "password": "Пароль\x1b[0m"}, "Пароль не может содержать управляющие символы."),
    ],
    ids=["nul-login", "nul-password", "bell-login", "escape-password"],
)
def test_control_characters_in_sign_in_are_refused_in_russian(client, cast, data, message):
    """Issue 7, point 3: a NUL byte in the sign-in gave HTTP 500. The platform's input guard refuses the request
    with a Russian page naming the field; the form itself says so too, should anything let it through."""
    response = client.post(LOGIN_URL, data)
    assert response.status_code in (200, 400)
    assert "управляющи" in response.content.decode()
    form = LoginForm(data=data)
    assert not form.is_valid()
    assert message in [error for errors in form.errors.values() for error in errors]
    assert LoginFailure.objects.count() == 0


@pytest.mark.parametrize("email", ["", "ivanova\x00@school.ru", "a" * 250 + "@x.ru", "не-адрес"])
def test_bad_password_reset_input_is_a_russian_message(client, db, email, mailoutbox):
    response = client.post(RESET_URL, {"email": email})
    assert response.status_code in (200, 400)  # 400: the input guard's page for a control character
    assert form_errors(response) or "управляющий символ" in response.content.decode()
    assert not PasswordResetRequestForm(data={"email": email}).is_valid()
    assert PasswordResetRequest.objects.count() == 0


# --- the delay per login -------------------------------------------------------------------------------


def test_the_delay_grows_1_2_4_seconds_and_stops_at_five_minutes(cast):
    """Issue 7, point 3 (Decisions): a growing delay per account instead of a hard lock. Counted by hand: the
    5th failure makes the next attempt wait 1 s, the 6th 2 s, the 7th 4 s; the 14th would be 512 s, capped at 300."""
    user = cast.user("navigator_a1")
    now = timezone.now()
    waits = []
    for failure in range(1, 15):
        throttle.login_failure_record(login="navigator_a1", user=user, ip_address=f"198.51.100.{failure}")
        LoginFailure.objects.filter(pk=LoginFailure.objects.latest("pk").pk).update(at=now)
        refusal = throttle.login_refusal(login="navigator_a1", user=user, ip_address="203.0.113.1", now=now)
        waits.append(None if refusal is None else refusal.wait.total_seconds())
    assert waits == [None, None, None, None, 1, 2, 4, 8, 16, 32, 64, 128, 256, 300]
    # Half a second later the first delay is still running; once it has passed the attempt goes through.
    assert throttle.login_refusal(login="navigator_a1", user=user, ip_address="203.0.113.1", now=now + datetime.timedelta(seconds=299))
    assert (
        throttle.login_refusal(login="navigator_a1", user=user, ip_address="203.0.113.1", now=now + datetime.timedelta(seconds=301)) is None
    )


def test_an_attempt_inside_the_delay_is_refused_even_with_the_right_password_and_does_not_count(client, cast):
    for _ in range(5):
        login(client, "navigator_a1", "неправильно")
    response = login(client, "navigator_a1")
    assert response.status_code == 200
    assert LoginFailure.objects.count() == 5  # the refusal checked no password and added nothing
    age_failures(1.5)
    assert login(client, "navigator_a1").status_code == 302


def test_the_delay_follows_the_account_whichever_of_its_names_is_typed(client, cast):
    for name in ("navigator_a1", "Navigator_A1@test.local", "NAVIGATOR_A1", "navigator_a1@test.local", "navigator_a1"):
        login(client, name, "неправильно")
    response = login(client, "navigator_a1@test.local")
    assert "следующая возможна через 1 секунду" in " ".join(form_errors(response))


def test_a_stranger_cannot_keep_the_owner_out_a_password_reset_lifts_the_delay(client, cast, mailoutbox):
    """Issue 7, point 3: «let a successful password reset lift the lock». Strangers from many addresses push the
    minister's delay to its cap; the minister resets the password and signs in at once."""
    minister = cast.user("ministry_admin")
    for attempt in range(14):
        throttle.login_failure_record(login="ministry_admin", user=minister, ip_address=f"192.0.2.{attempt + 1}")
    refused = login(client, "ministry_admin", address="203.0.113.50")
    assert "следующая возможна через 5 минут" in " ".join(form_errors(refused))

    client.post(RESET_URL, {"email": "ministry_admin@test.local"}, REMOTE_ADDR="203.0.113.50")
    run_queued_tasks()
    link = re.search(r"http://testserver(/accounts/password/reset/\S+/)", mailoutbox[0].body).group(1)
    form_page = client.get(link, follow=True)
    client.post(form_page.redirect_chain[-1][0], {"new_password1": "Новый-пароль-министра-1", "new_password2": "Новый-пароль-министра-1"})
    assert login(client, "ministry_admin", "Новый-пароль-министра-1", address="203.0.113.50").status_code == 302


def test_a_successful_sign_in_lifts_the_delay(client, cast):
    for _ in range(6):
        login(client, "navigator_a1", "неправильно")
    age_failures(3)
    assert login(client, "navigator_a1").status_code == 302
    client.logout()
    login(client, "navigator_a1", "опечатка")
    assert login(client, "navigator_a1").status_code == 302  # one new failure: no delay after the success


# --- one answer for real and made-up logins --------------------------------------------------------------


class HashCounter:
    def __init__(self):
        self.calls = 0


def attempt_cost(client, username, password, address):
    """The messages of one attempt, its database queries and its password hashings."""
    counter = HashCounter()
    original = MD5PasswordHasher.encode

    def counting_encode(self, *args, **kwargs):
        counter.calls += 1
        return original(self, *args, **kwargs)

    with mock.patch.object(MD5PasswordHasher, "encode", counting_encode), CaptureQueriesContext(connection) as queries:
        response = login(client, username, password, address=address)
    # The login typed is echoed in the input, and session and savepoint bookkeeping is not the throttle's work.
    statements = [q["sql"] for q in queries.captured_queries if "SAVEPOINT" not in q["sql"] and "django_session" not in q["sql"]]
    return form_errors(response), len(statements), counter.calls


def test_real_and_made_up_logins_get_the_same_answer_in_the_same_work(client, cast):
    """Issue 7, point 3: the lock message told real logins from made-up ones. Now every attempt — a wrong
    password, a refusal inside the delay — answers the same words after the same queries and hashing."""
    real = [attempt_cost(client, "coordinator_a1", "неправильно", "198.51.100.1") for _ in range(6)]
    made_up = [attempt_cost(client, "coordinator_zz", "неправильно", "198.51.100.2") for _ in range(6)]
    assert real == made_up
    assert real[0][0] == ["Неверный логин или пароль. Проверьте раскладку клавиатуры и Caps Lock."]
    assert real[0][2] == 1  # one hashing: a real password check, or the same work for nobody
    assert "следующая возможна через" in real[5][0][0] and real[5][2] == 0


def test_a_deactivated_account_answers_like_a_wrong_password(client, cast):
    User.objects.filter(username="psychologist_a1").update(is_active=False)
    response = login(client, "psychologist_a1")
    assert form_errors(response) == ["Неверный логин или пароль. Проверьте раскладку клавиатуры и Caps Lock."]


# --- the limit per address --------------------------------------------------------------------------------


def test_one_address_may_fail_twenty_times_in_ten_minutes_across_all_logins(client, cast):
    """Issue 7, point 3 (Decisions): a limit per address, 20 failures in 10 minutes, whatever logins they tried."""
    for attempt in range(20):
        login(client, f"someone_{attempt}", "неправильно", address="198.51.100.77")
    refused = login(client, "coordinator_a1", address="198.51.100.77")
    assert refused.status_code == 200
    assert (
        "С вашего адреса (этого компьютера или сети школы) было слишком много неудачных попыток входа. Попробуйте снова через 10 минут."
        in (form_errors(refused))
    )
    assert login(client, "coordinator_a1", address="198.51.100.78").status_code == 302  # another address is not held
    client.logout()
    age_failures(10 * 60 + 1)
    assert login(client, "coordinator_a1", address="198.51.100.77").status_code == 302


def test_an_ipv6_subscriber_is_one_address_for_the_limit(client, cast, settings):
    settings.LOGIN_ADDRESS_LIMIT = 3
    for address in ("2001:db8:1:2::1", "2001:db8:1:2::2", "2001:db8:1:2:ffff:ffff:ffff:ffff"):
        login(client, "someone", "неправильно", address=address)
    assert "С вашего адреса" in " ".join(form_errors(login(client, "coordinator_a1", address="2001:db8:1:2::99")))
    assert login(client, "coordinator_a1", address="2001:db8:1:3::1").status_code == 302


def test_behind_the_balancer_the_clients_address_is_counted_not_the_balancers(client, cast, settings):
    """Issue 7, point 3: behind the balancer the README prescribes, the address recorded was the balancer's."""
    settings.TRUSTED_PROXIES = 1
    login(client, "coordinator_a1", "неправильно", address="10.0.0.2", HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.7")
    failure = LoginFailure.objects.get()
    assert failure.ip_address == "203.0.113.7" and failure.network == "203.0.113.7"


# --- password-reset letters ---------------------------------------------------------------------------------


def reset(client, email, address="198.51.100.20"):
    return client.post(RESET_URL, {"email": email}, REMOTE_ADDR=address)


def test_the_reset_page_answers_alike_and_sends_nothing_in_the_request(client, cast, mailoutbox):
    """Issue 7, point 3: «never reveal whether a login exists». The page answers the same for a known and an
    unknown address after the same queries, and the letter is written by the task worker, so the mail server's
    time does not show in the answer."""
    answers = []
    for email in ("class_teacher_a1@test.local", "nobody@test.local"):
        with CaptureQueriesContext(connection) as queries:
            response = reset(client, email)
        answers.append((response.status_code, response.url, len(queries.captured_queries)))
    assert answers[0] == answers[1] == (302, "/accounts/password/reset/sent/", answers[0][2])
    assert mailoutbox == []
    run_queued_tasks()
    assert [message.to for message in mailoutbox] == [["class_teacher_a1@test.local"]]
    statuses = dict(PasswordResetRequest.objects.values_list("email", "status"))
    assert statuses == {"class_teacher_a1@test.local": "sent", "nobody@test.local": "no_account"}


def test_reset_letters_are_limited_per_account_and_the_owner_is_told_once(client, cast, mailoutbox):
    """Issue 7, point 3: «rate-limit password-reset e-mails». Three letters an hour to one account; the fourth
    and fifth requests send none, and the owner finds one notice in the platform (not a letter)."""
    for attempt in range(5):
        assert reset(client, "class_teacher_a1@test.local", address=f"198.51.100.{30 + attempt}").status_code == 302
    run_queued_tasks()
    assert len(mailoutbox) == 3
    statuses = list(PasswordResetRequest.objects.order_by("pk").values_list("status", flat=True))
    assert statuses == ["sent", "sent", "sent", "limited", "limited"]
    notice = Notification.objects.get(user=cast.user("class_teacher_a1"))
    assert notice.subject == "Восстановление пароля запрашивали слишком часто"
    assert notice.email_status == Notification.Email.NONE
    # An hour later the owner may have a letter again.
    PasswordResetRequest.objects.update(at=F("at") - datetime.timedelta(hours=1, seconds=1))
    reset(client, "class_teacher_a1@test.local")
    run_queued_tasks()
    assert len(mailoutbox) == 4


def test_reset_requests_are_limited_per_address_whatever_the_address_asked_for(client, cast, mailoutbox):
    for attempt in range(10):
        assert reset(client, f"guess{attempt}@test.local", address="198.51.100.90").status_code == 302
    refused = reset(client, "class_teacher_a1@test.local", address="198.51.100.90")
    assert refused.status_code == 200
    assert (
        "С вашего адреса (этого компьютера или сети школы) восстановление пароля запрашивали слишком часто. Попробуйте снова через 60 минут."
        in form_errors(refused)
    )
    assert reset(client, "class_teacher_a1@test.local", address="198.51.100.91").status_code == 302


def test_a_failing_mail_server_leaves_the_reset_page_working(client, cast, mailoutbox):
    with mock.patch("django.core.mail.EmailMessage.send", side_effect=OSError("почтовый сервер недоступен")):
        assert reset(client, "class_teacher_a1@test.local").status_code == 302
        run_queued_tasks()
    assert PasswordResetRequest.objects.get().status == "failed"


# --- the purge ------------------------------------------------------------------------------------------------


def test_old_failure_and_reset_records_are_purged_by_a_periodic_job(cast):
    """Issue 7, point 3: «old failure records are purged» — by the one retention job (privacy.retention), whose
    periods are data the operator may edit."""
    from privacy.retention import retention_run

    user = cast.user("navigator_a1")
    for days in (0, 29, 31, 400):
        failure = throttle.login_failure_record(login="navigator_a1", user=user, ip_address="198.51.100.5")
        request = PasswordResetRequest.objects.create(email="navigator_a1@test.local", ip_address="198.51.100.5")
        LoginFailure.objects.filter(pk=failure.pk).update(at=timezone.now() - datetime.timedelta(days=days))
        PasswordResetRequest.objects.filter(pk=request.pk).update(at=timezone.now() - datetime.timedelta(days=days))
    autodiscover_modules("tasks")  # as run_periodic does
    assert "privacy.retention" in [job.key for job in periodic_jobs()]
    retention_run()
    assert LoginFailure.objects.count() == PasswordResetRequest.objects.count() == 2
