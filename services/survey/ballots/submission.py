"""Submitting a ballot, once.

A submission claims the ballot (``used``) and puts its answer set into the pool, in one transaction;
the answers reach ``survey_answers`` later, released with a batch of others
(:mod:`services.survey.ballots.release`), so nothing written by this transaction survives next to them.
``UPDATE … WHERE used = false`` decides who wins a race: on PostgreSQL the row lock makes a concurrent
second submission see ``used`` and update nothing; on SQLite the transaction starts with ``BEGIN IMMEDIATE``
and submissions are serial.  On PostgreSQL the claim and the pooling are one statement (the ``UPDATE`` in a
CTE the ``INSERT`` selects from: pooled only if claimed), a round trip less per submission.
"""

from __future__ import annotations

import uuid

from sqlalchemy import bindparam, select, update
from sqlalchemy.orm import Session

from services.survey.ballots.domain.answers import Offered, check_answers
from services.survey.ballots.models import PooledAnswers
from services.survey.ballots.reading import BALLOTS, usable
from shared.db import dialect_of
from shared.errors import Conflict, ValidationFailed

# built once, like the ballot query
CLAIM = (update(BALLOTS).where(BALLOTS.c.id == bindparam("ballot_id"), BALLOTS.c.used.is_(False))
         .values(used=True))
POOL = PooledAnswers.__table__
POOL_ANSWERS = POOL.insert()


def _claim_and_pool():
    claimed = CLAIM.returning(BALLOTS.c.id, BALLOTS.c.round_id).cte("claimed")
    # bind names unlike any ballot column: an UPDATE would SET a column its parameters name
    rows = select(bindparam("pool_id", type_=POOL.c.id.type), claimed.c.round_id, claimed.c.id,
                  bindparam("pool_answers", type_=POOL.c.answers.type)).select_from(claimed)
    return (POOL.insert().from_select(["id", "round_id", "ballot_id", "answers"], rows).add_cte(claimed)
            .returning(POOL.c.ballot_id))


CLAIM_AND_POOL = _claim_and_pool()


def submit(session: Session, token: str, answers: list[dict]) -> dict:
    found, targets = usable(session, token, share_lock=True)
    offered = {(t.target_type, t.target_id): Offered(t.id, t.part) for t in targets}
    settings = found.settings
    rows, errors = check_answers(answers, offered, settings["scale_max"], settings["allow_partial"])
    if errors:
        raise ValidationFailed(errors=errors)
    pool_id, answered = uuid.uuid4().hex, [[r.ref, r.dimension, r.part, r.score] for r in rows]
    if dialect_of(session) == "postgresql":
        params = {"ballot_id": found.ballot_id, "pool_id": pool_id, "pool_answers": answered}
        if session.execute(CLAIM_AND_POOL, params).first() is None:  # claimed by someone else
            raise Conflict("ballot_used")
    else:
        if session.execute(CLAIM, {"ballot_id": found.ballot_id}).rowcount != 1:
            raise Conflict("ballot_used")
        session.execute(POOL_ANSWERS, {"id": pool_id, "round_id": found.round_id, "ballot_id": found.ballot_id,
                                       "answers": answered})
    return {"round_id": found.round_id, "answers": len(rows)}
