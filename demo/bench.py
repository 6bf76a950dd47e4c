"""Benchmark cases for `manage.py bench`.

The command builds the demo region, then runs every registered case. An app adds cases in its own
`<app>/bench.py` (imported by the command when it exists):

    from demo.bench import Measurement, bench_case, median_ms

    @bench_case
    def republic_dashboard(run):
        yield Measurement("profminimum.republic_dashboard", "ms", median_ms(lambda: ...))

Progress and warnings go to `run.log` (stderr): stdout carries only the JSON lines.
"""

import statistics
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.test import Client, override_settings

from demo.region import DEMO_LOGINS


@dataclass(frozen=True)
class Measurement:
    case: str  # "<app>.<name>"
    unit: str  # "ms", "s" or "MB"
    median: float
    floor: float | None = None  # the simplest correct way, measured in the same run


@dataclass(frozen=True)
class BenchRun:
    scale: int  # pupils the demo region was built for
    log: Callable[[str], None]


BenchCase = Callable[[BenchRun], Iterable[Measurement]]
_cases: list[BenchCase] = []


def bench_case(case: BenchCase) -> BenchCase:
    _cases.append(case)
    return case


def registered_cases() -> list[BenchCase]:
    return list(_cases)


def median_ms(function: Callable[[], object], *, repeat: int = 15, warmup: int = 2) -> float:
    """Median wall time of `function` in milliseconds, after `warmup` untimed calls."""
    for _ in range(warmup):
        function()
    timings = []
    for _ in range(repeat):
        started = time.perf_counter()
        function()
        timings.append((time.perf_counter() - started) * 1000)
    return round(statistics.median(timings), 1)


@bench_case
def home_pages(run: BenchRun) -> Iterable[Measurement]:
    """The home page of each demo login, as the server answers it."""
    user_model = get_user_model()
    # Demo logins are refused outside demo mode; a crashing page should be reported, not end the run.
    with override_settings(DEMO_MODE=True):
        for login in DEMO_LOGINS:
            client = Client(raise_request_exception=False)
            client.force_login(user_model.objects.get(username=login.username))
            statuses: list[int] = []
            median = median_ms(lambda client=client, statuses=statuses: statuses.append(client.get("/").status_code))
            if max(statuses) >= 500:
                run.log(f"Внимание: главная страница для {login.username} ответила {max(statuses)}")
            yield Measurement(f"core.home_{login.username}", "ms", median)
