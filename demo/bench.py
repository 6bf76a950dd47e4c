"""Bench cases of the portal's home pages as each demo login opens them: `home.<login>`, attention items and
panels included (`home.minobr` is the ministry's home)."""

from collections.abc import Iterable

from django.contrib.auth import get_user_model
from django.db.models import Count
from django.test import Client, override_settings

from core.bench import BenchRun, Measurement, bench_case, median_ms
from demo.region import DEMO_LOGINS
from people.models import Student


def _students_grouped_by_municipality() -> None:
    """The raw way the ministry's home used to count its students: one GROUP BY over the students table."""
    list(Student.objects.values_list("current_school__municipality_id").annotate(n=Count("pk")))


@bench_case
def home_pages(run: BenchRun) -> Iterable[Measurement]:
    """The home page of each demo login, as the server answers it. The ministry's floor is the GROUP BY over
    the students that the rollups replace: the home should cost less than that alone as the region grows."""
    from demo.region import refresh_planner_statistics

    refresh_planner_statistics()  # the cases before this one added pupils (the import) and answers (diagnostics)
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
            floor = median_ms(_students_grouped_by_municipality, repeat=5, warmup=1) if login.username == "minobr" else None
            yield Measurement(f"home.{login.username}", "ms", median, floor=floor)


@bench_case
def load_mixed(run: BenchRun) -> Iterable[Measurement]:
    """gunicorn as in production (3 workers), 50 signed-in clients on loopback for 30 s opening the student's
    home, a class schedule, an attendance form and a school dashboard. The median printed is the p95 of a
    request's time; the line also gives requests per second and errors. `BENCH_LOAD=0` leaves it out."""
    import os

    from demo.load import CLIENTS, SECONDS, WORKERS, load_mixed, thursday_requests
    from demo.region import refresh_planner_statistics

    if os.environ.get("BENCH_LOAD", "1") == "0":
        return
    refresh_planner_statistics()  # the cases before this one added pupils (the import) and answers (diagnostics)
    result = load_mixed(thursday_requests())
    if result.errors:
        run.log(f"Внимание: под нагрузкой {result.errors} ошибок из {result.requests} запросов")
    yield Measurement(
        "load.mixed", "ms", result.p95_ms,
        extra={"requests_per_second": result.per_second, "requests": result.requests, "errors": result.errors,
               "median_ms": result.median_ms, "clients": CLIENTS, "seconds": SECONDS, "workers": WORKERS,
               "median_by_page": result.by_page},
    )  # fmt: skip
