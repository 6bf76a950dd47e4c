"""The XLSX helper: a title row naming the scope and the date, a bold frozen header row, numbers as numbers."""

import datetime
import io
import tracemalloc
from decimal import Decimal

import openpyxl
import pytest

from core.xlsx import XLSX_CONTENT_TYPE, XlsxColumn, date_ru, workbook_bytes, xlsx_response

COLUMNS = [
    XlsxColumn("Школа"), XlsxColumn("Обучающихся", "int"), XlsxColumn("Средние часы", "decimal"),
    XlsxColumn("Доля выполнивших", "percent"), XlsxColumn("Дата", "date"),
]  # fmt: skip
DAY = datetime.date(2026, 11, 26)


def open_sheet(content: bytes):
    return openpyxl.load_workbook(io.BytesIO(content)).active


def test_title_headers_and_typed_cells():
    content = workbook_bytes(
        title="Профминимум 2026/2027: школы", scope="Город Альфа", on_date=DAY, columns=COLUMNS,
        rows=[["Школа № 1 г. Альфа", 1234, Decimal("12.5"), Decimal("0.25"), datetime.date(2026, 9, 3)], ["Школа № 2", 0, Decimal("0"), 0, None]],
    )  # fmt: skip
    sheet = open_sheet(content)
    assert sheet["A1"].value == "Профминимум 2026/2027: школы — Город Альфа, на 26 ноября 2026 г."
    assert sheet["A1"].font.bold
    assert [c.value for c in sheet[2]] == ["Школа", "Обучающихся", "Средние часы", "Доля выполнивших", "Дата"]
    assert all(c.font.bold for c in sheet[2])
    assert sheet.freeze_panes == "A3"
    assert [c.value for c in sheet[3]] == ["Школа № 1 г. Альфа", 1234, 12.5, 0.25, datetime.datetime(2026, 9, 3)]
    assert sheet["B3"].data_type == "n" and sheet["B3"].number_format == "#,##0"
    assert sheet["C3"].number_format == "#,##0.0"
    assert sheet["D3"].number_format == "0%"
    assert sheet["E3"].number_format == "DD.MM.YYYY"
    assert [c.value for c in sheet[4]] == ["Школа № 2", 0, 0, 0, None]
    assert sheet.auto_filter.ref == "A2:E4"


def test_columns_are_wide_enough_for_their_content_but_not_for_the_title():
    long_name = "Муниципальное бюджетное общеобразовательное учреждение"
    sheet = open_sheet(workbook_bytes(title="Т" * 200, scope="С", on_date=DAY, columns=COLUMNS[:2], rows=[[long_name, 5]]))
    assert sheet.column_dimensions["A"].width == len(long_name) + 2
    assert 8 <= sheet.column_dimensions["B"].width <= 14


def test_text_that_looks_like_a_formula_stays_text_and_control_characters_go():
    """Issue 6, «Lists that hide nothing»: a cell that begins with =, +, - or @ is text, never a formula; it also
    carries Excel's quote prefix, so it stays text when someone edits it."""
    risky = ['=HYPERLINK("http://example.invalid","x")', "+7 (867) 200-00-00", "-1+1", "@SUM(A1:A2)"]
    sheet = open_sheet(
        workbook_bytes(title="=1+1", scope="@s", on_date=DAY, columns=COLUMNS[:1], rows=[[v] for v in [*risky, "Школа\x07 № 3"]])
    )
    for row, value in enumerate(risky, 3):
        cell = sheet.cell(row=row, column=1)
        assert (cell.value, cell.data_type, cell.quotePrefix) == (value, "s", True)
    assert sheet["A7"].value == "Школа № 3" and not sheet["A7"].quotePrefix
    assert sheet["A1"].data_type == "s" and sheet["A1"].value.startswith("=1+1 — @s")


def test_the_response_is_streamed_and_its_memory_does_not_grow_with_the_rows(monkeypatch):
    """Issue 9, point 2: the export stays whole but is streamed: written a row at a time (openpyxl's
    write-only mode) into a spooled file, which goes to disk past its limit, and which the response reads out
    in blocks."""
    monkeypatch.setattr("core.xlsx.SPOOL_BYTES", 16 * 1024)

    def rows(count):
        for index in range(count):
            yield [f"Школа № {index}", index, Decimal("12.5")]

    def peak(count) -> tuple[int, bool]:
        tracemalloc.start()
        response = xlsx_response(filename="big", title="t", scope="s", on_date=DAY, columns=COLUMNS[:3], rows=rows(count))
        on_disk = response.file_to_stream._rolled
        size = sum(len(block) for block in response.streaming_content)
        _, top = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        response.file_to_stream.close()  # (not response.close(): that signals the end of a request)
        assert size > 0
        return top, on_disk

    (small, _), (large, on_disk) = peak(600), peak(1_800)
    assert on_disk
    # Three times the rows, and the peak stays where it was (give or take the allocator's noise).
    assert large - small < 256 * 1024, (small, large)

    response = xlsx_response(filename="t", title="t", scope="s", on_date=DAY, columns=COLUMNS[:3], rows=rows(3))
    assert response.streaming
    sheet = open_sheet(response.getvalue())
    assert [c.value for c in sheet[5]] == ["Школа № 2", 2, 12.5]
    assert sheet.auto_filter.ref == "A2:C5"


def test_the_sheet_title_is_legal():
    sheet = open_sheet(
        workbook_bytes(
            title="t", scope="s", on_date=DAY, columns=COLUMNS[:1], rows=[], sheet_title="Классы 6–11 / [все]: итоги за первое полугодие"
        )
    )
    assert sheet.title == "Классы 6–11    все   итоги за пе"[:31]
    assert len(sheet.title) <= 31


def test_an_unknown_column_kind_is_refused():
    with pytest.raises(ValueError):
        XlsxColumn("Часы", "money")


def test_response_is_an_attachment_with_a_unicode_filename():
    response = xlsx_response(filename="профминимум-школы", title="t", scope="s", on_date=DAY, columns=COLUMNS[:2], rows=[["a", 1]])
    assert response["Content-Type"] == XLSX_CONTENT_TYPE
    assert response["Content-Disposition"].startswith("attachment;")
    assert "filename*=utf-8''%D0%BF" in response["Content-Disposition"] and response["Content-Disposition"].endswith(".xlsx")
    assert response["Cache-Control"] == "no-store"
    assert response.streaming
    assert open_sheet(response.getvalue())["B3"].value == 1


def test_dates_in_russian():
    assert date_ru(datetime.date(2027, 5, 9)) == "9 мая 2027 г."
