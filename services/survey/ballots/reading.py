"""Use cases of a ballot: read it by token, submit it once.

A submission stores its answers with no link to the ballot or the person and marks the ballot used
in the same transaction.  ``UPDATE … WHERE used = false`` decides who wins a race: on PostgreSQL the
row lock makes a concurrent second submission see ``used`` and update nothing; on SQLite the
transaction starts with ``BEGIN IMMEDIATE`` and submissions are serial.
"""

from __future__ import annotations

import uuid

from sqlalchemy import Row, bindparam, or_, select, update
from sqlalchemy.orm import Session

from services.survey.ballots.domain.answers import Offered, check_answers
from services.survey.ballots.models import Answer
from services.survey.rounds.domain.rules import DIMENSIONS, dimension_keys, dimension_labels, scale
from services.survey.rounds.issuing import token_hash
from services.survey.rounds.models import Ballot, BallotTarget, Round, RoundTarget
from shared.errors import Conflict, NotFound, ValidationFailed

MAX_TOKEN = 128


BALLOTS, ROUNDS, TARGETS, LINKS = (Ballot.__table__, Round.__table__, RoundTarget.__table__,
                                  BallotTarget.__table__)


def _ballot_query():
    r, t = ROUNDS.c, TARGETS.c
    digest = bindparam("digest")
    return (select(BALLOTS.c.id.label("ballot_id"), BALLOTS.c.used, r.id.label("round_id"), r.title, r.state,
                   r.closes_at, r.settings, t.id, t.target_type, t.target_id, t.name, LINKS.c.part)
            .join(ROUNDS, r.id == BALLOTS.c.round_id)
            .outerjoin(LINKS, LINKS.c.ballot_id == BALLOTS.c.id).outerjoin(TARGETS, t.id == LINKS.c.target_ref)
            .where(or_(BALLOTS.c.token_hash == digest, BALLOTS.c.reminder_hash == digest)).order_by(t.id))


# the hot path's statements, built once (building them per request cost as much as running them)
BALLOT_QUERY = _ballot_query()
BALLOT_QUERY_SHARE_ROUND = BALLOT_QUERY.with_for_update(read=True, of=ROUNDS)
CLAIM = (update(BALLOTS).where(BALLOTS.c.id == bindparam("ballot_id"), BALLOTS.c.used.is_(False))
         .values(used=True))
STORE_ANSWERS = Answer.__table__.insert()


def usable(session: Session, token: str, *, share_lock: bool = False) -> tuple[Row, list[Row]]:
    """The ballot and its round (``ballot_id, used, round_id, title, state, closes_at, settings``) and its
    targets (``id, target_type, target_id, name, part``, in round order), read by ONE query; 404 unknown,
    409 round not open, 409 already used.  Plain columns, no ORM objects: this is the hot path of a round.

    With ``share_lock`` (a submission) PostgreSQL holds the round row: a concurrent close waits for it.
    """
    if not token or len(token) > MAX_TOKEN:
        raise NotFound()
    lock = share_lock and session.get_bind().dialect.name == "postgresql"
    stmt = BALLOT_QUERY_SHARE_ROUND if lock else BALLOT_QUERY
    rows = session.execute(stmt, {"digest": token_hash(token)}).all()
    if not rows:
        raise NotFound()
    found = rows[0]
    if found.state != "open":
        raise Conflict("round_not_open", state=found.state, errors={"state": [found.state]})
    if found.used:
        raise Conflict("ballot_used")
    return found, [row for row in rows if row.id is not None]


def read(session: Session, token: str) -> dict:
    found, targets = usable(session, token)
    kinds = {t.target_type for t in targets}
    return {
        "round_id": found.round_id, "title": found.title, "closes_at": found.closes_at,
        "allow_partial": found.settings["allow_partial"],
        "targets": [{"target_type": t.target_type, "target_id": t.target_id, "name": t.name,
                     "dimensions": dimension_keys(t.target_type)} for t in targets],
        "dimensions": [d for d in dimension_labels() if any(d["key"] in dict(DIMENSIONS[k]) for k in kinds)],
        "scale": scale(found.settings),
    }


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
    session.execute(STORE_ANSWERS, [
        {"id": uuid.uuid4().hex, "round_id": found.round_id, "target_ref": r.ref, "dimension": r.dimension,
         "part": r.part, "score": r.score} for r in rows
    ])
    return {"round_id": found.round_id, "answers": len(rows)}
