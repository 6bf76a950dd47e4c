"""Every instrument's quality from the answers collected (issue 10's Decisions), recomputed in the background:

- Cronbach's α of each scale, α = k/(k−1) · (1 − Σ var(itemᵢ) / var(total)), over the items that move the scale (an
  item's value for a scale is the weight of the option chosen on it);
- the corrected item-total correlation of each item: Pearson's r between the item and the rest of its scale;
- for a RIASEC instrument, the scales' correlations against the hexagon order R–I–A–S–E–C: neighbours should correlate
  most, types one apart less, opposite types least. The 72 order predictions (6 neighbours × 6 one-apart, 6 × 3
  opposite, 6 one-apart × 3 opposite) give the correspondence index (met − violated) / 72, from −1 to 1;
- the label «пилот» until at least MIN_RESPONDENTS answered and every scale reaches α ≥ PILOT_ALPHA.

Only reliable results count: finished, not low confidence, not withdrawn; one per respondent (their latest).
"""

import math
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field

from django.db.models import Max
from django.utils import timezone

from diagnostics.format import Compiled, Option, compiled

MIN_RESPONDENTS = 200
PILOT_ALPHA = 0.70
HEXAGON = ("R", "I", "A", "S", "E", "C")


def _mean(values: Sequence[float]) -> float:
    return sum(values) / len(values)


def variance(values: Sequence[float]) -> float:
    """The sample variance (n − 1)."""
    if len(values) < 2:
        return 0.0
    mean = _mean(values)
    return sum((v - mean) ** 2 for v in values) / (len(values) - 1)


def pearson(xs: Sequence[float], ys: Sequence[float]) -> float | None:
    """Pearson's r; None when either does not vary."""
    if len(xs) < 2:
        return None
    mx, my = _mean(xs), _mean(ys)
    sxy = sum((x - mx) * (y - my) for x, y in zip(xs, ys))
    sxx = sum((x - mx) ** 2 for x in xs)
    syy = sum((y - my) ** 2 for y in ys)
    if sxx == 0 or syy == 0:
        return None
    return sxy / math.sqrt(sxx * syy)


def cronbach_alpha(rows: Sequence[Sequence[float]]) -> float | None:
    """α of a respondents × items matrix; None for fewer than two items or respondents, or a total that does not vary."""
    if len(rows) < 2 or len(rows[0]) < 2:
        return None
    k = len(rows[0])
    columns = list(zip(*rows))
    total = variance([sum(row) for row in rows])
    if total == 0:
        return None
    return k / (k - 1) * (1 - sum(variance(column) for column in columns) / total)


def item_total(rows: Sequence[Sequence[float]]) -> list[float | None]:
    """The corrected item-total correlation of each column: the item against the sum of the others."""
    totals = [sum(row) for row in rows]
    return [pearson([row[i] for row in rows], [total - row[i] for total, row in zip(totals, rows)]) for i in range(len(rows[0]))]


def _distance(a: int, b: int) -> int:
    step = abs(a - b)
    return min(step, 6 - step)


@dataclass
class Hexagon:
    matrix: list[list[float | None]]  # the scales' correlations in the order R, I, A, S, E, C
    mean_adjacent: float
    mean_alternate: float
    mean_opposite: float
    met: int
    violated: int
    index: float  # (met − violated) / 72
    holds: bool  # neighbours > one apart > opposite, on average


def hexagon(totals: dict[str, Sequence[float]]) -> Hexagon | None:
    """The RIASEC scales' correlations checked against the hexagon order; None if a scale does not vary."""
    matrix: list[list[float | None]] = [[None] * 6 for _ in range(6)]
    by_distance: dict[int, list[float]] = defaultdict(list)
    for i in range(6):
        matrix[i][i] = 1.0
        for j in range(i + 1, 6):
            r = pearson(totals[HEXAGON[i]], totals[HEXAGON[j]])
            if r is None:
                return None
            matrix[i][j] = matrix[j][i] = r
            by_distance[_distance(i, j)].append(r)
    met = violated = 0
    for nearer, farther in ((1, 2), (1, 3), (2, 3)):
        for a in by_distance[nearer]:
            for b in by_distance[farther]:
                met += a > b
                violated += a < b
    means = {d: _mean(values) for d, values in by_distance.items()}
    return Hexagon(
        matrix=matrix, mean_adjacent=means[1], mean_alternate=means[2], mean_opposite=means[3], met=met, violated=violated,
        index=(met - violated) / 72, holds=means[1] > means[2] > means[3],
    )  # fmt: skip


@dataclass
class ScaleQuality:
    code: str
    title: str
    items: int
    alpha: float | None
    item_total: list[tuple[int, float | None]] = field(default_factory=list)  # (item number, r)


@dataclass
class Quality:
    respondents: int
    excluded: int  # low-confidence results left out
    enough: bool  # at least MIN_RESPONDENTS: the figures are computed
    scales: list[ScaleQuality]
    hexagon: Hexagon | None
    is_pilot: bool


def quality_of(instrument: Compiled, answer_sets: Sequence[dict[int, str]], *, excluded: int = 0) -> Quality:
    """The quality of an instrument from complete answer sets (item number -> option key), one per respondent."""
    n = len(answer_sets)
    enough = n >= MIN_RESPONDENTS
    scales: list[ScaleQuality] = []
    totals: dict[str, list[float]] = {}
    for scale in instrument.scales:
        items = [instrument.item(number) for number in scale.items]
        rows = [
            [(item.option(answers.get(item.number, "")) or _NO).weights.get(scale.code, 0) for item in items] for answers in answer_sets
        ]
        totals[scale.code] = [sum(row) for row in rows]
        if enough:
            correlations = item_total(rows) if len(items) > 1 else [None]
            scales.append(
                ScaleQuality(
                    scale.code, scale.title, len(items), cronbach_alpha(rows), [(item.number, r) for item, r in zip(items, correlations)]
                )
            )
        else:
            scales.append(ScaleQuality(scale.code, scale.title, len(items), None))
    hex_check = hexagon(totals) if enough and instrument.profile == "riasec" else None
    is_pilot = not enough or any(s.alpha is None or s.alpha < PILOT_ALPHA for s in scales)
    return Quality(n, excluded, enough, scales, hex_check, is_pilot)


_NO = Option("", "", {})  # an item left unanswered (never in a finished attempt) weighs nothing


def _answer_sets(version) -> tuple[list[dict[int, str]], int]:
    """One complete answer set per respondent (their latest reliable attempt of this version), and how many low-confidence
    results were left out."""
    from diagnostics.models import Answer, Attempt

    finished = Attempt.objects.filter(version=version, status=Attempt.Status.FINISHED)
    excluded = finished.filter(low_confidence=True).count()
    latest = (
        finished.filter(low_confidence=False).values("student_id", "respondent_id").annotate(last=Max("pk")).values_list("last", flat=True)
    )
    ids = sorted(latest)
    sets: dict[int, dict[int, str]] = {pk: {} for pk in ids}
    for start in range(0, len(ids), 2000):
        chunk = ids[start : start + 2000]
        for attempt_id, item, option in Answer.objects.filter(attempt_id__in=chunk).values_list("attempt_id", "item", "option").iterator():
            sets[attempt_id][item] = option
    return list(sets.values()), excluded


def quality_compute(version) -> Quality:
    answer_sets, excluded = _answer_sets(version)
    return quality_of(compiled(version), answer_sets, excluded=excluded)


def quality_refresh(version):
    """Recompute and store a version's quality (diagnostics.tasks runs it for every version in the background)."""
    from diagnostics.models import QualityReport

    quality = quality_compute(version)
    report, _ = QualityReport.objects.update_or_create(
        version=version,
        defaults={
            "computed_at": timezone.now(),
            "respondents": quality.respondents,
            "is_pilot": quality.is_pilot,
            "figures": asdict(quality),
        },
    )
    return report


def quality_from_report(figures: dict) -> Quality | None:
    """The stored figures back as a Quality."""
    if not figures:
        return None
    scales = [
        ScaleQuality(s["code"], s["title"], s["items"], s["alpha"], [tuple(pair) for pair in s["item_total"]]) for s in figures["scales"]
    ]
    hex_data = figures.get("hexagon")
    return Quality(
        figures["respondents"],
        figures["excluded"],
        figures["enough"],
        scales,
        Hexagon(**hex_data) if hex_data else None,
        figures["is_pilot"],
    )
