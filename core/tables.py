"""One table component: a single definition drives the HTML table and its XLSX download.

A table is its columns (typed: text, int, decimal, percent, date, or a state with its marker), its rows of
cells (what the XLSX holds, what the page shows, an optional link and a quiet note under the value) and an
optional footer of totals. Bound to a request, it reads its own query parameters, all named after its key
(so that several tables share one page):

    ?schools-sort=-at_risk   the column it is sorted by, «-» for descending (a click on a header)
    ?schools-q=№ 1           a text filter on one column, the first by default (case, «ё» and Latin look-alikes
                             folded; a number matches a whole number: «1» finds «№ 1», not «№ 11»)
    ?schools-state=at_risk   a choice filter (rows carry the values they match in `Row.facets`)
    ?schools-page=3          the page, 50 rows to a page by default

Everything works as plain links and a GET form without JavaScript; with htmx the section of the table is
the only thing replaced (`table_swapped` tells a view which table an htmx request asked for). The XLSX of
a table holds every row in the current sort and filter, streamed (core.xlsx).

Names sort naturally («Школа № 2» before «Школа № 11»); an empty value sorts last in either direction; rows
that compare equal keep the order they were given in.

    table = Table(key="schools", title="Школы", columns=[Column("name", "Школа"), Column("students", "Обучающихся", "int")],
                  rows=[Row([text_cell("Школа № 2", url="/s/2/"), number_cell(18, 0)]), ...], search_label="Школа")
    table.bind(request)
    {% include "core/table.html" with table=table %}
"""

import math
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, field

from django.http import HttpRequest, QueryDict
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe

from core.charts import state_marker
from core.formatting import date_text, number, thousands
from core.search import natural_sort_key, normalize_search_text, query_terms
from core.xlsx import XlsxColumn, xlsx_response

KINDS = ("text", "int", "decimal", "percent", "date", "state")
NUMERIC = ("int", "decimal", "percent")
PER_PAGE = 50
MAX_QUERY = 100  # characters of a text filter kept; a longer one is cut, never an error
PAGE_WINDOW = 2  # page links on each side of the current page

# --- the definition -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    key: str  # in the URL: ?<table>-sort=<key>
    header: str  # the XLSX header, and the page's unless `short` is given
    kind: str = "text"  # text | int | decimal | percent | date | state
    short: str = ""  # a shorter header where a wide table must fit a desktop
    on_page: bool = True  # False: only in the XLSX (the page shows it inside another cell)
    sortable: bool = True

    def __post_init__(self):
        if self.kind not in KINDS:
            raise ValueError(f"Неизвестный вид столбца: {self.kind}")

    @property
    def label(self) -> str:
        return self.short or self.header

    @property
    def numeric(self) -> bool:
        return self.kind in NUMERIC

    def xlsx(self) -> XlsxColumn:
        return XlsxColumn(self.header, "text" if self.kind == "state" else self.kind)


@dataclass(slots=True)  # not frozen: a table of 445 rows makes 4,500 cells, and a frozen init costs twice as much
class Cell:
    value: object = None  # what the XLSX holds
    text: str = ""  # what the page shows
    url: str = ""
    note: str = ""  # a quiet addition under the value, on the page only (a share, a status)
    state: str = ""  # a state whose marker is drawn before the text
    sort: object = None  # what sorting compares when it is not the value (a share for a count, a state's rank)

    @property
    def marker(self) -> str:
        return state_marker(self.state) if self.state else ""

    def sort_key(self):
        key = self.value if self.sort is None else self.sort
        if key is None or key == "":
            return None
        if isinstance(key, str):
            return natural_sort_key(key)  # «Школа № 2» before «Школа № 11»
        return key


def text_cell(value, **extra) -> Cell:
    return Cell(value, "" if value is None else str(value), **extra)


def number_cell(value, digits: int = 1, **extra) -> Cell:
    return Cell(value, number(value, digits), **extra)


def date_cell(day, **extra) -> Cell:
    return Cell(day, date_text(day) if day else "—", **extra)


BLANK = Cell(None, "")


@dataclass
class Row:
    cells: list[Cell]
    facets: dict[str, Collection[str]] = field(default_factory=dict)  # choice filter name -> the values it matches
    data: object = None  # what the footer adds up


@dataclass(frozen=True)
class ChoiceFilter:
    """A select over the rows' facets: a row is shown when its facet holds the chosen value."""

    name: str  # in the URL: ?<table>-<name>=<value>
    label: str
    choices: Sequence[tuple[str, str]]  # (value, label)
    any_label: str = "любое"


# --- the table --------------------------------------------------------------------------------------------


class Table:
    def __init__(
        self, *, key: str, title: str, columns: Sequence[Column], rows: Sequence[Row | Sequence[Cell]],
        footer: Callable[[list[Row]], Sequence[Cell] | None] | Sequence[Cell] | None = None, footer_label: str = "Итого",
        empty: str = "Нет данных.", personal: bool = False, per_page: int = PER_PAGE, default_sort: str = "",
        search_label: str = "", search_column: str = "", filters: Sequence[ChoiceFilter] = (), note: str = "",
    ):  # fmt: skip
        """rows: Row objects, or plain lists of cells. footer: the cells after the first («Итого»), or a function
        of the rows matching the filter that returns them (None: no footer). search_label: the label of the
        text filter ("" for none), on the column `search_column` (the first by default). note: a line under the heading that explains the table."""
        self.key = key
        self.title = title
        self.columns = list(columns)
        self.rows = [row if isinstance(row, Row) else Row(list(row)) for row in rows]
        self._footer = footer
        self.footer_label = footer_label
        self.empty = empty
        self.personal = personal  # rows name students: exports are logged
        self.per_page = per_page
        self.default_sort = default_sort if self._sort_column(default_sort) else ""
        self.search_label = search_label
        keys = [c.key for c in self.columns]
        self._search_index = keys.index(search_column) if search_column in keys else 0
        self.filters = list(filters)
        self.note = note
        self.path = ""
        self.params = QueryDict(mutable=True)
        self.sort = self.default_sort
        self.query = ""
        self.choices: dict[str, str] = {}
        self.page = 1
        self.xlsx_url = ""
        self._terms: list[str] = []
        self._matched: list[Row] | None = None
        self._footer_cells: list[Cell] | bool | None = False  # False: not worked out yet

    # --- reading the request --------------------------------------------------------------------------

    def param(self, name: str) -> str:
        return f"{self.key}-{name}"

    def _sort_column(self, sort: str) -> Column | None:
        name = sort.removeprefix("-")
        return next((c for c in self.columns if c.key == name and c.sortable), None) if name else None

    def bind(self, request: HttpRequest, *, export_params: dict | None = None) -> "Table":
        """Read the table's sort, filters and page from the request; anything wrong falls back to the default.
        export_params: added to the XLSX link only (say, the date the page shows, so the file is for the same day
        even when the page's address names none)."""
        self.path = request.path
        self.params = request.GET.copy()
        for name in ("format", "table"):  # the download of a table is not a state of the page
            self.params.pop(name, None)
        sort = self.params.get(self.param("sort"), "")
        self.sort = sort if self._sort_column(sort) else self.default_sort
        self.query = self.params.get(self.param("q"), "").strip()[:MAX_QUERY] if self.search_label else ""
        self._terms = query_terms(self.query)
        self.choices = {}
        for choice in self.filters:
            value = self.params.get(self.param(choice.name), "")
            if value in {v for v, _ in choice.choices}:
                self.choices[choice.name] = value
        self._matched = None
        self._footer_cells = False
        try:
            page = int(self.params.get(self.param("page"), "1"))
        except ValueError:
            page = 1
        self.page = min(max(page, 1), self.page_count)
        self.xlsx_url = self._url({**(export_params or {}), "format": "xlsx", "table": self.key, self.param("page"): None})
        return self

    # --- rows -------------------------------------------------------------------------------------------

    @property
    def matched(self) -> list[Row]:
        """Every row that passes the filters, in the chosen order (all pages)."""
        if self._matched is None:
            rows = [row for row in self.rows if self._passes(row)]
            self._matched = self._sorted(rows)
        return self._matched

    def _passes(self, row: Row) -> bool:
        if self._terms:
            cell = row.cells[self._search_index] if self._search_index < len(row.cells) else BLANK
            words = normalize_search_text(cell.text, cell.value if isinstance(cell.value, str) else "").split()
            if not all(_term_found(term, words) for term in self._terms):
                return False
        return all(value in row.facets.get(name, ()) for name, value in self.choices.items())

    def _sorted(self, rows: list[Row]) -> list[Row]:
        column = self._sort_column(self.sort)
        if column is None:
            return rows
        index = self.columns.index(column)
        keyed = [(row.cells[index].sort_key() if index < len(row.cells) else None, row) for row in rows]
        present = [pair for pair in keyed if pair[0] is not None]
        present.sort(key=lambda pair: pair[0], reverse=self.sort.startswith("-"))  # stable in both directions
        return [row for _, row in present] + [row for key, row in keyed if key is None]

    @property
    def is_filtered(self) -> bool:
        return bool(self.query or self.choices)

    @property
    def total(self) -> int:
        return len(self.rows)

    @property
    def count(self) -> int:
        return len(self.matched)

    @property
    def page_count(self) -> int:
        return max(1, math.ceil(self.count / self.per_page))

    @property
    def page_rows(self) -> list[Row]:
        start = (self.page - 1) * self.per_page
        return self.matched[start : start + self.per_page]

    @property
    def footer(self) -> list[Cell] | None:
        """The totals of the rows the filter matched (all pages), headed «Итого» or «Итого по отобранным»."""
        if self._footer_cells is False:
            footer = None
            if self.matched:  # no totals under «nothing found»
                footer = self._footer(self.matched) if callable(self._footer) else self._footer
            label = f"{self.footer_label} по отобранным" if self.is_filtered else self.footer_label
            self._footer_cells = None if footer is None else [Cell(label, label), *footer]
        return self._footer_cells

    # --- what the page shows ----------------------------------------------------------------------------

    @property
    def section_id(self) -> str:
        return f"table-{self.key}-section"

    @property
    def heading_id(self) -> str:
        return f"table-{self.key}-heading"

    @property
    def page_columns(self) -> list[Column]:
        return [c for c in self.columns if c.on_page]

    @property
    def headers(self) -> list[dict]:
        current = self._sort_column(self.sort)
        descending = self.sort.startswith("-")
        headers = []
        for column in self.page_columns:
            header = {"label": column.label, "numeric": column.numeric, "url": "", "aria_sort": "", "hint": "", "id": ""}
            if column.sortable:
                if column is current:
                    header["aria_sort"] = "descending" if descending else "ascending"
                    next_descending = not descending
                else:
                    next_descending = column.numeric  # the largest first; names and dates from the start
                header["hint"] = "сортировать по убыванию" if next_descending else "сортировать по возрастанию"
                sort = ("-" if next_descending else "") + column.key
                header["url"] = self._url({self.param("sort"): sort, self.param("page"): None})
                header["id"] = f"{self.key}-sort-{column.key}"
            headers.append(header)
        return headers

    def _page_cells(self, cells: Sequence[Cell]) -> list[tuple[Cell, Column]]:
        return [(cell, column) for cell, column in zip(cells, self.columns) if column.on_page]

    @property
    def body(self) -> list[list[tuple[Cell, Column]]]:
        return [self._page_cells(row.cells) for row in self.page_rows]

    @property
    def body_html(self) -> SafeString:
        """The rows of the page as HTML ("" for none). Written here, not in the template: the template's tags per
        cell cost ten times as much, and a dashboard spent a third of its time in them. Every value is escaped
        as the template would (conditional_escape: a cell's safe HTML stays as it is)."""
        rows = []
        for row in self.body:
            cells = []
            for index, (cell, column) in enumerate(row):
                text = conditional_escape(cell.text)
                if cell.state:
                    inner = f'<span class="state">{cell.marker}{text}</span>'
                elif cell.url:
                    inner = f'<a href="{conditional_escape(cell.url)}">{text}</a>'
                else:
                    inner = text
                if cell.note:
                    inner = f'{inner} <span class="cell-note">{conditional_escape(cell.note)}</span>'
                if index == 0:
                    cells.append(f'<th scope="row">{inner}</th>')
                else:
                    cells.append(f'<td class="num">{inner}</td>' if column.numeric else f"<td>{inner}</td>")
            rows.append(f"<tr>{''.join(cells)}</tr>")
        return mark_safe("\n".join(rows))  # built from the escaped values above

    @property
    def footer_cells(self) -> list[tuple[Cell, Column]]:
        footer = self.footer
        return self._page_cells(footer) if footer else []

    @property
    def shown_text(self) -> str:
        """«Показано 1–50 из 445»; after a filter, how many of how many it left."""
        if not self.total:
            return ""
        if not self.count:
            return f"Ничего не найдено: ни одна из {thousands(self.total)} строк не подходит под отбор."
        start = (self.page - 1) * self.per_page + 1
        end = start + len(self.page_rows) - 1
        shown = f"Показано {thousands(start)}–{thousands(end)} из {thousands(self.count)}"
        if self.is_filtered:
            shown += f" (отобраны из {thousands(self.total)})"
        return shown + "."

    @property
    def tells_count(self) -> bool:
        """Whether the page says «Показано …»: for a list that can be filtered or has more than one page (a fixed
        list of seven directions needs no count)."""
        return bool(self.total) and (self.has_filters or self.page_count > 1)

    @property
    def pages(self) -> list[dict]:
        """The page links: previous, the first, the last, a window around the current one, next."""
        if self.page_count <= 1:
            return []
        numbers = sorted(
            {1, self.page_count} | set(range(max(1, self.page - PAGE_WINDOW), min(self.page_count, self.page + PAGE_WINDOW) + 1))
        )
        links = []
        if self.page > 1:
            links.append({"label": "‹ Назад", "url": self._page_url(self.page - 1), "rel": "prev", "id": f"{self.key}-page-prev"})
        previous = 0
        for page in numbers:
            if page - previous > 1:
                links.append({"gap": True})
            links.append({
                "label": str(page), "url": self._page_url(page), "current": page == self.page, "id": f"{self.key}-page-{page}",
                "name": f"Страница {page}",
            })  # fmt: skip
            previous = page
        if self.page < self.page_count:
            links.append({"label": "Вперёд ›", "url": self._page_url(self.page + 1), "rel": "next", "id": f"{self.key}-page-next"})
        return links

    def _page_url(self, page: int) -> str:
        return self._url({self.param("page"): page if page > 1 else None})

    def _url(self, changes: dict) -> str:
        params = self.params.copy()
        for name, value in changes.items():
            params.pop(name, None)
            if value not in (None, ""):
                params[name] = str(value)
        query = params.urlencode()
        return f"{self.path}?{query}" if query else self.path

    @property
    def has_filters(self) -> bool:
        return bool(self.search_label or self.filters)

    @property
    def search_name(self) -> str:
        return self.param("q")

    @property
    def choice_filters(self) -> list[dict]:
        return [
            {
                "name": self.param(f.name), "label": f.label,
                "options": [("", f.any_label, f.name not in self.choices)]
                + [(value, label, self.choices.get(f.name) == value) for value, label in f.choices],
            }
            for f in self.filters
        ]  # fmt: skip

    @property
    def filter_hidden(self) -> list[tuple[str, str]]:
        """What the filter form carries besides its own fields: everything else on the page's address."""
        own = {self.param("q"), self.param("page")} | {self.param(f.name) for f in self.filters}
        return [(name, value) for name, values in self.params.lists() if name not in own for value in values]

    @property
    def reset_url(self) -> str:
        return self._url({self.param("q"): None, self.param("page"): None, **{self.param(f.name): None for f in self.filters}})

    @property
    def state_fields(self) -> list[tuple[str, str]]:
        """The table's sort and filters, for another form on the page (the date) to keep them."""
        fields = []
        if self.sort != self.default_sort:
            fields.append((self.param("sort"), self.sort))
        if self.query:
            fields.append((self.param("q"), self.query))
        fields.extend((self.param(name), value) for name, value in self.choices.items())
        return fields

    # --- the XLSX -----------------------------------------------------------------------------------------

    @property
    def filter_summary(self) -> str:
        """The filter in words, for the XLSX title: «отбор: «№ 1»; состояние — в зоне риска»."""
        parts = []
        if self.query:
            parts.append(f"{self.search_label.lower()} — «{self.query}»")
        for f in self.filters:
            if f.name in self.choices:
                parts.append(f"{f.label.lower()} — {dict(f.choices)[self.choices[f.name]]}")
        return "отбор: " + "; ".join(parts) if parts else ""

    def xlsx_rows(self):
        """Every row of the current sort and filter (all pages) and the footer, as the XLSX holds them."""
        for row in self.matched:
            yield [cell.value for cell in row.cells]
        footer = self.footer
        if footer:
            yield [cell.value for cell in footer]

    def xlsx_response(self, *, filename: str, title: str, scope: str, on_date):
        summary = self.filter_summary
        return xlsx_response(
            filename=filename, title=f"{title} ({summary})" if summary else title, scope=scope, on_date=on_date,
            columns=[c.xlsx() for c in self.columns], rows=self.xlsx_rows(), sheet_title=self.title,
        )  # fmt: skip


def _term_found(term: str, words: list[str]) -> bool:
    """A number is a whole word («1» finds «Школа № 1», not «№ 11»); other words match inside a word."""
    if term.isdigit():
        return term in words
    return any(term in word for word in words)


def table_swapped(request: HttpRequest, tables: Sequence[Table]) -> Table | None:
    """The table an htmx request asked to replace (its section is the request's target), if any."""
    target = request.headers.get("HX-Target", "") if request.headers.get("HX-Request") == "true" else ""
    return next((t for t in tables if t.section_id == target), None)
