"""Bench cases of recommendations (issue 10, «Speed»), run by `manage.py bench` after the demo region is built:

- diagnostics.recommend_one: one student's recommendations recomputed and stored (what the background task does after a
  result, and the page when its stored ones are stale) — target ≤ 50 ms; the floor is the ranking alone, in memory;
- diagnostics.recommend_all: every student of the demo region — each given a reliable RIASEC result first where they
  have none (the demo seeds results for a sample only) — target ≤ 60 s."""

import datetime
import random
import time
from collections.abc import Iterable

from django.db import connection, transaction
from django.utils import timezone

from core.bench import BenchRun, Measurement, bench_case, median_ms
from core.bulk import insert_model_rows
from diagnostics.models import Attempt, InstrumentVersion
from diagnostics.selectors import reliable_results, student_interest_profile
from guidance.catalogue import catalogue_current
from guidance.ranking import rank
from guidance.services import recommendations_refresh, recommendations_refresh_all
from people.models import Student


def _demo_results(run: BenchRun) -> None:
    """The catalogue and the diagnostics of the demo (seed_demo builds them; the bench's own region does not)."""
    if reliable_results().exists():
        return
    from catalog.demo import build_catalog_demo
    from diagnostics.demo import build_diagnostics_demo
    from privacy.shipped import shipped_data_ensure

    shipped_data_ensure()
    build_catalog_demo(seed=1)
    build_diagnostics_demo(seed=1)
    run.log("Каталог и диагностика демо-региона построены для замера рекомендаций")


def _everyone_has_a_result() -> int:
    """A reliable RIASEC result (scores only, no answers) for every student without one; returns how many were added."""
    version = InstrumentVersion.objects.get(instrument__code="riasec-interests", is_current=True)
    have = set(reliable_results().filter(version__instrument__profile="riasec").values_list("student_id", flat=True))
    rng = random.Random(5)
    now = timezone.now() - datetime.timedelta(days=1)
    stamp = connection.ops.adapt_datetimefield_value(now)
    rows = []
    for student_id in Student.objects.exclude(pk__in=have).values_list("pk", flat=True).iterator():
        normalised = {letter: round(rng.random(), 4) for letter in "RIASEC"}
        scores = {letter: round(value * 40) for letter, value in normalised.items()}
        code = "".join(sorted("RIASEC", key=lambda x: (-scores[x], "RIASEC".index(x)))[:3])
        rows.append((student_id, version.pk, Attempt.Status.FINISHED, stamp, stamp, stamp, False, scores, normalised, code))
    with transaction.atomic():
        fields = (
            "student_id",
            "version_id",
            "status",
            "started_at",
            "shown_at",
            "finished_at",
            "low_confidence",
            "scores",
            "normalised",
            "code",
        )
        encode = Attempt._meta.get_field("scores").get_db_prep_save
        insert_model_rows(Attempt, fields, ((*row[:7], encode(row[7], connection), encode(row[8], connection), row[9]) for row in rows))
    return len(rows)


@bench_case
def recommendations(run: BenchRun) -> Iterable[Measurement]:
    _demo_results(run)
    student_id = (
        reliable_results().filter(version__instrument__profile="riasec").values_list("student_id", flat=True).order_by("pk").first()
    )
    if student_id is None:
        run.log("Внимание: в демо-регионе нет результатов RIASEC — рекомендации не замерены")
        return
    profile = student_interest_profile(student_id=student_id)
    catalogue = catalogue_current()
    floor = median_ms(lambda: rank(riasec=profile.riasec, klimov=profile.klimov, professions=catalogue.prepared))
    yield Measurement("diagnostics.recommend_one", "ms", median_ms(lambda: recommendations_refresh(student_id=student_id)), floor=floor)
    added = _everyone_has_a_result()
    run.log(f"Результат RIASEC добавлен {added} обучающимся без него")
    started = time.perf_counter()
    students = recommendations_refresh_all()
    seconds = round(time.perf_counter() - started, 2)
    yield Measurement("diagnostics.recommend_all", "s", seconds, extra={"students": students})
