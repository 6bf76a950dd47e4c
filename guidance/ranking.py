"""Ranking professions for a student — a pure function of the student's interest profile, stated preferences, the
professions they said do not fit, and the catalogue (issue 10, «Ranking»):

    score = r + 0.15 (a sector the student chose) + 0.05 per favourite subject the profession rests on (at most 2)
              + 0.05 (the student's leading Klimov type is the profession's) + 0.04 high / 0.02 medium regional demand

where r is Pearson's correlation between the student's six RIASEC scores (normalised 0..1) and the profession's profile.
Equal scores are ordered by the profession's code, so the same inputs always give the same ranking. The reason shown
names the student's top scales and the congruence of the two codes by Iachan's M and the Brown–Gore C index."""

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


def _names(letters: str) -> str:
    names = [f"«{TYPE_NAMES[letter]}»" for letter in letters]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " и " + names[-1]


def rank(
    *, riasec: Mapping[str, float], klimov: Mapping[str, float] | None, professions: Iterable[ProfessionProfile], sector_ids=(),
    subject_ids=(), dismissed=(), subject_titles: Mapping[int, str] | None = None, top: int = TOP,
) -> list[Ranked]:  # fmt: skip
    """The `top` professions for this profile, best first."""
    person = standardise(riasec.get(letter, 0.0) for letter in LETTERS)
    if person is None:
        return []
    code = holland_code(riasec)
    leading_klimov = None
    if klimov:
        leading_klimov = min(klimov, key=lambda k: (-float(klimov[k]), k))
    sectors, subjects, dismissed = set(sector_ids), set(subject_ids), set(dismissed)
    scored = []
    for profession in professions:
        if profession.id in dismissed:
            continue
        correlation = sum(a * b for a, b in zip(person, profession.vector, strict=True))
        score = correlation
        if sectors & profession.sector_ids:
            score += SECTOR_BONUS
        shared_subjects = sorted(subjects & profession.subject_ids)
        score += SUBJECT_BONUS * min(SUBJECTS_COUNTED, len(shared_subjects))
        if leading_klimov and profession.klimov == leading_klimov:
            score += KLIMOV_BONUS
        score += DEMAND_BONUS.get(profession.demand, 0.0)
        scored.append((round(score, 6), profession, correlation, shared_subjects))
    scored.sort(key=lambda row: (-row[0], row[1].code))
    result = []
    for score, profession, correlation, shared_subjects in scored[:top]:
        m, c = iachan(code, profession.holland), brown_gore(code, profession.holland)
        parts = [
            f"высокие баллы по шкалам {_names(code[:2])}; совпадение кодов: {m} из {IACHAN_MAX} по Иачану, {c} из {BROWN_GORE_MAX} по Брауну — Гору"
        ]
        chosen = sorted(sectors & profession.sector_ids)
        if chosen:
            parts.append(f"отрасль «{profession.sector_titles[chosen[0]]}» вы отметили как интересную")
        if shared_subjects and subject_titles:
            parts.append(
                "опирается на ваши любимые предметы: " + ", ".join(subject_titles[s] for s in shared_subjects if s in subject_titles)
            )
        if leading_klimov and profession.klimov == leading_klimov:
            parts.append("тип профессии совпадает с вашим ведущим типом по опроснику «Пять типов профессий»")
        if profession.demand == "high":
            parts.append("востребована в республике" + (" (демонстрационные данные)" if profession.market_is_demo else ""))
        reason = "; ".join(parts)
        result.append(Ranked(profession, score, round(correlation, 4), m, c, reason[:500]))
    return result
