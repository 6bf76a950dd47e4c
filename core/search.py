"""Search that behaves the same on SQLite and PostgreSQL.

SQLite folds only ASCII case, and real documents mix Latin letters into Cyrillic words
(«Профорientационного»). So every searchable row keeps a normalised copy of its text, and every query
is normalised the same way: lower case, «ё» as «е», Latin letters inside a Cyrillic word read as the
Cyrillic letters they stand for, punctuation dropped. Matching is then a plain substring test per word.
"""

import re

from django.db.models import Q, QuerySet

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


def filter_by_search(queryset: QuerySet, query: str, *, field: str = "search_text") -> QuerySet:
    """Rows whose normalised text contains every word of the query (in any order)."""
    condition = Q()
    for term in query_terms(query):
        condition &= Q(**{f"{field}__contains": term})
    return queryset.filter(condition)
