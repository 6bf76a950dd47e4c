"""Bench cases of the portal's pages as each demo login opens them."""

from collections.abc import Iterable

from django.contrib.auth import get_user_model
from django.test import Client, override_settings

from core.bench import BenchRun, Measurement, bench_case, median_ms
from demo.region import DEMO_LOGINS


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
