"""Reading the tables schools really have: an Excel workbook (XLSX) or a CSV file, whatever its name says.

What a file is, is judged by its content: a picture renamed «.xlsx», an old Excel 97–2003 book, an OpenDocument
table, a Word document or an empty file each get a clear message, never an error page. A CSV may be UTF-8 (with or
without a BOM), UTF-16 (Excel's «Текст Юникод») or Windows-1251, separated by «;», «,» or a tab: all detected.

An XLSX is read straight from its XML with expat, a row at a time: four times faster than openpyxl's reader and
in constant memory, which is what a region's file of 50,000 students needs. Its archive is judged by its directory
before anything is inflated (a ZIP bomb declares gigabytes in a few megabytes), and a DTD is refused (entities).
Cells come back as Python values: text, numbers (int when whole), booleans, datetimes for cells formatted as
dates, `Formula` for a cell that holds a formula and `CellError` for Excel's «#ЗНАЧ!»."""

import codecs
import contextlib
import csv
import datetime
import io
import posixpath
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from xml.parsers import expat

from core.formatting import thousands
from core.uploads import OLE_MAGIC, ZIP_MAGIC, ArchiveBounds, ArchiveTooLarge, archive_check, megabytes, upload_size

MAX_BYTES = 10 * 1024 * 1024  # 10 МБ: a region's 50,000 students fit as XLSX; the request limit is 12 МБ
MAX_ROWS = 100_000
MAX_COLUMNS = 100
# An XLSX's bounds, from the sizes its archive declares.
XLSX_MAX_UNPACKED = 400 * 1024 * 1024
XLSX_MAX_MEMBERS = 5000
XLSX_MAX_RATIO = 100  # unpacked : packed, for the archive and for any part over the floor
XLSX_RATIO_FLOOR = 1024 * 1024
XLSX_BOUNDS = ArchiveBounds(max_unpacked=XLSX_MAX_UNPACKED, max_members=XLSX_MAX_MEMBERS, max_ratio=XLSX_MAX_RATIO,
                            ratio_floor=XLSX_RATIO_FLOOR)  # fmt: skip

WHAT = "таблица Excel (XLSX) или CSV, до 10 МБ"
SAVE_AS = "Откройте файл в Excel и сохраните его как «Книга Excel (.xlsx)» или «CSV (разделители — точка с запятой)»."


class FileRefused(Exception):
    """The file as a whole cannot be read; the message says why and what to do, in Russian."""


class Formula(str):
    """A cell holding a formula (its text, «=A2&B2»); `cached` is the value Excel last computed, if saved."""

    cached: object = None


class CellError(str):
    """A cell holding one of Excel's errors («#ЗНАЧ!», «#REF!»)."""


@dataclass
class Source:
    """An opened table: what it is (for the log) and its rows."""

    format: str  # "xlsx" | "csv"
    description: str  # «Excel (XLSX), лист «Ученики»», «CSV, кодировка Windows-1251, разделитель «;»»
    _rows: object  # () -> Iterator[tuple[int, list]]

    def rows(self) -> Iterator[tuple[int, list]]:
        """(row number as the spreadsheet shows it, [cell values]) for every row that has a cell, in order."""
        return self._rows()


# --- what the file is -------------------------------------------------------------------------------------------

_PICTURES = (
    (b"\x89PNG\r\n\x1a\n", "картинка PNG"),
    (b"\xff\xd8\xff", "картинка JPEG"),
    (b"GIF87a", "картинка GIF"),
    (b"GIF89a", "картинка GIF"),
    (b"BM", "картинка BMP"),
    (b"%PDF-", "документ PDF"),
    (b"II*\x00", "картинка TIFF"),
    (b"MM\x00*", "картинка TIFF"),
    (b"RIFF", "картинка или звук (RIFF)"),
    (b"Rar!", "архив RAR"),
    (b"7z\xbc\xaf", "архив 7-Zip"),
    (b"\x1f\x8b", "архив GZIP"),
)


def open_source(file, name: str = "") -> Source:
    """The table in `file` (a file object at any position), or FileRefused saying why not."""
    size = upload_size(file)
    shown = f"«{name}»" if name else "Файл"
    if size == 0:
        raise FileRefused(f"Файл {shown} пустой (0 байт): в нём нет ни одной строки. Выберите файл со списком — {WHAT}.")
    if size > MAX_BYTES:
        raise FileRefused(
            f"Файл {shown} слишком большой ({megabytes(size)}): принимается не больше 10 МБ. Сохраните его как XLSX "
            "(он в несколько раз меньше CSV) или разделите список на части — например, по школам."
        )
    file.seek(0)
    head = file.read(8)
    file.seek(0)
    for magic, what in _PICTURES:
        if head.startswith(magic):
            raise FileRefused(f"Файл {shown} — это {what}, а не таблица, хотя называется так. Нужна {WHAT}.")
    if head.startswith(OLE_MAGIC):
        raise FileRefused(f"Файл {shown} — в старом формате Excel 97–2003 (.xls) или Word (.doc). {SAVE_AS}")
    if head.startswith(ZIP_MAGIC):
        return _xlsx_source(file, shown)
    return _csv_source(file.read(), shown)


# --- CSV ------------------------------------------------------------------------------------------------------------

ENCODINGS = {"utf-8-sig": "UTF-8", "utf-8": "UTF-8", "utf-16": "UTF-16", "cp1251": "Windows-1251"}
DELIMITERS = {";": "точка с запятой", ",": "запятая", "\t": "табуляция"}


def _decode(data: bytes, shown: str) -> tuple[str, str]:
    if data.startswith(codecs.BOM_UTF8):
        return data.decode("utf-8-sig", errors="replace"), "utf-8-sig"
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16", errors="replace"), "utf-16"
    if b"\x00" in data[:4096]:
        raise FileRefused(f"Файл {shown} не похож на таблицу: в нём двоичные данные, а не текст. Нужна {WHAT}.")
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        # Excel on a Russian Windows saves CSV in Windows-1251, which decodes almost any bytes: the checks of the
        # columns and values below catch a file that was something else.
        return data.decode("cp1251", errors="replace"), "cp1251"


def _delimiter(text: str) -> str:
    """The separator that splits the first lines into the same number of fields most consistently."""
    lines = [line for line in text.splitlines()[:60] if line.strip()][:40]
    best, best_score = ";", -1
    for delimiter in DELIMITERS:
        counts = [len(row) for row in csv.reader(lines, delimiter=delimiter)]
        if not counts:
            continue
        widest = max(counts)
        if widest < 2:
            continue
        # Rows as wide as the widest (the header and the data); a title row of one field does not count against.
        score = sum(1 for count in counts if count == widest) * (widest - 1)
        if score > best_score:
            best, best_score = delimiter, score
    return best


def _csv_source(data: bytes, shown: str) -> Source:
    text, encoding = _decode(data, shown)
    if "\x00" in text:
        raise FileRefused(f"Файл {shown} не похож на таблицу: в нём двоичные данные, а не текст. Нужна {WHAT}.")
    delimiter = _delimiter(text)
    description = f"CSV, кодировка {ENCODINGS[encoding]}, разделитель — {DELIMITERS[delimiter]}"

    def rows() -> Iterator[tuple[int, list]]:
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
        try:
            for number, row in enumerate(reader, 1):
                if number > MAX_ROWS + 50:
                    raise FileRefused(too_many_rows())
                yield number, row[:MAX_COLUMNS]
        except csv.Error as error:
            raise FileRefused(f"Файл {shown}: не удалось разобрать CSV ({error}). {SAVE_AS}") from error

    return Source("csv", description, rows)


def too_many_rows() -> str:
    return f"В файле больше {thousands(MAX_ROWS)} строк: разделите список на части (например, по школам) и загрузите их по очереди."


# --- XLSX -------------------------------------------------------------------------------------------------------------

MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
# Built-in number formats that show a date or a time.
DATE_FORMAT_IDS = {
    14,
    15,
    16,
    17,
    18,
    19,
    20,
    21,
    22,
    27,
    28,
    29,
    30,
    31,
    32,
    33,
    34,
    35,
    36,
    45,
    46,
    47,
    50,
    51,
    52,
    53,
    54,
    55,
    56,
    57,
    58,
}
_QUOTED = re.compile(r'"[^"]*"|\\.|\[[^\]]*\]')
_DATE_CODES = re.compile(r"[dmyhsдмгчс]", re.IGNORECASE)
_CELL_REF = re.compile(r"([A-Z]+)(\d+)")


def _is_date_format(code: str) -> bool:
    stripped = _QUOTED.sub("", code).split(";")[0]
    return stripped.lower() not in {"general", "@", ""} and bool(_DATE_CODES.search(stripped))


def _parse_xml(stream, start=None, end=None, text=None) -> None:
    """Run expat over a part of the archive, refusing a DTD (entities are how XML files explode)."""
    parser = expat.ParserCreate(namespace_separator="}")
    parser.buffer_text = True

    def no_doctype(*_args):
        raise FileRefused("Файл XLSX повреждён или собран необычно (в нём объявление DTD). " + SAVE_AS)

    parser.StartDoctypeDeclHandler = no_doctype
    if start:
        parser.StartElementHandler = start
    if end:
        parser.EndElementHandler = end
    if text:
        parser.CharacterDataHandler = text
    parser.ParseFile(stream)


def _local(name: str) -> str:
    return name.rsplit("}", 1)[-1]


def _archive_check(archive: zipfile.ZipFile, shown: str) -> None:
    try:
        archive_check(archive, XLSX_BOUNDS)
    except ArchiveTooLarge as error:
        if error.parts is not None:
            raise FileRefused(f"Файл {shown} не принят: в нём слишком много частей ({thousands(error.parts)}). {SAVE_AS}") from None
        raise FileRefused(
            f"Файл {shown} не принят: распакованный, он занял бы {megabytes(error.unpacked)} — в настоящей таблице столько "
            f"данных не бывает. {SAVE_AS}"
        ) from None


def _xlsx_source(file, shown: str) -> Source:
    try:
        archive = zipfile.ZipFile(file)
        names = set(archive.namelist())
    except (zipfile.BadZipFile, OSError, ValueError) as error:
        raise FileRefused(f"Файл {shown} повреждён: это архив ZIP, который не открывается. {SAVE_AS}") from error
    if "xl/workbook.xml" not in names:
        if "word/document.xml" in names:
            raise FileRefused(f"Файл {shown} — документ Word, а не таблица. Нужна {WHAT}.")
        if "content.xml" in names and "mimetype" in names:
            raise FileRefused(f"Файл {shown} — таблица OpenDocument (.ods). {SAVE_AS}")
        raise FileRefused(f"Файл {shown} — архив ZIP, а не таблица Excel. Нужна {WHAT}.")
    _archive_check(archive, shown)
    try:
        book = _workbook(archive, names)
    except (KeyError, ValueError, expat.ExpatError, zipfile.BadZipFile, OSError) as error:
        raise FileRefused(f"Файл {shown} повреждён: Excel-книга не читается. {SAVE_AS}") from error
    description = f"Excel (XLSX), лист «{book.sheet_name}»"

    def rows() -> Iterator[tuple[int, list]]:
        try:
            yield from _sheet_rows(archive, book)
        except (KeyError, ValueError, expat.ExpatError, zipfile.BadZipFile, OSError) as error:
            raise FileRefused(f"Файл {shown} повреждён: лист «{book.sheet_name}» не читается. {SAVE_AS}") from error

    return Source("xlsx", description, rows)


@dataclass
class _Book:
    sheet_name: str
    sheet_path: str
    shared: list[str]
    date_styles: set[int]
    date1904: bool


def _workbook(archive: zipfile.ZipFile, names: set[str]) -> _Book:
    sheets: list[tuple[str, str, str]] = []  # (name, state, relationship id)
    flags = {"date1904": False}

    def book_start(name, attrs):
        tag = _local(name)
        if tag == "sheet":
            sheets.append((attrs.get("name", ""), attrs.get("state", "visible"), attrs.get(f"{REL_NS}}}id", "")))
        elif tag == "workbookPr":
            flags["date1904"] = attrs.get("date1904", "0") in {"1", "true"}

    with archive.open("xl/workbook.xml") as stream:
        _parse_xml(stream, start=book_start)
    targets: dict[str, str] = {}

    def rels_start(name, attrs):
        if _local(name) == "Relationship":
            targets[attrs.get("Id", "")] = attrs.get("Target", "")

    if "xl/_rels/workbook.xml.rels" in names:
        with archive.open("xl/_rels/workbook.xml.rels") as stream:
            _parse_xml(stream, start=rels_start)
    visible = [sheet for sheet in sheets if sheet[1] == "visible"] or sheets
    if not visible:
        raise ValueError("no sheets")
    sheet_name, _, rel_id = visible[0]
    target = targets.get(rel_id, "")
    path = target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join("xl", target))
    if path not in names:
        candidates = sorted(n for n in names if n.startswith("xl/worksheets/") and n.endswith(".xml"))
        if not candidates:
            raise ValueError("no worksheet")
        path = candidates[0]
    shared = _shared_strings(archive) if "xl/sharedStrings.xml" in names else []
    date_styles = _date_styles(archive) if "xl/styles.xml" in names else set()
    return _Book(sheet_name, path, shared, date_styles, flags["date1904"])


def _shared_strings(archive: zipfile.ZipFile) -> list[str]:
    strings: list[str] = []
    parts: list[str] = []
    state = {"text": False, "phonetic": 0}

    def start(name, attrs):
        tag = _local(name)
        if tag == "si":
            parts.clear()
        elif tag == "t" and not state["phonetic"]:
            state["text"] = True
        elif tag == "rPh":
            state["phonetic"] += 1

    def end(name):
        tag = _local(name)
        if tag == "si":
            strings.append("".join(parts))
        elif tag == "t":
            state["text"] = False
        elif tag == "rPh":
            state["phonetic"] -= 1

    def text(data):
        if state["text"]:
            parts.append(data)

    with archive.open("xl/sharedStrings.xml") as stream:
        _parse_xml(stream, start, end, text)
    return strings


def _date_styles(archive: zipfile.ZipFile) -> set[int]:
    """The indexes of the cell styles (cellXfs) whose number format shows a date."""
    custom: dict[int, str] = {}
    styles: list[int] = []
    state = {"xfs": False}

    def start(name, attrs):
        tag = _local(name)
        if tag == "numFmt":
            with contextlib.suppress(ValueError):
                custom[int(attrs.get("numFmtId", "-1"))] = attrs.get("formatCode", "")
        elif tag == "cellXfs":
            state["xfs"] = True
        elif tag == "xf" and state["xfs"]:
            try:
                styles.append(int(attrs.get("numFmtId", "0")))
            except ValueError:
                styles.append(0)

    def end(name):
        if _local(name) == "cellXfs":
            state["xfs"] = False

    with archive.open("xl/styles.xml") as stream:
        _parse_xml(stream, start, end)
    result = set()
    for index, format_id in enumerate(styles):
        if format_id in custom:
            if _is_date_format(custom[format_id]):
                result.add(index)
        elif format_id in DATE_FORMAT_IDS:
            result.add(index)
    return result


EXCEL_EPOCH = datetime.datetime(1899, 12, 30)
EXCEL_EPOCH_1904 = datetime.datetime(1904, 1, 1)


def excel_serial_to_datetime(serial: float, *, date1904: bool = False) -> datetime.datetime | None:
    """An Excel date number as a datetime (None when out of Excel's range). 1900-based books count from 30.12.1899,
    which absorbs Excel's invented 29.02.1900 for every date after it."""
    if not 0 < serial < 2958466:
        return None
    try:
        return (EXCEL_EPOCH_1904 if date1904 else EXCEL_EPOCH) + datetime.timedelta(days=serial)
    except OverflowError:
        return None


def _column_index(reference: str | None) -> int | None:
    if not reference:
        return None
    match = _CELL_REF.match(reference)
    if not match:
        return None
    index = 0
    for char in match.group(1):
        index = index * 26 + (ord(char) - 64)
    return index - 1


def _number(text: str):
    try:
        value = float(text)
    except ValueError:
        return text
    if value.is_integer() and abs(value) < 1e15:
        return int(value)
    return value


def _sheet_rows(archive: zipfile.ZipFile, book: _Book) -> Iterator[tuple[int, list]]:
    shared, date_styles, date1904 = book.shared, book.date_styles, book.date1904
    done: list[tuple[int, list]] = []
    state = {"row": 0, "cells": None, "col": 0, "type": None, "style": 0, "formula": None, "in_value": False, "in_f": False}
    value_parts: list[str] = []
    formula_parts: list[str] = []

    def start(name, attrs):
        tag = _local(name)
        if tag == "c":
            state["col"] = column if (column := _column_index(attrs.get("r"))) is not None else state["col"]
            state["type"] = attrs.get("t", "n")
            try:
                state["style"] = int(attrs.get("s", "0"))
            except ValueError:
                state["style"] = 0
            state["formula"] = None
            value_parts.clear()
        elif tag in ("v", "t"):
            state["in_value"] = True
        elif tag == "f":
            state["in_f"] = True
            formula_parts.clear()
            state["formula"] = ""
        elif tag == "row":
            try:
                number = int(attrs.get("r", "0"))
            except ValueError:
                number = 0
            state["row"] = number if number > 0 else state["row"] + 1
            state["cells"] = []
            state["col"] = 0
            if state["row"] > MAX_ROWS + 50:
                raise FileRefused(too_many_rows())

    def end(name):
        tag = _local(name)
        if tag in ("v", "t"):
            state["in_value"] = False
        elif tag == "f":
            state["in_f"] = False
            state["formula"] = "".join(formula_parts)
        elif tag == "c":
            column = state["col"]
            state["col"] = column + 1
            if column >= MAX_COLUMNS:
                return
            value = _cell_value("".join(value_parts), state["type"], state["style"])
            if state["formula"] is not None:
                formula = Formula("=" + state["formula"] if state["formula"] else "=…")
                formula.cached = value
                value = formula
            cells = state["cells"]
            if len(cells) < column:
                cells.extend([None] * (column - len(cells)))
            cells.append(value)
        elif tag == "row":
            done.append((state["row"], state["cells"]))

    def text(data):
        if state["in_value"]:
            value_parts.append(data)
        elif state["in_f"]:
            formula_parts.append(data)

    def _cell_value(raw: str, kind: str, style: int):
        if kind == "s":
            try:
                return shared[int(raw)]
            except (ValueError, IndexError):
                return None
        if kind in ("str", "inlineStr"):
            return raw
        if kind == "b":
            return raw.strip() in {"1", "true"}
        if kind == "e":
            return CellError(raw)
        if kind == "d":
            try:
                return datetime.datetime.fromisoformat(raw.strip())
            except ValueError:
                return raw
        if raw == "":
            return None
        value = _number(raw)
        if style in date_styles and isinstance(value, int | float):
            moment = excel_serial_to_datetime(value, date1904=date1904)
            return moment if moment is not None else value
        return value

    parser = expat.ParserCreate(namespace_separator="}")
    parser.buffer_text = True

    def no_doctype(*_args):
        raise FileRefused("Файл XLSX повреждён или собран необычно (в нём объявление DTD). " + SAVE_AS)

    parser.StartDoctypeDeclHandler = no_doctype
    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = text
    with archive.open(book.sheet_path) as stream:
        while chunk := stream.read(1 << 16):
            parser.Parse(chunk, False)
            if done:
                yield from done
                done.clear()
        parser.Parse(b"", True)
    yield from done
