"""What the result pages, the class summary and the territory summary show: scale rows with their bands, charts
(core.charts), distributions of leading types. Aggregates shown to someone who may not see the individual results hide
every group smaller than diagnostics.policy.MIN_GROUP."""

from collections import Counter, defaultdict
from dataclasses import dataclass, field

from core.charts import Bar, bar_chart
from core.formatting import count_text, number, percent
from diagnostics.format import Compiled, Scale, compiled
from diagnostics.models import Attempt, Instrument
from diagnostics.policy import MIN_GROUP
from diagnostics.selectors import code_ru


@dataclass
class ScaleRow:
    scale: Scale
    score: int
    band_title: str
    band_text: str
    reference: int | None = None


@dataclass
class ResultCard:
    attempt: Attempt
    instrument: Compiled
    rows: list[ScaleRow]
    chart: str
    code: str  # the Holland code in Russian letters, or ""
    leading: list[ScaleRow] = field(default_factory=list)  # the scales that stand out
    reference_label: str = ""


def result_card(
    attempt: Attempt, *, reference: Attempt | None = None, reference_label: str = "в прошлый раз", chart_id: str = ""
) -> ResultCard:
    """An attempt's scores as the pages show them; `reference` (a previous result, the parent's view) as a tick on each bar."""
    instrument = compiled(attempt.version)
    rows = []
    for scale in instrument.scales:
        value = int(attempt.scores.get(scale.code, 0))
        band = scale.band(value)
        ref = int(reference.scores[scale.code]) if reference is not None and scale.code in reference.scores else None
        rows.append(ScaleRow(scale, value, band.title if band else "", band.text if band else "", ref))
    maximum = max((row.scale.maximum for row in rows), default=0)
    same_range = len({(row.scale.minimum, row.scale.maximum) for row in rows}) == 1
    chart = bar_chart(
        chart_id=chart_id or f"result-{attempt.pk}",
        title=f"{instrument.short_title}: баллы по шкалам",
        bars=[Bar(row.scale.short, row.score, row.reference, reference_label) for row in rows],
        value_text=(lambda v: f"{number(v, 0)} из {maximum}") if same_range else (lambda v: number(v, 0)),
        desc=f"Наибольший возможный балл по каждой шкале — {maximum}." if same_range else "",
        maximum=maximum if same_range else None,
    )  # fmt: skip
    if instrument.profile == Instrument.Profile.RIASEC:
        order = {code: index for index, code in enumerate(attempt.code)}
        leading = sorted((row for row in rows if row.scale.code in order), key=lambda row: order[row.scale.code])
    else:
        top = sorted(rows, key=lambda row: -row.scale.normalise(row.score))
        leading = [row for row in top if row.score == top[0].score] if top else []
    return ResultCard(attempt, instrument, rows, chart, code_ru(attempt.code), leading, reference_label if reference else "")


# --- distributions of leading types -----------------------------------------------------------------------------------


@dataclass
class Distribution:
    """How many of a group lead with each scale (the first letter of the Holland code; for other profiles the highest
    scale) and the group's mean score on each, with what may be shown."""

    instrument: Compiled
    count: int
    leading: dict[str, int]
    means: dict[str, float]
    hidden: bool  # fewer than MIN_GROUP and the viewer may not see individuals

    def leading_rows(self) -> list[tuple[Scale, int, int]]:
        return [
            (scale, self.leading.get(scale.code, 0), percent(self.leading.get(scale.code, 0), self.count))
            for scale in self.instrument.scales
        ]


def leading_scale(instrument: Compiled, normalised: dict) -> str:
    order = {scale.code: index for index, scale in enumerate(instrument.scales)}
    return min(order, key=lambda code: (-float(normalised.get(code, 0)), order[code]))


def distribution(instrument: Compiled, results: list[dict], *, min_group: int | None = MIN_GROUP) -> Distribution:
    """`results`: the normalised scores (scale -> 0..1) of each member's latest reliable result; versions of one profile
    compare by them. Means are in per cent of the highest score."""
    leading: Counter = Counter()
    sums: dict[str, float] = defaultdict(float)
    for normalised in results:
        leading[leading_scale(instrument, normalised)] += 1
        for scale in instrument.scales:
            sums[scale.code] += float(normalised.get(scale.code, 0))
    count = len(results)
    means = {code: 100 * total / count for code, total in sums.items()} if count else {}
    return Distribution(instrument, count, dict(leading), means, hidden=min_group is not None and count < min_group)


def distribution_chart(dist: Distribution, *, chart_id: str, title: str) -> str:
    """The share of the group leading with each scale."""
    bars = [Bar(scale.short, share) for scale, _, share in dist.leading_rows()]
    return bar_chart(
        chart_id=chart_id, title=title, bars=bars, value_text=lambda v: f"{number(v, 0)} %", maximum=100,
        desc=f"Из {count_text(dist.count, 'результата', 'результатов', 'результатов')}: доля тех, у кого эта шкала — ведущая.",
    )  # fmt: skip


def means_chart(dist: Distribution, *, chart_id: str, title: str) -> str:
    return bar_chart(
        chart_id=chart_id, title=title, bars=[Bar(scale.short, round(dist.means.get(scale.code, 0))) for scale in dist.instrument.scales],
        value_text=lambda v: f"{number(v, 0)} %", maximum=100, desc="Средний балл группы по каждой шкале, в процентах от наибольшего возможного.",
    )  # fmt: skip
