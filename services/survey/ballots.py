"""Use cases of a ballot: read it by token, submit it once.

A submission stores its answers with no link to the ballot or the person and marks the ballot used
in the same transaction.  ``UPDATE … WHERE used = false`` decides who wins a race: on PostgreSQL the
row lock makes a concurrent second submission see ``used`` and update nothing; on SQLite the
transaction starts with ``BEGIN IMMEDIATE`` and submissions are serial.
"""

from __future__ import annotations

import uuid

from sqlalchemy import insert, or_, select, update
from sqlalchemy.orm import Session

from services.survey.domain.answers import Offered, check_answers
from services.survey.domain.rules import DIMENSIONS, dimension_keys, dimension_labels, scale
from services.survey.issuing import token_hash
from services.survey.models import Answer, Ballot, BallotTarget, Round, RoundTarget
from shared.errors import Conflict, NotFound, ValidationFailed

MAX_TOKEN = 128


def usable(session: Session, token: str, *, share_lock: bool = False) -> tuple[Ballot, Round]:
    """The ballot and its round (one query); 404 unknown, 409 round not open, 409 already used.

    With ``share_lock`` (a submission) PostgreSQL holds the round row: a concurrent close waits for it.
    """
    if not token or len(token) > MAX_TOKEN:
        raise NotFound()
    digest = token_hash(token)
    stmt = (select(Ballot, Round).join(Round, Round.id == Ballot.round_id)
            .where(or_(Ballot.token_hash == digest, Ballot.reminder_hash == digest)))
    if share_lock and session.get_bind().dialect.name == "postgresql":
        stmt = stmt.with_for_update(read=True, of=Round)
    found = session.execute(stmt).first()
    if found is None:
        raise NotFound()
    ballot, round_ = found
    if round_.state != "open":
        raise Conflict("round_not_open", state=round_.state, errors={"state": [round_.state]})
    if ballot.used:
        raise Conflict("ballot_used")
    return ballot, round_


def targets_of(session: Session, ballot: Ballot) -> list[tuple[RoundTarget, str | None]]:
    rows = session.execute(select(RoundTarget, BallotTarget.part)
                           .join(BallotTarget, BallotTarget.target_ref == RoundTarget.id)
                           .where(BallotTarget.ballot_id == ballot.id).order_by(RoundTarget.id)).all()
    return [(t, part) for t, part in rows]


def read(session: Session, token: str) -> dict:
    ballot, round_ = usable(session, token)
    targets = targets_of(session, ballot)
    kinds = {t.target_type for t, _ in targets}
    return {
        "round_id": round_.id, "title": round_.title, "closes_at": round_.closes_at,
        "allow_partial": round_.settings["allow_partial"],
        "targets": [{"target_type": t.target_type, "target_id": t.target_id, "name": t.name,
                     "dimensions": dimension_keys(t.target_type)} for t, _ in targets],
        "dimensions": [d for d in dimension_labels() if any(d["key"] in dict(DIMENSIONS[k]) for k in kinds)],
        "scale": scale(round_.settings),
    }


def submit(session: Session, token: str, answers: list[dict]) -> dict:
    ballot, round_ = usable(session, token, share_lock=True)
    offered = {(t.target_type, t.target_id): Offered(t.id, part) for t, part in targets_of(session, ballot)}
    rows, errors = check_answers(answers, offered, round_.settings["scale_max"], round_.settings["allow_partial"])
    if errors:
        raise ValidationFailed(errors=errors)
    claimed = session.execute(update(Ballot).where(Ballot.id == ballot.id, Ballot.used.is_(False))
                              .values(used=True).execution_options(synchronize_session=False))
    if claimed.rowcount != 1:
        raise Conflict("ballot_used")
    session.execute(insert(Answer), [
        {"id": uuid.uuid4().hex, "round_id": round_.id, "target_ref": r.ref, "dimension": r.dimension,
         "part": r.part, "score": r.score} for r in rows
    ])
    return {"round_id": round_.id, "answers": len(rows)}
