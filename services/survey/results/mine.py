"""A member's own results (``GET /api/v1/me/results``): the rows about them as a target and about their own
pledges, across every round with results — nothing about anyone else."""

from __future__ import annotations

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import Session

from services.survey.directory.models import PledgeCopy
from services.survey.results.models import Result
from services.survey.results.reading import item
from services.survey.rounds.models import Round, RoundTarget
from shared.pagination import page_of
from shared.principal import Principal


def about(person_id: int):
    """The targets that are the person (四强) or a pledge they made themself (评诺)."""
    own_pledges = select(PledgeCopy.id).where(PledgeCopy.pledger_type == "person", PledgeCopy.pledger_id == person_id)
    return or_(and_(RoundTarget.target_type == "person", RoundTarget.target_id == person_id),
               and_(RoundTarget.target_type == "pledge", RoundTarget.target_id.in_(own_pledges)))


def own_self(result: Result) -> float | None:
    """The pledger's own self part of a personal pledge: the ``own_self`` aggregation keeps apart for the pledger
    where it does (never published in ``parts``), else the stored ``parts.self``."""
    kept = getattr(result, "own_self", None)
    return kept if kept is not None else (result.parts or {}).get("self")


def row(result: Result, target: RoundTarget, round_: Round) -> dict:
    extra = {"round_id": round_.id, "round_title": round_.title, "round_kind": round_.kind}
    if target.target_type == "pledge":
        extra["own_self"] = own_self(result)
    return {**item(result, target), **extra}


def my_results(session: Session, principal: Principal, args: dict) -> dict:
    """Newest round first; a token that names no person (an admin's) has no rows."""
    person_id = principal.person_id
    page, size = args["page"], args["page_size"]
    if person_id is None:
        return page_of([], 0, page, size)
    stmt = (select(Result, RoundTarget, Round).join(RoundTarget, RoundTarget.id == Result.target_ref)
            .join(Round, Round.id == Result.round_id)
            .where(Round.state == "results_ready", about(person_id)))
    if args.get("round_id") is not None:
        stmt = stmt.where(Round.id == args["round_id"])
    total = session.scalar(select(func.count()).select_from(stmt.subquery()))
    rows = session.execute(stmt.order_by(Round.id.desc(), RoundTarget.target_type, RoundTarget.target_id)
                           .limit(size).offset((page - 1) * size)).all()
    return page_of([row(r, t, rnd) for r, t, rnd in rows], total, page, size)
