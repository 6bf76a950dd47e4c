"""Holland codes and the congruence indices, checked against values worked out by hand (issue 10, Decisions:
M(RIA,RIA) = 28, M(RIA,SEC) = 0, M(SEI,ESI) = 21; C(RIA,RIA) = 18, C(RIA,SEC) = 0)."""

import pytest

from catalog.riasec import brown_gore, hexagon_distance, holland_code, iachan, pearson, scales_text


def test_iachan_index_matches_the_hand_checked_values():
    """Issue 10, Decisions: the hand-checked Iachan values."""
    assert iachan("RIA", "RIA") == 28
    assert iachan("RIA", "SEC") == 0
    # S first in the person's code is second in ESI (10), E second is first (10), I third is third (1).
    assert iachan("SEI", "ESI") == 21


def test_brown_gore_index_matches_the_hand_checked_values():
    """Issue 10, Decisions: the hand-checked Brown–Gore values."""
    assert brown_gore("RIA", "RIA") == 18
    assert brown_gore("RIA", "SEC") == 0  # R–S, I–E and A–C are opposite on the hexagon


def test_brown_gore_weighs_neighbours_and_alternates_by_place():
    # R–I neighbours (2) ×3 + I–A neighbours (2) ×2 + A–S neighbours (2) ×1 = 12
    assert brown_gore("RIA", "IAS") == 12
    # R–A alternate (1) ×3 + I–S alternate (1) ×2 + A–E alternate (1) ×1 = 6
    assert brown_gore("RIA", "ASE") == 6


def test_iachan_of_a_reversed_code_counts_only_the_shared_middle_and_crossed_letters():
    # R first vs third (4), I second vs second (5), A third vs first (4)
    assert iachan("RIA", "AIR") == 13


def test_hexagon_distances_go_round_the_ring():
    assert [hexagon_distance("R", letter) for letter in "RIASEC"] == [0, 1, 2, 3, 2, 1]


def test_a_tie_keeps_the_hexagon_order_in_the_code():
    assert holland_code({"R": 3, "I": 5, "A": 5, "S": 1, "E": 5, "C": 2}) == "IAE"
    assert holland_code({"R": 1, "I": 1, "A": 1, "S": 1, "E": 1, "C": 1}) == "RIA"


def test_pearson_is_one_for_proportional_profiles_and_none_for_a_flat_one():
    assert pearson([1, 2, 3, 4, 5, 6], [2, 4, 6, 8, 10, 12]) == pytest.approx(1.0)
    assert pearson([1, 2, 3, 4, 5, 6], [6, 5, 4, 3, 2, 1]) == pytest.approx(-1.0)
    assert pearson([3, 3, 3, 3, 3, 3], [1, 2, 3, 4, 5, 6]) is None


def test_a_malformed_code_is_refused():
    with pytest.raises(ValueError):
        iachan("RRA", "RIA")
    with pytest.raises(ValueError):
        brown_gore("XYZ", "RIA")


def test_scales_are_named_in_russian_with_their_letters():
    assert scales_text("IR") == "исследовательский (I) и реалистический (R)"
