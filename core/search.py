"""Search that behaves the same on SQLite and PostgreSQL.

SQLite folds only ASCII case, and real documents mix Latin letters into Cyrillic words
(«Профорientационного»). So every searchable row keeps a normalised copy of its text, and every query
is normalised the same way: lower case, «ё» as «е», Latin letters inside a Cyrillic word read as the
Cyrillic letters they stand for, punctuation dropped. Matching is then a plain substring test per word.

Found rows are ordered by how well they match (`search_rank`, the same rule in SQL and in Python): the
query's words as a phrase first, then as whole words, then as word starts, then anywhere inside words.
Names with numbers sort as people read them («Школа № 2» before «Школа № 11»): `natural_sort_key`.
"""

import re

from django.db.models import Case, IntegerField, Q, QuerySet, Value, When

# Upper-case Latin letters that look like Cyrillic capitals are read by shape; everything else by sound.
_LATIN_UPPER_BY_SHAPE = {
    "A": "а", "B": "в", "C": "с", "E": "е", "H": "н", "K": "к", "M": "м", "O": "о", "P": "р", "T": "т",
    "X": "х", "Y": "у",
}  # fmt: skip
_LATIN_LOWER = {
    "a": "а", "b": "б", "c": "с", "d": "д", "e": "е", "f": "ф", "g": "г", "h": "х", "i": "и", "j": "й",
    "k": "к", "l": "л", "m": "м", "n": "н", "o": "о", "p": "р", "q": "к", "r": "р", "s": "с", "t": "т",
    "u": "у", "v": "в", "w": "в", "x": "х", "y": "у", "z": "з",
}  # fmt: skip

_WORD = re.compile(r"[^\W_]+", re.UNICODE)
_CYRILLIC = re.compile(r"[а-яё]", re.IGNORECASE)
_LATIN = re.compile(r"[A-Za-z]")


def _fold_word(word: str) -> str:
    if _CYRILLIC.search(word) and _LATIN.search(word):
        word = "".join(_LATIN_UPPER_BY_SHAPE.get(ch) or _LATIN_LOWER.get(ch.lower(), ch) if _LATIN.match(ch) else ch for ch in word)
    return word.casefold().replace("ё", "е")


def normalize_search_text(*parts: object) -> str:
    """The stored form: words folded and joined by single spaces, with spaces at both ends for word starts."""
    words: list[str] = []
    for part in parts:
        if part is None or part == "":
            continue
        words.extend(_fold_word(word) for word in _WORD.findall(str(part)))
    return " " + " ".join(words) + " " if words else ""


def query_terms(query: str) -> list[str]:
    return [_fold_word(word) for word in _WORD.findall(query or "")][:8]


# Shorter words match only where a word starts («ив» finds «Иванов», not «Давид»): inside words they match
# nearly every row, and a trigram index (PostgreSQL) can serve a word start but not a two-letter fragment.
SHORT_TERM = 2


def term_pattern(term: str) -> str:
    """What a folded query word must be found as in the stored text."""
    return f" {term}" if len(term) <= SHORT_TERM else term


def search_condition(query: str, *, field: str = "search_text") -> Q:
    """Every word of the query (in any order) in the normalised text of `field`; an empty Q for no words."""
    condition = Q()
    for term in query_terms(query):
        condition &= Q(**{f"{field}__contains": term_pattern(term)})
    return condition


def filter_by_search(queryset: QuerySet, query: str, *, field: str = "search_text") -> QuerySet:
    """Rows whose normalised text contains every word of the query (in any order)."""
    return queryset.filter(search_condition(query, field=field))


def matches_search(text: str, query: str) -> bool:
    """filter_by_search for one stored text, in Python."""
    return all(term_pattern(term) in text for term in query_terms(query))


# --- ranking: exact matches first ---------------------------------------------------------------------

RANK_PHRASE, RANK_WORDS, RANK_WORD_STARTS, RANK_INSIDE = 0, 1, 2, 3


def search_rank(text: str, query: str) -> int:
    """How well a stored search text (see normalize_search_text) matches the query: 0 — the query's words
    as a phrase, 1 — each as a whole word, 2 — each at the start of a word, 3 — somewhere inside words."""
    terms = query_terms(query)
    if not terms:
        return RANK_INSIDE
    if f" {' '.join(terms)} " in text:
        return RANK_PHRASE
    if all(f" {term} " in text for term in terms):
        return RANK_WORDS
    if all(f" {term}" in text for term in terms):
        return RANK_WORD_STARTS
    return RANK_INSIDE


def search_rank_expression(query: str, *, field: str = "search_text") -> Case:
    """search_rank as an SQL expression, for ordering in the database: `.order_by(search_rank_expression(q), ...)`."""
    terms = query_terms(query)

    def every(pattern: str) -> Q:
        condition = Q()
        for term in terms:
            condition &= Q(**{f"{field}__contains": pattern.format(term)})
        return condition

    if not terms:
        return Case(default=Value(RANK_INSIDE), output_field=IntegerField())
    return Case(
        When(Q(**{f"{field}__contains": f" {' '.join(terms)} "}), then=Value(RANK_PHRASE)),
        When(every(" {} "), then=Value(RANK_WORDS)),
        When(every(" {}"), then=Value(RANK_WORD_STARTS)),
        default=Value(RANK_INSIDE),
        output_field=IntegerField(),
    )


def search_tiers(query: str, *, field: str = "search_text") -> list[Q]:
    """The rows of filter_by_search split by search_rank, best first: one condition per rank, each excluding
    the better ones. A page of the best matches can then be read tier by tier, each ordered by an index
    (`.filter(tier).order_by(field)[:n]`), instead of ranking and sorting every match. Ranks that cannot
    hold a row for this query are left out (a one-word query has no phrase apart from its whole word; words
    of one or two letters are matched only at word starts)."""
    terms = query_terms(query)
    if not terms:
        return []

    def every(pattern) -> Q:
        condition = Q()
        for term in terms:
            condition &= Q(**{f"{field}__contains": pattern(term)})
        return condition

    phrase = Q(**{f"{field}__contains": f" {' '.join(terms)} "})
    words, starts, found = every(lambda t: f" {t} "), every(lambda t: f" {t}"), every(term_pattern)
    tiers = [phrase, words & ~phrase] if len(terms) > 1 else [words]
    tiers.append(starts & ~words)
    if any(len(term) > SHORT_TERM for term in terms):
        tiers.append(found & ~starts)
    return tiers


# --- natural order ------------------------------------------------------------------------------------

_DIGITS = re.compile(r"\d+")
_NUMBER_WIDTH = 12


def natural_sort_key(text: object) -> str:
    """A key that sorts names as people read them: «Школа № 2» before «Школа № 11» and before «Школа с. Бета»;
    case, «ё», punctuation and Latin look-alikes aside (the words of normalize_search_text).

    A string (not a tuple) so that it can also be stored in a column and ordered by in SQL: digit runs are
    padded with zeros to a fixed width, so numbers come before letters. Compare keys by code point (Python's
    own order, or a "C" collation in the database)."""
    words = (_fold_word(word) for word in _WORD.findall(str(text or "")))
    return " ".join(_DIGITS.sub(lambda match: match.group().lstrip("0").rjust(_NUMBER_WIDTH, "0"), word) for word in words)


def fold_lookalikes(text: str) -> str:
    """The text with the Latin letters inside Cyrillic words replaced by the Cyrillic letters they stand for, case
    kept («Ивaнов» typed with a Latin «a» → «Иванов»): what an import stores, where `normalize_search_text` only
    compares. Words written wholly in Latin letters stay as they are."""

    def fold(match: re.Match) -> str:
        word = match.group()
        if not (_CYRILLIC.search(word) and _LATIN.search(word)):
            return word
        letters = []
        for ch in word:
            if not _LATIN.match(ch):
                letters.append(ch)
            elif ch.isupper():
                letters.append((_LATIN_UPPER_BY_SHAPE.get(ch) or _LATIN_LOWER[ch.lower()]).upper())
            else:
                letters.append(_LATIN_LOWER[ch])
        return "".join(letters)

    return _WORD.sub(fold, text)
