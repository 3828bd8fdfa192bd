"""Who rates whom: the closed loop of 三测评 and the three parts of 评诺 (plain data, no database)."""

from __future__ import annotations

from services.survey.rounds.domain import eligibility
from services.survey.rounds.domain.eligibility import OrgNode, PersonNode, PledgeNode

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
