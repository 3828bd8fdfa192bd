"""Submitting a ballot, once.

A submission claims the ballot (``used``) and puts its answer set into the pool, in one transaction;
the answers reach ``survey_answers`` later, released with a batch of others
(:mod:`services.survey.ballots.release`), so nothing written by this transaction survives next to them.
``UPDATE … WHERE used = false`` decides who wins a race: on PostgreSQL the row lock makes a concurrent
second submission see ``used`` and update nothing; on SQLite the transaction starts with ``BEGIN IMMEDIATE``
and submissions are serial.

On PostgreSQL a submission is two statements and no transaction block (autocommit): the read of the ballot
(404, 409, the targets the answers are checked against), then ONE statement that share-locks the round if it
is still open, claims the ballot if still unused and pools the answers if claimed (CTEs the ``INSERT``
selects from) — atomic as any single statement, so nothing is pooled for a used ballot or a closed round,
and a concurrent close waits for it as before.  Two round trips instead of five (BEGIN, read, claim, pool,
COMMIT): the hot path of a round.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable

from sqlalchemy import bindparam, select, update
from sqlalchemy.orm import Session

from services.survey.ballots.domain.answers import Offered, check_answers
from services.survey.ballots.models import PooledAnswers
from services.survey.ballots.reading import BALLOTS, ROUNDS, usable
from shared.db import Database
from shared.errors import Conflict, ValidationFailed

# built once, like the ballot query
CLAIM = (update(BALLOTS).where(BALLOTS.c.id == bindparam("ballot_id"), BALLOTS.c.used.is_(False))
         .values(used=True))
POOL = PooledAnswers.__table__
POOL_ANSWERS = POOL.insert()


def _claim_and_pool():
    rounds = ROUNDS.c
    still_open = (select(rounds.id).where(rounds.id == bindparam("open_round_id"), rounds.state == "open")
                  .with_for_update(read=True).cte("still_open"))
    claimed = (CLAIM.where(BALLOTS.c.round_id.in_(select(still_open.c.id)))
               .returning(BALLOTS.c.id, BALLOTS.c.round_id).cte("claimed"))
    # bind names unlike any ballot column: an UPDATE would SET a column its parameters name (round_id!)
    rows = select(bindparam("pool_id", type_=POOL.c.id.type), claimed.c.round_id, claimed.c.id,
                  bindparam("pool_answers", type_=POOL.c.answers.type)).select_from(claimed)
    return (POOL.insert().from_select(["id", "round_id", "ballot_id", "answers"], rows)
            .add_cte(still_open).add_cte(claimed).returning(POOL.c.ballot_id))


CLAIM_AND_POOL = _claim_and_pool()


def _checked(session, token: str, answers: list[dict], share_lock: bool):
    found, targets = usable(session, token, share_lock=share_lock)
    offered = {(t.target_type, t.target_id): Offered(t.id, t.part) for t in targets}
    settings = found.settings
    rows, errors = check_answers(answers, offered, settings["scale_max"], settings["allow_partial"])
    if errors:
        raise ValidationFailed(errors=errors)
    return found, [[r.ref, r.dimension, r.part, r.score] for r in rows]


def submit(session: Session, token: str, answers: list[dict]) -> dict:
    """In the caller's transaction (SQLite; tests of the transactional path on any database)."""
    found, answered = _checked(session, token, answers, share_lock=True)
    if session.execute(CLAIM, {"ballot_id": found.ballot_id}).rowcount != 1:
        raise Conflict("ballot_used")
    session.execute(POOL_ANSWERS, {"id": uuid.uuid4().hex, "round_id": found.round_id, "ballot_id": found.ballot_id,
                                   "answers": answered})
    return {"round_id": found.round_id, "answers": len(answered)}


def submit_once(db: Database, unit_of_work: Callable, token: str, answers: list[dict]) -> dict:
    """A submission: on PostgreSQL read, then claim-and-pool as one autocommitted statement; elsewhere
    :func:`submit` in a unit of work."""
    if db.dialect != "postgresql":
        with unit_of_work() as ctx:
            return submit(ctx.session, token, answers)
    with db.engine.connect() as conn:
        conn = conn.execution_options(isolation_level="AUTOCOMMIT")
        found, answered = _checked(conn, token, answers, share_lock=False)
        params = {"open_round_id": found.round_id, "ballot_id": found.ballot_id, "pool_id": uuid.uuid4().hex,
                  "pool_answers": answered}
        if conn.execute(CLAIM_AND_POOL, params).first() is None:
            usable(conn, token)  # closed or used meanwhile: its 409 (round_not_open or ballot_used)
            raise Conflict("ballot_used")
    return {"round_id": found.round_id, "answers": len(answered)}
