"""What the preview keeps for the commit (imports.framework.checked_freeze / checked_thaw): the parse of every row,
streamed row by row into one compressed blob and read back the same way, with repeated texts held once."""

import pickle
import zlib

from imports.framework import FROZEN_VERSION, checked_thaw, shared
from imports.importers.ticket import IMPORTER
from imports.services import _context
from imports.tests.conftest import xlsx_bytes
from imports.tests.test_ticket_import import HEADER, clean_rows, day


def test_the_commit_reads_back_every_rows_parse_as_the_preview_kept_it(cast, importing):
    for key, names in (("a1_8a_0", ("Дзагоева", "Алина", "Таймуразовна")), ("a1_9a_1", ("Кесаев", "Тамерлан", "Русланович"))):
        person = cast.students[key].person
        person.last_name, person.first_name, person.middle_name = names
        person.save()
    rows = clean_rows(cast) * 3  # the same two students three times: the plan names the repeats
    batch = importing.check(xlsx_bytes(HEADER, rows), kind="ticket", user="operator", school=None)
    thawed = checked_thaw(bytes(batch.parsed), IMPORTER, _context(batch))
    assert [row.number for row in thawed.rows] == list(range(4, 10))
    assert [[title for title, _day in row.values["trials"]] for row in thawed.rows[:2]] == [
        ["Инженер-робототехник", "Агроном"],
        ["Ветеринар"],
    ]
    assert thawed.rows[1].values["trials"][0][1] == day(cast, 3)
    # The same surname in rows 4 and 6 is one object after the thaw, as it was after the reading.
    assert thawed.rows[0].cells["full_name"] is thawed.rows[2].cells["full_name"]
    assert (thawed.summary["create"], thawed.summary["bad"]) == (2, 4)


def test_a_blob_kept_by_the_former_format_is_not_used_and_the_file_is_read_again(cast, importing):
    old = zlib.compress(pickle.dumps({"v": FROZEN_VERSION - 1, "rows": []}), 1)
    assert checked_thaw(old, IMPORTER, None) is None


def test_shared_keeps_one_object_of_each_equal_text_and_date_inside_tuples_lists_and_dicts():
    same: dict = {}
    first = shared({"names": ("Иван" + "ов", "Алан"), "parents": [{"kind": "мать"}]}, same)
    second = shared({"names": ("Ивано" + "в", "Алан"), "parents": [{"kind": "ма" + "ть"}]}, same)
    assert first == second
    assert first["names"][0] is second["names"][0]
    assert first["parents"][0]["kind"] is second["parents"][0]["kind"]
