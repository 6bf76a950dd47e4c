"""Bench cases of the network's pages: student search as the municipal coordinator of г. Владикавказ (the
largest municipality) and as the ministry, for a common name (many matches) and a rare one."""

from collections.abc import Iterable

from django.contrib.auth import get_user_model
from django.test import Client, override_settings

from core.bench import BenchRun, Measurement, bench_case, median_ms
from core.search import filter_by_search
from people.models import Student

COMMON, RARE = "иван", "габуева"


@bench_case
def student_search(run: BenchRun) -> Iterable[Measurement]:
    """The search page as the server answers it. The floor: the first 50 students whose names contain the
    word, unranked, unnarrowed and unordered (one plain query)."""
    user_model = get_user_model()

    def floor() -> None:
        list(filter_by_search(Student.objects.all(), COMMON).values_list("pk", flat=True)[:50])

    floor_ms = median_ms(floor)
    # Demo logins are refused outside demo mode; a crashing page should be reported, not end the run.
    with override_settings(DEMO_MODE=True):
        for login, case in (("mun", "people.student_search"), ("minobr", "people.student_search_republic")):
            client = Client(raise_request_exception=False)
            client.force_login(user_model.objects.get(username=login))
            for query, suffix in ((COMMON, ""), (RARE, "_rare")):
                statuses: list[int] = []
                median = median_ms(
                    lambda client=client, query=query, statuses=statuses: statuses.append(
                        client.get("/students/search/", {"q": query}).status_code
                    )
                )
                if max(statuses) >= 500:
                    run.log(f"Внимание: поиск обучающихся для {login} ответил {max(statuses)}")
                yield Measurement(f"{case}{suffix}", "ms", median, floor_ms if not suffix else None)
