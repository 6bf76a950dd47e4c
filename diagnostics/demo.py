"""The diagnostics of the demo region: a sample of classes of grades 8–9 (the demo school's 8 «А» and 9 «А» among them)
took the shipped instruments this autumn, assigned by their school. Answers come from a latent-trait model, so the
quality figures (α, item-total correlations, the hexagon) mean something:

- RIASEC: each student has six interests on Holland's hexagon — a leading direction φ (uniform), its strength a, a general
  level g — θₖ = a·cos(φ − 60°·k) + g + ε; an item of scale k is answered by the graded-response rule on θₖ + noise
  (thresholds −1.5, −0.5, 0.5, 1.5 → options 1…5);
- the five types: θ of each type from the RIASEC interests it is near (nature ← R, I; technic ← R, C; human ← S, E;
  sign ← C, I; art ← A) plus noise; a pair is answered «a» with probability σ(θₐ − θ_b);
- readiness: three traits, items on the agree4 scale, reversed items reversed;
- about one student in thirty answers carelessly: fast (under 2 s an item) or all alike — flagged as low confidence.

Nobody's hours are credited here (the профминимум demo has its own ledger); the students' own reliable results feed
their recommendations (guidance.services.recommendations_refresh_all, run by the demo after this)."""

import datetime
import math
import random
import time

from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.utils import timezone

from core.bulk import insert_model_rows
from diagnostics.format import compiled
from diagnostics.models import Answer, Assignment, Attempt, InstrumentVersion
from diagnostics.quality import quality_refresh
from diagnostics.scoring import confidence, score
from diagnostics.shipped import shipped_instruments_ensure
from orgs.models import SchoolClass, SchoolYear
from people.models import Student

SAMPLE_SHARE = 0.045  # of the classes of grades 8–9
THRESHOLDS = (-1.5, -0.5, 0.5, 1.5)
CARELESS = 1 / 30
KLIMOV_FROM = {"nature": "RI", "technic": "RC", "human": "SE", "sign": "CI", "art": "A"}


def _sigmoid(x: float) -> float:
    return 1 / (1 + math.exp(-x))


def _graded(value: float, keys: list[str]) -> str:
    """The option of a graded response: as many thresholds passed as the option's place."""
    steps = len(keys) - 1
    thresholds = THRESHOLDS if steps == 4 else tuple(-1.0 + 2.0 * i / (steps - 1) for i in range(steps)) if steps > 1 else (0.0,)
    return keys[sum(value > t for t in thresholds)]


class _Person:
    def __init__(self, rng: random.Random):
        phi, strength, level = rng.uniform(0, 2 * math.pi), rng.uniform(0.6, 1.6), rng.gauss(0, 0.5)
        self.riasec = {letter: strength * math.cos(phi - k * math.pi / 3) + level + rng.gauss(0, 0.4) for k, letter in enumerate("RIASEC")}
        self.klimov = {t: sum(self.riasec[x] for x in src) / len(src) + rng.gauss(0, 0.5) for t, src in KLIMOV_FROM.items()}
        self.readiness = {t: rng.gauss(0, 1) for t in ("decided", "informed", "backup")}
        self.careless = "fast" if rng.random() < CARELESS / 2 else "alike" if rng.random() < CARELESS / 2 else ""


def _answers(person: _Person, instrument, rng: random.Random) -> dict[int, str]:
    answers = {}
    raw = {**person.riasec} if instrument.profile == "riasec" else person.readiness if instrument.profile == "readiness" else person.klimov
    for item in instrument.items:
        keys = [option.key for option in item.options]
        if person.careless == "alike":
            answers[item.number] = keys[len(keys) // 2]
            continue
        if instrument.profile == "klimov":
            first, second = (next(iter(option.weights)) for option in item.options)
            answers[item.number] = keys[0] if rng.random() < _sigmoid(1.3 * (raw[first] - raw[second])) else keys[1]
            continue
        scale = next(iter(item.options[-1].weights))
        reversed_item = item.options[0].weights.get(scale, 0) > item.options[-1].weights.get(scale, 0)
        value = raw[scale] + rng.gauss(0, 1.0)
        key = _graded(value, keys)
        answers[item.number] = keys[len(keys) - 1 - keys.index(key)] if reversed_item else key
    return answers


def build_diagnostics_demo(*, seed: int, today: datetime.date | None = None, stdout=None) -> dict[str, int]:
    started = time.perf_counter()
    today = today or timezone.localdate()
    rng = random.Random(seed * 104729 + 3)
    shipped_instruments_ensure()
    year = SchoolYear.objects.get(is_current=True)
    versions = {
        v.instrument.profile: v
        for v in InstrumentVersion.objects.filter(
            is_current=True, instrument__is_shipped=True, instrument__audience="student"
        ).select_related("instrument")
    }
    User = get_user_model()
    demo_student = Student.objects.filter(person__user__username="uchenik").first()
    classes = list(SchoolClass.objects.filter(school_year=year, grade__in=(8, 9)).order_by("pk").values_list("pk", "school_id"))
    sample = {pk for pk, _ in rng.sample(classes, max(1, round(len(classes) * SAMPLE_SHARE)))} if classes else set()
    if demo_student is not None and demo_student.current_class_id:
        demo_classes = SchoolClass.objects.filter(school_id=demo_student.current_school_id, school_year=year, grade__in=(8, 9), letter="А")
        sample |= set(demo_classes.values_list("pk", flat=True))
    assigner = User.objects.filter(username="navigator").first()
    opens = max(year.starts_on, today - datetime.timedelta(days=40))
    counts = {"assignments": 0, "attempts": 0, "answers": 0, "low_confidence": 0}
    with transaction.atomic():
        students_by_class: dict[int, list[int]] = {}
        for pk, class_id in Student.objects.filter(current_class_id__in=sample).order_by("pk").values_list("pk", "current_class_id"):
            if demo_student is None or pk != demo_student.pk:
                students_by_class.setdefault(class_id, []).append(pk)
        plan = [("riasec", 1.0, 20), ("klimov", 0.6, 12), ("readiness", 0.5, 5)]
        attempts = []
        for class_id in sorted(students_by_class):
            people = {pk: _Person(random.Random(seed * 1_000_003 + pk)) for pk in students_by_class[class_id]}
            for offset, (profile, share, days_ago) in enumerate(plan):
                version = versions.get(profile)
                if version is None or rng.random() > share:
                    continue
                instrument = compiled(version)
                assignment = Assignment.objects.create(
                    version=version, school_class_id=class_id, opens_on=opens + datetime.timedelta(days=offset),
                    closes_on=min(year.ends_on, today + datetime.timedelta(days=14)), assigned_by=assigner,
                )  # fmt: skip
                counts["assignments"] += 1
                for student_id, person in people.items():
                    if rng.random() < 0.12:  # has not taken it yet
                        continue
                    answers = _answers(person, instrument, rng)
                    fast = person.careless == "fast"
                    ms = {n: int(rng.uniform(700, 1800) if fast else rng.lognormvariate(math.log(5500), 0.45)) for n in answers}
                    result, judged = score(instrument, answers), confidence(instrument, answers, ms)
                    finished = timezone.make_aware(
                        datetime.datetime.combine(min(today, opens + datetime.timedelta(days=offset + rng.randint(0, days_ago))), datetime.time(11, rng.randint(0, 59)))
                    )  # fmt: skip
                    total = sum(ms.values())
                    attempt = Attempt(
                        student_id=student_id, version=version, assignment=assignment, status=Attempt.Status.FINISHED,
                        started_at=finished - datetime.timedelta(milliseconds=total), shown_at=finished, finished_at=finished,
                        seconds_total=round(total / 1000), median_seconds=judged.median_seconds and round(judged.median_seconds, 2),
                        low_confidence=judged.low, low_confidence_reason=judged.reason[:300], scores=result.scores,
                        normalised=result.normalised, code=result.code,
                    )  # fmt: skip
                    attempts.append((attempt, answers, ms, finished))
                    counts["low_confidence"] += judged.low
        Attempt.objects.bulk_create([a for a, *_ in attempts], batch_size=1000)
        answer_rows = (
            (attempt.pk, n, o, ms[n], stamp)
            for attempt, answers, ms, finished in attempts
            for stamp in [connection.ops.adapt_datetimefield_value(finished)]
            for n, o in answers.items()
        )
        answer_count = insert_model_rows(Answer, ("attempt_id", "item", "option", "milliseconds", "answered_at"), answer_rows)
        counts["attempts"], counts["answers"] = len(attempts), answer_count
    for version in versions.values():
        quality_refresh(version)
    if stdout is not None:
        stdout.write(
            f"Диагностика: назначений — {counts['assignments']}, пройдено — {counts['attempts']} "
            f"(с низкой достоверностью — {counts['low_confidence']}), ответов — {counts['answers']}; "
            f"{time.perf_counter() - started:.1f} с\n"
        )
    return counts
