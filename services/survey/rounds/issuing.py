"""Opening a round: fix its targets, issue one ballot per rater, invite every holder through notify.

Tokens exist only in the invitation written to the outbox (relayed to notify, then blanked by the
relay); the ballot keeps their SHA-256.  Ballots and invitations are written in one transaction: no
ballot without its invitation, no invitation without its ballot.
"""

from __future__ import annotations

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from services.survey.directory.lookups import org_paths
from services.survey.directory.models import PledgeCopy, directory
from services.survey.rounds.domain import eligibility, leadership
from services.survey.rounds.domain.eligibility import OrgNode, PersonNode, Plan, PledgeNode
from services.survey.rounds.domain.invitations import INVITE
from services.survey.rounds.domain.tokens import new_token, token_hash
from services.survey.rounds.invitations import invite
from services.survey.rounds.models import Ballot, BallotTarget, Round, RoundTarget
from shared.context import Context


def load_scope(session: Session, root_path: str) -> tuple[list[OrgNode], list[PersonNode]]:
    o, p = directory.orgs, directory.people
    orgs = [OrgNode(r.id, r.name, r.kind, r.parent_id, r.path) for r in session.execute(
        select(o).where(o.c.path.startswith(root_path), o.c.active.is_(True)))]
    people = [PersonNode(r.id, r.name, r.org_id, r.party_member, tuple(r.roles or ())) for r in session.execute(
        select(p.c.id, p.c.name, p.c.org_id, p.c.party_member, p.c.roles)
        .where(p.c.org_path.startswith(root_path), p.c.active.is_(True)))]
    return orgs, people


def plan_round(session: Session, round_: Round, orgs: list[OrgNode], people: list[PersonNode]) -> Plan:
    if round_.kind == "three_way":
        return eligibility.three_way(orgs, people, round_.settings["committee_raters"])
    if round_.kind == "leadership":
        return leadership.leadership(orgs, people)
    pledges = [PledgeNode(r.id, r.title, r.pledger_type, r.pledger_id, r.org_id) for r in session.scalars(
        select(PledgeCopy).where(PledgeCopy.state == "published", PledgeCopy.active.is_(True)))]
    return eligibility.pledge_evaluation(orgs, people, pledges)


def _insert_targets(session: Session, round_: Round, plan: Plan, paths: dict[int, str]) -> dict[tuple, int]:
    """Targets ordered by org path, so an id range is a run of orgs (aggregation chunks by range)."""
    ordered = sorted(plan.targets, key=lambda t: (paths.get(t.org_id, ""), t.target_type, t.target_id))
    rows = [{"round_id": round_.id, "target_type": t.target_type, "target_id": t.target_id, "name": t.name,
             "org_id": t.org_id, "org_path": paths.get(t.org_id, f"/{t.org_id}/")} for t in ordered]
    if not rows:
        return {}
    ids = session.scalars(insert(RoundTarget).returning(RoundTarget.id, sort_by_parameter_order=True), rows).all()
    return {(t.target_type, t.target_id): i for t, i in zip(ordered, ids, strict=True)}


def issue(ctx: Context, round_: Round) -> int:
    """Issue the ballots of a round being opened and write its invitations; returns how many."""
    session = ctx.session
    orgs, scope_people = load_scope(session, round_.root_path)
    plan = plan_round(session, round_, orgs, scope_people)
    paths = org_paths(session)
    refs = _insert_targets(session, round_, plan, paths)
    people = {p.id: p for p in scope_people}
    raters = sorted(plan.ballots)
    tokens = [new_token() for _ in raters]
    rows = [{"round_id": round_.id, "person_id": pid, "org_id": people[pid].org_id,
             "org_path": paths.get(people[pid].org_id, ""), "token_hash": token_hash(tok), "used": False}
            for pid, tok in zip(raters, tokens, strict=True)]
    if not rows:
        return 0
    ballot_ids = session.scalars(insert(Ballot).returning(Ballot.id, sort_by_parameter_order=True), rows).all()
    links = [{"ballot_id": bid, "target_ref": refs[key], "part": part}
             for pid, bid in zip(raters, ballot_ids, strict=True) for key, part in plan.ballots[pid]]
    for start in range(0, len(links), 5000):
        session.execute(insert(BallotTarget), links[start:start + 5000])
    invite(ctx, round_, list(zip(raters, tokens, strict=True)), INVITE, "invite")
    return len(rows)
