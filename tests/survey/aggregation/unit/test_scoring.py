"""Plain rules, no database: lifecycle, trimmed means, grades, ranks, suppression, who rates whom, answers."""

from __future__ import annotations

import pytest

from services.survey.aggregation.domain.scoring import Cell, Stat, complementary_suppression, mean, score_target
from services.survey.ballots.domain.answers import Offered, check_answers
from services.survey.rounds.domain import eligibility, lifecycle
from services.survey.rounds.domain.eligibility import OrgNode, PersonNode, PledgeNode
from services.survey.rounds.domain.rules import DEFAULT_SETTINGS, grade, round_settings
from shared.errors import Conflict


def stats(dimension: str, scores: list[int], part: str | None = None) -> Stat:
    return Stat(dimension, part, len(scores), sum(scores), min(scores), max(scores))


def test_lifecycle_is_one_table_and_refuses_with_state_and_allowed():
    assert lifecycle.transition("draft", "open") == "open"
    assert lifecycle.transition("aggregating", "publish_results") == "results_ready"
    assert lifecycle.transition("results_ready", "aggregate") == "aggregating"
    for state, action in [("draft", "close"), ("closed", "open"), ("results_ready", "close"), ("open", "open")]:
        with pytest.raises(Conflict) as err:
            lifecycle.transition(state, action)
        assert err.value.errors["state"] == [state]
        assert err.value.errors["allowed_actions"] == lifecycle.allowed_actions(state)


def test_trimmed_mean_drops_one_highest_and_one_lowest_from_five_ratings():
    assert mean(4, 1 + 5 + 5 + 5, 1, 5, trim_min=5) == 4.0
    assert mean(5, 1 + 4 + 4 + 4 + 5, 1, 5, trim_min=5) == 4.0
    result = score_target("branch", [stats("close_members", [1, 4, 4, 4, 5]), stats("close_production", [3, 3, 3]),
                                     stats("close_service", [5, 5, 5, 5])], DEFAULT_SETTINGS)
    assert result.dimensions == {"close_members": 4.0, "close_production": 3.0, "close_service": 5.0}
    assert result.score == pytest.approx(80.0) and result.grade == "合格" and result.n == 5


def test_grade_bands_are_inclusive():
    s = round_settings({})
    assert [grade(x, s) for x in (100, 90, 89.99, 75, 74.9, 60, 59.99, 0)] == [
        "优秀", "优秀", "合格", "合格", "基本合格", "基本合格", "不合格", "不合格"]


def test_too_few_raters_on_any_dimension_suppress_the_target():
    result = score_target("committee", [stats("rally_members", [5, 5, 5]), stats("rally_employees", [5, 5]),
                                        stats("rally_enterprise", [5, 5, 5])], DEFAULT_SETTINGS)
    assert result.suppressed and result.score is None and result.grade is None and result.n == 3
    assert score_target("person", [], DEFAULT_SETTINGS).suppressed


def test_pledge_parts_are_weighted_and_a_missing_part_renormalises():
    s = round_settings({})
    full = score_target("pledge", [stats("fulfilment", [5], "self"), stats("fulfilment", [4, 4, 4], "peer"),
                                   stats("fulfilment", [3, 3, 3], "masses")], s)
    assert full.dimensions["fulfilment"] == pytest.approx(0.2 * 5 + 0.3 * 4 + 0.5 * 3)
    no_masses = score_target("pledge", [stats("fulfilment", [5], "self"), stats("fulfilment", [4, 4, 4], "peer"),
                                        stats("fulfilment", [1, 1], "masses")], s)
    assert no_masses.dimensions["fulfilment"] == pytest.approx((0.2 * 5 + 0.3 * 4) / 0.5)
    assert no_masses.parts == {"self": 5.0, "peer": 4.0, "masses": None}
    only_self = score_target("pledge", [stats("fulfilment", [5], "self"), stats("fulfilment", [4], "peer")], s)
    assert only_self.suppressed and only_self.n == 2


def test_complementary_suppression_hides_a_second_cell_or_withholds_the_total():
    cells = [Cell(1, 2, True), Cell(2, 5, False), Cell(3, 4, False)]
    assert complementary_suppression(cells, 3) == ({3}, False)
    assert complementary_suppression([Cell(1, 2, True), Cell(2, 2, True), Cell(3, 9, False)], 3) == (set(), False)
    assert complementary_suppression([Cell(1, 1, True), Cell(2, 0, True)], 3) == (set(), True)
    assert complementary_suppression([Cell(1, 0, True), Cell(2, 9, False)], 3) == (set(), False)
    assert complementary_suppression([Cell(1, 1, True), Cell(2, 1, False), Cell(3, 8, False)], 3) == ({2, 3}, False)


ORGS = [OrgNode(1, "集团党委", "committee", None, "/1/"), OrgNode(2, "转炉厂党委", "committee", 1, "/1/2/"),
        OrgNode(3, "一支部", "branch", 2, "/1/2/3/")]
PEOPLE = [PersonNode(10, "书记", 3, True, ("secretary",)), PersonNode(11, "委员", 3, True, ("committee_member",)),
          PersonNode(12, "党员", 3, True), PersonNode(20, "员工", 3, False)]


def test_three_way_closed_loop():
    plan = eligibility.three_way(ORGS, PEOPLE, "committee")
    assert {(t.target_type, t.target_id, t.org_id) for t in plan.targets} == {
        ("person", 10, 3), ("person", 11, 3), ("person", 12, 3), ("branch", 3, 2), ("committee", 2, 1)}
    assert sorted(k for k, _ in plan.ballots[20]) == [("person", 10), ("person", 11), ("person", 12)]
    assert sorted(k for k, _ in plan.ballots[10]) == [("branch", 3), ("committee", 2)]
    assert sorted(k for k, _ in plan.ballots[11]) == [("branch", 3), ("committee", 2)]
    assert sorted(k for k, _ in plan.ballots[12]) == [("branch", 3)]
    assert ("committee", 2) not in dict(eligibility.three_way(ORGS, PEOPLE, "secretary").ballots[11])


def test_pledge_evaluation_parts():
    pledges = [PledgeNode(5, "一流业绩", "person", 12, 3), PledgeNode(6, "支部承诺", "org", 3, 3)]
    plan = eligibility.pledge_evaluation(ORGS, PEOPLE, pledges)
    assert dict(plan.ballots[12]) == {("pledge", 5): "self", ("pledge", 6): "peer"}
    assert dict(plan.ballots[10]) == {("pledge", 5): "peer", ("pledge", 6): "self"}
    assert dict(plan.ballots[20]) == {("pledge", 5): "masses", ("pledge", 6): "masses"}


def test_check_answers_requires_everything_unless_partial_is_allowed():
    offered = {("branch", 3): Offered(7, None)}
    one = [{"target_type": "branch", "target_id": 3, "dimension": "close_members", "score": 4}]
    rows, errors = check_answers(one, offered, 5, allow_partial=True)
    assert not errors and rows[0].ref == 7
    assert "answers" in check_answers(one, offered, 5, allow_partial=False)[1]
