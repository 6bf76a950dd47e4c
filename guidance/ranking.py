"""Ranking professions for a student — a pure function of the student's interest profile, stated preferences, the
professions they said do not fit, and the catalogue (issue 10, «Ranking»):

    score = r + 0.15 (a sector the student chose) + 0.05 per favourite subject the profession rests on (at most 2)
              + 0.05 (the student's leading Klimov type is the profession's) + 0.04 high / 0.02 medium regional demand

where r is Pearson's correlation between the student's six RIASEC scores (normalised 0..1) and the profession's profile.
Equal scores are ordered by the profession's code, so the same inputs always give the same ranking. The reason shown
names the student's top scales and the congruence of the two codes by Iachan's M and the Brown–Gore C index."""

import functools
import heapq
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from catalog.riasec import BROWN_GORE_MAX, IACHAN_MAX, LETTERS, TYPE_NAMES, brown_gore, holland_code, iachan

SECTOR_BONUS = 0.15
SUBJECT_BONUS = 0.05
SUBJECTS_COUNTED = 2
KLIMOV_BONUS = 0.05
DEMAND_BONUS = {"high": 0.04, "medium": 0.02}
TOP = 10


@dataclass(frozen=True)
class ProfessionProfile:
    id: int
    code: str
    title: str
    vector: tuple[float, ...]  # R I A S E C, centred and scaled for the correlation
    holland: str
    klimov: str
    sector_ids: frozenset[int]
    sector_titles: dict[int, str]
    subject_ids: frozenset[int]
    demand: str
    market_is_demo: bool


@dataclass(frozen=True)
class Ranked:
    profession: ProfessionProfile
    score: float
    correlation: float
    iachan: int
    brown_gore: int
    reason: str


def standardise(values: Iterable[float]) -> tuple[float, ...] | None:
    """The values centred on their mean and divided by the root of their sum of squares (the correlation of two such
    vectors is their dot product); None for a flat profile."""
    values = [float(v) for v in values]
    mean = sum(values) / len(values)
    centred = [v - mean for v in values]
    norm = math.sqrt(sum(c * c for c in centred))
    if norm <= 1e-12:
        return None
    return tuple(c / norm for c in centred)


def profession_profile(*, id, code, title, profile: Mapping[str, float], klimov, sector_ids, sector_titles, subject_ids, demand,
                       market_is_demo) -> ProfessionProfile:  # fmt: skip
    vector = standardise(profile.get(letter, 0.0) for letter in LETTERS) or (0.0,) * 6
    return ProfessionProfile(
        id, code, title, vector, holland_code(profile), klimov, frozenset(sector_ids), dict(sector_titles), frozenset(subject_ids), demand,
        market_is_demo,
    )  # fmt: skip


@functools.cache
def congruence(person: str, occupation: str) -> tuple[int, int]:
    """Iachan's M and the Brown–Gore C of two codes (120 × 120 pairs at most: kept once computed)."""
    return iachan(person, occupation), brown_gore(person, occupation)


@functools.cache
def _names(letters: str) -> str:
    names = [f"«{TYPE_NAMES[letter]}»" for letter in letters]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " и " + names[-1]


class Prepared:
    """The catalogue's professions laid out for ranking many students: the six coordinates as columns, the demand
    bonus of each, and which professions belong to each sector, rest on each subject, have each Klimov type. Built
    once per catalogue (guidance.catalogue), so a student costs a few passes over a few hundred numbers."""

    def __init__(self, professions: Iterable[ProfessionProfile]):
        self.professions = sorted(professions, key=lambda p: p.code)  # the index breaks ties: the code's order
        self.columns = list(zip(*(p.vector for p in self.professions), strict=True)) if self.professions else [()] * 6
        self.base = [DEMAND_BONUS.get(p.demand, 0.0) for p in self.professions]
        self.by_sector: dict[int, list[int]] = {}
        self.by_subject: dict[int, list[int]] = {}
        self.by_klimov: dict[str, list[int]] = {}
        self.index = {p.id: i for i, p in enumerate(self.professions)}
        for i, p in enumerate(self.professions):
            for sector in p.sector_ids:
                self.by_sector.setdefault(sector, []).append(i)
            for subject in p.subject_ids:
                self.by_subject.setdefault(subject, []).append(i)
            self.by_klimov.setdefault(p.klimov, []).append(i)


def rank(
    *, riasec: Mapping[str, float], klimov: Mapping[str, float] | None, professions, sector_ids=(), subject_ids=(), dismissed=(),
    subject_titles: Mapping[int, str] | None = None, top: int = TOP,
) -> list[Ranked]:  # fmt: skip
    """The `top` professions for this profile, best first. `professions`: ProfessionProfile rows or a Prepared."""
    prepared = professions if isinstance(professions, Prepared) else Prepared(professions)
    person = standardise(riasec.get(letter, 0.0) for letter in LETTERS)
    if person is None or not prepared.professions:
        return []
    code = holland_code(riasec)
    leading_klimov = min(klimov, key=lambda k: (-float(klimov[k]), k)) if klimov else None
    a, b, c, d, e, f = person
    r_, i_, a_, s_, e_, c_ = prepared.columns
    correlations = [
        a * x0 + b * x1 + c * x2 + d * x3 + e * x4 + f * x5 for x0, x1, x2, x3, x4, x5 in zip(r_, i_, a_, s_, e_, c_, strict=True)
    ]
    scores = [r + bonus for r, bonus in zip(correlations, prepared.base, strict=True)]
    sectors, subjects = set(sector_ids), set(subject_ids)
    in_sector: set[int] = set()
    for sector in sectors:
        in_sector.update(prepared.by_sector.get(sector, ()))
    for i in in_sector:
        scores[i] += SECTOR_BONUS
    shared: dict[int, list[int]] = {}
    for subject in sorted(subjects):
        for i in prepared.by_subject.get(subject, ()):
            shared.setdefault(i, []).append(subject)
    for i, found in shared.items():
        scores[i] += SUBJECT_BONUS * min(SUBJECTS_COUNTED, len(found))
    klimov_match = set(prepared.by_klimov.get(leading_klimov, ())) if leading_klimov else set()
    for i in klimov_match:
        scores[i] += KLIMOV_BONUS
    for pk in dismissed:
        if (i := prepared.index.get(pk)) is not None:
            scores[i] = -math.inf
    # Highest score first, equal scores in the code's order (the lower index): (score, −index) compared as tuples.
    best = [
        (-minus_i) for score, minus_i in heapq.nlargest(top, zip(scores, range(0, -len(scores), -1), strict=True)) if score != -math.inf
    ]
    result = []
    for i in best:
        profession, correlation, score = prepared.professions[i], correlations[i], round(scores[i], 6)
        m, c_index = congruence(code, profession.holland)
        parts = [
            f"высокие баллы по шкалам {_names(code[:2])}; совпадение кодов: {m} из {IACHAN_MAX} по Иачану, {c_index} из {BROWN_GORE_MAX} по Брауну — Гору"
        ]
        chosen = sorted(sectors & profession.sector_ids)
        if chosen:
            parts.append(f"отрасль «{profession.sector_titles[chosen[0]]}» вы отметили как интересную")
        if i in shared and subject_titles:
            parts.append("опирается на ваши любимые предметы: " + ", ".join(subject_titles[s] for s in shared[i] if s in subject_titles))
        if i in klimov_match:
            parts.append("тип профессии совпадает с вашим ведущим типом по опроснику «Пять типов профессий»")
        if profession.demand == "high":
            parts.append("востребована в республике" + (" (демонстрационные данные)" if profession.market_is_demo else ""))
        result.append(Ranked(profession, score, round(correlation, 4), m, c_index, "; ".join(parts)[:500]))
    return result
