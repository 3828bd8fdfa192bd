"""Reading a round: by id (optionally locked for a state change) and as the API shows it."""

from __future__ import annotations

from sqlalchemy import Select, case, func, or_, select
from sqlalchemy.orm import Session

from services.survey.directory.lookups import org_path
from services.survey.rounds.access import view_scope
from services.survey.rounds.models import Ballot, Round
from shared.db import for_update
from shared.directory import path_ids
from shared.errors import NotFound
from shared.pagination import count_of, page_of
from shared.principal import Principal

FIELDS = ("id", "kind", "title", "root_org_id", "state", "closes_at", "settings", "created_at", "opened_at",
          "closed_at", "results_at", "aggregation_error", "opening_error")


def used_count():
    """``SUM(used)`` portable to SQLite and PostgreSQL (booleans are not summable on PostgreSQL)."""
    return func.sum(case((Ballot.used.is_(True), 1), else_=0))


def get_round(session: Session, round_id: int, *, lock: bool = False) -> Round:
    """The round or 404; ``lock``: ``FOR UPDATE`` (PostgreSQL), for a state change."""
    stmt = select(Round).where(Round.id == round_id)
    if lock:
        stmt = for_update(stmt, session)
    round_ = session.scalars(stmt).first()
    if round_ is None:
        raise NotFound()
    return round_


def ballot_count(session: Session, round_id: int) -> int:
    return session.scalar(select(func.count()).select_from(Ballot).where(Ballot.round_id == round_id)) or 0


def counted(round_: Round, issued: int) -> dict:
    """The round as the API shows it; while it is ``opening``, ``ballots`` is how many it will have (``None``
    until the workers planned a round too large to plan within the request)."""
    ballots = round_.ballots_planned if round_.state == "opening" else issued
    return {**{c: getattr(round_, c) for c in FIELDS}, "ballots": ballots, "issued": issued}


def view(session: Session, round_: Round) -> dict:
    return counted(round_, ballot_count(session, round_.id))


def read_round(session: Session, principal: Principal, round_id: int) -> dict:
    round_ = get_round(session, round_id)
    view_scope(session, principal, round_)
    return view(session, round_)


def visible_rounds(session: Session, principal: Principal) -> Select:
    """The rounds the caller may read: all for admins and other systems; for an org admin those over
    their org's subtree (they run them) and those their org takes part in (they read their part)."""
    stmt = select(Round)
    if principal.is_admin or principal.is_system:
        return stmt
    own = org_path(session, principal.org) if principal.org is not None else None
    if own is None:
        return stmt.where(Round.id.is_(None))
    return stmt.where(or_(Round.root_path.startswith(own), Round.root_org_id.in_(path_ids(own))))


def list_rounds(session: Session, principal: Principal, args: dict) -> dict:
    """``?state=&kind=&root_org_id=``, newest first, paged."""
    stmt = visible_rounds(session, principal)
    for name in ("state", "kind", "root_org_id"):
        if args.get(name) is not None:
            stmt = stmt.where(getattr(Round, name) == args[name])
    total = session.execute(count_of(stmt)).scalar_one()
    page, size = args["page"], args["page_size"]
    rounds = session.scalars(stmt.order_by(Round.id.desc()).limit(size).offset((page - 1) * size)).all()
    counts = dict(session.execute(select(Ballot.round_id, func.count()).where(
        Ballot.round_id.in_([r.id for r in rounds])).group_by(Ballot.round_id)).all()) if rounds else {}
    items = [counted(r, counts.get(r.id, 0)) for r in rounds]
    return page_of(items, total, page, size)
