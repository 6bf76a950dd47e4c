import os
import re
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.db.models import F

from accounts.models import LoginFailure, User
from accounts.services import user_create
from conftest import PASSWORD
from notifications.tests.helpers import run_queued_tasks

BASE_DIR = Path(settings.BASE_DIR)


def login(client, username, password=PASSWORD):
    return client.post("/accounts/login/", {"username": username, "password": password})


def test_login_by_username_and_by_email_in_any_case(client, cast):
    assert login(client, "coordinator_a1").status_code == 302
    client.logout()
    response = login(client, "Coordinator_A1@Test.Local")
    assert response.status_code == 302 and response.url == "/"
    assert client.get("/").status_code == 200


def test_wrong_password_says_so_in_russian(client, cast):
    response = login(client, "coordinator_a1", "не тот пароль")
    assert response.status_code == 200
    assert "Неверный логин или пароль" in response.content.decode()


def test_repeated_failures_slow_the_login_down_instead_of_locking_it(client, cast):
    """Issue 7, point 3: five wrong passwords locked any account for 15 minutes, so anyone could lock the minister
    out again and again. Now the sixth attempt waits a second, and then the right password works."""
    for _ in range(5):
        login(client, "navigator_a1", "неправильно")
    response = login(client, "navigator_a1")
    assert response.status_code == 200
    assert "следующая возможна через 1 секунду" in response.content.decode()
    LoginFailure.objects.update(at=F("at") - timedelta(seconds=2))
    assert login(client, "navigator_a1").status_code == 302


def test_failures_of_one_account_do_not_lock_another(client, cast):
    for _ in range(6):
        login(client, "navigator_a1", "неправильно")
    assert login(client, "navigator_a2").status_code == 302


def test_created_account_must_change_password_at_first_login(client, db):
    user_create(username="new_teacher", email="new@test.local", password="Временный-пароль-1")
    assert login(client, "new_teacher", "Временный-пароль-1").status_code == 302
    response = client.get("/")
    assert response.status_code == 302 and response.url == "/accounts/password/"
    page = client.get("/accounts/password/").content.decode()
    assert "Это первый вход" in page
    response = client.post(
        "/accounts/password/",
        {"old_password": "Временный-пароль-1", "new_password1": "Свой-новый-пароль-77", "new_password2": "Свой-новый-пароль-77"},
    )
    assert response.status_code == 302
    assert User.objects.get(username="new_teacher").must_change_password is False
    assert client.get("/").status_code == 200


def test_password_reset_by_email(client, cast, mailoutbox):
    response = client.post("/accounts/password/reset/", {"email": "class_teacher_a1@test.local"})
    assert response.status_code == 302
    assert mailoutbox == []  # the letter is the task worker's, never the request's
    run_queued_tasks()
    assert len(mailoutbox) == 1
    message = mailoutbox[0]
    assert message.to == ["class_teacher_a1@test.local"]
    assert message.subject == "Профнавигатор: восстановление пароля"
    link = re.search(r"http://testserver(/accounts/password/reset/\S+/)", message.body).group(1)
    form_page = client.get(link, follow=True)
    assert "Новый пароль" in form_page.content.decode()
    response = client.post(
        form_page.redirect_chain[-1][0], {"new_password1": "Сброшенный-пароль-5", "new_password2": "Сброшенный-пароль-5"}
    )
    assert response.status_code == 302
    client.logout()
    assert login(client, "class_teacher_a1", "Сброшенный-пароль-5").status_code == 302


def test_reset_for_unknown_email_does_not_reveal_anything(client, cast, mailoutbox):
    response = client.post("/accounts/password/reset/", {"email": "nobody@test.local"})
    assert response.status_code == 302 and response.url == "/accounts/password/reset/sent/"
    run_queued_tasks()
    assert mailoutbox == []


def test_demo_accounts_work_only_in_demo_mode(client, db, settings):
    demo = User.objects.create_user(username="demo_teacher", password=PASSWORD, is_demo=True)
    settings.DEMO_MODE = False
    response = login(client, "demo_teacher")
    assert response.status_code == 200
    assert "Демо-входы работают только в демо-режиме" in response.content.decode()
    settings.DEMO_MODE = True
    assert login(client, demo.username).status_code == 302


def test_logout(client, cast):
    login(client, "coordinator_a1")
    response = client.post("/accounts/logout/")
    assert response.status_code == 302
    assert client.get("/").status_code == 302


def test_admin_is_for_operator_staff_and_speaks_russian(client, cast):
    client.force_login(cast.user("operator"))
    page = client.get("/admin/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "Профнавигатор — администрирование" in html and "Организации" in html
    assert client.get("/admin/orgs/organization/").status_code == 200
    client.force_login(cast.user("coordinator_a1"))
    assert client.get("/admin/", follow=True).status_code == 404


def test_production_settings_pass_check_deploy():
    env = {key: value for key, value in os.environ.items() if key not in {"DJANGO_TESTING", "DJANGO_DEBUG", "DEMO_MODE"}}
    env.update(DJANGO_SECRET_KEY="prod-" + "k3y-" * 16, DJANGO_ALLOWED_HOSTS="profnavigator.example", EMAIL_HOST="smtp.example")
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=BASE_DIR, env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr


def test_production_refuses_to_start_without_a_secret_key():
    env = {
        key: value for key, value in os.environ.items() if key not in {"DJANGO_TESTING", "DJANGO_DEBUG", "DEMO_MODE", "DJANGO_SECRET_KEY"}
    }
    result = subprocess.run([sys.executable, "manage.py", "check"], cwd=BASE_DIR, env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY" in result.stderr


@pytest.mark.parametrize("path", ["/accounts/login/", "/accounts/password/reset/"])
def test_account_pages_are_russian(client, db, path):
    html = client.get(path).content.decode()
    assert '<html lang="ru"' in html
    assert "Перейти к содержанию" in html
