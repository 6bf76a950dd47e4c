"""Bench cases of recommendations (issue 10, «Speed»), run by `manage.py bench` after the demo region is built:

- diagnostics.recommend_one: one student's recommendations recomputed and stored (what the background task does after a
  result, and the page when its stored ones are stale) — target ≤ 50 ms; the floor is the ranking alone, in memory;
- diagnostics.recommend_all: every student of the region with a reliable RIASEC result (after a change of the
  catalogue) — target ≤ 60 s."""

import time
from collections.abc import Iterable

from core.bench import BenchRun, Measurement, bench_case, median_ms
from diagnostics.selectors import reliable_results, student_interest_profile
from guidance.catalogue import catalogue_current
from guidance.ranking import rank
from guidance.services import recommendations_refresh, recommendations_refresh_all


@bench_case
def recommendations(run: BenchRun) -> Iterable[Measurement]:
    student_id = (
        reliable_results().filter(version__instrument__profile="riasec").values_list("student_id", flat=True).order_by("pk").first()
    )
    if student_id is None:
        run.log("Внимание: в демо-регионе нет результатов RIASEC — рекомендации не замерены")
        return
    profile = student_interest_profile(student_id=student_id)
    catalogue = catalogue_current()
    floor = median_ms(lambda: rank(riasec=profile.riasec, klimov=profile.klimov, professions=catalogue.professions))
    yield Measurement("diagnostics.recommend_one", "ms", median_ms(lambda: recommendations_refresh(student_id=student_id)), floor=floor)
    started = time.perf_counter()
    students = recommendations_refresh_all()
    seconds = round(time.perf_counter() - started, 2)
    yield Measurement("diagnostics.recommend_all", "s", seconds, extra={"students": students})
