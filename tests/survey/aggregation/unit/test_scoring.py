"""Scoring rules, no database: trimmed means, minimum group, 评诺 parts by weight, complementary suppression."""

from __future__ import annotations

from fractions import Fraction

import pytest

from services.survey.aggregation.domain.scoring import Cell, Stat, complementary_suppression, mean, score_target
from services.survey.rounds.domain.rules import DEFAULT_SETTINGS, round_settings


def stats(dimension: str, scores: list[int], part: str | None = None) -> Stat:
    return Stat(dimension, part, len(scores), sum(scores), min(scores), max(scores))


def test_trimmed_mean_drops_one_highest_and_one_lowest_from_five_ratings():
    assert mean(4, 1 + 5 + 5 + 5, 1, 5, trim_min=5) == 4.0
    assert mean(5, 1 + 4 + 4 + 4 + 5, 1, 5, trim_min=5) == 4.0
    result = score_target("branch", [stats("close_members", [1, 4, 4, 4, 5]), stats("close_production", [3, 3, 3]),
                                     stats("close_service", [5, 5, 5, 5])], DEFAULT_SETTINGS)
    assert result.dimensions == {"close_members": 4.0, "close_production": 3.0, "close_service": 5.0}
    assert result.score == pytest.approx(80.0) and result.grade == "合格" and result.n == 5


def test_too_few_raters_on_any_dimension_suppress_the_target():
    result = score_target("committee", [stats("rally_members", [5, 5, 5]), stats("rally_employees", [5, 5]),
                                        stats("rally_enterprise", [5, 5, 5])], DEFAULT_SETTINGS)
    assert result.suppressed and result.score is None and result.grade is None and result.n == 3
    assert score_target("person", [], DEFAULT_SETTINGS).suppressed


def test_pledge_parts_are_weighted_and_a_part_below_the_minimum_group_renormalises():
    s = round_settings({})
    full = score_target("pledge", [stats("fulfilment", [5, 5, 5], "self"), stats("fulfilment", [4, 4, 4], "peer"),
                                   stats("fulfilment", [3, 3, 3], "masses")], s, personal=False)
    assert full.dimensions["fulfilment"] == Fraction(1, 5) * 5 + Fraction(3, 10) * 4 + Fraction(1, 2) * 3
    no_masses = score_target("pledge", [stats("fulfilment", [5, 5, 5], "self"), stats("fulfilment", [4, 4, 4], "peer"),
                                        stats("fulfilment", [1, 1], "masses")], s, personal=False)
    assert no_masses.dimensions["fulfilment"] == (Fraction(1, 5) * 5 + Fraction(3, 10) * 4) / Fraction(1, 2)
    assert no_masses.parts == {"self": 5, "peer": 4, "masses": None}
    only_two = score_target("pledge", [stats("fulfilment", [5], "self"), stats("fulfilment", [4, 2], "peer")], s)
    assert only_two.suppressed and only_two.n == 3 and only_two.score is None


def test_a_self_part_of_one_or_two_raters_is_neither_published_nor_in_the_score():
    """An org pledge rated by two committee members: ``parts.self`` was the secretary's own answer."""
    s = round_settings({})
    org = score_target("pledge", [stats("fulfilment", [5, 1], "self"), stats("fulfilment", [4, 4, 4], "peer"),
                                  stats("fulfilment", [3, 3, 3], "masses")], s, personal=False)
    assert org.parts == {"self": None, "peer": 4, "masses": 3}
    assert org.exact == (Fraction(3, 10) * 4 + Fraction(1, 2) * 3) / Fraction(4, 5) * 20
    assert org.own_self is None  # an org's committee members would learn each other's answers
    mine = score_target("pledge", [stats("fulfilment", [2], "self"), stats("fulfilment", [4, 4, 4], "peer"),
                                   stats("fulfilment", [3, 3, 3], "masses")], s, personal=True)
    assert mine.parts["self"] is None and mine.own_self == 2  # for the pledger's eyes only
    assert mine.exact == org.exact


def test_complementary_suppression_hides_a_second_cell_or_withholds_the_total():
    cells = [Cell(1, 2, True), Cell(2, 5, False), Cell(3, 4, False)]
    assert complementary_suppression(cells, 3) == ({3}, False)
    assert complementary_suppression([Cell(1, 2, True), Cell(2, 2, True), Cell(3, 9, False)], 3) == (set(), False)
    assert complementary_suppression([Cell(1, 1, True), Cell(2, 0, True)], 3) == (set(), True)
    assert complementary_suppression([Cell(1, 0, True), Cell(2, 9, False)], 3) == (set(), False)
    assert complementary_suppression([Cell(1, 1, True), Cell(2, 1, False), Cell(3, 8, False)], 3) == ({3}, False)


def test_complementary_suppression_is_no_stricter_than_the_total_requires():
    # hiding every other target could not protect the total: the total is withheld, nothing more hidden
    assert complementary_suppression([Cell(1, 2, True), Cell(2, 5, False)], 3) == (set(), True)
    assert complementary_suppression([Cell(1, 1, True), Cell(2, 1, False), Cell(3, 1, False)], 3) == (set(), True)
    # two hidden cells already pool enough ratings: nothing more
    assert complementary_suppression([Cell(1, 2, True), Cell(2, 1, True), Cell(3, 9, False)], 3) == (set(), False)
    # the smallest cell that protects the total, not merely the smallest cell
    cells = [Cell(1, 1, True), Cell(2, 1, False), Cell(3, 4, False), Cell(4, 6, False)]
    assert complementary_suppression(cells, 3) == ({3}, False)
    # nothing suppressed, or only empty cells: nothing to protect
    assert complementary_suppression([Cell(1, 0, True), Cell(2, 3, False), Cell(3, 4, False)], 3) == (set(), False)


def test_a_withheld_part_is_not_pooled_into_the_org_summary():
    """The summary pools ``ratings``/``rating_sum``: with the self part in it, the pledger's own answer
    would be the pooled total less the published parts times their (known) head counts."""
    s = round_settings({})
    mine = score_target("pledge", [stats("fulfilment", [2], "self"), stats("fulfilment", [4, 4, 4], "peer"),
                                   stats("fulfilment", [3, 3, 3], "masses")], s, personal=True)
    assert (mine.ratings, mine.rating_sum, mine.n) == (6, 21, 7)
    hidden = score_target("pledge", [stats("fulfilment", [2], "self"), stats("fulfilment", [4], "peer")], s)
    assert hidden.suppressed and (hidden.ratings, hidden.rating_sum) == (2, 6)  # complementary suppression's
    branch = score_target("branch", [stats("close_members", [1, 4, 4, 4, 5]), stats("close_production", [3, 3, 3]),
                                     stats("close_service", [5, 5, 5, 5])], s)
    assert (branch.ratings, branch.rating_sum) == (12, 18 + 9 + 20)
