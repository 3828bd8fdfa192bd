"""The whole aggregation in this process, step by step: the nightly run of the CLI, tests, benchmarks.

Each step is its own unit of work, as the chord's tasks are: ``unit_of_work`` is
``service.unit_of_work`` (or a partial of it with a clock).
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager

from sqlalchemy import select
from sqlalchemy.orm import Session

from services.survey.aggregation.steps import compute_chunk, finish, start
from services.survey.rounds.models import Round
from shared.context import Context

UnitOfWork = Callable[[], AbstractContextManager[Context]]


def waiting(session: Session) -> list[int]:
    """Rounds closed or left aggregating: what the nightly run aggregates."""
    return list(session.scalars(select(Round.id).where(Round.state.in_(("closed", "aggregating")))).all())


def run(unit_of_work: UnitOfWork, round_id: int, rerun: bool = False) -> bool:
    """``start`` → every ``compute_chunk`` → ``finish``; False when there was nothing to do."""
    with unit_of_work() as ctx:
        ranges = start(ctx, round_id, rerun)
        if ranges is None:
            return False
    for low, high in ranges:
        with unit_of_work() as ctx:
            compute_chunk(ctx.session, round_id, low, high)
    with unit_of_work() as ctx:
        return finish(ctx, round_id)
