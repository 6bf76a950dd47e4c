"""`make run` as a visitor meets it: the settings it runs with (read from scripts/run.sh), the addresses it
answers, what it prints. Issue 6, «The demo as a user meets it»."""

import os
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.management import call_command

from orgs.models import Municipality

BASE_DIR = Path(django_settings.BASE_DIR)
# What a test process sets that a shell running `make run` does not.
NOT_IN_A_SHELL = {"DJANGO_TESTING", "DJANGO_DEBUG", "DEMO_MODE", "DJANGO_SECRET_KEY", "DJANGO_ALLOWED_HOSTS", "PYTEST_CURRENT_TEST"}


def _run_sh_environment() -> dict[str, str]:
    """The variables scripts/run.sh exports, evaluated by bash from the script's own `export` lines."""
    exports = [line for line in (BASE_DIR / "scripts/run.sh").read_text().splitlines() if line.startswith("export ")]
    assert exports, "scripts/run.sh exports the demo's settings"
    shell = subprocess.run(
        ["bash", "-c", "\n".join([*exports, "env -0"])], env={"PATH": os.environ["PATH"]}, capture_output=True, text=True, check=True
    )
    exported = dict(item.split("=", 1) for item in shell.stdout.split("\0") if "=" in item)
    return {name: exported[name] for name in ("DEMO_MODE", "DJANGO_DEBUG") if name in exported}


def _django(code: str, env: dict[str, str], tmp_path) -> subprocess.CompletedProcess:
    base = {key: value for key, value in os.environ.items() if key not in NOT_IN_A_SHELL}
    base.update(PROFNAV_VAR_DIR=str(tmp_path), DJANGO_SETTINGS_MODULE="config.settings", **env)
    script = f"import django\ndjango.setup()\n{code}"
    return subprocess.run([sys.executable, "-c", script], cwd=BASE_DIR, env=base, capture_output=True, text=True, timeout=120)


REQUESTS = """
from django.conf import settings
from django.test import Client
print("DEBUG", settings.DEBUG)
client = Client(HTTP_HOST="192.168.1.50:8000")
page = client.get("/no-such-page/")
print("404", page.status_code, "Страница не найдена" in page.content.decode(), "Traceback" in page.content.decode())
print("STATIC", client.get("/static/core/app.css").status_code)
forged = Client(enforce_csrf_checks=True, HTTP_HOST="192.168.1.50:8000").post("/accounts/login/", {"username": "x"})
print("403", forged.status_code, "Профнавигатор" in forged.content.decode())
"""


def test_make_run_answers_an_unknown_url_with_the_platforms_own_404_page(tmp_path):
    """Issue 6: `make run` showed Django's debug pages; with the settings it runs with, an unknown address
    answers the platform's Russian 404 page, static files are still served, a forged form meets the
    platform's 403 page — and another machine's address (HOST=0.0.0.0) is accepted."""
    env = _run_sh_environment()
    assert env.get("DEMO_MODE") == "1"
    assert env.get("DJANGO_DEBUG", "0") in {"", "0"}
    result = _django(REQUESTS, env, tmp_path)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert "DEBUG False" in lines
    assert "404 404 True False" in lines
    assert "STATIC 200" in lines
    assert "403 403 True" in lines


def test_demo_mode_alone_gives_a_working_demo(tmp_path):
    """No secret key, no hosts, no debug: DEMO_MODE=1 alone starts, serves static files and any host."""
    result = _django(REQUESTS, {"DEMO_MODE": "1"}, tmp_path)
    assert result.returncode == 0, result.stderr
    assert "STATIC 200" in result.stdout.splitlines()
    assert "404 404 True False" in result.stdout.splitlines()


def test_production_refuses_to_start_without_its_hosts(tmp_path):
    result = _django("", {"DJANGO_SECRET_KEY": "prod-" + "k3y-" * 16}, tmp_path)
    assert result.returncode != 0
    assert "DJANGO_ALLOWED_HOSTS" in result.stderr


def test_production_answers_only_its_own_hosts(tmp_path):
    code = "from django.test import Client\nprint(Client(HTTP_HOST='192.168.1.50').get('/healthz').status_code)"
    env = {"DJANGO_SECRET_KEY": "prod-" + "k3y-" * 16, "DJANGO_ALLOWED_HOSTS": "profnavigator.example", "DJANGO_SECURE_SSL_REDIRECT": "0"}
    result = _django(code, env, tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "400"


WARMED = """
import gc
from django.db import connections
from django.template import engines
import config.wsgi
cache = engines["django"].engine.template_loaders[0].get_template_cache
print("HOME", "portal/home.html" in cache, "SCHEDULE", "profminimum/class_schedule.html" in cache)
print("CONNECTED", any(connection.connection is not None for connection in connections.all(initialized_only=True)))
print("FROZEN", gc.get_freeze_count() > 0)
"""


def test_the_production_server_loads_the_application_warm_before_its_workers_answer(tmp_path):
    """Issue 9: each gunicorn worker compiled templates and imported views on its first pages, and the first
    requests after a start took 2–3 s. gunicorn.conf.py preloads the application; importing the WSGI module
    compiles the templates and leaves no database connection for the forked workers to share."""
    assert "preload_app = True" in (BASE_DIR / "gunicorn.conf.py").read_text()
    env = {"DJANGO_SECRET_KEY": "prod-" + "k3y-" * 16, "DJANGO_ALLOWED_HOSTS": "profnavigator.example", "DJANGO_SECURE_SSL_REDIRECT": "0"}
    result = _django(WARMED, env, tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-3:] == ["HOME True SCHEDULE True", "CONNECTED False", "FROZEN True"]


@pytest.mark.django_db
def test_demo_prepare_builds_the_region_once_and_prints_where_to_open_it(settings, tmp_path):
    # The schools' orders are stored like uploads: into a temporary folder here.
    settings.MEDIA_ROOT = tmp_path
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": str(tmp_path)}},
    }
    out = StringIO()
    addresses = ["--address", "http://127.0.0.1:8000/", "--address", "http://192.168.1.50:8000/"]
    call_command("demo_prepare", "--scale", "300", *addresses, stdout=out)
    printed = out.getvalue()
    assert Municipality.objects.count() == 9
    assert "Первый запуск: строю демо-регион" in printed
    assert "Обучающиеся: " in printed and " из примерно " in printed
    assert "Отметки посещаемости: " in printed
    assert "Профнавигатор: http://127.0.0.1:8000/ (с других компьютеров сети: http://192.168.1.50:8000/)" in printed
    assert "minobr" in printed

    again = StringIO()
    call_command("demo_prepare", "--scale", "300", *addresses, stdout=again)
    assert "Первый запуск" not in again.getvalue()
    assert "minobr" in again.getvalue()
