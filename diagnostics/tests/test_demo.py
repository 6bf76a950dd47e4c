"""The demo's answers come from a latent-trait model, so the quality figures mean something (issue 10, Decisions): the
RIASEC scales of 300 generated respondents reach α ≥ 0.70 and correlate in the hexagon's order; careless respondents
are flagged as low confidence."""

import random

from diagnostics.demo import _answers, _Person
from diagnostics.format import compiled
from diagnostics.quality import quality_of
from diagnostics.scoring import confidence
from diagnostics.tests.conftest import version


def test_generated_riasec_answers_are_reliable_and_follow_the_hexagon():
    instrument = compiled(version("riasec-interests"))
    rng = random.Random(3)
    people = [_Person(random.Random(i)) for i in range(300)]
    sets = [_answers(p, instrument, rng) for p in people if not p.careless]
    quality = quality_of(instrument, sets)
    assert quality.respondents == len(sets) >= 200
    assert all(scale.alpha >= 0.70 for scale in quality.scales), [(s.code, s.alpha) for s in quality.scales]
    assert quality.hexagon.index > 0.5
    assert not quality.is_pilot


def test_a_careless_respondent_of_the_demo_answers_all_alike_and_is_flagged():
    instrument = compiled(version("riasec-interests"))
    person = _Person(random.Random(1))
    person.careless = "alike"
    answers = _answers(person, instrument, random.Random(1))
    assert confidence(instrument, answers, dict.fromkeys(answers, 5000)).low
