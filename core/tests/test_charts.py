"""The SVG charts: well-formed, named for screen readers, data spoken in the description, geometry that matches
the numbers, and colours that never carry meaning alone."""

import datetime
import itertools
import re
import xml.etree.ElementTree as ET
from decimal import Decimal

import pytest

from core import charts
from core.charts import Bar, Series, StackRow

SVG = "{http://www.w3.org/2000/svg}"
STATES = [
    ("met", "норма выполнена"),
    ("on_track", "идёт по графику"),
    ("behind", "отстаёт"),
    ("at_risk", "в зоне риска"),
    ("no_level", "уровень школы не выбран"),
]


def parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)


def drawing(svg: str, kind: str = "wide") -> ET.Element:
    """One of the chart's two drawings: "wide" (a desktop) or "narrow" (a phone)."""
    found = parse(svg).find(f"{SVG}svg[@class='chart-svg__{kind}']")
    assert found is not None, f"no {kind} drawing"
    return found


def accessible_name(svg: str) -> tuple[str, str]:
    """The texts aria-labelledby points at: the chart's title and description."""
    root = parse(svg)
    assert root.get("role") == "img"
    title_id, desc_id = root.get("aria-labelledby"), root.get("aria-describedby")
    by_id = {el.get("id"): el for el in root.iter() if el.get("id")}
    assert by_id[title_id].tag == f"{SVG}title" and by_id[desc_id].tag == f"{SVG}desc"
    return by_id[title_id].text, by_id[desc_id].text


def all_charts() -> list[str]:
    weeks = [datetime.date(2026, 9, 1) + datetime.timedelta(weeks=i) for i in range(10)]
    return [
        charts.bar_chart(chart_id="bars", title="Часы", bars=[Bar("урочная", 3)]),
        charts.stacked_bar_chart(chart_id="stack", title="Состояния", rows=[StackRow("Город", {"met": 1})], states=STATES),
        charts.column_chart(chart_id="cols", title="Распределение", columns=[("0–9", 3)], x_title="часов", y_title="обучающихся"),
        charts.line_chart(
            chart_id="line", title="Темп", x=weeks, series=[Series("в среднем", [Decimal(i) for i in range(10)], primary=True)]
        ),
        charts.progress_bar(chart_id="progress", title="Выполнение", value=12, maximum=40, expected=Decimal("12.6")),
    ]


# --- Russian numbers --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (Decimal("0"), "0"),
        (Decimal("12.0"), "12"),
        (Decimal("1.5"), "1,5"),
        (Decimal("1234.5"), "1\u202f234,5"),
        (Decimal("-2"), "−2"),
        (None, "—"),
    ],
)
def test_numbers_are_written_the_russian_way(value, text):
    assert charts.number(value) == text


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (1, "1 час"),
        (2, "2 часа"),
        (5, "5 часов"),
        (11, "11 часов"),
        (21, "21 час"),
        (Decimal("1.5"), "1,5 часа"),
        (Decimal("40.0"), "40 часов"),
    ],
)
def test_hours_agree_with_their_number(value, text):
    assert charts.hours_text(value) == text


def test_dates_are_spelled_in_the_genitive():
    assert charts.date_text(datetime.date(2026, 11, 26)) == "26 ноября 2026"


@pytest.mark.parametrize(("value", "top", "step"), [(37, 40, 10), (80, 80, 20), (3, 3, 1), (0, 1, 1), (123, 125, 25), (13, 15, 5)])
def test_axes_end_on_round_numbers(value, top, step):
    assert charts.nice_max(value) == (top, step)


def test_axes_of_people_step_by_whole_numbers():
    assert charts.nice_max(11, integer=True) == (15, 5)
    svg = charts.column_chart(chart_id="c", title="t", columns=[("0–9", 7), ("10–19", 11)], x_title="x", y_title="y")
    ticks = [t.text for t in drawing(svg).iter(f"{SVG}text") if t.get("text-anchor") == "end" and t.get("transform") is None]
    assert ticks == ["0", "5", "10", "15"]


# --- every chart is an accessible image -------------------------------------------------------------------


@pytest.mark.parametrize("svg", all_charts(), ids=["bar", "stacked", "column", "line", "progress"])
def test_every_chart_is_a_named_image_drawn_in_the_current_colour(svg):
    title, desc = accessible_name(svg)
    assert title and desc
    root = parse(svg)
    assert root.get("fill") == "currentColor"  # text and axes follow the page's colours (and the high-contrast mode)
    assert root.get("width") and root.get("height")  # its size where no stylesheet scales it (a file, a PDF)
    for text in root.iter(f"{SVG}text"):
        assert text.get("fill") in (None, "#fff", charts.PRIMARY), ET.tostring(text)


def test_labels_are_escaped():
    svg = charts.bar_chart(chart_id="x", title='Школа «<Альфа> & "Бета"»', bars=[Bar("<script>", 1)])
    parse(svg)  # would fail on a raw < or &
    assert accessible_name(svg)[0] == 'Школа «<Альфа> & "Бета"»'
    assert "<script>" not in svg


def test_chart_ids_are_safe_and_distinct():
    first = charts.stacked_bar_chart(chart_id="chart 1/states", title="a", rows=[StackRow("A", {"met": 1})], states=STATES)
    second = charts.stacked_bar_chart(chart_id="chart-2", title="b", rows=[StackRow("A", {"met": 1})], states=STATES)
    ids_first = {el.get("id") for el in parse(first).iter() if el.get("id")}
    ids_second = {el.get("id") for el in parse(second).iter() if el.get("id")}
    assert not ids_first & ids_second  # two charts on a page never share a pattern or a title id
    assert all(re.fullmatch(r"[A-Za-z][A-Za-z0-9_-]*", i) for i in ids_first)


def test_empty_data_says_so():
    for svg in (
        charts.bar_chart(chart_id="a", title="t", bars=[]),
        charts.column_chart(chart_id="b", title="t", columns=[], x_title="x", y_title="y"),
        charts.line_chart(chart_id="c", title="t", x=[], series=[]),
        charts.stacked_bar_chart(chart_id="d", title="t", rows=[], states=STATES),
    ):
        assert "Нет данных." in accessible_name(svg)[1]


# --- the colours of the states ----------------------------------------------------------------------------


def _luminance(colour: str) -> float:
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    channels = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * channels[0] + 0.7152 * channels[1] + 0.0722 * channels[2]


def _contrast(a: str, b: str) -> float:
    high, low = sorted([_luminance(a), _luminance(b)], reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_state_colours_stand_out_on_white_and_on_black_and_differ_in_pattern_and_shape():
    for state, (colour, _pattern, _shape) in charts.STATES.items():
        assert _contrast(colour, "#ffffff") >= 3, state
        assert _contrast(colour, "#000000") >= 3, state
    assert _contrast(charts.PRIMARY, "#ffffff") >= 4.5 and _contrast(charts.PRIMARY, "#000000") >= 3
    assert len({p for _, p, _ in charts.STATES.values()}) == len(charts.STATES)
    assert len({s for _, _, s in charts.STATES.values()}) == len(charts.STATES)


def test_state_markers_are_decorative():
    marker = charts.state_marker("at_risk")
    root = parse(marker)
    assert root.get("aria-hidden") == "true" and root.get("focusable") == "false"


# --- geometry follows the numbers -------------------------------------------------------------------------


def test_stacked_bars_split_by_share_with_a_legend_and_spoken_counts():
    svg = charts.stacked_bar_chart(
        chart_id="s", title="Состояния", states=STATES,
        rows=[StackRow("Город Альфа", {"met": 1, "behind": 3}), StackRow("Бетинский район", {"at_risk": 6})],
    )  # fmt: skip
    root, wide = parse(svg), drawing(svg)
    segments = [r for r in wide.iter(f"{SVG}rect") if (r.get("fill") or "").startswith("url(#s-") and r.find(f"{SVG}title") is not None]
    widths = {r.find(f"{SVG}title").text: float(r.get("width")) for r in segments}
    plot = 640 - 4 - 8
    assert widths["Город Альфа: норма выполнена — 1 (25 %)"] == pytest.approx(plot / 4, abs=0.1)
    assert widths["Город Альфа: отстаёт — 3 (75 %)"] == pytest.approx(plot * 3 / 4, abs=0.1)
    assert widths["Бетинский район: в зоне риска — 6 (100 %)"] == pytest.approx(plot, abs=0.1)
    legend = [t.text for t in wide.find(f"{SVG}g").iter(f"{SVG}text")]
    assert legend == [label for _, label in STATES]
    # Every state has its own pattern in the defs, and the legend swatches use them.
    patterns = {p.get("id") for p in root.iter(f"{SVG}pattern")}
    assert patterns == {f"s-{state}" for state, _ in STATES}
    desc = accessible_name(svg)[1]
    assert "Город Альфа: 4 обучающихся; норма выполнена — 1 (25 %), отстаёт — 3 (75 %)" in desc
    assert "Бетинский район: 6 обучающихся; в зоне риска — 6 (100 %)" in desc


def test_bars_with_a_reference_tick_and_their_values_written_out():
    svg = charts.bar_chart(chart_id="b", title="Часы", bars=[Bar("Урочная деятельность", Decimal("12.5"), Decimal("10")), Bar("Курс", 0)])
    root = drawing(svg)
    texts = [t.text for t in root.iter(f"{SVG}text")]
    assert "12,5 ч (мин. 10)" in texts and "0 ч" in texts
    filled = [r for r in root.iter(f"{SVG}rect") if r.get("fill") == charts.PRIMARY]
    assert len(filled) == 1  # a zero draws no bar, only its outline and «0 ч»
    plot = 640 - 4 - 150
    assert float(filled[0].get("width")) == pytest.approx(plot, abs=0.1)  # the axis ends at 12.5, a round step of 2.5
    tick = next(p for p in root.iter(f"{SVG}path") if p.find(f"{SVG}title") is not None and p.find(f"{SVG}title").text == "мин. 10 ч")
    assert float(tick.get("d")[1:].split(",")[0]) == pytest.approx(4 + plot * 10 / 12.5, abs=0.1)
    assert accessible_name(svg)[1] == "Урочная деятельность — 12,5 ч (мин. 10 ч); Курс — 0 ч."


def test_columns_count_students_per_bin():
    svg = charts.column_chart(
        chart_id="c", title="Распределение", columns=[("0–9", 15), ("10–19", 2), ("20–29", 1)], x_title="часов", y_title="обучающихся"
    )
    root = drawing(svg)
    bars = [r for r in root.iter(f"{SVG}rect") if r.get("fill") == charts.PRIMARY]
    heights = [float(r.get("height")) for r in bars]
    assert heights[0] / heights[1] == pytest.approx(15 / 2, rel=0.01)
    assert accessible_name(svg)[1].endswith("часов: 0–9 — 15 обучающихся; 10–19 — 2 обучающихся; 20–29 — 1 обучающийся.")


def test_line_chart_stops_the_actual_line_at_the_date_and_names_every_line():
    weeks = [datetime.date(2026, 8, 31) + datetime.timedelta(weeks=i) for i in range(40)]
    actual = [Decimal(i) / 2 if i < 12 else None for i in range(40)]
    basic = [Decimal(40) * i / 39 for i in range(40)]
    main = [Decimal(60) * i / 39 for i in range(40)]
    svg = charts.line_chart(
        chart_id="p", title="Темп", x=weeks, marker=weeks[11], marker_label="на 16.11.2026",
        series=[Series("в среднем", actual, primary=True, end_label="в среднем 5,5 ч"), Series("базовый", basic, end_label="базовый: 40 ч"), Series("основной", main, end_label="основной: 60 ч")],
    )  # fmt: skip
    root = drawing(svg)
    paths = [p for p in root.iter(f"{SVG}path") if p.find(f"{SVG}title") is not None]
    primary = next(p for p in paths if p.get("stroke") == charts.PRIMARY)
    assert primary.get("d").count("L") == 11  # 12 points up to the date
    dashed = [p for p in paths if p.get("stroke-dasharray")]
    assert len(dashed) == 2 and dashed[0].get("stroke-dasharray") != dashed[1].get("stroke-dasharray")
    assert all(p.get("stroke") == "currentColor" for p in dashed)
    texts = {t.text: t for t in root.iter(f"{SVG}text")}
    assert {"в среднем 5,5 ч", "базовый: 40 ч", "основной: 60 ч", "на 16.11.2026", "сен", "окт", "май"} <= set(texts)
    assert "авг" not in texts  # the week of 31 August is September's: its Thursday is the 3rd
    ends = sorted(float(texts[label].get("y")) for label in ("базовый: 40 ч", "основной: 60 ч", "в среднем 5,5 ч"))
    assert all(b - a >= 15 for a, b in itertools.pairwise(ends))  # names never overlap
    assert "в среднем: 5,5 часа к неделе с 16 ноября 2026" in accessible_name(svg)[1]


def test_progress_bar_states_the_figures_in_words():
    svg = charts.progress_bar(chart_id="g", title="Выполнение", value=Decimal("12"), maximum=Decimal("40"), expected=Decimal("12.6"))
    texts = [t.text for t in drawing(svg).iter(f"{SVG}text")]
    assert "12 часов из 40 (30 %)" in texts and "ожидается 12,6 ч" in texts
    assert accessible_name(svg)[1] == "12 часов из 40 (30 %); к дате ожидается 12,6 часа."
    over = charts.progress_bar(chart_id="h", title="Выполнение", value=45, maximum=40)
    assert "45 часов из 40 (112 %)" in [t.text for t in drawing(over).iter(f"{SVG}text")]
    none = charts.progress_bar(chart_id="i", title="Выполнение", value=3, maximum=None)
    assert accessible_name(none)[1] == "3 часа."


# --- on a phone: the compact drawing ----------------------------------------------------------------------

PHONE_CHART_PX = 290  # a chart's box on a 360 px phone, inside the page's and the card's padding


def _label_box(text: ET.Element) -> tuple[float, float]:
    """Where a label starts and ends across the drawing, by the same glyph estimate the charts lay out with."""
    size = float(text.get("font-size") or charts.FONT_SIZE)
    content = "".join(text.itertext()) if text.find(f"{SVG}title") is None else text.text or ""
    width = charts._text_width(content, size) * (1.05 if text.get("font-weight") else 1)
    x = float(text.get("x"))
    anchor = text.get("text-anchor") or "start"
    start = x - width if anchor == "end" else x - width / 2 if anchor == "middle" else x
    return start, start + width


def long_charts() -> list[str]:
    """Charts with the longest labels the dashboards draw: the names of the directions, many weeks, many bins."""
    weeks = [datetime.date(2026, 8, 31) + datetime.timedelta(weeks=i) for i in range(40)]
    bins = [(f"{i * 10}–{i * 10 + 9}", 1234 - i * 100) for i in range(9)] + [("90 и больше", 12)]
    return [
        charts.bar_chart(
            chart_id="dirs", title="Часы по направлениям",
            bars=[Bar("Практико-ориентированный модуль профминимума", Decimal("12.5"), Decimal("10")), Bar("Урочная деятельность", 3)],
        ),
        charts.stacked_bar_chart(
            chart_id="states", title="Состояния", states=STATES,
            rows=[StackRow("Муниципальное образование Пригородный район", {"met": 120, "behind": 3400, "at_risk": 77})],
        ),
        charts.column_chart(chart_id="bins", title="Распределение", columns=bins, x_title="часов профминимума", y_title="обучающихся"),
        charts.line_chart(
            chart_id="pace", title="Темп", x=weeks, marker=weeks[11], marker_label="на 16.11.2026",
            series=[Series("в среднем", [Decimal(i) / 2 if i < 12 else None for i in range(40)], primary=True, end_label="в среднем 5,5 ч"),
                    Series("базовый", [Decimal(40) * i / 39 for i in range(40)], end_label="базовый: 40 ч"),
                    Series("основной", [Decimal(60) * i / 39 for i in range(40)], end_label="основной: 60 ч"),
                    Series("продвинутый", [Decimal(80) * i / 39 for i in range(40)], end_label="продвинутый: 80 ч")],
        ),
        charts.progress_bar(chart_id="progress", title="Выполнение", value=Decimal("31.5"), maximum=40, expected=Decimal("38"), width=420),
    ]  # fmt: skip


@pytest.mark.parametrize("svg", long_charts(), ids=["bar", "stacked", "column", "line", "progress"])
def test_every_chart_also_has_a_compact_drawing_for_phones_hidden_until_the_page_asks(svg):
    """Issue 6, «Phones»: charts scale to the screen instead of being cut in a scroll box. Both drawings fill
    the chart's box (a viewBox at 100 %); the stylesheet picks one by the box's width and takes its aspect ratio
    from the custom properties the root carries in data-chart-style (issue 7: no style attribute under the
    Content-Security-Policy; the page's script sets them); without a stylesheet the wide one shows alone."""
    assert not [el.tag for el in parse(svg).iter() if el.get("style") is not None]
    root = parse(svg)
    assert "chart-svg--dual" in root.get("class").split()
    wide, narrow = drawing(svg, "wide"), drawing(svg, "narrow")
    for kind, element in (("wide", wide), ("narrow", narrow)):
        assert element.get("width") == element.get("height") == "100%", kind
        _, _, width, height = (float(v) for v in element.get("viewBox").split())
        assert f"--chart-{kind}: {charts._f(width)} / {charts._f(height)}" in root.get("data-chart-style"), kind
    assert narrow.get("viewBox").split()[2] == str(charts.NARROW)
    assert narrow.get("display") == "none" and wide.get("display") is None
    assert (root.get("width"), root.get("height")) == tuple(wide.get("viewBox").split()[2:])
    # One image for assistive technology: the title and description once, outside both drawings.
    assert [el.tag for el in root][:2] == [f"{SVG}title", f"{SVG}desc"]
    assert not list(narrow.iter(f"{SVG}desc")) and not [el for el in narrow.iter() if el.get("id")]


@pytest.mark.parametrize("svg", long_charts(), ids=["bar", "stacked", "column", "line", "progress"])
def test_on_a_phone_the_labels_stay_readable_and_inside_the_chart(svg):
    """Issue 6, «Phones»: labels still readable at 360 px. Shown about 290 px wide, the compact drawing's
    type is at least 10.5 px, and every label (by the layout's own glyph estimate) stays inside it."""
    narrow = drawing(svg, "narrow")
    scale = PHONE_CHART_PX / charts.NARROW
    for text in narrow.iter(f"{SVG}text"):
        size = float(text.get("font-size") or charts.FONT_SIZE)
        label = "".join(text.itertext())
        if text.get("aria-hidden") != "true":  # the counts written inside segments repeat the description
            assert size * scale >= 10.5, (label, size)
        if text.get("transform"):
            continue  # the rotated axis names and bin labels hang below the plot
        start, end = _label_box(text)
        assert start >= -0.5 and end <= charts.NARROW + 0.5, (label, start, end)


def test_the_compact_bars_keep_the_bar_long_enough_to_compare_and_the_values_beside_them():
    svg = charts.bar_chart(chart_id="b", title="Часы", bars=[Bar("Урочная деятельность", Decimal("12.5"), Decimal("10")), Bar("Курс", 0)])
    narrow = drawing(svg, "narrow")
    filled = next(r for r in narrow.iter(f"{SVG}rect") if r.get("fill") == charts.PRIMARY)
    value = next(t for t in narrow.iter(f"{SVG}text") if t.text == "12,5 ч (мин. 10)")
    # The longest value, «12,5 ч (мин. 10)», needs about 121 units; the bar takes the rest of the 320.
    assert float(filled.get("width")) == pytest.approx(charts.NARROW - 4 - (charts._text_width("12,5 ч (мин. 10)") * 1.05 + 12), abs=0.2)
    assert float(value.get("x")) == pytest.approx(4 + float(filled.get("width")) + 8, abs=0.1)


def test_the_compact_line_chart_names_its_lines_in_a_legend_under_the_plot():
    weeks = [datetime.date(2026, 8, 31) + datetime.timedelta(weeks=i) for i in range(40)]
    svg = charts.line_chart(
        chart_id="p", title="Темп", x=weeks,
        series=[Series("в среднем", [Decimal(i) for i in range(10)] + [None] * 30, primary=True, end_label="в среднем 9 ч"),
                Series("базовый", [Decimal(40) * i / 39 for i in range(40)], end_label="базовый: 40 ч")],
    )  # fmt: skip
    narrow = drawing(svg, "narrow")
    texts = {t.text: t for t in narrow.iter(f"{SVG}text")}
    lines = [p for p in narrow.iter(f"{SVG}path") if p.find(f"{SVG}title") is not None]
    last_x = max(float(point.split(",")[0]) for p in lines for point in p.get("d")[1:].split(" L"))
    assert last_x == pytest.approx(charts.NARROW - 12, abs=0.1)  # the lines run to the right edge: no names there
    plot_bottom = max(float(t.get("y")) for t in narrow.iter(f"{SVG}text") if t.text in {"сен", "окт", "май"})
    for name in ("в среднем 9 ч", "базовый: 40 ч"):
        assert float(texts[name].get("y")) > plot_bottom, name  # below the plot and its months
    assert texts["в среднем 9 ч"].get("fill") == charts.PRIMARY  # drawn like its line


def test_a_chart_as_narrow_as_a_phone_has_one_drawing():
    svg = charts.progress_bar(chart_id="g", title="Выполнение", value=1, maximum=40, width=charts.NARROW)
    assert parse(svg).find(f"{SVG}svg[@class='chart-svg__narrow']") is None
    assert "chart-svg--dual" not in parse(svg).get("class")
