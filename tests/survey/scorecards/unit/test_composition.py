"""The 四好 scorecard rules on plain data: parts, renormalisation, exact grades, ranks, settings."""

from __future__ import annotations

from fractions import Fraction as F

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from services.survey.scorecards.domain import settings as year_rules
from services.survey.scorecards.domain.composition import (
    PARTS,
    Facts,
    RoundScores,
    YearSettings,
    combine,
    display,
    exact,
    grade,
    parts_of,
    ranks,
    scorecard,
)

FULL = Facts(pledges=4, completion_sum=330.5, closed=2, fulfilled=1, partly=1, inspections=3, rating_sum=13,
             comment_quarters=3, quarters_due=4, site_evaluations=2, site_overall_sum=171.1, contact_points=3,
             contact_points_visited=2, contact_visits=9)


def test_each_part_from_its_facts():
    parts = parts_of(FULL, RoundScores(pledge_evaluation=(80, 90.5), three_way=(F(220, 3),), leadership=(85,)))
    assert parts == {
        "pledges": (F(3305, 40) + F(150, 2)) / 2,  # completion 82.625, outcomes (100 + 50) / 2
        "pledge_evaluation": F(1705, 20), "three_way": F(220, 3), "leadership": F(85),
        "inspections": F(13 * 20, 3), "quarterly_comments": F(75), "demo_sites": F(1711, 20), "contacts": F(200, 3),
    }
    assert parts_of(Facts(), RoundScores()) == dict.fromkeys(PARTS)
    assert parts_of(Facts(pledges=2, completion_sum=150), RoundScores())["pledges"] == 75  # none closed yet


def test_missing_parts_renormalise_and_nothing_is_no_score():
    weights = {p: F(1, 10) for p in PARTS} | {"pledges": F(3, 10)}
    assert combine({"pledges": F(80), "inspections": F(60), "contacts": None}, weights) == F(75)
    assert combine(dict.fromkeys(PARTS), weights) is None
    assert combine({"pledges": F(80)}, {"pledges": F(0)}) is None  # a zero weight does not count as present


def test_grades_are_decided_on_the_exact_value():
    s = YearSettings()
    # 0.1 + 0.2 weights read as 1/10 and 2/10: (1/10·70 + 2/10·77.5)/(3/10) = 75 exactly → 合格, not 基本合格
    w = {"inspections": exact(0.1), "contacts": exact(0.2)}
    score = combine({"inspections": F(70), "contacts": F(155, 2)}, w)
    assert score == 75 and grade(score, s) == "合格"
    assert grade(F(7499, 100), s) == "基本合格" and grade(F(90), s) == "优秀" and grade(F(0), s) == "不合格"
    assert grade(None, s) is None


def test_ranks_share_ties_and_skip():
    assert ranks({1: F(90), 2: F(80), 3: F(90), 4: None, 5: F(70)}) == {1: 1, 2: 3, 3: 1, 4: None, 5: 4}


def test_display_rounds_half_up_only_for_display():
    assert display(F(1, 8) * 100 + F(1, 20)) == 12.6 and display(F(2, 3) * 100) == 66.7 and display(None) is None


def test_year_settings_merge_weights_and_replace_bounds():
    stored = year_rules.merged({"weights": {"pledges": 0.5, "contacts": 0}, "grade_bounds": {"好": 80, "较好": 70},
                                "fail_grade": "一般"})
    s = year_rules.year_settings(stored)
    assert s.weights["pledges"] == F(1, 2) and s.weights["contacts"] == 0 and s.weights["leadership"] == F(15, 100)
    assert s.grade_bounds == {"好": 80, "较好": 70} and grade(F(75), s) == "较好" and grade(F(10), s) == "一般"
    assert year_rules.problems(year_rules.merged({"weights": dict.fromkeys(PARTS, 0)})) != {}
    defaults = year_rules.year_settings(None)
    assert sum(defaults.weights.values()) == 1 and defaults.grade_bounds["合格"] == 75


score = st.fractions(min_value=0, max_value=100, max_denominator=1000)


@settings(max_examples=150, deadline=None)
@given(st.dictionaries(st.sampled_from(PARTS), score, min_size=1),
       st.dictionaries(st.sampled_from(PARTS), st.integers(1, 50), min_size=len(PARTS)), st.integers(1, 9))
def test_score_is_a_weighted_mean_unchanged_by_scaling_weights(parts, raw, k):
    weights = {p: F(raw.get(p, 1), 100) for p in PARTS}
    got = combine(parts, weights)
    assert min(parts.values()) <= got <= max(parts.values())
    assert combine(parts, {p: w * k for p, w in weights.items()}) == got
    # independent: every present part counted by hand
    assert got == sum(weights[p] * v for p, v in parts.items()) / sum(weights[p] for p in parts)


@pytest.mark.parametrize("value,text", [(0.1, F(1, 10)), (75, F(75)), ("82.625", F(661, 8))])
def test_numbers_read_as_the_decimals_they_show(value, text):
    assert exact(value) == text


def test_scorecard_puts_it_together():
    card = scorecard(Facts(inspections=2, rating_sum=9), RoundScores(leadership=(F(80),)), YearSettings())
    # inspections 90 (weight .1), leadership 80 (weight .15): (9 + 12) / .25 = 84
    assert (card.score, card.grade) == (F(84), "合格")
