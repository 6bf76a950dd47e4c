"""Pages of a long list: which rows a page shows, the line that says how many of how many, and the links to
the other pages (rendered by directory/_pager.html). A list may count its rows only up to a cap: beyond it
the line says «более чем 500» rather than count the whole region."""

from collections.abc import Sequence
from dataclasses import dataclass
from urllib.parse import urlencode

from core.formatting import count_text, thousands

PER_PAGE = 50
MAX_PAGE_DIGITS = 6  # ?page=200000000000000000 is page 1, not an overflow


def page_number(value: str | None) -> int:
    """The page asked for in the query string; anything but a plain positive number is the first page."""
    value = (value or "").strip()
    if not value.isascii() or not value.isdigit() or len(value) > MAX_PAGE_DIGITS:
        return 1
    return max(int(value), 1)


@dataclass(frozen=True)
class PageLink:
    label: str
    url: str | None = None  # None: a gap
    number: int | None = None
    current: bool = False
    rel: str = ""
    aria_label: str = ""


@dataclass(frozen=True)
class Page:
    """One page of a list. `total` rows were found, or more than that if `capped`."""

    items: Sequence
    number: int
    total: int
    per_page: int = PER_PAGE
    capped: bool = False
    params: tuple[tuple[str, str], ...] = ()  # the list's other query parameters (search, filters), kept in links
    noun: tuple[str, str, str] = ("запись", "записи", "записей")

    @property
    def page_count(self) -> int:
        return max((self.total + self.per_page - 1) // self.per_page, 1)

    @property
    def first_index(self) -> int:
        return (self.number - 1) * self.per_page + 1 if self.items else 0

    @property
    def last_index(self) -> int:
        return self.first_index + len(self.items) - 1 if self.items else 0

    @property
    def is_whole(self) -> bool:
        return not self.capped and self.page_count == 1

    @property
    def summary(self) -> str:
        """«Показаны 1–50 из 331», or «Всего: 12 школ» when one page holds the whole list."""
        if self.is_whole:
            return f"Всего: {count_text(self.total, *self.noun)}"
        shown = f"{thousands(self.first_index)}–{thousands(self.last_index)}" if self.items else "0"
        if self.capped:
            return f"Показаны {shown} из более чем {thousands(self.total)}. Уточните запрос, чтобы найти остальных."
        return f"Показаны {shown} из {thousands(self.total)}"

    def url(self, number: int) -> str:
        params = [(key, value) for key, value in self.params if key != "page" and value != ""]
        if number > 1:
            params.append(("page", str(number)))
        return "?" + urlencode(params) if params else "?"

    @property
    def links(self) -> list[PageLink]:
        """Previous, the first and last pages, two either side of the current one with gaps between, next."""
        if self.page_count == 1:
            return []
        count, current = self.page_count, self.number
        shown = sorted({1, count, *range(max(current - 2, 1), min(current + 2, count) + 1)})
        links: list[PageLink] = []
        if current > 1:
            links.append(PageLink("Предыдущая", self.url(current - 1), rel="prev", aria_label=f"Предыдущая страница, {current - 1}"))
        previous = 0
        for number in shown:
            if number - previous > 1:
                links.append(PageLink("…"))
            link = PageLink(str(number), self.url(number), number=number, current=number == current, aria_label=f"Страница {number}")
            links.append(link)
            previous = number
        if current < count:
            links.append(PageLink("Следующая", self.url(current + 1), rel="next", aria_label=f"Следующая страница, {current + 1}"))
        return links


def page_of(rows: Sequence, *, number: int, per_page: int = PER_PAGE, params=(), noun=("запись", "записи", "записей")) -> Page:
    """A page of a list already in memory (ordered); a page past the end shows the last one."""
    total = len(rows)
    last = max((total + per_page - 1) // per_page, 1)
    number = min(number, last)
    start = (number - 1) * per_page
    return Page(rows[start : start + per_page], number, total, per_page, params=tuple(params), noun=noun)
