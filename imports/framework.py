"""The import framework: columns found by their names wherever the header is, every row checked before anything
is written, and the commit all or nothing.

An importer (imports/importers/) declares its columns (the template's header, the names real files use for it,
what goes there) and three steps:

- `parse(row, ctx)`: the row's cells to clean values, each problem named by its column (no database);
- `plan(rows, ctx)`: what the rows mean against the database — the stable key of each, duplicates in the file and
  against the base, what will be created or updated (reads only); returns the preview's summary;
- `apply(rows, ctx)`: writes the rows without problems, through the domains' services (inside one transaction).

`check_file` runs the first two over a file (the preview); `commit_rows` runs them again over the same file —
the database may have changed since the preview — and then `apply`. The header is the row among the first 30 that
names most of the importer's columns (a title row above it, merged or not, and empty rows are passed over); the
columns may come in any order; a column the template does not know is listed and ignored."""

import datetime
import difflib
import pickle
import re
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from django.utils import timezone

from core.formatting import count_text
from imports.reader import FileRefused, Source
from imports.values import Problem, is_empty, name_key, shown

HEADER_SEARCH_ROWS = 30


@dataclass(frozen=True)
class Column:
    key: str
    header: str  # the template's header
    aliases: tuple[str, ...] = ()  # other names real files use
    required: bool = False  # the file must have the column (alternatives: Importer.header_problems)
    example: str = ""
    help: str = ""


def header_key(text: str) -> str:
    """A header as it is compared: without what is in brackets or after an asterisk, folded like a search."""
    text = re.sub(r"\([^)]*\)|\[[^\]]*\]|\*", " ", str(text or ""))
    return name_key(text)


@dataclass(slots=True)
class Row:
    """A row of the file: its number as the spreadsheet shows it, its cells by column key, the clean values and its
    problems [(column as the file names it, the value shown, the reason)]. Slotted: a file holds 50,000 of them."""

    number: int
    cells: dict[str, object]
    values: dict[str, object] = field(default_factory=dict)
    problems: list[tuple[str, str, str]] = field(default_factory=list)
    action: str = ""  # create | update | same (after plan)
    match: object = None  # what the row found in the database
    changes: list[str] = field(default_factory=list)  # what an update changes, in words
    parse_problems: int = 0  # how many of `problems` the parse found (the rest are the plan's)

    def problem(self, ctx: "Context", key: str, message: str, *, value=None) -> None:
        column = ctx.headers.get(key, "") if key else ""
        cell = self.cells.get(key) if value is None else value
        self.problems.append((column, shown(cell), message[:600]))

    def take(self, ctx: "Context", key: str, parser: Callable, *args, **kwargs):
        """A value through its parser, or None with the problem noted under the column."""
        try:
            return parser(self.cells.get(key), *args, **kwargs)
        except Problem as problem:
            self.problem(ctx, key, str(problem))
            return None

    def has(self, key: str) -> bool:
        return not is_empty(self.cells.get(key))

    @property
    def ok(self) -> bool:
        return not self.problems


@dataclass
class Context:
    """What every step of an import knows: who imports, for which school (None: the file names each row's), the
    current school year, today, and the file's own names of the columns."""

    user: object
    viewer: object
    school: object = None
    municipality: object = None
    year: object = None
    today: object = None
    headers: dict[str, str] = field(default_factory=dict)  # column key -> the header as in the file
    cache: dict = field(default_factory=dict)

    def __post_init__(self):
        from orgs.selectors import school_year_current

        if self.today is None:
            self.today = timezone.localdate()
        if self.year is None:
            self.year = school_year_current()

    def has_column(self, key: str) -> bool:
        return key in self.headers


class Importer:
    kind: str = ""
    title: str = ""  # «Обучающиеся и родители»
    description: str = ""  # what the file is and who loads it
    columns: tuple[Column, ...] = ()
    template_name: str = "shablon.xlsx"
    nouns: tuple[str, str, str] = ("запись", "записи", "записей")  # what a row is, for «Новых: 3 …»

    def aliases(self) -> dict[str, str]:
        found: dict[str, str] = {}
        for column in self.columns:
            for name in (column.header, *column.aliases):
                found.setdefault(header_key(name), column.key)
        return found

    def column(self, key: str) -> Column:
        return next(c for c in self.columns if c.key == key)

    def header_problems(self, found: set[str], ctx: Context) -> list[str]:
        """What the file's header lacks: by default, the required columns."""
        return [missing_column(self.column(c.key).header) for c in self.columns if c.required and c.key not in found]

    def parse(self, row: Row, ctx: Context) -> None:
        raise NotImplementedError

    def plan(self, rows: list[Row], ctx: Context) -> dict:
        raise NotImplementedError

    def apply(self, rows: list[Row], ctx: Context) -> dict:
        raise NotImplementedError

    def freeze(self, values: dict) -> dict:
        """A row's clean values as they are kept between the preview and the commit (no model instances)."""
        return values

    def thaw(self, row: Row, ctx: Context) -> None:
        """The kept values back, checked again against what may have changed (the importer's rights, say)."""

    def examples(self) -> list[list]:
        """The template's example rows, in the order of `columns`."""
        return [[c.example for c in self.columns]]


def missing_column(header: str) -> str:
    return f"Нет столбца «{header}»."


# --- the header ---------------------------------------------------------------------------------------------------------


@dataclass
class Header:
    row: int
    mapping: dict[int, str]  # column index -> key
    headers: dict[str, str]  # key -> the header as in the file
    unused: list[str]  # headers the importer does not know
    rest: Iterator[tuple[int, list]]


def _column_letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


def locate_header(source: Source, importer: Importer) -> Header:
    """The header row and what each of its columns is; FileRefused when there is none, or when it names a column
    twice."""
    aliases = importer.aliases()
    rows = source.rows()
    buffer: list[tuple[int, list]] = []
    best: tuple[int, int] | None = None  # (matched columns, index in buffer)
    for number, cells in rows:
        buffer.append((number, cells))
        matched = {aliases[key] for cell in cells if isinstance(cell, str) and (key := header_key(cell)) in aliases}
        if len(matched) >= 2 and (best is None or len(matched) > best[0]):
            best = (len(matched), len(buffer) - 1)
        if len(buffer) >= HEADER_SEARCH_ROWS:
            break
    if best is None:
        examples = ", ".join(f"«{c.header}»" for c in importer.columns[:4])
        raise FileRefused(
            f"Не найдена строка заголовков: ни в одной из первых {HEADER_SEARCH_ROWS} строк нет названий столбцов шаблона "
            f"(например, {examples}). Скачайте шаблон на этой странице и перенесите данные в него, или подпишите столбцы так же."
        )
    number, cells = buffer[best[1]]
    mapping: dict[int, str] = {}
    headers: dict[str, str] = {}
    seen: dict[str, int] = {}
    unused: list[str] = []
    for index, cell in enumerate(cells):
        if is_empty(cell):
            continue
        written = str(cell).strip()
        key = aliases.get(header_key(written))
        if key is None:
            unused.append(written)
            continue
        if key in seen:
            first = seen[key]
            raise FileRefused(
                f"В строке заголовков {number} столбец «{importer.column(key).header}» встречается дважды: "
                f"«{headers[key]}» (столбец {_column_letter(first)}) и «{written}» (столбец {_column_letter(index)}). "
                "Оставьте один или переименуйте лишний."
            )
        seen[key] = index
        mapping[index] = key
        headers[key] = written

    def rest() -> Iterator[tuple[int, list]]:
        yield from buffer[best[1] + 1 :]
        yield from rows

    return Header(number, mapping, headers, unused, rest())


def header_refusal(importer: Importer, header: Header, ctx: Context) -> str | None:
    """The message for a header that lacks what the importer needs, with a guess at a misspelt column."""
    problems = importer.header_problems(set(header.headers), ctx)
    if not problems:
        return None
    text = " ".join(problems)
    known = [c.header for c in importer.columns]
    guesses = []
    for written in header.unused:
        close = difflib.get_close_matches(header_key(written), [header_key(k) for k in known], n=1, cutoff=0.75)
        if close:
            target = next(k for k in known if header_key(k) == close[0])
            guesses.append(f"«{written}» — это, возможно, «{target}»")
    if guesses:
        joined = "; ".join(guesses)
        text += " " + joined[0].upper() + joined[1:] + "?"
    found = ", ".join(f"«{h}»" for h in [*header.headers.values(), *header.unused])
    return f"{text} В строке заголовков {header.row} есть столбцы: {found}. Названия столбцов — как в шаблоне этой страницы."


# --- checking a file -------------------------------------------------------------------------------------------------------


@dataclass
class Checked:
    rows: list[Row]
    summary: dict
    header: Header
    description: str

    @property
    def bad(self) -> list[Row]:
        return [row for row in self.rows if row.problems]

    @property
    def good(self) -> list[Row]:
        return [row for row in self.rows if not row.problems]


PROGRESS_EVERY = 2000


def shared(value, same: dict):
    """The value with every text and date in it replaced by the one equal object kept in `same`: the rows of a file
    repeat the same surnames, first names, classes, schools and dates thousands of times, and a file of 50,000 rows
    held each copy apart. Tuples, lists and dicts are rebuilt, anything else is kept as it is."""
    if isinstance(value, str | datetime.date):
        return same.setdefault(value, value)
    if isinstance(value, tuple):
        return tuple(shared(item, same) for item in value)
    if isinstance(value, list):
        return [shared(item, same) for item in value]
    if isinstance(value, dict):
        return {same.setdefault(key, key) if isinstance(key, str) else key: shared(item, same) for key, item in value.items()}
    return value


def check_file(source: Source, importer: Importer, ctx: Context, *, progress: Callable[[int], None] | None = None) -> Checked:
    """Parse and plan every row of the file; FileRefused when the file as a whole cannot be used."""
    header = locate_header(source, importer)
    ctx.headers = header.headers
    if refusal := header_refusal(importer, header, ctx):
        raise FileRefused(refusal)
    rows: list[Row] = []
    same: dict = {}
    mapping = list(header.mapping.items())
    for number, cells in header.rest:
        values = {key: cells[index] if index < len(cells) else None for index, key in mapping}
        if all(is_empty(value) for value in values.values()):
            continue  # an empty row, or one with something only in columns the import does not read
        row = Row(number, shared(values, same))
        importer.parse(row, ctx)
        row.values = shared(row.values, same)
        row.parse_problems = len(row.problems)
        rows.append(row)
        if progress is not None and len(rows) % PROGRESS_EVERY == 0:
            progress(len(rows))
    if not rows:
        raise FileRefused(f"Под строкой заголовков ({header.row}) нет ни одной строки с данными: файл пустой.")
    summary = importer.plan(rows, ctx)
    return Checked(rows, summary, header, source.description)


def problems_text(count: int) -> str:
    return count_text(count, "строка с ошибками", "строки с ошибками", "строк с ошибками")


# --- between the preview and the commit --------------------------------------------------------------------------
# The parse is the file's own and does not change: the commit takes it as the preview kept it and runs only the
# plan again, against the database as it is then.

FROZEN_VERSION = 2
# The rows are pickled one by one into one zlib stream, and read back the same way: a file of 50,000 rows is never
# held twice (as rows and as one big pickle of copies of them), which was most of the check's peak memory.
INFLATE_CHUNK = 1 << 16


class _Inflater:
    """A file-like reader of a zlib stream, for pickle.Unpickler (read and readline)."""

    def __init__(self, frozen: bytes) -> None:
        self._source = memoryview(frozen)
        self._offset = 0
        self._inflate = zlib.decompressobj()
        self._buffer = bytearray()

    def _fill(self, size: int) -> None:
        while len(self._buffer) < size and (self._offset < len(self._source) or self._inflate.unconsumed_tail):
            tail = self._inflate.unconsumed_tail
            if tail:
                self._buffer += self._inflate.decompress(tail, INFLATE_CHUNK)
            else:
                chunk = self._source[self._offset : self._offset + INFLATE_CHUNK]
                self._offset += len(chunk)
                self._buffer += self._inflate.decompress(chunk, INFLATE_CHUNK)
        if self._offset >= len(self._source) and not self._inflate.unconsumed_tail and len(self._buffer) < size:
            self._buffer += self._inflate.flush()

    def read(self, size: int = -1) -> bytes:
        self._fill(size if size >= 0 else 1 << 62)
        size = len(self._buffer) if size < 0 else size
        taken = bytes(self._buffer[:size])
        del self._buffer[:size]
        return taken

    def readline(self) -> bytes:
        while b"\n" not in self._buffer:
            before = len(self._buffer)
            self._fill(before + INFLATE_CHUNK)
            if len(self._buffer) == before:
                break
        end = self._buffer.find(b"\n") + 1 or len(self._buffer)
        return self.read(end)


def checked_freeze(checked: Checked, importer: Importer) -> bytes:
    header = checked.header
    compressor = zlib.compressobj(1)
    chunks = []

    def put(item) -> None:
        chunks.append(compressor.compress(pickle.dumps(item, protocol=pickle.HIGHEST_PROTOCOL)))

    put({"v": FROZEN_VERSION, "row": header.row, "headers": header.headers, "unused": header.unused,
         "description": checked.description, "rows": len(checked.rows)})  # fmt: skip
    for row in checked.rows:
        put((row.number, row.cells, importer.freeze(dict(row.values)), row.problems[: row.parse_problems]))
    chunks.append(compressor.flush())
    return b"".join(chunks)


def checked_thaw(frozen: bytes, importer: Importer, ctx: Context) -> Checked | None:
    """The preview's parse with a fresh plan; None when what was kept cannot be used (then the file is read again)."""
    # One unpickler per item: each was pickled with a memo of its own, which an unpickler reused would mix up.
    stream = _Inflater(frozen)
    data = pickle.load(stream)
    if not isinstance(data, dict) or data.get("v") != FROZEN_VERSION:
        return None
    ctx.headers = data["headers"]
    rows = []
    # Each row came out of a pickle of its own, with its own copies of the same keys and the same cell texts (a
    # school's name, «мать»): one object of each is kept, as the file's reading had it.
    same: dict = {}
    for _ in range(data["rows"]):
        number, cells, values, problems = pickle.load(stream)
        row = Row(number, shared(cells, same), values=shared(values, same), problems=list(problems), parse_problems=len(problems))
        importer.thaw(row, ctx)
        rows.append(row)
    header = Header(data["row"], {}, data["headers"], data["unused"], iter(()))
    return Checked(rows, importer.plan(rows, ctx), header, data["description"])
