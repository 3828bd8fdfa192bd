"""Who rates whom in a round: the closed loop of 三测评 and the three parts of 评诺.

Roles are read through the one vocabulary (``shared.roles``): every committee role (书记, 副书记,
组织委员, 宣传委员, 纪检委员, 委员 …, by key or by title) makes a person one of the committee of
their own org.

三测评 (``three_way``), per org of the subtree, with the people attached directly to it:
- its employees (non-members) rate each of its party members on 四强 — in a branch, and likewise
  in a committee org for the people attached to it directly (the committee's own office: its
  leaders and staff), ranked within that org;
- a branch's party members rate the branch on 三贴近 (a committee org is not a branch: nobody
  rates it on 三贴近);
- the committee of an org (its committee-role holders, or only its secretary, per
  ``committee_raters``) rates the committee org directly above it on 三凝聚 — a branch's committee
  and a sub-committee's (党总支's) own leaders alike.  Nobody rates their own committee on 三凝聚:
  the leaders attached to a committee org rate the one above theirs.
评诺 (``pledge_evaluation``), per published pledge of the subtree:
- a person's pledge: the pledger as ``self``, the other party members of the pledger's org as
  ``peer``, its employees as ``masses``;
- an org's own pledge: the people of the org's whole subtree — the org's committee (committee-role
  holders attached to that org) as ``self``, every other party member as ``peer``, every employee
  as ``masses``.
One ballot per rater covers every target that rater has.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from shared import roles as vocabulary


@dataclass(frozen=True)
class OrgNode:
    id: int
    name: str
    kind: str
    parent_id: int | None
    path: str


@dataclass(frozen=True)
class PersonNode:
    id: int
    name: str
    org_id: int
    party_member: bool
    roles: tuple[str, ...] = ()


@dataclass(frozen=True)
class PledgeNode:
    id: int
    title: str
    pledger_type: str
    pledger_id: int
    org_id: int


@dataclass(frozen=True)
class Target:
    target_type: str
    target_id: int
    name: str
    org_id: int  # the org whose view ranks it


Pair = tuple[tuple[str, int], str | None]  # a target by (type, id), and the rater's part in it (评诺)


@dataclass
class Plan:
    """Targets of the round and, per rater, the (target, part) pairs on their ballot.

    Each distinct pair is one object that every ballot holding it shares: a round of 10^6 people has
    ~5×10^6 of them on its ballots (95 employees of a branch rate its 5 members), so a pair is 8 bytes on
    a ballot instead of two new tuples (bench/scale.py measures the planning worker's peak memory)."""

    targets: list[Target] = field(default_factory=list)
    ballots: dict[int, list[Pair]] = field(default_factory=dict)
    _pairs: dict[tuple[str, int, str | None], Pair] = field(default_factory=dict, repr=False, compare=False)

    def add(self, rater: int, target: Target, part: str | None = None) -> None:
        shared = (target.target_type, target.target_id, part)
        pair = self._pairs.get(shared)
        if pair is None:
            pair = self._pairs[shared] = ((target.target_type, target.target_id), part)
        self.ballots.setdefault(rater, []).append(pair)


def _is_committee_rater(person: PersonNode, mode: str) -> bool:
    return vocabulary.is_secretary(person.roles) if mode == "secretary" else vocabulary.is_committee(person.roles)


def _by_org(people: list[PersonNode]) -> dict[int, list[PersonNode]]:
    grouped: dict[int, list[PersonNode]] = defaultdict(list)
    for p in sorted(people, key=lambda p: p.id):
        grouped[p.org_id].append(p)
    return grouped


def three_way(orgs: list[OrgNode], people: list[PersonNode], committee_raters: str) -> Plan:
    plan = Plan()
    by_id = {o.id: o for o in orgs}
    staff = _by_org(people)
    committees: dict[int, Target] = {}
    for org in sorted(orgs, key=lambda o: o.path):
        members = [p for p in staff[org.id] if p.party_member]
        employees = [p for p in staff[org.id] if not p.party_member]
        member_targets = [Target("person", m.id, m.name, org.id) for m in members]
        plan.targets += member_targets
        for employee in employees:
            for t in member_targets:
                plan.add(employee.id, t)
        parent = by_id.get(org.parent_id) if org.parent_id is not None else None
        if org.kind == "branch" and members:
            branch_target = Target("branch", org.id, org.name, parent.id if parent else org.id)
            plan.targets.append(branch_target)
            for m in members:
                plan.add(m.id, branch_target)
        if parent is None or parent.kind != "committee":
            continue
        raters = [p for p in members if _is_committee_rater(p, committee_raters)]
        if org.kind != "branch" and not raters:
            continue  # a sub-committee with nobody on it: no target for the committee above
        if parent.id not in committees:
            above = by_id.get(parent.parent_id) if parent.parent_id is not None else None
            committees[parent.id] = Target("committee", parent.id, parent.name, above.id if above else parent.id)
            plan.targets.append(committees[parent.id])
        for rater in raters:
            plan.add(rater.id, committees[parent.id])
    return plan


def pledge_evaluation(orgs: list[OrgNode], people: list[PersonNode], pledges: list[PledgeNode]) -> Plan:
    plan = Plan()
    paths = {o.id: o.path for o in orgs}
    staff = _by_org(people)
    org_pledgers = {p.pledger_id for p in pledges if p.pledger_type == "org" and p.org_id in paths}
    subtree: dict[int, list[PersonNode]] = defaultdict(list)  # org with an org pledge → people of its subtree
    for person in sorted(people, key=lambda p: p.id):
        if person.org_id in paths:
            for ancestor in (int(part) for part in paths[person.org_id].strip("/").split("/") if part):
                if ancestor in org_pledgers:
                    subtree[ancestor].append(person)
    for pledge in sorted(pledges, key=lambda p: (p.org_id, p.id)):
        if pledge.org_id not in paths:
            continue
        target = Target("pledge", pledge.id, pledge.title, pledge.org_id)
        plan.targets.append(target)
        if pledge.pledger_type == "person":
            raters = staff[pledge.org_id]
            selves = {p.id for p in raters if p.id == pledge.pledger_id}
        else:
            raters = subtree[pledge.pledger_id]
            selves = {p.id for p in staff[pledge.pledger_id] if _is_committee_rater(p, "committee")}
        for person in raters:
            part = "self" if person.id in selves else ("peer" if person.party_member else "masses")
            plan.add(person.id, target, part)
    return plan
