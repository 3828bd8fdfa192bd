"""Who rates whom in a 好搭档/好助手 (``leadership``) round, on the five abilities of a leadership team.

Per committee and branch of the subtree, its leadership team is the people of that org who hold a
committee role (``shared.roles``: 书记, 副书记, 组织委员, 宣传委员, 纪检委员, 委员 …):
- every member of the team rates each other member (target ``leader``, ranked within the org): 好搭档;
- the org's party members outside the team rate the team as a whole (target ``team``, ranked among the
  teams of the parent org, as branches are in 三测评): 好助手.  A committee's party members are those of
  the committee's own org and, standing for its branches as in 三凝聚, the committee members of the orgs
  directly below it.
Nobody rates themselves or their own team.  A team of one has no peer to rate it; an org with no party
member outside its team has no team target.
"""

from __future__ import annotations

from services.survey.rounds.domain.eligibility import OrgNode, PersonNode, Plan, Target
from shared.roles import is_committee


def _team_raters(org: OrgNode, own: list[PersonNode], below: list[PersonNode], team: set[int]) -> list[PersonNode]:
    raters = [p for p in own if p.party_member and p.id not in team]
    if org.kind == "committee":
        raters += [p for p in below if is_committee(p.roles)]
    return sorted(raters, key=lambda p: p.id)


def leadership(orgs: list[OrgNode], people: list[PersonNode]) -> Plan:
    plan = Plan()
    by_org: dict[int, list[PersonNode]] = {}
    for person in sorted(people, key=lambda p: p.id):
        by_org.setdefault(person.org_id, []).append(person)
    children: dict[int, list[int]] = {}
    for o in orgs:
        if o.parent_id is not None:
            children.setdefault(o.parent_id, []).append(o.id)
    in_scope = {o.id for o in orgs}
    for org in sorted(orgs, key=lambda o: o.path):
        own = by_org.get(org.id, [])
        team = [p for p in own if is_committee(p.roles)]
        if not team:
            continue
        if len(team) >= 2:
            leaders = [Target("leader", p.id, p.name, org.id) for p in team]
            plan.targets += leaders
            for rater in team:
                for t in leaders:
                    if t.target_id != rater.id:
                        plan.add(rater.id, t)
        below = [p for child in children.get(org.id, []) for p in by_org.get(child, [])]
        raters = _team_raters(org, own, below, {p.id for p in team})
        if raters:
            ranked_in = org.parent_id if org.parent_id in in_scope else org.id
            team_target = Target("team", org.id, f"{org.name}领导班子", ranked_in)
            plan.targets.append(team_target)
            for rater in raters:
                plan.add(rater.id, team_target)
    return plan
