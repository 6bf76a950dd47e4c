import pytest

from core.text import count_with_noun, plural_form

FORMS = ("ученик", "ученика", "учеников")


@pytest.mark.parametrize(
    "number, expected",
    [(0, "учеников"), (1, "ученик"), (2, "ученика"), (4, "ученика"), (5, "учеников"), (11, "учеников"),
     (12, "учеников"), (14, "учеников"), (21, "ученик"), (22, "ученика"), (101, "ученик"), (111, "учеников")],
)  # fmt: skip
def test_plural_forms(number, expected):
    assert plural_form(number, *FORMS) == expected


def test_count_groups_thousands_with_a_narrow_space():
    assert count_with_noun(48012, *FORMS) == "48\u202f012 учеников"
