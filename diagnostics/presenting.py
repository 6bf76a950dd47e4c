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


# --- the parent's view beside the child's own answers -------------------------------------------------------------------

GAP_NOTABLE = 0.2  # a fifth of a scale's range: a difference worth talking about


@dataclass
class Comparison:
    """The child's own RIASEC result and a parent's view of it, side by side, with what agrees and what differs in
    plain words: the leading types in common (the first three letters of each code) and the biggest gaps."""

    card: ResultCard  # the child's result with the parent's view as the reference tick
    common: list[str]  # titles of the leading types both name
    child_only: list[str]
    parent_only: list[str]
    gaps: list[tuple[str, int, int, int]]  # (scale title, child's score, parent's score, maximum), biggest first
    sentences: list[str]


CHILD_ANSWERS = {"self": "ваши ответы", "parent": "ответы ребёнка"}  # anyone else: «ответы обучающегося»


def comparison(own: Attempt, parent_view: Attempt, *, reader: str = "") -> Comparison:
    """`reader`: who reads it (policy.SELF, policy.PARENT, staff), so the sentences name the child's answers as
    «ваши ответы», «ответы ребёнка» or «ответы обучающегося»."""
    answers = CHILD_ANSWERS.get(reader, "ответы обучающегося")
    answers_in = {"self": "в ваших ответах", "parent": "в ответах ребёнка"}.get(reader, "в ответах обучающегося")
    card = result_card(own, reference=parent_view, reference_label="по мнению родителя", chart_id="compare")
    titles = {row.scale.code: row.scale.title.lower() for row in card.rows}
    own_top, parent_top = list(own.code[:3]), list(parent_view.code[:3])
    common = [titles[c] for c in own_top if c in parent_top and c in titles]
    child_only = [titles[c] for c in own_top if c not in parent_top and c in titles]
    parent_only = [titles[c] for c in parent_top if c not in own_top and c in titles]
    gaps = sorted(
        ((abs(row.scale.normalise(row.score) - row.scale.normalise(row.reference)), row) for row in card.rows if row.reference is not None),
        key=lambda pair: -pair[0],
    )
    notable = [(row.scale.title, row.score, row.reference, row.scale.maximum) for gap, row in gaps[:2] if gap >= GAP_NOTABLE]
    sentences = []
    if len(common) == 3:
        sentences.append(f"Взгляды совпадают: три ведущих типа одни и те же — {_listed(common)}.")
    elif common:
        sentences.append(f"Общее в ведущих типах: {_listed(common)}.")
    else:
        sentences.append("Ведущие типы не совпали ни в одном: ребёнок и родитель видят его интересы по-разному.")
    if child_only:
        sentences.append(f"Только {answers_in}: {_listed(child_only)}.")
    if parent_only:
        sentences.append(f"Только по мнению родителя: {_listed(parent_only)}.")
    if notable:
        parts = [f"«{title}» ({score} и {reference} из {maximum})" for title, score, reference, maximum in notable]
        sentences.append(
            f"Больше всего расходятся оценки по {'шкале' if len(parts) == 1 else 'шкалам'} {' и '.join(parts)}: "
            f"первое число — {answers}, второе — мнение родителя."
        )
    else:
        sentences.append("Заметных расхождений по шкалам нет: разница нигде не больше пятой части шкалы.")
    sentences.append("Совпадения подтверждают направление, расхождения — повод поговорить и вместе попробовать то, в чём вы расходитесь.")
    return Comparison(card, common, child_only, parent_only, notable, sentences)


def _listed(words: list[str]) -> str:
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " и " + words[-1]
