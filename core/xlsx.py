"""One table to one XLSX sheet: a title row naming the scope and the date, a bold frozen header row with
Russian headers, numbers written as numbers (so the region's analysts can sum and filter them), dates as
dates, and column widths that fit the content.

    columns = [XlsxColumn("Школа"), XlsxColumn("Обучающихся", "int"), XlsxColumn("Средние часы", "decimal")]
    return xlsx_response(filename="schools.xlsx", title="Профминимум: школы", scope="Город Альфа",
                         on_date=date.today(), columns=columns, rows=[["Школа № 1", 18, Decimal("12.5")]])
"""

import datetime
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.http import HttpResponse
from django.utils.http import content_disposition_header
from openpyxl import Workbook
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


def workbook_bytes(
    *, title: str, scope: str, on_date: datetime.date, columns: Sequence[XlsxColumn], rows: Iterable[Sequence],
    sheet_title: str = "",
) -> bytes:  # fmt: skip
    """The table as the bytes of an .xlsx file."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _sheet_title(sheet_title or title)

    heading = sheet.cell(row=TITLE_ROW, column=1, value=_clean_text(f"{title} — {scope}, на {date_ru(on_date)}"))
    heading.font = Font(bold=True, size=13)
    heading.data_type = "s"  # never a formula, whatever the text
    # A long header wraps; the data decide how wide a column must be.
    widths = [min(len(column.header), HEADER_WIDTH) for column in columns]

    for index, column in enumerate(columns, 1):
        cell = sheet.cell(row=HEADER_ROW, column=index, value=_clean_text(column.header))
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")

    row_number = FIRST_DATA_ROW - 1
    for row_number, row in enumerate(rows, FIRST_DATA_ROW):
        for index, (column, raw) in enumerate(zip(columns, row), 1):
            value = _cell_value(raw, column.kind)
            cell = sheet.cell(row=row_number, column=index, value=value)
            if isinstance(value, str):
                cell.data_type = "s"  # a school called «=1+1» stays text
            elif value is not None:
                cell.number_format = NUMBER_FORMATS[column.kind]
            shown = _shown_width(value, column.kind)
            widths[index - 1] = max(widths[index - 1], shown)

    for index, width in enumerate(widths, 1):
        sheet.column_dimensions[get_column_letter(index)].width = min(MAX_WIDTH, max(8, width + 2))
    sheet.freeze_panes = sheet.cell(row=FIRST_DATA_ROW, column=1)
    if row_number >= FIRST_DATA_ROW and columns:
        sheet.auto_filter.ref = f"A{HEADER_ROW}:{get_column_letter(len(columns))}{row_number}"
    sheet.sheet_view.zoomScale = 100

    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


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
) -> HttpResponse:  # fmt: skip
    """An attachment download of the table."""
    content = workbook_bytes(title=title, scope=scope, on_date=on_date, columns=columns, rows=rows, sheet_title=sheet_title)
    if not filename.lower().endswith(".xlsx"):
        filename += ".xlsx"
    response = HttpResponse(content, content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = content_disposition_header(True, filename)
    response["Cache-Control"] = "no-store"  # may hold personal data
    return response
