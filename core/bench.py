"""The benchmark framework of `manage.py bench` (the command lives in the demo app, which builds the region).

The command builds the demo region, then runs every registered case. An app adds cases in its own
`<app>/bench.py` (imported by the command when it exists):

    from core.bench import Measurement, bench_case, median_ms

    @bench_case
    def republic_dashboard(run):
        yield Measurement("profminimum.republic_dashboard", "ms", median_ms(lambda: ...))

Progress and warnings go to `run.log` (stderr): stdout carries only the JSON lines.
"""

import statistics
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Measurement:
    case: str  # "<app>.<name>"
    unit: str  # "ms", "s" or "MB"
    median: float
    floor: float | None = None  # the simplest correct way, measured in the same run
    # More figures of the same run, printed after the standard keys (a p95's throughput, say).
    extra: dict = field(default_factory=dict)


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


def run_in_fresh_django(target: str, *args) -> None:
    """The target of a spawned process (multiprocessing's "spawn"): set Django up, then call `target` (a dotted
    path) with the arguments. A process started fresh, as an application server's worker is, rather than forked
    from the bench with its whole heap to copy."""
    import django
    from django.utils.module_loading import import_string

    django.setup()
    import_string(target)(*args)
