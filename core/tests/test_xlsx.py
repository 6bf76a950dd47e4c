"""The XLSX helper: a title row naming the scope and the date, a bold frozen header row, numbers as numbers."""

import datetime
import io
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
    sheet = open_sheet(
        workbook_bytes(title="t", scope="s", on_date=DAY, columns=COLUMNS[:1], rows=[['=HYPERLINK("x")'], ["Школа\x07 № 3"]])
    )
    assert sheet["A3"].value == '=HYPERLINK("x")' and sheet["A3"].data_type == "s"
    assert sheet["A4"].value == "Школа № 3"


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
    assert open_sheet(response.content)["B3"].value == 1


def test_dates_in_russian():
    assert date_ru(datetime.date(2027, 5, 9)) == "9 мая 2027 г."
