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


def test_every_committee_role_by_key_or_title_rates_the_committee():
    """组织委员/宣传委员/纪检委员 (and 书记 as a title) are the branch's committee: they rate 三凝聚."""
    people = [PersonNode(10, "书记", 3, True, ("书记",)), PersonNode(11, "组织委员", 3, True, ("organizer",)),
              PersonNode(12, "宣传委员", 3, True, ("propaganda",)), PersonNode(13, "纪检委员", 3, True, ("纪检委员",)),
              PersonNode(14, "党员", 3, True, ("volunteer",)), PersonNode(20, "员工", 3, False)]
    plan = eligibility.three_way(ORGS, people, "committee")
    raters = {p for p, entries in plan.ballots.items() if ("committee", 2) in dict(entries)}
    assert raters == {10, 11, 12, 13}
    assert {p for p, e in eligibility.three_way(ORGS, people, "secretary").ballots.items()
            if ("committee", 2) in dict(e)} == {10}
    # …and each is the self part of their branch's own pledge, not a peer
    plan = eligibility.pledge_evaluation(ORGS, people, [PledgeNode(6, "支部承诺", "org", 3, 3)])
    assert {p: dict(e)[("pledge", 6)] for p, e in plan.ballots.items()} == {
        10: "self", 11: "self", 12: "self", 13: "self", 14: "peer", 20: "masses"}


# a committee with people attached to it directly: its leaders (书记 30, 委员 31), a party member 32 of its
# office and an employee 33; a sub-committee 4 (党总支) with its own secretary 40 and a branch 5 below it
NESTED = [OrgNode(1, "集团党委", "committee", None, "/1/"), OrgNode(2, "转炉厂党委", "committee", 1, "/1/2/"),
          OrgNode(3, "一支部", "branch", 2, "/1/2/3/"), OrgNode(4, "二总支", "committee", 2, "/1/2/4/"),
          OrgNode(5, "二总支一支部", "branch", 4, "/1/2/4/5/")]
NESTED_PEOPLE = [*PEOPLE, PersonNode(30, "厂党委书记", 2, True, ("secretary",)),
                 PersonNode(31, "厂党委委员", 2, True, ("committee_member",)), PersonNode(32, "机关党员", 2, True),
                 PersonNode(33, "机关员工", 2, False), PersonNode(40, "总支书记", 4, True, ("secretary",)),
                 PersonNode(50, "支书", 5, True, ("secretary",)), PersonNode(51, "员工", 5, False)]


def test_people_attached_directly_to_a_committee_take_part():
    plan = eligibility.three_way(NESTED, NESTED_PEOPLE, "committee")
    targets = {(t.target_type, t.target_id): t.org_id for t in plan.targets}
    # 四强: the committee's office members are rated by the employees around them, ranked within the committee org
    assert targets[("person", 30)] == targets[("person", 32)] == 2
    assert sorted(k for k, _ in plan.ballots[33]) == [("person", 30), ("person", 31), ("person", 32)]
    # 三凝聚: a committee's leaders rate the committee above theirs (never their own); so do a 党总支's
    assert sorted(k for k, _ in plan.ballots[30]) == [("committee", 1)]
    assert sorted(k for k, _ in plan.ballots[31]) == [("committee", 1)]
    assert sorted(k for k, _ in plan.ballots[40]) == [("committee", 2)]
    assert sorted(k for k, _ in plan.ballots[50]) == [("branch", 5), ("committee", 4)]
    assert 32 not in plan.ballots  # a member of the office without a committee role: nothing above to rate
    assert ("branch", 2) not in targets and ("branch", 4) not in targets  # a committee is not rated on 三贴近
    # nobody is forgotten: everyone attached to the committee is on a ballot or a target
    covered = set(plan.ballots) | {i for (kind, i) in targets if kind == "person"}
    assert covered >= {30, 31, 32, 33, 40, 50, 51}


def test_an_orgs_own_pledge_is_rated_by_its_whole_subtree():
    """A committee's pledge: its committee as self, every party member below as peer, every employee as masses
    (rated only by the people on the committee org itself, it was always suppressed)."""
    pledges = [PledgeNode(7, "厂党委承诺", "org", 2, 2), PledgeNode(8, "书记个人承诺", "person", 30, 2)]
    plan = eligibility.pledge_evaluation(NESTED, NESTED_PEOPLE, pledges)
    parts = {p: dict(e).get(("pledge", 7)) for p, e in plan.ballots.items()}
    assert parts == {10: "peer", 11: "peer", 12: "peer", 20: "masses", 30: "self", 31: "self", 32: "peer",
                     33: "masses", 40: "peer", 50: "peer", 51: "masses"}
    # a person's pledge stays with the people of the pledger's own org
    assert {p: dict(e)[("pledge", 8)] for p, e in plan.ballots.items() if ("pledge", 8) in dict(e)} == {
        30: "self", 31: "peer", 32: "peer", 33: "masses"}


def test_ballots_share_their_pairs_and_raters_with_the_same_targets_share_their_links():
    """A 10^6-person round holds ~5×10^6 pairs on its ballots: each distinct pair is one object, and the
    employees of a branch, who all rate its members, hold one list of links between them."""
    from services.survey.rounds.issuing import raters

    people = [*PEOPLE, PersonNode(21, "员工乙", 3, False), PersonNode(22, "员工丙", 3, False)]
    plan = eligibility.three_way(ORGS, people, "committee")
    assert all(a is b for a, b in zip(plan.ballots[20], plan.ballots[21], strict=True))
    assert plan.ballots[10][0] is plan.ballots[12][0]  # both members hold the one (branch 3) pair
    refs = {(t.target_type, t.target_id): n for n, t in enumerate(plan.targets, 100)}
    found = {pid: links for pid, _, links in raters(plan, {p.id: p.org_id for p in people}, refs)}
    assert found[20] is found[21] is found[22]
    assert sorted(found[20]) == sorted((refs[("person", m)], None) for m in (10, 11, 12))
    assert found[12] == [(refs[("branch", 3)], None)] and found[10] is found[11]
