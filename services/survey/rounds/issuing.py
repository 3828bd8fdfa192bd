"""Opening a round: fix its targets, issue one ballot per rater, invite every holder through notify.

Tokens are random (192 bits) and exist only in the invitation written to the outbox (relayed to
notify, then blanked by the relay); the ballot keeps their SHA-256.  Ballots and invitations are
written in one transaction: no ballot without its invitation, no invitation without its ballot.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Iterator
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from services.survey.app import service
from services.survey.directory.models import PledgeCopy, directory
from services.survey.rounds.domain import eligibility
from services.survey.rounds.domain.eligibility import OrgNode, PersonNode, Plan, PledgeNode
from services.survey.rounds.models import Ballot, BallotTarget, Round, RoundTarget
from shared.messages import PersonalItem, SendNotification

LOCAL = ZoneInfo("Asia/Shanghai")


def new_token() -> str:
    return secrets.token_urlsafe(24)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def ballot_link(token: str) -> str:
    return f"{service.runtime.settings.service('survey').url}/b/{token}"


def local_time(at: datetime) -> str:
    return at.astimezone(LOCAL).strftime("%Y-%m-%d %H:%M")


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
    pledges = [PledgeNode(r.id, r.title, r.pledger_type, r.pledger_id, r.org_id) for r in session.scalars(
        select(PledgeCopy).where(PledgeCopy.state == "published", PledgeCopy.active.is_(True)))]
    return eligibility.pledge_evaluation(orgs, people, pledges)


def _org_paths(session: Session) -> dict[int, str]:
    o = directory.orgs
    return dict(session.execute(select(o.c.id, o.c.path)).all())


def _insert_targets(session: Session, round_: Round, plan: Plan, paths: dict[int, str]) -> dict[tuple, int]:
    """Targets ordered by org path, so an id range is a run of orgs (aggregation chunks by range)."""
    ordered = sorted(plan.targets, key=lambda t: (paths.get(t.org_id, ""), t.target_type, t.target_id))
    rows = [{"round_id": round_.id, "target_type": t.target_type, "target_id": t.target_id, "name": t.name,
             "org_id": t.org_id, "org_path": paths.get(t.org_id, f"/{t.org_id}/")} for t in ordered]
    if not rows:
        return {}
    ids = session.scalars(insert(RoundTarget).returning(RoundTarget.id, sort_by_parameter_order=True), rows).all()
    return {(t.target_type, t.target_id): i for t, i in zip(ordered, ids, strict=True)}


def issue(session: Session, round_: Round) -> int:
    """Issue the ballots of a round being opened and write its invitations; returns how many."""
    orgs, scope_people = load_scope(session, round_.root_path)
    plan = plan_round(session, round_, orgs, scope_people)
    paths = _org_paths(session)
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
    invite(session, round_, list(zip(raters, tokens, strict=True)), "survey_invite", "invite")
    return len(rows)


def _chunks(items: list, size: int) -> Iterator[tuple[int, list]]:
    for number, start in enumerate(range(0, len(items), size)):
        yield number, items[start:start + size]


def invite(session: Session, round_: Round, holders: list[tuple[int, str]], category: str, tag: str) -> int:
    """One ``SendNotification`` per chunk of holders, each with their own ballot link."""
    if category == "survey_invite":
        subject = f"请参加测评：{round_.title}"
        body = f"请于 {local_time(round_.closes_at)} 前完成。链接仅限本人使用一次；答卷不与任何人关联。"
    else:
        subject = f"测评即将截止：{round_.title}"
        body = f"您的选票尚未使用，测评将于 {local_time(round_.closes_at)} 截止。链接仅限本人使用一次。"
    count = 0
    for number, chunk in _chunks(holders, round_.settings["invite_chunk"]):
        items = [PersonalItem(person_id=pid, link=ballot_link(tok)) for pid, tok in chunk]
        service.publish(session, SendNotification(
            key=f"survey:round:{round_.id}:{tag}:{number}", category=category, subject=subject, body=body,
            items=items, source="survey",
        ))
        count += 1
    return count
