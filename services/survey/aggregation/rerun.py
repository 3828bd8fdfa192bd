"""Asking for an aggregation again: an admin's re-run (also of a ``failed`` round), or the stale-round sweep."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from services.survey.rounds.access import require_round_admin
from services.survey.rounds.domain.lifecycle import transition
from services.survey.rounds.domain.messages import AggregateRound
from services.survey.rounds.models import Round
from services.survey.rounds.reading import get_round, view
from shared.context import Context
from shared.principal import Principal


def request_aggregation(ctx: Context, principal: Principal, round_id: int) -> dict:
    """Re-run the aggregation of a closed round (idempotent: results are recomputed, not added)."""
    round_ = get_round(ctx.session, round_id, lock=True)
    require_round_admin(principal, round_)
    transition(round_.state, "aggregate")
    ctx.publish(AggregateRound(round_id=round_.id, rerun=True))
    return view(ctx.session, round_)


def requeue_stale(ctx: Context, after: timedelta) -> list[int]:
    """Rounds closed or aggregating for longer than ``after`` without results: queue them again."""
    now = ctx.now()
    stale = ctx.session.scalars(select(Round).where(
        ((Round.state == "closed") & (Round.closed_at <= now - after))
        | ((Round.state == "aggregating") & (Round.aggregation_started_at <= now - after)))).all()
    for round_ in stale:
        ctx.publish(AggregateRound(round_id=round_.id))
    return [r.id for r in stale]
