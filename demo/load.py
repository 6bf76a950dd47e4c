"""The mixed load bench: gunicorn as the README runs it in production (3 workers here), and 50 signed-in clients
on loopback for 30 seconds opening what a school opens on a Thursday morning — the student's home, a class's
schedule, the attendance form of its latest lesson and the school's dashboard.

The clients are a small asyncio HTTP/1.1 client (keep-alive, no dependency); sessions are made in the
database for the demo logins, so no password is typed. Reported: the p95 of a request's time, requests per
second, and the number of errors (any status other than 200, or a broken connection).
"""

import asyncio
import os
import random
import signal
import socket
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY, get_user_model
from django.contrib.sessions.backends.db import SessionStore
from django.db import connection

CLIENTS = 50
SECONDS = 30
WORKERS = 3


@dataclass(frozen=True)
class LoadResult:
    requests: int
    errors: int
    p95_ms: float
    median_ms: float
    per_second: float
    by_page: dict[str, float] | None = None  # the median of each page of the mix, to see which one is slow


def _session_for(username: str) -> str:
    user = get_user_model().objects.get(username=username)
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    return session.session_key


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _database_url() -> str:
    settings_dict = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{settings_dict['NAME']}"
    user = settings_dict.get("USER") or ""
    password = f":{settings_dict['PASSWORD']}" if settings_dict.get("PASSWORD") else ""
    auth = f"{user}{password}@" if user else ""
    return f"postgresql://{auth}{settings_dict.get('HOST') or '127.0.0.1'}:{settings_dict.get('PORT') or 5432}/{settings_dict['NAME']}"


def _start_gunicorn(port: int) -> subprocess.Popen:
    """The production settings (no debug, a secret key, the real password hasher, a database connection kept
    per worker), with demo mode on only because the demo logins are refused without it; TLS is the balancer's,
    so the redirect to https is off on loopback."""
    env = {
        key: value for key, value in os.environ.items() if key not in {"DJANGO_TESTING", "DJANGO_DEBUG", "DEMO_MODE", "PYTEST_CURRENT_TEST"}
    }
    env.update(
        DATABASE_URL=_database_url(), DJANGO_SECRET_KEY=settings.SECRET_KEY, DJANGO_ALLOWED_HOSTS="127.0.0.1",
        DJANGO_SECURE_SSL_REDIRECT="0", LOG_LEVEL="ERROR", DEMO_MODE="1",
    )  # fmt: skip
    base = Path(settings.BASE_DIR)
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"], cwd=base, env=env, check=True, stdout=subprocess.DEVNULL
    )
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "config.wsgi:application", "--workers", str(WORKERS), "--bind", f"127.0.0.1:{port}",
         "--timeout", "60", "--log-level", "error"],
        cwd=base, env=env, start_new_session=True,
    )  # fmt: skip
    for _ in range(200):
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return process
        except OSError:
            time.sleep(0.1)
    process.kill()
    raise RuntimeError("gunicorn не запустился")


async def _client(
    port: int,
    requests: list[tuple[str, str]],
    deadline: float,
    timings: list[float],
    errors: list[int],
    by_path: dict[str, list[float]],
    *,
    seed: int,
) -> None:
    reader = writer = None
    # Each client its own sequence of pages. (They once shared a seed: all 50 asked for the same page at the same
    # moment, in waves, and a page's wait depended on which page it was — 650 ms for one, 1,000 ms for another.)
    rng = random.Random(seed)
    while time.perf_counter() < deadline:
        path, session = rng.choice(requests)
        try:
            if writer is None:
                reader, writer = await asyncio.open_connection("127.0.0.1", port)
            started = time.perf_counter()
            writer.write(
                f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nCookie: sessionid={session}\r\nAccept-Encoding: gzip\r\n"
                f"X-Forwarded-Proto: https\r\nConnection: keep-alive\r\n\r\n".encode()
            )
            await writer.drain()
            # The whole head at once (one await, not one per header line): the client shares the server's two
            # cores, and what it spends is taken from the pages it measures.
            head = (await reader.readuntil(b"\r\n\r\n")).decode("latin-1").split("\r\n")
            status = int(head[0].split()[1])
            length, close = 0, False
            for line in head[1:]:
                name, _, value = line.partition(":")
                name = name.lower()
                if name == "content-length":
                    length = int(value.strip())
                elif name == "connection" and value.strip().lower() == "close":
                    close = True
            await reader.readexactly(length)
            timings.append((time.perf_counter() - started) * 1000)
            by_path.setdefault(path, []).append(timings[-1])
            if status != 200:
                errors.append(status)
            if close:
                writer.close()
                writer = None
        except (OSError, asyncio.IncompleteReadError, asyncio.LimitOverrunError, ValueError, IndexError):
            errors.append(0)
            if writer is not None:
                writer.close()
            writer = None
    if writer is not None:
        writer.close()


def load_mixed(requests: list[tuple[str, str]], *, clients: int = CLIENTS, seconds: float = SECONDS) -> LoadResult:
    """Serve with gunicorn and drive it with `clients` concurrent clients for `seconds`; the requests are
    (path, session key) pairs chosen at random."""
    port = _free_port()
    process = _start_gunicorn(port)
    try:
        timings: list[float] = []
        errors: list[int] = []
        by_path: dict[str, list[float]] = {}

        async def main():
            deadline = time.perf_counter() + seconds
            await asyncio.gather(*(_client(port, requests, deadline, timings, errors, by_path, seed=index) for index in range(clients)))

        started = time.perf_counter()
        asyncio.run(main())
        wall = time.perf_counter() - started
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=30)
    if len(timings) < 20:
        return LoadResult(len(timings), len(errors), 0.0, 0.0, 0.0)
    return LoadResult(
        requests=len(timings), errors=len(errors), p95_ms=round(statistics.quantiles(timings, n=20)[18], 1),
        median_ms=round(statistics.median(timings), 1), per_second=round(len(timings) / wall, 1),
        by_page={path: round(statistics.median(values), 1) for path, values in by_path.items()},
    )  # fmt: skip


def thursday_requests() -> list[tuple[str, str]]:
    """The mix: the student's home, the class teacher's schedule and attendance form, the coordinator's school
    dashboard — each as the demo login who opens it."""
    from orgs.models import SchoolClass
    from people.models import Student
    from profminimum.models import Activity

    student = Student.objects.get(person__user__username="uchenik")
    school_class = SchoolClass.objects.filter(assignments__person__user__username="klruk").first()
    lesson = (
        Activity.objects.filter(classes=school_class, deleted_at__isnull=True, starts_at__date__lte=time.strftime("%Y-%m-%d"))
        .order_by("-starts_at")
        .first()
    )
    student_session, teacher_session, coordinator_session = (_session_for(name) for name in ("uchenik", "klruk", "koordinator"))
    mix = [
        ("/", student_session),
        (f"/profminimum/classes/{school_class.pk}/schedule/", teacher_session),
        (f"/profminimum/schools/{student.current_school_id}/", coordinator_session),
    ]
    if lesson is not None:
        mix.append((f"/profminimum/activities/{lesson.pk}/attendance/?class={school_class.pk}", teacher_session))
    return mix
