"""Who rates whom in a round: the closed loop of 三测评 and the three parts of 评诺.

三测评 (``three_way``), per branch of the subtree:
- its employees (non-members) rate each of its party members on 四强;
- its party members rate the branch on 三贴近;
- its committee members (or only its secretary, per ``committee_raters``) rate the unit committee
  above it on 三凝聚.
评诺 (``pledge_evaluation``), per published pledge of the subtree: the pledger (or, for an org's
pledge, the org's committee members) evaluates it as ``self``, the other party members of the org
as ``peer``, its employees as ``masses``.
One ballot per rater covers every target that rater has.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from services.survey.rounds.domain.rules import COMMITTEE_ROLES, SECRETARY_ROLES


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


@dataclass
class Plan:
    """Targets of the round and, per rater, the (target, part) pairs on their ballot."""

    targets: list[Target] = field(default_factory=list)
    ballots: dict[int, list[tuple[tuple[str, int], str | None]]] = field(default_factory=dict)

    def add(self, rater: int, target: Target, part: str | None = None) -> None:
        self.ballots.setdefault(rater, []).append(((target.target_type, target.target_id), part))


def _is_committee_rater(person: PersonNode, mode: str) -> bool:
    roles = set(person.roles)
    return bool(roles & (SECRETARY_ROLES if mode == "secretary" else COMMITTEE_ROLES))


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
    for branch in sorted((o for o in orgs if o.kind == "branch"), key=lambda o: o.path):
        members = [p for p in staff[branch.id] if p.party_member]
        employees = [p for p in staff[branch.id] if not p.party_member]
        member_targets = [Target("person", m.id, m.name, branch.id) for m in members]
        plan.targets += member_targets
        for employee in employees:
            for t in member_targets:
                plan.add(employee.id, t)
        parent = by_id.get(branch.parent_id) if branch.parent_id is not None else None
        if members:
            branch_target = Target("branch", branch.id, branch.name, parent.id if parent else branch.id)
            plan.targets.append(branch_target)
            for m in members:
                plan.add(m.id, branch_target)
        if parent is None or parent.kind != "committee":
            continue
        if parent.id not in committees:
            above = by_id.get(parent.parent_id) if parent.parent_id is not None else None
            committees[parent.id] = Target("committee", parent.id, parent.name, above.id if above else parent.id)
            plan.targets.append(committees[parent.id])
        for rater in (p for p in members if _is_committee_rater(p, committee_raters)):
            plan.add(rater.id, committees[parent.id])
    return plan


def pledge_evaluation(orgs: list[OrgNode], people: list[PersonNode], pledges: list[PledgeNode]) -> Plan:
    plan = Plan()
    in_scope = {o.id for o in orgs}
    staff = _by_org(people)
    for pledge in sorted(pledges, key=lambda p: (p.org_id, p.id)):
        if pledge.org_id not in in_scope:
            continue
        target = Target("pledge", pledge.id, pledge.title, pledge.org_id)
        plan.targets.append(target)
        local = staff[pledge.org_id]
        if pledge.pledger_type == "person":
            selves = {p.id for p in local if p.id == pledge.pledger_id}
        else:
            selves = {p.id for p in local if _is_committee_rater(p, "committee")}
        for person in local:
            part = "self" if person.id in selves else ("peer" if person.party_member else "masses")
            plan.add(person.id, target, part)
    return plan
