"""Opening a round: fix its targets, issue one ballot per rater, invite every holder through notify.

Tokens exist only in the invitation written to the outbox (relayed to notify, then blanked by the
relay); the ballot keeps their SHA-256.  Ballots and invitations are written in one transaction (the
request's, or for a large round each issuing task's, :mod:`services.survey.rounds.opening`): no ballot
without its invitation, no invitation without its ballot.
"""

from __future__ import annotations

from sqlalchemy import func, insert, select
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


Rater = tuple[int, int, list[tuple[int, str | None]]]  # person id, org id, the (target ref, part) on the ballot


def people_in_scope(session: Session, root_path: str) -> int:
    """Active people under ``root_path``: an upper bound of the round's raters (each rater is one of them)."""
    p = directory.people
    return session.scalar(select(func.count()).select_from(p).where(p.c.org_path.startswith(root_path),
                                                                    p.c.active.is_(True))) or 0


def prepare(session: Session, round_: Round) -> tuple[Plan, dict[int, int]]:
    """The round's plan, from the directory as it is now, and the org of each person in scope."""
    orgs, people = load_scope(session, round_.root_path)
    return plan_round(session, round_, orgs, people), {p.id: p.org_id for p in people}


def fix_targets(session: Session, round_: Round, plan: Plan, paths: dict[int, str]) -> dict[tuple, int]:
    """The round's targets by (type, id): inserted, or read back when a resumed opening fixed them already.

    Ordered by org path, so an id range is a run of orgs (aggregation chunks by range)."""
    fixed = session.execute(select(RoundTarget.target_type, RoundTarget.target_id, RoundTarget.id)
                            .where(RoundTarget.round_id == round_.id)).all()
    if fixed:
        return {(kind, target): ref for kind, target, ref in fixed}
    ordered = sorted(plan.targets, key=lambda t: (paths.get(t.org_id, ""), t.target_type, t.target_id))
    rows = [{"round_id": round_.id, "target_type": t.target_type, "target_id": t.target_id, "name": t.name,
             "org_id": t.org_id, "org_path": paths.get(t.org_id, f"/{t.org_id}/")} for t in ordered]
    if not rows:
        return {}
    ids = session.scalars(insert(RoundTarget).returning(RoundTarget.id, sort_by_parameter_order=True), rows).all()
    return {(t.target_type, t.target_id): i for t, i in zip(ordered, ids, strict=True)}


def raters(plan: Plan, orgs_of: dict[int, int], refs: dict[tuple, int]) -> list[Rater]:
    """Every rater in person-id order with the targets of their ballot (those the round fixed).

    Raters with the same targets share one list of links (the employees of a branch all rate its members):
    what a 10^6-person round holds in memory is one small tuple per rater, not a list of new links each."""
    found: list[Rater] = []
    links_of: dict[tuple, list[tuple[int, str | None]]] = {}
    for pid in sorted(plan.ballots):
        pairs = tuple(plan.ballots[pid])
        links = links_of.get(pairs)
        if links is None:
            links = links_of[pairs] = [(refs[key], part) for key, part in pairs if key in refs]
        if links:
            found.append((pid, orgs_of[pid], links))
    return found


def write_ballots(ctx: Context, round_: Round, chosen: list[Rater], paths: dict[int, str], tag: str) -> int:
    """Ballots, their targets and the invitations of these raters, in the caller's transaction."""
    session = ctx.session
    tokens = [new_token() for _ in chosen]
    rows = [{"round_id": round_.id, "person_id": pid, "org_id": org, "org_path": paths.get(org, ""),
             "token_hash": token_hash(tok), "used": False} for (pid, org, _), tok in zip(chosen, tokens, strict=True)]
    if not rows:
        return 0
    ballot_ids = session.scalars(insert(Ballot).returning(Ballot.id, sort_by_parameter_order=True), rows).all()
    links = [{"ballot_id": bid, "target_ref": ref, "part": part}
             for (_, _, pairs), bid in zip(chosen, ballot_ids, strict=True) for ref, part in pairs]
    for start in range(0, len(links), 5000):
        session.execute(insert(BallotTarget), links[start:start + 5000])
    invite(ctx, round_, [(pid, tok) for (pid, _, _), tok in zip(chosen, tokens, strict=True)], INVITE, tag)
    return len(rows)


def issue(ctx: Context, round_: Round, plan: Plan, orgs_of: dict[int, int]) -> int:
    """Issue every ballot of a round being opened (within the request) and write its invitations."""
    paths = org_paths(ctx.session)
    refs = fix_targets(ctx.session, round_, plan, paths)
    return write_ballots(ctx, round_, raters(plan, orgs_of, refs), paths, "invite")
