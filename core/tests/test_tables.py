"""The table component: one definition, sorted, filtered and paged by its own query parameters, rendered as an
accessible HTML table and exported whole as XLSX (issue 6, «Thin views» and «Lists that hide nothing»)."""

import datetime
import io
import re
from decimal import Decimal

import openpyxl
import pytest
from django.template.loader import render_to_string
from django.test import RequestFactory

from core.tables import BLANK, Cell, ChoiceFilter, Column, Row, Table, date_cell, number_cell, table_swapped, text_cell

DAY = datetime.date(2026, 11, 26)
STATE = ChoiceFilter("state", "Состояние", [("at_risk", "есть в зоне риска"), ("behind", "есть отстающие")])


def school(name: str, students: int | None, at_risk: int = 0, **facets) -> Row:
    return Row(
        [text_cell(name, url=f"/schools/{name}/"), number_cell(students, 0), Cell(at_risk, str(at_risk), note=f"{at_risk} из {students}")],
        facets={"state": {"at_risk"} if at_risk else set()},
        data=(students or 0, at_risk),
    )


def schools_table(rows=None, **options) -> Table:
    rows = (
        rows
        if rows is not None
        else [school("Школа № 11", 30, 3), school("Школа № 2", 25), school("школа № 1", 40, 10), school("Школа № 3", None)]
    )
    defaults = {
        "key": "schools", "title": "Школы", "search_label": "Школа", "filters": [STATE],
        "columns": [Column("name", "Школа"), Column("students", "Обучающихся", "int"), Column("at_risk", "В зоне риска", "int")],
        "footer": lambda matched: [number_cell(sum(r.data[0] for r in matched), 0), number_cell(sum(r.data[1] for r in matched), 0)],
    }  # fmt: skip
    return Table(rows=rows, **{**defaults, **options})


def bound(table: Table, path: str = "/dash/", **params) -> Table:
    return table.bind(RequestFactory().get(path, params))


def names(table: Table) -> list[str]:
    return [row.cells[0].text for row in table.page_rows]


def many(count: int) -> list[Row]:
    return [school(f"Школа № {n}", 10 + n % 7, n % 3) for n in range(1, count + 1)]


# --- sorting ------------------------------------------------------------------------------------------------


def test_names_sort_naturally_and_the_given_order_is_the_default():
    table = bound(schools_table())
    assert names(table) == ["Школа № 11", "Школа № 2", "школа № 1", "Школа № 3"]  # as given: no column is sorted
    assert all(not h["aria_sort"] for h in table.headers)
    assert names(bound(schools_table(), **{"schools-sort": "name"})) == ["школа № 1", "Школа № 2", "Школа № 3", "Школа № 11"]
    assert names(bound(schools_table(), **{"schools-sort": "-name"})) == ["Школа № 11", "Школа № 3", "Школа № 2", "школа № 1"]


def test_an_empty_value_sorts_last_both_ways_and_ties_keep_their_order():
    rows = [school("А", 10, 1), school("Б", None), school("В", 10, 2), school("Г", 5)]
    assert names(bound(schools_table(rows), **{"schools-sort": "students"})) == ["Г", "А", "В", "Б"]
    assert names(bound(schools_table(rows), **{"schools-sort": "-students"})) == ["А", "В", "Г", "Б"]


def test_a_cell_may_sort_by_something_else_than_its_value():
    rows = [
        Row([text_cell("малая"), Cell(2, "2", sort=Decimal("0.5"))]),  # 2 of 4 students
        Row([text_cell("большая"), Cell(9, "9", sort=Decimal("0.1"))]),  # 9 of 90
        Row([text_cell("пустая"), Cell("", "—", sort="")]),  # nothing to compare: last
    ]
    table = Table(key="t", title="Т", columns=[Column("name", "Школа"), Column("share", "В зоне риска", "int")], rows=rows)
    assert names(bound(table, **{"t-sort": "-share"})) == ["малая", "большая", "пустая"]


def test_headers_link_to_the_next_sort_and_say_which_column_is_sorted():
    table = bound(schools_table(), on="2026-11-26", **{"schools-sort": "-students", "schools-page": "1"})
    name, students, at_risk = table.headers
    assert students["aria_sort"] == "descending" and not name["aria_sort"] and not at_risk["aria_sort"]
    # A second click reverses; another column starts with names from А and numbers from the largest.
    assert students["url"] == "/dash/?on=2026-11-26&schools-sort=students" and students["hint"] == "сортировать по возрастанию"
    assert name["url"] == "/dash/?on=2026-11-26&schools-sort=name"
    assert at_risk["url"] == "/dash/?on=2026-11-26&schools-sort=-at_risk"
    assert name["id"] == "schools-sort-name"


def test_a_wrong_sort_or_page_falls_back_instead_of_failing():
    table = bound(schools_table(default_sort="-at_risk"), **{"schools-sort": "salary", "schools-page": "много"})
    assert table.sort == "-at_risk" and table.page == 1
    assert names(table) == ["школа № 1", "Школа № 11", "Школа № 2", "Школа № 3"]
    assert bound(schools_table(many(120)), **{"schools-page": "99"}).page == 3


# --- filtering ----------------------------------------------------------------------------------------------


def test_the_text_filter_folds_case_and_yo_and_a_number_is_a_whole_number():
    rows = [school("Школа № 1 г. Алагир", 10), school("Школа № 11 с. Ёлкино", 10), school("Лицей № 21", 10)]
    assert names(bound(schools_table(rows), **{"schools-q": "1"})) == ["Школа № 1 г. Алагир"]
    assert names(bound(schools_table(rows), **{"schools-q": "елкино"})) == ["Школа № 11 с. Ёлкино"]
    assert names(bound(schools_table(rows), **{"schools-q": "ШКОЛА"})) == ["Школа № 1 г. Алагир", "Школа № 11 с. Ёлкино"]
    assert names(bound(schools_table(rows), **{"schools-q": "лиц 21"})) == ["Лицей № 21"]


def test_a_choice_filter_keeps_the_rows_whose_facet_has_the_value_and_ignores_an_unknown_one():
    table = bound(schools_table(), **{"schools-state": "at_risk"})
    assert names(table) == ["Школа № 11", "школа № 1"]
    assert table.filter_summary == "отбор: состояние — есть в зоне риска"
    assert len(bound(schools_table(), **{"schools-state": "everything"}).page_rows) == 4


def test_the_footer_adds_up_what_the_filter_left_on_every_page():
    table = bound(schools_table(), **{"schools-state": "at_risk"})
    assert [c.text for c in table.footer] == ["Итого по отобранным", "70", "13"]
    assert [c.text for c in bound(schools_table()).footer] == ["Итого", "95", "13"]


# --- paging -------------------------------------------------------------------------------------------------


def test_paging_says_what_it_shows_of_how_many():
    """Issue 6, «Lists that hide nothing»: every list says how many it shows of how many and pages on."""
    table = bound(schools_table(many(445)), **{"schools-page": "2"})
    assert table.shown_text == "Показано 51–100 из 445."
    assert names(table)[0] == "Школа № 51"
    labels = [link.get("label", "…") for link in table.pages]
    assert labels == ["‹ Назад", "1", "2", "3", "4", "…", "9", "Вперёд ›"]
    assert [link["url"] for link in table.pages if link.get("rel")] == ["/dash/", "/dash/?schools-page=3"]
    assert next(link for link in table.pages if link.get("current"))["label"] == "2"

    table = bound(schools_table(many(445)), **{"schools-q": "1", "schools-page": "2"})
    assert table.page == 1 and table.shown_text == "Показано 1–1 из 1 (отобраны из 445)."
    assert bound(schools_table(many(3)), **{"schools-q": "99"}).shown_text == "Ничего не найдено: ни одна из 3 строк не подходит под отбор."
    assert bound(schools_table(many(30))).pages == []


# --- the page -----------------------------------------------------------------------------------------------


def render(table: Table, **extra) -> str:
    return render_to_string("core/table.html", {"table": table, **extra})


def test_the_html_table_has_sortable_headers_a_count_page_links_and_a_filter_form():
    table = bound(schools_table(many(120)), on="2026-11-26", **{"schools-sort": "-students", "schools-page": "2"})
    html = render(table, keep_form="date-form")
    assert '<section class="data-table" id="table-schools-section"' in html and 'hx-target="this"' in html
    assert '<table id="table-schools" aria-labelledby="table-schools-heading" aria-describedby="schools-shown">' in html
    assert re.search(r'<th scope="col" class="num" aria-sort="descending"><a class="sort" id="schools-sort-students"', html)
    assert "Показано 51–100 из 120." in html
    # A header is named by its label alone; what a click does is its title.
    assert 'title="Сортировать по возрастанию">Обучающихся</a></th>' in html
    assert '<nav class="pager" aria-label="Страницы таблицы «Школы»">' in html
    assert 'aria-current="page"><span class="visually-hidden">Страница </span>2</span>' in html
    # The filter form carries the rest of the address (the date, the sort) and starts again from page one.
    form = re.search(r'<form class="data-table__filter".*?</form>', html, re.S).group(0)
    assert '<input type="hidden" name="on" value="2026-11-26">' in form and 'name="schools-sort" value="-students"' in form
    assert "schools-page" not in form
    assert '<label for="schools-q">Школа</label>' in form and '<label for="schools-state">Состояние</label>' in form
    # The date form of the page keeps the table's sort when the date changes.
    assert '<input type="hidden" form="date-form" name="schools-sort" value="-students">' in html
    assert html.count("<tr>") == 1 + 50 + 1  # the header, a page of rows, the footer
    assert 'href="/dash/?on=2026-11-26&amp;schools-sort=-students&amp;format=xlsx&amp;table=schools"' in html


def test_an_empty_table_says_so_and_a_filter_that_finds_nothing_says_that():
    html = render(bound(schools_table([], empty="Школ нет.")))
    assert "Школ нет." in html and "Показано" not in html and "data-table__filter" not in html
    html = render(bound(schools_table(), **{"schools-q": "гимназия"}))
    assert "Ничего не найдено: измените или сбросьте отбор." in html and "Сбросить отбор" in html


def test_htmx_asks_for_a_table_by_its_section():
    factory = RequestFactory()
    tables = [schools_table(), schools_table(key="other")]
    request = factory.get("/dash/", headers={"HX-Request": "true", "HX-Target": "table-other-section"})
    assert table_swapped(request, tables) is tables[1]
    assert table_swapped(factory.get("/dash/", headers={"HX-Request": "true", "HX-Target": "dashboard-figures"}), tables) is None
    assert table_swapped(factory.get("/dash/"), tables) is None


# --- the XLSX -----------------------------------------------------------------------------------------------


def test_the_xlsx_holds_every_row_in_the_current_sort_and_filter_and_the_footer():
    rows = [*many(120), school('=HYPERLINK("x")', 1, 1)]
    table = bound(schools_table(rows), **{"schools-sort": "-students", "schools-state": "at_risk", "schools-page": "2"})
    response = table.xlsx_response(filename="schools", title="Профминимум: Школы", scope="Город Альфа", on_date=DAY)
    assert response.streaming
    sheet = openpyxl.load_workbook(io.BytesIO(response.getvalue())).active
    values = [tuple(r) for r in sheet.iter_rows(values_only=True)]
    assert values[0][0] == "Профминимум: Школы (отбор: состояние — есть в зоне риска) — Город Альфа, на 26 ноября 2026 г."
    assert values[1] == ("Школа", "Обучающихся", "В зоне риска")
    body = values[2:-1]
    assert len(body) == table.count == 81  # every page, not the second only
    assert [r[1] for r in body] == sorted((r[1] for r in body), reverse=True)
    assert values[-1][0] == "Итого по отобранным"
    formula = next(c for c in sheet["A"] if c.value == '=HYPERLINK("x")')
    assert formula.data_type == "s" and formula.quotePrefix


def test_columns_only_for_the_xlsx_and_state_markers():
    columns = [Column("name", "Школа"), Column("status", "Статус", on_page=False), Column("state", "Состояние", "state")]
    table = bound(
        Table(
            key="t", title="Т", columns=columns, rows=[[text_cell("А"), text_cell("утверждён"), Cell("отстаёт", "отстаёт", state="behind")]]
        )
    )
    html = render(table)
    assert "утверждён" not in html and '<span class="state"><svg' in html
    assert [c.kind for c in (c.xlsx() for c in columns)] == ["text", "text", "text"]
    with pytest.raises(ValueError):
        Column("x", "X", "money")


def test_small_cells():
    assert date_cell(DAY).text == "26 ноября 2026" and date_cell(None).text == "—"
    assert number_cell(Decimal("1234.5")).text == "1\u202f234,5" and number_cell(None).text == "—"
    assert BLANK.sort_key() is None


def test_a_short_fixed_list_does_not_count_itself():
    rows = [[text_cell("Урочная деятельность")], [text_cell("Работа с родителями")]]
    table = bound(Table(key="d", title="Часы по направлениям", columns=[Column("name", "Направление")], rows=rows))
    assert not table.tells_count and "Показано" not in render(table)
    assert bound(schools_table()).tells_count  # a list that can be filtered says how many it shows
