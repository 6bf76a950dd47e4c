"""One table to one XLSX sheet: a title row naming the scope and the date, a bold frozen header row with
Russian headers, numbers written as numbers (so the region's analysts can sum and filter them), dates as
dates, and column widths that fit the content.

The sheet is written in openpyxl's write-only mode, row by row, into a spooled temporary file that the
response streams: the memory a download takes does not grow with its rows (a municipality of 445 schools
or a republic of students alike). Text is always text: a school called «=1+1» or «@home» is written as a
string with Excel's quote prefix, never as a formula.

    columns = [XlsxColumn("Школа"), XlsxColumn("Обучающихся", "int"), XlsxColumn("Средние часы", "decimal")]
    return xlsx_response(filename="schools.xlsx", title="Профминимум: школы", scope="Город Альфа",
                         on_date=date.today(), columns=columns, rows=[["Школа № 1", 18, Decimal("12.5")]])
"""

import datetime
import itertools
import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import IO

from django.http import FileResponse
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from core.formatting import date_text

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


# The number format of each kind of column; text and dates are written as such.
NUMBER_FORMATS = {
    "int": "#,##0",
    "decimal": "#,##0.0",
    "percent": "0%",  # the value is a fraction: 0.25 is shown as 25%
    "date": "DD.MM.YYYY",
    "text": "@",
}
KINDS = set(NUMBER_FORMATS)
TITLE_ROW, HEADER_ROW, FIRST_DATA_ROW = 1, 2, 3
MAX_WIDTH = 60
HEADER_WIDTH = 24
# Column widths must be written before the first row, so they are fitted to the first rows only.
WIDTH_SAMPLE = 500
# Kept in memory up to this size, then on disk: the response never holds a large workbook in memory.
SPOOL_BYTES = 1 << 20
# What makes a spreadsheet read text as a formula when a person edits the cell.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def date_ru(day: datetime.date) -> str:
    """«26 ноября 2026 г.», whatever language is active."""
    return f"{date_text(day)} г."


@dataclass(frozen=True)
class XlsxColumn:
    header: str
    kind: str = "text"  # text | int | decimal | percent | date

    def __post_init__(self):
        if self.kind not in KINDS:
            raise ValueError(f"Неизвестный вид столбца: {self.kind}")


def _clean_text(value) -> str:
    return ILLEGAL_CHARACTERS_RE.sub("", str(value))


def _sheet_title(title: str) -> str:
    for char in "[]:*?/\\":
        title = title.replace(char, " ")
    return title.strip()[:31] or "Лист1"


def _cell_value(value, kind: str):
    """The value as the cell should hold it: numbers stay numbers, empty stays empty."""
    if value is None or value == "":
        return None
    if kind == "int":
        return int(value)
    if kind in ("decimal", "percent"):
        return float(Decimal(str(value)))  # Excel keeps doubles; one decimal place of hours survives exactly enough
    if kind == "date":
        return value if isinstance(value, datetime.date) else None
    return _clean_text(value)


def _text_cell(sheet, value: str, **style) -> WriteOnlyCell:
    """A string cell that stays a string: never a formula, whatever it begins with."""
    cell = WriteOnlyCell(sheet, value=value)
    cell.data_type = "s"
    if value.startswith(FORMULA_STARTS):
        cell.quotePrefix = True  # and stays text when someone edits it in Excel
    for name, setting in style.items():
        setattr(cell, name, setting)
    return cell


def _data_cell(sheet, value, kind: str):
    if value is None:
        return None
    if isinstance(value, str):
        return _text_cell(sheet, value)
    cell = WriteOnlyCell(sheet, value=value)
    cell.number_format = NUMBER_FORMATS[kind]
    return cell


def workbook_write(
    target: IO[bytes], *, title: str, scope: str, on_date: datetime.date, columns: Sequence[XlsxColumn], rows: Iterable[Sequence],
    sheet_title: str = "",
) -> int:  # fmt: skip
    """Write the table as an .xlsx file into `target`, a row at a time; returns the number of data rows."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_sheet_title(sheet_title or title))
    rows = iter(rows)
    sample = [[_cell_value(raw, column.kind) for column, raw in zip(columns, row)] for row in itertools.islice(rows, WIDTH_SAMPLE)]

    # A long header wraps; the data decide how wide a column must be.
    widths = [min(len(column.header), HEADER_WIDTH) for column in columns]
    for values in sample:
        for index, (column, value) in enumerate(zip(columns, values)):
            widths[index] = max(widths[index], _shown_width(value, column.kind))
    for index, width in enumerate(widths, 1):
        sheet.column_dimensions[get_column_letter(index)].width = min(MAX_WIDTH, max(8, width + 2))
    sheet.freeze_panes = f"A{FIRST_DATA_ROW}"
    sheet.sheet_view.zoomScale = 100

    sheet.append([_text_cell(sheet, _clean_text(f"{title} — {scope}, на {date_ru(on_date)}"), font=Font(bold=True, size=13))])
    sheet.append(
        [
            _text_cell(sheet, _clean_text(c.header), font=Font(bold=True), alignment=Alignment(wrap_text=True, vertical="top"))
            for c in columns
        ]
    )
    count = 0
    for values in itertools.chain(sample, ([_cell_value(raw, c.kind) for c, raw in zip(columns, row)] for row in rows)):
        sheet.append([_data_cell(sheet, value, column.kind) for column, value in zip(columns, values)])
        count += 1
    if count and columns:
        sheet.auto_filter.ref = f"A{HEADER_ROW}:{get_column_letter(len(columns))}{FIRST_DATA_ROW + count - 1}"
    workbook.save(target)
    return count


def workbook_bytes(
    *, title: str, scope: str, on_date: datetime.date, columns: Sequence[XlsxColumn], rows: Iterable[Sequence],
    sheet_title: str = "",
) -> bytes:  # fmt: skip
    """The table as the bytes of an .xlsx file (for tests and small attachments; pages stream instead)."""
    with tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES) as target:
        workbook_write(target, title=title, scope=scope, on_date=on_date, columns=columns, rows=rows, sheet_title=sheet_title)
        target.seek(0)
        return target.read()


def _shown_width(value, kind: str) -> int:
    if value is None:
        return 0
    if kind == "date":
        return 10
    if kind == "percent":
        return 5
    if isinstance(value, float):
        return len(f"{value:,.1f}")
    if isinstance(value, int):
        return len(f"{value:,}")
    return max((len(line) for line in str(value).splitlines()), default=0)


def xlsx_response(
    *, filename: str, title: str, scope: str, on_date: datetime.date, columns: Sequence[XlsxColumn], rows: Iterable[Sequence],
    sheet_title: str = "",
) -> FileResponse:  # fmt: skip
    """An attachment download of the table, streamed from a spooled temporary file."""
    target = tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES)  # noqa: SIM115 -- the response closes it once sent
    workbook_write(target, title=title, scope=scope, on_date=on_date, columns=columns, rows=rows, sheet_title=sheet_title)
    target.seek(0)
    if not filename.lower().endswith(".xlsx"):
        filename += ".xlsx"
    response = FileResponse(target, as_attachment=True, filename=filename, content_type=XLSX_CONTENT_TYPE)
    response["Cache-Control"] = "no-store"  # may hold personal data
    return response
