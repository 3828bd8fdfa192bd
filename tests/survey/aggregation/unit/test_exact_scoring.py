"""Exact arithmetic (DOMAIN "Exact arithmetic"), property-based: the domain scoring against an oracle
written here from DOMAIN.md alone — every rating kept (not count/sum/min/max), trimmed by sorting,
fractions throughout, grades by integer comparison.  Bounds and ties included."""

from __future__ import annotations

from fractions import Fraction

from hypothesis import given, settings
from hypothesis import strategies as st

from services.survey.aggregation.domain.scoring import Stat, pooled_score, ranks, score_target, stored_ranks, to_text
from services.survey.rounds.domain.rules import DIMENSIONS, round_settings

SETTINGS = round_settings({})
WEIGHTS = {"self": Fraction(2, 10), "peer": Fraction(3, 10), "masses": Fraction(5, 10)}
ratings = st.lists(st.integers(min_value=1, max_value=5), min_size=0, max_size=12)


def oracle_mean(scores: list[int]) -> Fraction:
    ordered = sorted(scores)
    if len(ordered) >= 5:  # 去掉一个最高分和一个最低分
        ordered = ordered[1:-1]
    return Fraction(sum(ordered), len(ordered))


def oracle_grade(score: Fraction) -> str:
    # bounds inclusive: score ≥ 90 ⇔ 10·numerator ≥ 900·denominator, in integers
    p, q = score.numerator, score.denominator
    return "优秀" if p >= 90 * q else "合格" if p >= 75 * q else "基本合格" if p >= 60 * q else "不合格"


def stat(dimension: str, scores: list[int], part: str | None = None) -> Stat:
    return Stat(dimension, part, len(scores), sum(scores), min(scores), max(scores))


def oracle_dimensions(given_: dict[str, list[int]]) -> tuple[Fraction, str] | None:
    if min(len(v) for v in given_.values()) < 3:
        return None
    score = sum((oracle_mean(v) for v in given_.values()), Fraction(0)) / len(given_) * 20
    return score, oracle_grade(score)


@settings(max_examples=200, deadline=None)
@given(st.sampled_from(("person", "branch", "committee")), st.data())
def test_three_way_scores_and_grades_match_the_exact_oracle(target_type, data):
    given_ = {k: data.draw(ratings, label=k) for k, _ in DIMENSIONS[target_type]}
    result = score_target(target_type, [stat(k, v) for k, v in given_.items() if v], SETTINGS)
    expected = oracle_dimensions(given_)
    if expected is None:
        assert result.suppressed and result.score is None and result.grade is None
        return
    assert not result.suppressed
    assert result.exact == expected[0] and result.grade == expected[1]
    assert result.dimensions == {k: oracle_mean(v) for k, v in given_.items()}
    assert round(result.score, 1) == round(float(expected[0]), 1)


@settings(max_examples=200, deadline=None)
@given(ratings, ratings, ratings, st.booleans())
def test_pledge_scores_match_the_exact_oracle(self_, peer, masses, personal):
    given_ = {"self": self_, "peer": peer, "masses": masses}
    result = score_target("pledge", [stat("fulfilment", v, p) for p, v in given_.items() if v], SETTINGS,
                          personal=personal)
    published = {p: oracle_mean(v) for p, v in given_.items() if len(v) >= 3}
    assert result.own_self == (oracle_mean(self_) if personal and self_ else None)
    if not published:
        assert result.suppressed and result.score is None and result.parts is None
        return
    combined = sum(WEIGHTS[p] * m for p, m in published.items()) / sum(WEIGHTS[p] for p in published)
    assert result.exact == combined * 20 and result.grade == oracle_grade(combined * 20)
    assert result.parts == {p: published.get(p) for p in ("self", "peer", "masses")}


def test_exact_bounds_are_inclusive_where_a_float_sum_of_thirds_falls_short():
    """Three employees' 四强 answers giving exactly 60, 75 and 90 (a float sum of thirds: 59.99…, 74.99…, 89.99…)."""
    cases = {
        60: ([1, 1, 1], [3, 3, 3], [5, 4, 4], [4, 4, 3], "基本合格"),
        75: ([1, 1, 2], [5, 5, 5], [5, 5, 5], [4, 4, 3], "合格"),
        90: ([5, 4, 4], [5, 5, 5], [5, 4, 4], [5, 4, 4], "优秀"),
    }
    for bound, (*lists, expected) in cases.items():
        keys = [k for k, _ in DIMENSIONS["person"]]
        result = score_target("person", [stat(k, v) for k, v in zip(keys, lists, strict=True)], SETTINGS)
        assert result.exact == bound and oracle_grade(result.exact) == expected
        assert result.grade == expected, (bound, result.grade)
        assert result.score == bound


def test_ranks_tie_on_exact_values_1_1_3():
    assert ranks({"a": Fraction(80), "b": Fraction(80), "c": Fraction(70)}) == {"a": 1, "b": 1, "c": 3}
    third = Fraction(1, 3)
    # equal exactly though their floats, summed in another order, may differ in the last bits
    assert ranks({"x": third + third + third, "y": Fraction(1), "z": Fraction(2, 3), "w": Fraction(1)}) == {
        "x": 1, "y": 1, "w": 1, "z": 4}
    # different exactly though a float rounded to 9 decimals cannot tell them apart
    close = {"p": Fraction(75), "q": Fraction(75) - Fraction(1, 10**12)}
    assert ranks(close) == {"p": 1, "q": 2}
    assert ranks({}) == {}


@settings(max_examples=200, deadline=None)
@given(st.lists(st.fractions(min_value=0, max_value=100, max_denominator=60), max_size=12))
def test_ranks_match_the_competition_ranking_oracle(values):
    scores = dict(enumerate(values))
    assert ranks(scores) == {k: 1 + sum(1 for o in scores.values() if o > v) for k, v in scores.items()}


def test_pooled_score_is_exact():
    assert pooled_score(0, 0, SETTINGS) is None
    assert pooled_score(11, 3, SETTINGS) == Fraction(220, 3)
    assert pooled_score(45, 12, SETTINGS) == 75


@settings(max_examples=200, deadline=None)
@given(st.lists(st.fractions(min_value=60, max_value=90, max_denominator=12), max_size=15), st.data())
def test_ranks_of_stored_scores_are_the_exact_ranks(values, data):
    """Stored as (float, exact text), ranked on the float where it decides and exactly where floats collide."""
    near = data.draw(st.lists(st.sampled_from([Fraction(75), Fraction(75) - Fraction(1, 10**18),
                                               Fraction(75) + Fraction(1, 10**18)]), max_size=4))
    scores = dict(enumerate(values + near))
    stored = {k: (float(v), to_text(v)) for k, v in scores.items()}
    assert stored_ranks(stored) == ranks(scores)
