"""The compliance rule of the профминимум, in one place: a student's state by their hours, the level's
minimum, the per-direction minima and the pace expected by a date. Tables, charts, exports and homes receive
states from here; none decides «met» or «on track» itself."""

import datetime
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from orgs.models import SchoolYear

ZERO = Decimal("0")

# How far below the expected pace a student may be before «behind» becomes «at risk»: a tenth of the
# year's minimum (4 h at the basic level).
AT_RISK_SHARE = Decimal("0.1")


class State:
    MET = "met"
    ON_TRACK = "on_track"
    BEHIND = "behind"
    AT_RISK = "at_risk"
    NO_LEVEL = "no_level"

    ORDER = [MET, ON_TRACK, BEHIND, AT_RISK, NO_LEVEL]
    LABELS = {
        MET: "норма выполнена",
        ON_TRACK: "идёт по графику",
        BEHIND: "отстаёт",
        AT_RISK: "в зоне риска",
        NO_LEVEL: "уровень школы не выбран",
    }


def year_fraction(school_year: SchoolYear, today: datetime.date) -> Decimal:
    """The share of the school year gone by today, 0 before it starts and 1 after it ends."""
    if today <= school_year.starts_on:
        return Decimal("0")
    if today >= school_year.ends_on:
        return Decimal("1")
    return Decimal((today - school_year.starts_on).days) / Decimal((school_year.ends_on - school_year.starts_on).days)


def expected_hours(min_hours: Decimal, fraction: Decimal) -> Decimal:
    return (min_hours * fraction).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def compliance_state(*, hours: Decimal, min_hours: Decimal | None, directions_met: bool, fraction: Decimal) -> str:
    """met: the year's minimum (and every per-direction minimum) reached; on track: at or above the pace
    expected by today; behind: below it; at risk: more than a tenth of the minimum below it."""
    if min_hours is None:
        return State.NO_LEVEL
    if hours >= min_hours and directions_met:
        return State.MET
    expected = expected_hours(min_hours, fraction)
    if hours >= expected:
        return State.ON_TRACK
    if hours >= expected - min_hours * AT_RISK_SHARE:
        return State.BEHIND
    return State.AT_RISK


@dataclass
class Compliance:
    """The figures of one scope: students by state, hours by direction, lessons held."""

    students: int = 0
    by_state: dict[str, int] = field(default_factory=lambda: dict.fromkeys(State.ORDER, 0))
    total_hours: Decimal = ZERO
    hours_by_direction: dict[int, Decimal] = field(default_factory=dict)
    lessons_held: int = 0

    @property
    def average_hours(self) -> Decimal:
        return (self.total_hours / self.students).quantize(Decimal("0.1")) if self.students else ZERO

    def share(self, state: str) -> int:
        return round(100 * self.by_state[state] / self.students) if self.students else 0


def hours_missing(hours: Decimal, minimum: Decimal | None) -> Decimal:
    """Hours still needed to reach a minimum: 0 once it is reached, and where there is no minimum."""
    if minimum is None or hours >= minimum:
        return ZERO
    return minimum - hours


def missing_by_direction(by_direction) -> list[tuple[object, Decimal]]:
    """What is still missing by direction: (direction, hours still needed) for each direction whose minimum
    is not reached yet, in the order given. `by_direction` is [(direction, hours, minimum or None)], as
    `selectors.student_compliance` gives it."""
    return [(direction, hours_missing(hours, minimum)) for direction, hours, minimum in by_direction if hours_missing(hours, minimum)]


def hours_behind_pace(*, hours: Decimal, min_hours: Decimal | None, fraction: Decimal) -> Decimal:
    """How far below the pace expected by the date a student is (0 at or above it, and with no level)."""
    if min_hours is None:
        return ZERO
    return hours_missing(hours, expected_hours(min_hours, fraction))
