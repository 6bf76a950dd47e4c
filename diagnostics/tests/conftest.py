"""The diagnostics test world: the shipped instruments, consents given, answer sets scored by hand, and a helper that
answers an attempt item by item with a plausible pause (answers are timed from the moment an item is shown)."""

import datetime
import json
from pathlib import Path

import pytest
from django.utils import timezone

from diagnostics.models import Answer, Attempt, InstrumentVersion
from diagnostics.shipped import shipped_instruments_ensure
from privacy.models import ConsentKind, ConsentRecord

INSTRUMENTS = Path(__file__).resolve().parents[1] / "instruments"


@pytest.fixture(autouse=True)
def shipped(db):
    """The shipped instruments and kinds of consent (a transactional test may have emptied the database)."""
    from privacy.shipped import shipped_data_ensure

    shipped_data_ensure()
    shipped_instruments_ensure()


def consent_given(student, purpose: str = "diagnostics", decision: str = "given") -> None:
    """Both the student and a parent decided on paper (whoever the age asks for)."""
    kind = ConsentKind.objects.get(code=purpose)
    text = kind.texts.order_by("-version").first()
    for party in ("student", "parent"):
        ConsentRecord.objects.create(
            student=student, kind=kind, text=text, party=party, decision=decision, channel="paper", decided_on=timezone.localdate()
        )


def version(code: str) -> InstrumentVersion:
    return InstrumentVersion.objects.select_related("instrument").get(instrument__code=code, is_current=True)


def raw_definition(code: str) -> dict:
    return json.loads((INSTRUMENTS / f"{code}.json").read_text(encoding="utf-8"))


def answer_all(attempt: Attempt, answers: dict[int, str], *, seconds: float = 5.0) -> None:
    """Store answers as if each had taken `seconds` (bypassing the clock, which the service reads)."""
    now = timezone.now()
    for number, option in answers.items():
        Answer.objects.update_or_create(
            attempt=attempt, item=number,
            defaults={"option": option, "milliseconds": int(seconds * 1000), "answered_at": now + datetime.timedelta(seconds=number)},
        )  # fmt: skip


# --- answer sets scored by hand ------------------------------------------------------------------------------------

# RIASEC (60 items, types in the order R I A S E C repeating; like5: «1» = 0 … «5» = 4):
# every R item «5» (4 × 10 = 40), I «4» (30), A «1» (0), S «3» (20), E «2» (10), C «3» (20).
RIASEC_KEYS = {"R": "5", "I": "4", "A": "1", "S": "3", "E": "2", "C": "3"}
RIASEC_ANSWERS = {number: RIASEC_KEYS["RIASEC"[(number - 1) % 6]] for number in range(1, 61)}
RIASEC_SCORES = {"R": 40, "I": 30, "A": 0, "S": 20, "E": 10, "C": 20}
RIASEC_CODE = "RIS"  # S and C tie at 20: the file's order (R I A S E C) puts S first

# The parent version: C items «5» (40), E items «4» (30), the rest «1» (0) → code C, E, then R (first of the ties).
PARENT_KEYS = {"R": "1", "I": "1", "A": "1", "S": "1", "E": "4", "C": "5"}
PARENT_ANSWERS = {number: PARENT_KEYS["RIASEC"[(number - 1) % 6]] for number in range(1, 61)}
PARENT_SCORES = {"R": 0, "I": 0, "A": 0, "S": 0, "E": 30, "C": 40}

# Klimov's five types (20 pairs): the «nature» option wherever a pair has one (items 1a 3b 6a 9b 11b 13a 16b 19a, all
# 8), «a» elsewhere: human 2 8 14, technic 4 7 20, sign 5 12 17, art 10 15 18 — 3 each.
KLIMOV_ANSWERS = dict.fromkeys(range(1, 21), "a") | {3: "b", 9: "b", 11: "b", 16: "b"}
KLIMOV_SCORES = {"nature": 8, "technic": 3, "human": 3, "sign": 3, "art": 3}

# Readiness (agree4: «1» = 0 … «4» = 3; items 7 and 9 reversed):
# decided 1 «4» (3) + 4 «4» (3) + 7 «1» reversed (3) = 9; informed 2 «3» (2) + 5 «1» (0) + 8 «4» (3) = 5;
# backup 3 «2» (1) + 6 «2» (1) + 9 «4» reversed (0) = 2.
READINESS_ANSWERS = {1: "4", 2: "3", 3: "2", 4: "4", 5: "1", 6: "2", 7: "1", 8: "4", 9: "4"}
READINESS_SCORES = {"decided": 9, "informed": 5, "backup": 2}
