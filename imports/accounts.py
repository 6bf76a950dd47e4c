"""Accounts of imported people, and their first passwords.

An import gives every student and parent it brings an account at once — a login, the flag that the person sets
their own password at the first sign-in, and no usable password. Nothing is hashed at import (a region's 50,000
pupils would take hours with the production hasher), and no first password is ever stored: printing a class's
list issues new one-time passwords for the accounts on it that still wait for one, and the sheet is the only
place they exist.

A one-time password is twelve random characters (about 59 bits). Its hash uses PBKDF2 with fewer rounds than the
platform's own, because a class teacher prints thirty at once and the full count costs half a second each: at
this length guessing it back from a stolen hash is out of reach all the same, and it lives until the first sign-in,
which replaces it with the person's own password hashed the full way."""

import secrets

from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX, PBKDF2PasswordHasher

# Letters and digits that cannot be mistaken for each other when read off paper (no l/1, o/0).
ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"
FIRST_PASSWORD_ROUNDS = 20_000

_TRANSLIT = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "e", "ж": "zh", "з": "z", "и": "i", "й": "y",
    "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r", "с": "s", "т": "t", "у": "u", "ф": "f",
    "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh", "щ": "shch", "ъ": "", "ы": "y", "ь": "", "э": "e", "ю": "yu", "я": "ya",
}  # fmt: skip


def translit(text: str) -> str:
    """«Дзагоева» → «dzagoeva»: a login's letters (Latin, lower case, nothing else)."""
    result = "".join(_TRANSLIT.get(ch, ch) for ch in text.lower())
    return "".join(ch for ch in result if "a" <= ch <= "z")


def login_for(last_name: str, person_id: int) -> str:
    """A person's login: the surname in Latin letters and the person's number («dzagoeva15234»), unique because the
    number is, and easy to read off a printed sheet."""
    return f"{translit(last_name)[:20] or 'user'}{person_id}"


def unusable_password() -> str:
    """What `set_unusable_password` stores, made without its per-call cost: no password matches it."""
    return UNUSABLE_PASSWORD_PREFIX + secrets.token_hex(20)


def first_password() -> str:
    """A one-time password as it is printed: «k7mq-x2vd-9hrt»."""
    raw = "".join(secrets.choice(ALPHABET) for _ in range(12))
    return f"{raw[:4]}-{raw[4:8]}-{raw[8:]}"


def first_password_hash(password: str) -> str:
    hasher = PBKDF2PasswordHasher()
    return hasher.encode(password, hasher.salt(), iterations=FIRST_PASSWORD_ROUNDS)


def parent_code() -> str:
    """A one-time code for a family: «PN-K7MQ-X2VD-9HR» (about 54 bits), read off paper."""
    raw = "".join(secrets.choice(ALPHABET) for _ in range(11)).upper()
    return f"PN-{raw[:4]}-{raw[4:8]}-{raw[8:]}"


def parent_code_normalize(code: str) -> str:
    """What a typed code is compared as: letters and digits, upper case, without the «PN» prefix."""
    raw = "".join(ch for ch in (code or "").upper() if ch.isalnum())
    return raw.removeprefix("PN")
