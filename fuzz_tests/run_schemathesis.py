"""Schemathesis against the API's OpenAPI document, on a live server: what `.ci/run` runs on SQLite and on
PostgreSQL («Trust» point 4).

    .venv/bin/python fuzz_tests/run_schemathesis.py                 # SQLite, in a temporary folder
    DATABASE_URL=postgresql://postgres@127.0.0.1:5432/profnav .venv/bin/python fuzz_tests/run_schemathesis.py

It builds a small demo region in a database of its own (a temporary SQLite file, or `<name>_schemathesis` next
to the PostgreSQL database given), makes personal API tokens for three roles (the ministry's administrator, a
school coordinator and a class teacher), serves the platform with gunicorn on a free local port, and runs
`st run` once per token with every check schemathesis has, the examples capped so that the whole run takes a
minute or two. The exit code is schemathesis's (non-zero on any failure); the server and the database are
removed at the end.
"""

import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
ST = str(Path(PYTHON).with_name("st"))
ROLES = ("minobr", "koordinator", "klruk")  # the ministry's administrator, a school coordinator, a class teacher
SCALE = os.environ.get("SCHEMATHESIS_SCALE", "300")  # students of the demo region: ids to find, lists to page
MAX_EXAMPLES = os.environ.get("SCHEMATHESIS_MAX_EXAMPLES", "60")  # per operation and phase, for each role
# `positive_data_acceptance` expects a 2xx for every valid-looking request, but a made-up id of a student is a
# valid number and still a 404 (a foreign student looks like a missing one, by design): that check is left out.
EXCLUDED_CHECKS = "positive_data_acceptance"


def say(text: str) -> None:
    print(f"[schemathesis] {text}", flush=True)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def postgres_database(url: str) -> tuple[str, str]:
    """(the run's own database URL, the maintenance database URL) next to the given one."""
    parts = urlsplit(url)
    name = parts.path.lstrip("/") or "profnav"
    own = urlunsplit(parts._replace(path=f"/{name}_schemathesis"))
    return own, urlunsplit(parts._replace(path="/postgres"))


def postgres_recreate(maintenance_url: str, name: str, *, drop_only: bool = False) -> None:
    import psycopg

    with psycopg.connect(maintenance_url, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        if not drop_only:
            connection.execute(f'CREATE DATABASE "{name}"')


def manage(env: dict, *args: str, capture: bool = False) -> str:
    result = subprocess.run([PYTHON, "manage.py", *args], cwd=ROOT, env=env, check=True, text=True, capture_output=capture)
    return result.stdout if capture else ""


TOKENS = """
from accounts.models import User
from accounts.services import api_token_create
for username in {roles!r}:
    _, key = api_token_create(user=User.objects.get(username=username), name="schemathesis")
    print("TOKEN", username, key)
"""


def wait_for(url: str, server: subprocess.Popen, seconds: int = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit("[schemathesis] сервер не запустился")
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except OSError:
            time.sleep(0.5)
    raise SystemExit(f"[schemathesis] сервер не ответил за {seconds} с")


def main() -> int:
    given = os.environ.get("DATABASE_URL", "")
    workdir = Path(tempfile.mkdtemp(prefix="profnav-schemathesis-"))
    env = {**os.environ, "DEMO_MODE": "1", "DJANGO_DEBUG": "0", "PROFNAV_VAR_DIR": str(workdir)}
    env.pop("DJANGO_TESTING", None)
    # The API's rate limit (api.throttle, tested in api/tests/test_rate_limit.py) would answer most of the run 429.
    env.setdefault("API_RATE_LIMIT", "off")
    maintenance = database = None
    if given.startswith("postgres"):
        url, maintenance = postgres_database(given)
        database = urlsplit(url).path.lstrip("/")
        postgres_recreate(maintenance, database)
        env["DATABASE_URL"] = url
    else:
        env["DATABASE_URL"] = f"sqlite:///{workdir / 'schemathesis.sqlite3'}"
    engine = "PostgreSQL" if database else "SQLite"
    server = None
    try:
        say(f"{engine}: миграции и демо-регион на {SCALE} обучающихся")
        manage(env, "migrate", "--noinput", "-v", "0")
        manage(env, "seed_demo", "--scale", SCALE, "--seed", "1", capture=True)
        printed = manage(env, "shell", "-c", TOKENS.format(roles=ROLES), capture=True)
        tokens = dict(line.split()[1:] for line in printed.splitlines() if line.startswith("TOKEN "))
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        # The server's log (a warning line per refused request) goes to a file, shown when something failed.
        server_log = (workdir / "server.log").open("w")
        server = subprocess.Popen(
            [PYTHON, "-m", "gunicorn", "config.wsgi:application", "--bind", f"127.0.0.1:{port}", "--workers", "2", "--timeout", "60",
             "--log-level", "warning"],
            cwd=ROOT, env=env, stdout=server_log, stderr=subprocess.STDOUT,
        )  # fmt: skip
        wait_for(f"{base}/healthz", server)
        code = 0
        for role in ROLES:
            say(f"{engine}: роль {role}")
            command = [
                ST, "run", f"{base}/api/v1/openapi.json", "--header", f"Authorization: Bearer {tokens[role]}",
                "--checks", "all", "--exclude-checks", EXCLUDED_CHECKS, "--max-examples", MAX_EXAMPLES, "--seed", "1",
                "--workers", "2", "--request-timeout", "30", "--no-color",
            ]  # fmt: skip
            code = subprocess.run(command, cwd=workdir, env=env).returncode or code
        if code:
            say("журнал сервера (последние строки):")
            print("\n".join((workdir / "server.log").read_text(errors="replace").splitlines()[-200:]), flush=True)
        return code
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=30)
            server_log.close()
        if database:
            postgres_recreate(maintenance, database, drop_only=True)
        subprocess.run(["rm", "-rf", str(workdir)], check=False)


if __name__ == "__main__":
    sys.exit(main())
