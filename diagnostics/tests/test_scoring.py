"""Scoring of each shipped instrument against answer sets scored by hand (issue 10, «What it must show»), and the
low-confidence rule (a median under 2 s per item, or the same answer to a long run of items)."""

import pytest

from diagnostics.format import compiled
from diagnostics.scoring import confidence, score
from diagnostics.tests.conftest import (
    KLIMOV_ANSWERS,
    KLIMOV_SCORES,
    PARENT_ANSWERS,
    PARENT_SCORES,
    READINESS_ANSWERS,
    READINESS_SCORES,
    RIASEC_ANSWERS,
    RIASEC_CODE,
    RIASEC_SCORES,
    version,
)


def test_the_riasec_inventory_scores_a_hand_scored_answer_set():
    result = score(compiled(version("riasec-interests")), RIASEC_ANSWERS)
    assert result.scores == RIASEC_SCORES
    assert result.code == RIASEC_CODE
    assert result.normalised == {"R": 1.0, "I": 0.75, "A": 0.0, "S": 0.5, "E": 0.25, "C": 0.5}
    assert result.bands == {"R": "высокий", "I": "высокий", "A": "низкий", "S": "средний", "E": "низкий", "C": "средний"}


def test_the_parent_version_scores_a_hand_scored_answer_set():
    result = score(compiled(version("riasec-interests-parent")), PARENT_ANSWERS)
    assert result.scores == PARENT_SCORES
    assert result.code == "CER"


def test_the_five_types_inventory_scores_a_hand_scored_answer_set():
    result = score(compiled(version("professions-five-types")), KLIMOV_ANSWERS)
    assert result.scores == KLIMOV_SCORES
    assert result.bands == {"nature": "выражен", "technic": "средний", "human": "средний", "sign": "средний", "art": "средний"}
    assert result.code == ""


def test_each_five_types_scale_is_keyed_by_eight_options_and_bands_are_0_2_3_6_7_8():
    instrument = compiled(version("professions-five-types"))
    assert len(instrument.items) == 20
    for scale in instrument.scales:
        assert len(scale.items) == 8 and (scale.minimum, scale.maximum) == (0, 8)
        assert [(band.low, band.high) for band in scale.bands] == [(0, 2), (3, 6), (7, 8)]


def test_the_readiness_questionnaire_reverses_its_reversed_items():
    result = score(compiled(version("choice-readiness")), READINESS_ANSWERS)
    assert result.scores == READINESS_SCORES
    assert result.bands == {"decided": "высокая", "informed": "средняя", "backup": "низкая"}


def test_the_riasec_inventory_has_ten_items_per_type_on_a_five_point_scale():
    instrument = compiled(version("riasec-interests"))
    for scale in instrument.scales:
        assert len(scale.items) == 10 and (scale.minimum, scale.maximum) == (0, 40)
    assert all(len(item.options) == 5 for item in instrument.items)


def test_scoring_refuses_an_incomplete_answer_set():
    answers = dict(READINESS_ANSWERS)
    del answers[5]
    with pytest.raises(ValueError, match="№ 5"):
        score(compiled(version("choice-readiness")), answers)


def test_answers_faster_than_two_seconds_a_median_are_low_confidence():
    instrument = compiled(version("choice-readiness"))
    fast = confidence(instrument, READINESS_ANSWERS, dict.fromkeys(READINESS_ANSWERS, 1500))
    assert fast.low and "слишком быстро" in fast.reason and fast.median_seconds == 1.5
    calm = confidence(instrument, READINESS_ANSWERS, dict.fromkeys(READINESS_ANSWERS, 2500))
    assert not calm.low


def test_the_same_answer_to_a_long_run_of_items_is_low_confidence():
    instrument = compiled(version("riasec-interests"))
    alike = confidence(instrument, dict.fromkeys(range(1, 61), "3"), dict.fromkeys(range(1, 61), 4000))
    assert alike.low and alike.longest_run == 60 and "60 вопросов подряд с одним и тем же ответом" in alike.reason
    varied = confidence(instrument, RIASEC_ANSWERS, dict.fromkeys(range(1, 61), 4000))
    assert not varied.low and varied.longest_run == 1
