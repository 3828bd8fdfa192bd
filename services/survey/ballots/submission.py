"""Submitting a ballot, once.

A submission claims the ballot (``used``) and puts its answer set into the pool, in one transaction;
the answers reach ``survey_answers`` later, released with a batch of others
(:mod:`services.survey.ballots.release`), so nothing written by this transaction survives next to them.
``UPDATE … WHERE used = false`` decides who wins a race: on PostgreSQL the row lock makes a concurrent
second submission see ``used`` and update nothing; on SQLite the transaction starts with ``BEGIN IMMEDIATE``
and submissions are serial.
"""

from __future__ import annotations

import uuid

from sqlalchemy import bindparam, update
from sqlalchemy.orm import Session

from services.survey.ballots.domain.answers import Offered, check_answers
from services.survey.ballots.models import PooledAnswers
from services.survey.ballots.reading import BALLOTS, usable
from shared.errors import Conflict, ValidationFailed

# built once, like the ballot query
CLAIM = (update(BALLOTS).where(BALLOTS.c.id == bindparam("ballot_id"), BALLOTS.c.used.is_(False))
         .values(used=True))
POOL_ANSWERS = PooledAnswers.__table__.insert()


def submit(session: Session, token: str, answers: list[dict]) -> dict:
    found, targets = usable(session, token, share_lock=True)
    offered = {(t.target_type, t.target_id): Offered(t.id, t.part) for t in targets}
    settings = found.settings
    rows, errors = check_answers(answers, offered, settings["scale_max"], settings["allow_partial"])
    if errors:
        raise ValidationFailed(errors=errors)
    claimed = session.execute(CLAIM, {"ballot_id": found.ballot_id})
    if claimed.rowcount != 1:
        raise Conflict("ballot_used")
    session.execute(POOL_ANSWERS, {"id": uuid.uuid4().hex, "round_id": found.round_id, "ballot_id": found.ballot_id,
                                   "answers": [[r.ref, r.dimension, r.part, r.score] for r in rows]})
    return {"round_id": found.round_id, "answers": len(rows)}
