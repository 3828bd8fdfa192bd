"""Reading a round: by id (optionally locked for a state change) and as the API shows it."""

from __future__ import annotations

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from services.survey.rounds.access import view_scope
from services.survey.rounds.models import Ballot, Round
from shared.db import for_update
from shared.errors import NotFound
from shared.principal import Principal

FIELDS = ("id", "kind", "title", "root_org_id", "state", "closes_at", "settings", "created_at", "opened_at",
          "closed_at", "results_at", "aggregation_error")


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


def view(session: Session, round_: Round) -> dict:
    return {**{c: getattr(round_, c) for c in FIELDS}, "ballots": ballot_count(session, round_.id)}


def read_round(session: Session, principal: Principal, round_id: int) -> dict:
    round_ = get_round(session, round_id)
    view_scope(session, principal, round_)
    return view(session, round_)
