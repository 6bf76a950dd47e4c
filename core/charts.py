"""Server-side SVG charts: our own small code, no JavaScript, no third-party library.

Every function returns the SVG markup as a string (a SafeString, so templates print it as is; the PDF
reports take the same string). Each chart is an image for assistive technology: role="img", named by its
<title> (aria-labelledby) and described by its <desc> (aria-describedby), which spells the data out in words.

Every chart scales to the width it is shown at, and carries two drawings of the same data: the wide one, and
a compact one laid out for a phone (NARROW units wide, so that its 12–13 px labels stay 11–13 px on a 360 px
screen instead of shrinking to 6 px). Each drawing is a nested <svg> with its own viewBox at 100 % of the
chart's box; the stylesheet shows the compact one when the chart's container (`.chart`, a CSS container) is
narrower than the wide drawing can be read at, and gives the box the aspect ratio of the drawing it shows
(custom properties, which the root carries in data-chart-style and the page's script sets: the
Content-Security-Policy admits no style attribute). Without the stylesheet (a PDF, a file) the wide drawing shows
at its own size. Only one of the two is ever displayed, so assistive technology meets one image.

Colours: text, axes and grid lines use currentColor, so they follow the page (dark on white, white on black
in the high-contrast version). The states have fixed colours chosen to keep at least 3:1 against both white
and black, and each also has its own pattern and marker shape, and is named in the legend or the label:
colour is never the only cue.
"""

import datetime
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from html import escape

from django.utils.safestring import SafeString, mark_safe

from core.formatting import MONTHS_SHORT, count_text, date_text, hours_text, number, percent

FONT = 'system-ui, -apple-system, "Segoe UI", Roboto, "Liberation Sans", "DejaVu Sans", Arial, sans-serif'
WIDTH = 640
NARROW = 320  # the compact drawing: a 360 px phone shows a chart about 290 px wide
FONT_SIZE = 13
# An average glyph at 13 px, for laying out labels without measuring them: Cyrillic in DejaVu Sans (the
# fallback on Linux, and the widest of the fonts in FONT) is about 7.5 px.
CHAR_WIDTH = 7.6
PRIMARY = "#1a73c9"  # hours, the actual pace: 4.8:1 on white, 4.3:1 on black

# state: (colour, pattern, marker shape)
STATES = {
    "met": ("#2e8540", "solid", "check"),
    "on_track": ("#1a73c9", "stripes", "circle"),
    "behind": ("#9a6700", "dots", "triangle"),
    "at_risk": ("#d64545", "cross", "square"),
    "no_level": ("#6b7280", "lines", "ring"),
}
REFERENCE_DASHES = ["7 4", "2 3", "10 3 2 3", "4 4"]


# --- SVG plumbing -----------------------------------------------------------------------------------------


def _t(text) -> str:
    return escape(str(text), quote=True)


def _f(value: float) -> str:
    """Coordinates with at most one decimal place."""
    return f"{value:.1f}".rstrip("0").rstrip(".")


def _safe_id(chart_id: str) -> str:
    cleaned = re.sub(r"[^A-Za-z0-9_-]+", "-", chart_id).strip("-") or "chart"
    return cleaned if cleaned[0].isalpha() else f"c-{cleaned}"


@dataclass(frozen=True)
class _Drawing:
    width: float
    height: float
    body: str


def _svg(chart_id: str, title: str, desc: str, wide: _Drawing, narrow: _Drawing | None = None, defs: str = "") -> SafeString:
    """The chart's root: an image named by its title and described by its desc, holding the wide drawing and,
    if the chart is wider than a phone, the compact one (hidden until the stylesheet asks for it)."""
    cid = _safe_id(chart_id)
    if narrow is not None and wide.width <= NARROW:
        narrow = None
    # Below this width of its container the wide drawing's text would shrink under 85 % of its size.
    size = "wide-l" if wide.width >= 600 else "wide-m" if wide.width >= 500 else "wide-s"
    style = f"--chart-wide: {_f(wide.width)} / {_f(wide.height)}; --chart-wide-max: {_f(wide.width * 1.15)}px"
    if narrow is not None:
        style += f"; --chart-narrow: {_f(narrow.width)} / {_f(narrow.height)}; --chart-narrow-max: {_f(narrow.width * 1.3)}px"

    def drawing(kind: str, d: _Drawing, hidden: bool) -> str:
        display = ' display="none"' if hidden else ""
        return (
            f'<svg class="chart-svg__{kind}" viewBox="0 0 {_f(d.width)} {_f(d.height)}" width="100%" height="100%"{display}>{d.body}</svg>'
        )

    return mark_safe(
        f'<svg xmlns="http://www.w3.org/2000/svg" id="{cid}" class="chart-svg{f" chart-svg--dual chart-svg--{size}" if narrow else ""}" '
        f'width="{_f(wide.width)}" height="{_f(wide.height)}" data-chart-style="{style}" '
        f'role="img" aria-labelledby="{cid}-title" aria-describedby="{cid}-desc" '
        f'font-family="{_t(FONT)}" font-size="{FONT_SIZE}" fill="currentColor">'
        f'<title id="{cid}-title">{_t(title)}</title><desc id="{cid}-desc">{_t(desc)}</desc>'
        f"{f'<defs>{defs}</defs>' if defs else ''}"
        f"{drawing('wide', wide, False)}{drawing('narrow', narrow, True) if narrow else ''}</svg>"
    )


def _empty(cid: str, width: float, title: str, desc: str, text: str = "Нет данных.") -> SafeString:
    body = f'<text x="0" y="24">{_t(text)}</text>'
    return _svg(cid, title, desc, _Drawing(width, 40, body), _Drawing(NARROW, 40, body))


def _truncate(text: str, width: float) -> str:
    limit = max(4, int(width / CHAR_WIDTH))
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _text_width(text: str, size: float = FONT_SIZE) -> float:
    return len(text) * CHAR_WIDTH * size / FONT_SIZE


def nice_max(value: float, ticks: int = 5, integer: bool = False) -> tuple[float, float]:
    """A round top of the axis and the step between ticks: 37 → (40, 10), 0 → (1, 1). Counts of people
    (`integer`) never step by 2.5."""
    if value <= 0:
        return 1.0, 1.0
    raw_step = value / ticks
    magnitude = 10 ** math.floor(math.log10(raw_step))
    factors = (1, 2, 5, 10) if integer else (1, 2, 2.5, 5, 10)
    for factor in factors:
        step = factor * magnitude
        if step >= raw_step:
            break
    if step < 1 and value >= 1:
        step = 1
    top = math.ceil(value / step) * step
    return float(top), float(step)


def _ticks(top: float, step: float) -> list[float]:
    count = round(top / step)
    return [round(i * step, 6) for i in range(count + 1)]


def _pattern(pid: str, colour: str, kind: str) -> str:
    """A fill: the state's colour with its own texture in light lines."""
    lines = {
        "solid": "",
        "stripes": '<path d="M-2,2 l4,-4 M0,8 l8,-8 M6,10 l4,-4" stroke="#fff" stroke-opacity=".7" stroke-width="1.6"/>',
        "dots": '<circle cx="4" cy="4" r="1.6" fill="#fff" fill-opacity=".8"/>',
        "cross": '<path d="M0,0 l8,8 M8,0 l-8,8" stroke="#fff" stroke-opacity=".7" stroke-width="1.3"/>',
        "lines": '<path d="M0,4 h8" stroke="#fff" stroke-opacity=".7" stroke-width="1.6"/>',
    }[kind]
    return (
        f'<pattern id="{pid}" width="8" height="8" patternUnits="userSpaceOnUse">'
        f'<rect width="8" height="8" fill="{colour}"/>{lines}</pattern>'
    )


def _state_defs(cid: str, states: Sequence[str]) -> str:
    return "".join(_pattern(f"{cid}-{state}", STATES[state][0], STATES[state][1]) for state in states)


def _shape(shape: str, colour: str, x: float, y: float, size: float) -> str:
    """A marker of `size` with its top-left corner at (x, y)."""
    h = size / 2
    cx, cy = x + h, y + h
    if shape == "check":
        return (
            f'<circle cx="{_f(cx)}" cy="{_f(cy)}" r="{_f(h)}" fill="{colour}"/>'
            f'<path d="M{_f(x + size * 0.25)},{_f(cy)} l{_f(size * 0.17)},{_f(size * 0.2)} l{_f(size * 0.33)},{_f(-size * 0.38)}" '
            f'fill="none" stroke="#fff" stroke-width="{_f(max(1.5, size / 7))}" stroke-linecap="round" stroke-linejoin="round"/>'
        )
    if shape == "circle":
        return f'<circle cx="{_f(cx)}" cy="{_f(cy)}" r="{_f(h)}" fill="{colour}"/>'
    if shape == "triangle":
        return f'<path d="M{_f(cx)},{_f(y)} L{_f(x + size)},{_f(y + size)} L{_f(x)},{_f(y + size)} Z" fill="{colour}"/>'
    if shape == "square":
        return (
            f'<rect x="{_f(x)}" y="{_f(y)}" width="{_f(size)}" height="{_f(size)}" fill="{colour}"/>'
            f'<path d="M{_f(cx)},{_f(y + size * 0.2)} v{_f(size * 0.38)} M{_f(cx)},{_f(y + size * 0.72)} v{_f(size * 0.08)}" '
            f'stroke="#fff" stroke-width="{_f(max(1.5, size / 7))}" stroke-linecap="round"/>'
        )
    # ring: no level
    return f'<circle cx="{_f(cx)}" cy="{_f(cy)}" r="{_f(h - 1.5)}" fill="none" stroke="{colour}" stroke-width="3"/>'


def state_marker(state: str, size: int = 14) -> SafeString:
    """The small marker beside a state's name in tables: its colour and its own shape. Decorative:
    the text label next to it says the state."""
    colour, _, shape = STATES[state]
    return mark_safe(
        f'<svg class="state-marker" width="{size}" height="{size}" viewBox="0 0 {size} {size}" aria-hidden="true" '
        f'focusable="false">{_shape(shape, colour, 0, 0, size)}</svg>'
    )


def _legend(cid: str, entries: Sequence[tuple[str, str]], width: float, y: float) -> tuple[str, float]:
    """Swatches with labels flowing in rows; returns the markup and the height it took."""
    parts, x, row_y, gap = [], 0.0, y, 24.0
    for state, label in entries:
        item_width = 16 + 6 + _text_width(label) + gap
        if x > 0 and x + item_width > width:
            x, row_y = 0.0, row_y + 22
        parts.append(
            f'<g><rect x="{_f(x)}" y="{_f(row_y)}" width="16" height="16" fill="url(#{cid}-{state})" stroke="currentColor" '
            f'stroke-width=".75"/><text x="{_f(x + 22)}" y="{_f(row_y + 12.5)}">{_t(label)}</text></g>'
        )
        x += item_width
    return "".join(parts), (row_y - y) + 22


# --- charts -------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Bar:
    label: str
    value: Decimal | float | int
    reference: Decimal | float | int | None = None  # a minimum or a target, drawn as a tick across the bar
    reference_label: str = "мин."


def bar_chart(
    *, chart_id: str, title: str, bars: Sequence[Bar], unit: str = "ч", desc: str = "", width: int = WIDTH,
    value_text=None, empty_text: str = "Нет данных.", maximum: float | None = None,
) -> SafeString:  # fmt: skip
    """Horizontal bars, each with its label above it (long Russian names fit), its value after it and an
    optional reference tick (say, the direction's minimum). `maximum` fixes the full length of a bar (a scale's
    highest score) instead of rounding up the largest value."""
    cid = _safe_id(chart_id)
    value_text = value_text or (lambda v: f"{number(v)} {unit}".strip())
    spoken = "; ".join(
        f"{bar.label} — {value_text(bar.value)}"
        + (f" ({bar.reference_label} {value_text(bar.reference)})" if bar.reference is not None else "")
        for bar in bars
    )
    desc = " ".join(part for part in (desc, spoken + "." if bars else empty_text) if part)
    if not bars:
        return _empty(cid, width, title, desc, empty_text)
    top_value = max(max(float(b.value) for b in bars), max((float(b.reference) for b in bars if b.reference is not None), default=0))
    top = float(maximum) if maximum and maximum >= top_value else nice_max(top_value)[0]
    texts = [
        value_text(bar.value) + (f" ({bar.reference_label} {number(bar.reference)})" if bar.reference is not None else "") for bar in bars
    ]
    # The compact drawing keeps just the room its longest value needs after the bars (bold: a little wider).
    compact_right = min(max(_text_width(text) * 1.05 for text in texts) + 12, NARROW * 0.45)
    return _svg(
        cid,
        title,
        desc,
        _bars(bars, texts, top, value_text, width, right=150.0),
        _bars(bars, texts, top, value_text, NARROW, compact_right),
    )


def _bars(bars: Sequence[Bar], texts: list[str], top: float, value_text, width: float, right: float) -> _Drawing:
    left, row_height, bar_height = 4.0, 46.0, 18.0
    plot = width - left - right
    parts = []
    for index, (bar, text) in enumerate(zip(bars, texts)):
        y = 4 + index * row_height
        bar_y = y + 20
        length = plot * max(0.0, float(bar.value)) / top
        label = _truncate(bar.label, width - left)
        parts.append(f'<text x="{_f(left)}" y="{_f(y + 13)}">{_t(label)}<title>{_t(bar.label)}</title></text>')
        parts.append(
            f'<rect x="{_f(left)}" y="{_f(bar_y)}" width="{_f(plot)}" height="{_f(bar_height)}" fill="none" '
            f'stroke="currentColor" stroke-opacity=".35"/>'
        )
        if length > 0:
            parts.append(
                f'<rect x="{_f(left)}" y="{_f(bar_y)}" width="{_f(length)}" height="{_f(bar_height)}" fill="{PRIMARY}">'
                f"<title>{_t(bar.label)}: {_t(value_text(bar.value))}</title></rect>"
            )
        if bar.reference is not None:
            ref_x = left + plot * float(bar.reference) / top
            parts.append(
                f'<path d="M{_f(ref_x)},{_f(bar_y - 4)} v{_f(bar_height + 8)}" stroke="currentColor" stroke-width="2.5">'
                f"<title>{_t(bar.reference_label)} {_t(value_text(bar.reference))}</title></path>"
            )
        parts.append(f'<text x="{_f(left + plot + 8)}" y="{_f(bar_y + 13.5)}" font-weight="600">{_t(text)}</text>')
    return _Drawing(width, 4 + len(bars) * row_height + 4, "".join(parts))


@dataclass(frozen=True)
class StackRow:
    label: str
    counts: dict[str, int]  # state -> students


def stacked_bar_chart(
    *, chart_id: str, title: str, rows: Sequence[StackRow], states: Sequence[tuple[str, str]], desc: str = "",
    width: int = WIDTH, noun: tuple[str, str, str] = ("обучающийся", "обучающихся", "обучающихся"),
) -> SafeString:  # fmt: skip
    """One 100 % bar per row (a municipality, a school, a class), split by state; a legend of the states
    with their patterns; each segment counted and named in its tooltip and in the description."""
    cid = _safe_id(chart_id)
    state_keys = [key for key, _ in states]
    labels = dict(states)
    spoken_rows = []
    for row in rows:
        total = sum(row.counts.get(k, 0) for k in state_keys)
        pieces = ", ".join(
            f"{labels[k]} — {row.counts.get(k, 0)} ({percent(row.counts.get(k, 0), total)} %)" for k in state_keys if row.counts.get(k, 0)
        )
        spoken_rows.append(f"{row.label}: {count_text(total, *noun)}" + (f"; {pieces}" if pieces else ""))
    desc = " ".join(part for part in (desc, ". ".join(spoken_rows) + "." if rows else "Нет данных.") if part)

    def drawing(width: float) -> _Drawing:
        legend, legend_height = _legend(cid, states, width, 2)
        parts = [f'<g class="legend">{legend}</g>']
        left, right = 4.0, 8.0
        plot = width - left - right
        y0 = 2 + legend_height + 8
        row_height, bar_height = 50.0, 22.0
        for index, row in enumerate(rows):
            y = y0 + index * row_height
            bar_y = y + 20
            total = sum(row.counts.get(k, 0) for k in state_keys)
            caption = f"{row.label} — {count_text(total, *noun)}"
            parts.append(f'<text x="{_f(left)}" y="{_f(y + 13)}">{_t(_truncate(caption, plot))}<title>{_t(caption)}</title></text>')
            parts.append(
                f'<rect x="{_f(left)}" y="{_f(bar_y)}" width="{_f(plot)}" height="{_f(bar_height)}" fill="none" '
                f'stroke="currentColor" stroke-opacity=".5"/>'
            )
            x = left
            for key in state_keys:
                count = row.counts.get(key, 0)
                if not count or not total:
                    continue
                segment = plot * count / total
                parts.append(
                    f'<rect x="{_f(x)}" y="{_f(bar_y)}" width="{_f(segment)}" height="{_f(bar_height)}" fill="url(#{cid}-{key})" '
                    f'stroke="currentColor" stroke-width=".75"><title>{_t(row.label)}: {_t(labels[key])} — {count} '
                    f"({percent(count, total)} %)</title></rect>"
                )
                text = number(count, 0)
                if segment >= _text_width(text) + 10:
                    parts.append(
                        f'<text x="{_f(x + segment / 2)}" y="{_f(bar_y + 15.5)}" text-anchor="middle" font-weight="700" '
                        f'fill="#fff" stroke="#1a1f2b" stroke-width="3" paint-order="stroke" aria-hidden="true">{text}</text>'
                    )
                x += segment
        axis_y = y0 + len(rows) * row_height + 2
        for share in (0, 25, 50, 75, 100):
            x = left + plot * share / 100
            anchor = "start" if share == 0 else "end" if share == 100 else "middle"
            parts.append(
                f'<path d="M{_f(x)},{_f(y0 + 18)} V{_f(axis_y)}" stroke="currentColor" stroke-opacity=".25" stroke-dasharray="2 3"/>'
            )
            parts.append(f'<text x="{_f(x)}" y="{_f(axis_y + 14)}" text-anchor="{anchor}" font-size="12">{share} %</text>')
        if not rows:
            parts.append(f'<text x="{_f(left)}" y="{_f(y0 + 14)}">Нет данных.</text>')
        return _Drawing(width, axis_y + 22, "".join(parts))

    return _svg(cid, title, desc, drawing(width), drawing(NARROW), _state_defs(cid, state_keys))


def column_chart(
    *, chart_id: str, title: str, columns: Sequence[tuple[str, int]], x_title: str, y_title: str, desc: str = "",
    width: int = WIDTH, height: int = 280, value_noun: tuple[str, str, str] = ("обучающийся", "обучающихся", "обучающихся"),
) -> SafeString:  # fmt: skip
    """Vertical bars (the distribution of hours in 10-hour bins), each with its count above it."""
    cid = _safe_id(chart_id)
    spoken = "; ".join(f"{label} — {count_text(value, *value_noun)}" for label, value in columns)
    desc = " ".join(part for part in (desc, f"{x_title}: {spoken}." if columns else "Нет данных.") if part)
    if not columns:
        return _empty(cid, width, title, desc)
    top, step = nice_max(max(value for _, value in columns), integer=True)
    if top < 1:
        top, step = 1.0, 1.0

    def drawing(width: float, left: float) -> _Drawing:
        right, bottom = 8.0, 48.0
        slot = (width - left - right) / len(columns)
        # Counts wider than their column stand upright above it rather than run into each other.
        widest_count = max(_text_width(number(v, 0), 12) for _, v in columns) * 1.05
        upright = slot < widest_count + 4
        top_margin = widest_count + 8 if upright else 18.0
        plot_w, plot_h = width - left - right, height - top_margin - bottom
        parts = []
        for tick in _ticks(top, step):
            y = top_margin + plot_h - plot_h * tick / top
            parts.append(
                f'<path d="M{_f(left)},{_f(y)} H{_f(width - right)}" stroke="currentColor" stroke-opacity="{".6" if tick == 0 else ".2"}"/>'
            )
            parts.append(f'<text x="{_f(left - 6)}" y="{_f(y + 4)}" text-anchor="end" font-size="12">{number(tick, 0)}</text>')
        bar_w = max(4.0, slot * 0.7)
        rotate = slot < max(_text_width(label, 12) for label, _ in columns) + 6
        for index, (label, value) in enumerate(columns):
            x = left + index * slot + (slot - bar_w) / 2
            h = plot_h * value / top
            y = top_margin + plot_h - h
            if h > 0:
                parts.append(
                    f'<rect x="{_f(x)}" y="{_f(y)}" width="{_f(bar_w)}" height="{_f(h)}" fill="{PRIMARY}">'
                    f"<title>{_t(label)} ч: {_t(count_text(value, *value_noun))}</title></rect>"
                )
            cx = x + bar_w / 2
            if upright:
                parts.append(
                    f'<text x="{_f(cx + 4)}" y="{_f(y - 4)}" font-size="12" font-weight="600" transform="rotate(-90 {_f(cx + 4)} {_f(y - 4)})">'
                    f"{number(value, 0)}</text>"
                )
            else:
                parts.append(
                    f'<text x="{_f(cx)}" y="{_f(y - 4)}" text-anchor="middle" font-size="12" font-weight="600">{number(value, 0)}</text>'
                )
            lx, ly = x + bar_w / 2, top_margin + plot_h + 16
            if rotate:
                parts.append(
                    f'<text x="{_f(lx)}" y="{_f(ly)}" text-anchor="end" font-size="12" transform="rotate(-35 {_f(lx)} {_f(ly)})">{_t(label)}</text>'
                )
            else:
                parts.append(f'<text x="{_f(lx)}" y="{_f(ly)}" text-anchor="middle" font-size="12">{_t(label)}</text>')
        parts.append(f'<text x="{_f(left + plot_w / 2)}" y="{_f(height - 4)}" text-anchor="middle" font-size="12">{_t(x_title)}</text>')
        parts.append(
            f'<text x="12" y="{_f(top_margin + plot_h / 2)}" text-anchor="middle" font-size="12" '
            f'transform="rotate(-90 12 {_f(top_margin + plot_h / 2)})">{_t(y_title)}</text>'
        )
        return _Drawing(width, height, "".join(parts))

    return _svg(cid, title, desc, drawing(width, 52.0), drawing(NARROW, 46.0))


@dataclass(frozen=True)
class Series:
    label: str
    values: Sequence[Decimal | float | None]  # one per x; None where the series has no point
    primary: bool = False  # the actual figure (solid, coloured, with points); others are reference lines
    end_label: str = ""  # written at the line's end, so that the line is named without a legend


def line_chart(
    *, chart_id: str, title: str, x: Sequence[datetime.date], series: Sequence[Series], y_title: str = "часов",
    marker: datetime.date | None = None, marker_label: str = "", desc: str = "", width: int = WIDTH, height: int = 320,
) -> SafeString:  # fmt: skip
    """Lines over the weeks of the year: the actual average (solid, coloured, with points) against the
    reference paces (dashed, each its own dash), every line named at its end (in the compact drawing, in a
    legend under the plot, which leaves the lines the whole width)."""
    cid = _safe_id(chart_id)
    spoken = []
    for s in series:
        known = [(day, v) for day, v in zip(x, s.values) if v is not None]
        if known:
            day, value = known[-1]
            spoken.append(f"{s.label}: {hours_text(value)} к неделе с {date_text(day)}")
    desc = " ".join(part for part in (desc, "; ".join(spoken) + "." if spoken else "Нет данных.") if part)
    if not x:
        return _empty(cid, width, title, desc)
    peak = max((float(v) for s in series for v in s.values if v is not None), default=0)
    top, step = nice_max(peak)
    wide = _lines(x, series, top, step, width, height, y_title, marker, marker_label, compact=False)
    narrow = _lines(x, series, top, step, NARROW, 240, y_title, marker, marker_label, compact=True)
    return _svg(cid, title, desc, wide, narrow)


def _lines(
    x: Sequence[datetime.date], series: Sequence[Series], top: float, step: float, width: float, plot_height: float, y_title: str,
    marker: datetime.date | None, marker_label: str, *, compact: bool,
) -> _Drawing:  # fmt: skip
    left, right, top_margin, bottom = (46.0, 12.0, 22.0, 34.0) if compact else (48.0, 150.0, 22.0, 40.0)
    plot_w, plot_h = width - left - right, plot_height - top_margin - bottom
    n = len(x)

    def px(index: int) -> float:
        return left + (plot_w * index / (n - 1) if n > 1 else plot_w / 2)

    def py(value) -> float:
        return top_margin + plot_h - plot_h * float(value) / top

    parts = []
    for tick in _ticks(top, step):
        y = py(tick)
        parts.append(
            f'<path d="M{_f(left)},{_f(y)} H{_f(left + plot_w)}" stroke="currentColor" stroke-opacity="{".6" if tick == 0 else ".2"}"/>'
        )
        parts.append(f'<text x="{_f(left - 6)}" y="{_f(y + 4)}" text-anchor="end" font-size="12">{number(tick)}</text>')
    seen_month, last_x = None, -100.0
    for index, day in enumerate(x):
        thursday = day + datetime.timedelta(days=3)  # a week belongs to the month of its Thursday
        month = (thursday.year, thursday.month)
        name = MONTHS_SHORT[thursday.month - 1]
        # A month is named where its name fits clear of the last one (every other month in a compact plot).
        if month != seen_month and px(index) - last_x >= _text_width(name, 12) + 8:
            seen_month, last_x = month, px(index)
            parts.append(f'<path d="M{_f(px(index))},{_f(top_margin + plot_h)} v5" stroke="currentColor"/>')
            anchor = "end" if px(index) + _text_width(name, 12) / 2 > width else "middle"
            parts.append(
                f'<text x="{_f(px(index))}" y="{_f(top_margin + plot_h + 18)}" text-anchor="{anchor}" font-size="12">{name}</text>'
            )
    parts.append(
        f'<text x="12" y="{_f(top_margin + plot_h / 2)}" text-anchor="middle" font-size="12" '
        f'transform="rotate(-90 12 {_f(top_margin + plot_h / 2)})">{_t(y_title)}</text>'
    )
    if marker is not None and x[0] <= marker:
        index = max(i for i, day in enumerate(x) if day <= marker)
        mx = px(index)
        parts.append(
            f'<path d="M{_f(mx)},{_f(top_margin)} V{_f(top_margin + plot_h)}" stroke="currentColor" stroke-width="1.5" stroke-dasharray="1 3"/>'
        )
        if marker_label:
            anchor = "end" if mx > left + plot_w * 0.7 else "start"
            dx = -4 if anchor == "end" else 4
            parts.append(
                f'<text x="{_f(mx + dx)}" y="{_f(top_margin - 8)}" text-anchor="{anchor}" font-size="12">{_t(marker_label)}</text>'
            )

    ends = []
    reference_index = 0
    for s in series:
        points = [(px(i), py(v)) for i, v in enumerate(s.values) if v is not None]
        if not points:
            continue
        path = "M" + " L".join(f"{_f(a)},{_f(b)}" for a, b in points)
        dash = ""
        if s.primary:
            parts.append(
                f'<path d="{path}" fill="none" stroke="{PRIMARY}" stroke-width="3" stroke-linejoin="round"><title>{_t(s.label)}</title></path>'
            )
            if len(points) <= 60:
                parts.extend(f'<circle cx="{_f(a)}" cy="{_f(b)}" r="{"2" if compact else "2.6"}" fill="{PRIMARY}"/>' for a, b in points)
        else:
            dash = REFERENCE_DASHES[reference_index % len(REFERENCE_DASHES)]
            reference_index += 1
            parts.append(
                f'<path d="{path}" fill="none" stroke="currentColor" stroke-width="1.6" stroke-dasharray="{dash}">'
                f"<title>{_t(s.label)}</title></path>"
            )
        ends.append([points[-1][1], points[-1][0], s.end_label or s.label, s.primary, dash])
    if compact:
        # A legend under the plot: a sample of each line and its name, one to a row.
        y = top_margin + plot_h + bottom
        for _, _, label, primary, dash in ends:
            if primary:
                sample = f'<path d="M{_f(left)},{_f(y - 4)} h24" stroke="{PRIMARY}" stroke-width="3"/>'
                text = f'<text x="{_f(left + 32)}" y="{_f(y)}" font-size="12" fill="{PRIMARY}" font-weight="700">{_t(label)}</text>'
            else:
                sample = f'<path d="M{_f(left)},{_f(y - 4)} h24" stroke="currentColor" stroke-width="1.6" stroke-dasharray="{dash}"/>'
                text = f'<text x="{_f(left + 32)}" y="{_f(y)}" font-size="12">{_t(_truncate(label, width - left - 32))}</text>'
            parts.append(sample + text)
            y += 18
        return _Drawing(width, y - 4, "".join(parts))
    # Name each line at its end; nudge the names apart so they never overlap.
    ends.sort(key=lambda e: e[0])
    for i in range(1, len(ends)):
        if ends[i][0] - ends[i - 1][0] < 15:
            ends[i][0] = ends[i - 1][0] + 15
    for y, end_x, label, primary, _ in ends:
        colour = f' fill="{PRIMARY}" font-weight="700"' if primary else ""
        parts.append(f'<text x="{_f(end_x + 6)}" y="{_f(y + 4)}" font-size="12"{colour}>{_t(label)}</text>')
    return _Drawing(width, plot_height, "".join(parts))


def progress_bar(
    *, chart_id: str, title: str, value, maximum, expected=None, desc: str = "", width: int = WIDTH, state: str = "",
) -> SafeString:  # fmt: skip
    """A student's hours against the year's minimum, with the pace expected by the date as a tick. `state`: the
    student's state as the compliance rule decides it (hours alone cannot tell «met» when a direction's
    minimum is unmet); the bar is filled with its pattern."""
    cid = _safe_id(chart_id)
    value, maximum = Decimal(str(value or 0)), Decimal(str(maximum or 0))
    share = percent(value, maximum) if maximum else 0
    summary = f"{hours_text(value)} из {number(maximum)} ({share} %)" if maximum else hours_text(value)
    spoken = summary + (f"; к дате ожидается {hours_text(expected)}" if expected is not None else "")
    desc = " ".join(part for part in (desc, spoken + ".") if part)
    scale = max(maximum, value, Decimal(1))

    def drawing(width: float) -> _Drawing:
        left, right, bar_y, bar_h = 2.0, 2.0, 26.0, 24.0
        plot = width - left - right
        parts = [f'<rect x="{_f(left)}" y="{_f(bar_y)}" width="{_f(plot)}" height="{_f(bar_h)}" fill="none" stroke="currentColor"/>']
        filled = plot * float(value / scale)
        if filled > 0:
            fill = state or ("met" if maximum and value >= maximum else "on_track")
            parts.append(f'<rect x="{_f(left)}" y="{_f(bar_y)}" width="{_f(filled)}" height="{_f(bar_h)}" fill="url(#{cid}-{fill})"/>')
        if maximum and scale > maximum:
            mx = left + plot * float(maximum / scale)
            parts.append(f'<path d="M{_f(mx)},{_f(bar_y - 4)} v{_f(bar_h + 8)}" stroke="currentColor" stroke-width="2.5"/>')
        if expected is not None:
            ex = left + plot * float(Decimal(str(expected)) / scale)
            label = f"ожидается {number(expected)} ч"
            anchor = "end" if ex > left + plot * 0.7 else "start" if ex < left + plot * 0.3 else "middle"
            parts.append(
                f'<path d="M{_f(ex)},{_f(bar_y - 6)} v{_f(bar_h + 12)}" stroke="currentColor" stroke-width="2.5" stroke-dasharray="3 2"/>'
            )
            parts.append(f'<text x="{_f(ex)}" y="{_f(bar_y - 10)}" text-anchor="{anchor}" font-size="12">{_t(label)}</text>')
        parts.append(f'<text x="{_f(left)}" y="{_f(bar_y + bar_h + 18)}" font-weight="600">{_t(summary)}</text>')
        return _Drawing(width, bar_y + bar_h + 26, "".join(parts))

    return _svg(cid, title, desc, drawing(width), drawing(NARROW), _state_defs(cid, [state] if state else ["met", "on_track"]))


@dataclass
class ChartBlock:
    """A chart as the pages show it: its heading, the SVG, and where its numbers are in a table."""

    chart_id: str
    heading: str
    svg: str
    note: str = ""
    extra: dict = field(default_factory=dict)
