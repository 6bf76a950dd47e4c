"""Scoring an attempt and judging whether its answers can be trusted — pure functions over a compiled instrument
(diagnostics.format.Compiled), checked in the tests against answer sets scored by hand.

- A scale's score is the sum of the weights of the options chosen (an item named with an option set gives the option's
  value on its scale, reversed when the item says so); its normalised score is (score − least) / (most − least), 0..1.
- The Holland code is the three scales of highest score, highest first; equal scores keep the order of the scales in
  the file (R, I, A, S, E, C), so the same answers always give the same code.
- Low confidence (issue 10's Decisions): the median time per item under the instrument's threshold (2 s), or the same
  answer (the option in the same place) to a run of items at least as long as the instrument's `same_answer_run`.
"""

import statistics
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from core.formatting import count_text, number
from diagnostics.format import Compiled

CODE_LENGTH = 3


@dataclass(frozen=True)
class Result:
    scores: dict[str, int]
    normalised: dict[str, float]
    bands: dict[str, str]  # scale -> the band's title
    code: str  # the Holland code for a RIASEC profile, else ""


def score(instrument: Compiled, answers: Mapping[int, str]) -> Result:
    """The scores of a complete set of answers (item number -> option key)."""
    scores = {scale.code: 0 for scale in instrument.scales}
    for item in instrument.items:
        key = answers.get(item.number)
        option = item.option(key) if key is not None else None
        if option is None:
            raise ValueError(f"Нет ответа на вопрос № {item.number}")
        for scale, weight in option.weights.items():
            scores[scale] += weight
    normalised = {scale.code: scale.normalise(scores[scale.code]) for scale in instrument.scales}
    bands = {}
    for scale in instrument.scales:
        band = scale.band(scores[scale.code])
        bands[scale.code] = band.title if band else ""
    code = holland_code(instrument, scores) if instrument.profile == "riasec" else ""
    return Result(scores, normalised, bands, code)


def holland_code(instrument: Compiled, scores: Mapping[str, int]) -> str:
    order = {scale.code: index for index, scale in enumerate(instrument.scales)}
    ranked = sorted(order, key=lambda code: (-scores[code], order[code]))
    return "".join(ranked[:CODE_LENGTH])


def leading_scales(instrument: Compiled, scores: Mapping[str, int], *, count: int = 2) -> list[str]:
    """The scales of highest score (normalised, so scales of different length compare), highest first."""
    order = {scale.code: index for index, scale in enumerate(instrument.scales)}
    normalised = {scale.code: scale.normalise(scores.get(scale.code, 0)) for scale in instrument.scales}
    return sorted(order, key=lambda code: (-normalised[code], order[code]))[:count]


# --- confidence ---------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Confidence:
    low: bool
    reason: str
    median_seconds: float | None
    longest_run: int


def longest_same_run(positions: Sequence[int | None]) -> int:
    """The longest run of consecutive items answered with the option in the same place."""
    best = run = 0
    previous = object()
    for position in positions:
        run = run + 1 if position is not None and position == previous else (1 if position is not None else 0)
        previous = position
        best = max(best, run)
    return best


def confidence(instrument: Compiled, answers: Mapping[int, str], milliseconds: Mapping[int, int]) -> Confidence:
    """Whether the answers look given in earnest: not implausibly fast, not all alike."""
    times = [milliseconds[number] / 1000 for number in sorted(milliseconds)]
    median = statistics.median(times) if times else None
    positions = [
        item.position(answers[item.number]) if item.number in answers else None for item in sorted(instrument.items, key=lambda i: i.number)
    ]
    run = longest_same_run(positions)
    reasons = []
    if median is not None and median < instrument.median_seconds:
        reasons.append(
            f"ответы даны слишком быстро: в среднем (медиана) {number(median)} с на вопрос при пороге {number(instrument.median_seconds)} с"
        )
    if instrument.same_answer_run is not None and run >= instrument.same_answer_run:
        reasons.append(f"{count_text(run, 'вопрос подряд', 'вопроса подряд', 'вопросов подряд')} с одним и тем же ответом")
    return Confidence(bool(reasons), "; ".join(reasons), median, run)
