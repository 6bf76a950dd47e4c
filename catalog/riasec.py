"""Holland's six types (RIASEC), Klimov's five, and the measures that compare a person with an occupation.

- The three-letter code of a profile: its three highest types, a tie broken in the hexagon's order R, I, A, S, E, C.
- Iachan's M index (Iachan, 1984): the agreement of two three-letter codes, letters weighted by their places in
  both codes (22, 10, 4 / 10, 5, 2 / 4, 2, 1). Identical codes score 28; codes with no letter in common, 0.
  M(RIA, RIA) = 22 + 5 + 1 = 28; M(SEI, ESI) = 10 (S second in ESI) + 10 (E first) + 1 (I third) = 21.
- The Brown–Gore C index (Brown & Gore, 1994): the letters in the same place compared on the hexagon — 3 for
  the same letter, 2 for neighbours, 1 for a letter two steps away, 0 for opposites — weighted 3, 2, 1 by
  place. Identical codes score 18; C(RIA, SEC) = 0, since R–S, I–E and A–C are opposites.
- Pearson's correlation of the six scores: what the ranking of professions uses (the codes alone lose how far
  apart the scores are; the indices above are shown beside it as the reason).
"""

import math
from collections.abc import Mapping

LETTERS = "RIASEC"
# Russian names of the types: adjective (the scale's name) and what a person of the type likes to do.
TYPE_NAMES = {
    "R": "реалистический",
    "I": "исследовательский",
    "A": "артистический",
    "S": "социальный",
    "E": "предприимчивый",
    "C": "конвенциональный",
}
TYPE_ABOUT = {
    "R": "работа руками, с техникой, инструментами, растениями и животными",
    "I": "исследования, наблюдение, поиск причин, расчёты",
    "A": "творчество, самовыражение, создание нового",
    "S": "общение, помощь людям, обучение и забота",
    "E": "организация, убеждение, руководство, предпринимательство",
    "C": "порядок, точность, работа с документами, данными и правилами",
}
KLIMOV_TYPES = ("nature", "technic", "human", "sign", "art")
KLIMOV_NAMES = {
    "nature": "«человек — природа»",
    "technic": "«человек — техника»",
    "human": "«человек — человек»",
    "sign": "«человек — знаковая система»",
    "art": "«человек — художественный образ»",
}

IACHAN_WEIGHTS = ((22, 10, 4), (10, 5, 2), (4, 2, 1))
IACHAN_MAX = 28
BROWN_GORE_PLACE_WEIGHTS = (3, 2, 1)
BROWN_GORE_MAX = 18


def holland_code(scores: Mapping[str, float], length: int = 3) -> str:
    """The `length` highest types of a profile; equal scores keep the hexagon's order."""
    ranked = sorted(LETTERS, key=lambda letter: (-float(scores.get(letter, 0) or 0), LETTERS.index(letter)))
    return "".join(ranked[:length])


def _check(code: str) -> str:
    code = (code or "").upper()
    if not 1 <= len(code) <= 3 or any(letter not in LETTERS for letter in code) or len(set(code)) != len(code):
        raise ValueError(f"Код Голланда — от одной до трёх разных букв из RIASEC, получено «{code}».")
    return code


def hexagon_distance(a: str, b: str) -> int:
    """Steps between two types around the hexagon: 0 the same, 1 neighbours, 2 alternate, 3 opposite."""
    step = abs(LETTERS.index(a) - LETTERS.index(b))
    return min(step, 6 - step)


def iachan(person: str, occupation: str) -> int:
    """Iachan's M index of two codes (0–28)."""
    person, occupation = _check(person), _check(occupation)
    return sum(IACHAN_WEIGHTS[i][j] for i, letter in enumerate(person) for j, other in enumerate(occupation) if letter == other)


def brown_gore(person: str, occupation: str) -> int:
    """The Brown–Gore C index of two codes (0–18)."""
    person, occupation = _check(person), _check(occupation)
    return sum(weight * (3 - hexagon_distance(a, b)) for weight, a, b in zip(BROWN_GORE_PLACE_WEIGHTS, person, occupation, strict=False))


def pearson(xs, ys) -> float | None:
    """Pearson's r of two equally long lists; None when either does not vary (a flat profile correlates with
    nothing)."""
    n = len(xs)
    if n != len(ys) or n < 2:
        raise ValueError("Для корреляции нужны два ряда одной длины, не короче двух.")
    mean_x, mean_y = sum(xs) / n, sum(ys) / n
    dx = [x - mean_x for x in xs]
    dy = [y - mean_y for y in ys]
    sxx = sum(d * d for d in dx)
    syy = sum(d * d for d in dy)
    if sxx <= 1e-12 or syy <= 1e-12:
        return None
    return sum(a * b for a, b in zip(dx, dy)) / math.sqrt(sxx * syy)


def profile_vector(scores: Mapping[str, float]) -> list[float]:
    return [float(scores.get(letter, 0) or 0) for letter in LETTERS]


def scales_text(code: str) -> str:
    """«исследовательский (I), реалистический (R) и артистический (A)»."""
    names = [f"{TYPE_NAMES[letter]} ({letter})" for letter in code]
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + " и " + names[-1]
