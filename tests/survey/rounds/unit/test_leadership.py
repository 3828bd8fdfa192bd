"""好搭档/好助手: who rates whom in a leadership round (plain data, no database)."""

from __future__ import annotations

from services.survey.rounds.domain.eligibility import OrgNode, PersonNode
from services.survey.rounds.domain.leadership import leadership
from services.survey.rounds.domain.rules import DIMENSIONS, dimension_keys

ORGS = [OrgNode(1, "集团党委", "committee", None, "/1/"), OrgNode(2, "转炉厂党委", "committee", 1, "/1/2/"),
        OrgNode(3, "一支部", "branch", 2, "/1/2/3/"), OrgNode(4, "二支部", "branch", 2, "/1/2/4/")]
PEOPLE = [
    # committee 2: secretary, deputy (Chinese title as older data may hold it), one member without a role
    PersonNode(1, "厂党委书记", 2, True, ("secretary",)), PersonNode(2, "厂党委副书记", 2, True, ("副书记",)),
    PersonNode(3, "厂机关党员", 2, True), PersonNode(4, "厂机关员工", 2, False),
    # branch 3: secretary, organiser, propaganda; two members; an employee
    PersonNode(10, "书记", 3, True, ("secretary",)), PersonNode(11, "组织委员", 3, True, ("organizer",)),
    PersonNode(12, "宣传委员", 3, True, ("propaganda",)), PersonNode(13, "党员甲", 3, True),
    PersonNode(14, "党员乙", 3, True, ("volunteer",)), PersonNode(20, "员工", 3, False),
    # branch 4: a secretary alone, one member
    PersonNode(30, "书记", 4, True, ("secretary",)), PersonNode(31, "党员", 4, True),
]


def test_the_five_abilities():
    assert dimension_keys("leader") == dimension_keys("team") == [
        "political_quality", "teamwork", "execution", "management", "innovation"]
    assert [label for _, label in DIMENSIONS["team"]] == ["思想政治素质", "团结协作能力", "工作执行能力",
                                                          "科学管理能力", "开拓创新能力"]


def test_team_members_rate_each_other_and_members_rate_the_team():
    plan = leadership(ORGS, PEOPLE)
    assert {(t.target_type, t.target_id, t.org_id) for t in plan.targets} == {
        ("leader", 1, 2), ("leader", 2, 2), ("team", 2, 1),
        ("leader", 10, 3), ("leader", 11, 3), ("leader", 12, 3), ("team", 3, 2), ("team", 4, 2)}
    ballots = {rater: sorted(k for k, _ in items) for rater, items in plan.ballots.items()}
    assert ballots[10] == [("leader", 11), ("leader", 12), ("team", 2)]  # never themselves nor their own team
    assert ballots[11] == [("leader", 10), ("leader", 12), ("team", 2)] and ballots[1] == [("leader", 2)]
    assert ballots[13] == ballots[14] == [("team", 3)]
    assert ballots[31] == [("team", 4)] and ballots[30] == [("team", 2)]
    # the committee's own member, and the committee members of its branches, rate the committee's team
    assert ballots[3] == [("team", 2)]
    team2 = sorted(r for r, items in plan.ballots.items() if (("team", 2), None) in items)
    assert team2 == [3, 10, 11, 12, 30]
    assert 20 not in plan.ballots and 4 not in plan.ballots  # employees take no part
    assert all(part is None for items in plan.ballots.values() for _, part in items)


def test_a_team_of_one_and_no_members_outside():
    alone = leadership(ORGS[3:], [PersonNode(30, "书记", 4, True, ("secretary",))])
    assert alone.targets == [] and alone.ballots == {}
