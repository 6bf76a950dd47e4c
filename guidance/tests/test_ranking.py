"""The ranking (issue 10, «Ranking»): the correlation of the six RIASEC scores with each profession's profile, the
congruence indices as the reason, preferences and «не подходит» taken into account, deterministic."""

from catalog.riasec import brown_gore, iachan
from guidance.ranking import profession_profile, rank


def profession(pk, code, profile, *, sectors=(), subjects=(), demand="unknown", klimov="technic"):
    return profession_profile(
        id=pk, code=code, title=code, profile=dict(zip("RIASEC", profile, strict=True)), klimov=klimov, sector_ids=sectors,
        sector_titles={s: f"Отрасль {s}" for s in sectors}, subject_ids=subjects, demand=demand, market_is_demo=True,
    )  # fmt: skip


WELDER = profession(1, "welder", (6.5, 2.5, 2, 1.5, 2, 3))  # code RCI
TEACHER = profession(2, "teacher", (1.5, 3, 3.5, 7, 4, 3), sectors=(5,))  # code SEA
ANALYST = profession(3, "analyst", (2, 6.5, 2, 2, 3, 5.5), subjects=(7,))  # code ICE
STUDENT = {"R": 1.0, "I": 0.75, "A": 0.0, "S": 0.5, "E": 0.25, "C": 0.5}  # code RIS


def test_the_hand_checked_congruence_values_of_the_issue():
    assert iachan("RIA", "RIA") == 28 and iachan("RIA", "SEC") == 0 and iachan("SEI", "ESI") == 21
    assert brown_gore("RIA", "RIA") == 18 and brown_gore("RIA", "SEC") == 0


def test_professions_are_ranked_by_the_correlation_of_profiles():
    ranked = rank(riasec=STUDENT, klimov=None, professions=[TEACHER, ANALYST, WELDER])
    assert [r.profession.code for r in ranked] == ["welder", "analyst", "teacher"]
    # By hand: the student's deviations from their mean 0.5 are (.5, .25, −.5, 0, −.25, 0), Σ² = .625; the welder's from
    # 17.5/6 are (3.583, −.417, −.917, −1.417, −.917, .083), Σ² = 16.708; Σ products = 2.375; r = 2.375 / √(.625 · 16.708).
    assert ranked[0].correlation == 0.7349
    assert ranked[2].correlation < 0


def test_the_reason_names_the_students_top_scales_and_the_congruence_of_the_codes():
    best = rank(riasec=STUDENT, klimov=None, professions=[WELDER])[0]
    # RIS against RCI: R first in both (22), I second in RIS and third in RCI (2) → M = 24; C: R–R 3·3, I–C 2·1, S–I 1·1 → 12.
    assert (best.iachan, best.brown_gore) == (24, 12)
    assert best.reason.startswith(
        "высокие баллы по шкалам «реалистический» и «исследовательский»; совпадение кодов: 24 из 28 по Иачану, 12 из 18"
    )


def test_a_chosen_sector_and_favourite_subjects_raise_a_profession():
    plain = rank(riasec=STUDENT, klimov=None, professions=[WELDER, ANALYST])
    preferred = rank(riasec=STUDENT, klimov=None, professions=[WELDER, ANALYST], subject_ids=[7], sector_ids=[])
    assert preferred[[r.profession.code for r in preferred].index("analyst")].score == round(plain[1].score + 0.05, 6)
    with_sector = rank(riasec=STUDENT, klimov=None, professions=[TEACHER], sector_ids=[5])
    assert "отрасль «Отрасль 5» вы отметили как интересную" in with_sector[0].reason


def test_a_dismissed_profession_is_left_out_and_the_same_inputs_give_the_same_ranking():
    ranked = rank(riasec=STUDENT, klimov=None, professions=[WELDER, ANALYST, TEACHER], dismissed=[1])
    assert "welder" not in [r.profession.code for r in ranked]
    twin = profession(4, "a-twin", (6.5, 2.5, 2, 1.5, 2, 3))
    first = rank(riasec=STUDENT, klimov=None, professions=[WELDER, twin])
    again = rank(riasec=STUDENT, klimov=None, professions=[twin, WELDER])
    assert [r.profession.code for r in first] == [r.profession.code for r in again] == ["a-twin", "welder"]


def test_a_flat_profile_recommends_nothing():
    assert rank(riasec=dict.fromkeys("RIASEC", 0.5), klimov=None, professions=[WELDER]) == []
