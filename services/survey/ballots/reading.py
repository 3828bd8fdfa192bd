"""A ballot by its token: the ballot and its round, and its targets, read by one prebuilt query.

Either token of a ballot opens it: the invitation's or the reminder's (both stored as SHA-256 only).
"""

from __future__ import annotations

from sqlalchemy import Row, bindparam, or_, select
from sqlalchemy.orm import Session

from services.survey.directory import service_targets
from services.survey.rounds.domain.period import period_of
from services.survey.rounds.domain.rules import DIMENSIONS, dimension_keys, dimension_labels, scale
from services.survey.rounds.domain.tokens import token_hash
from services.survey.rounds.models import Ballot, BallotTarget, Round, RoundTarget
from shared.db import dialect_of
from shared.errors import Conflict, NotFound

MAX_TOKEN = 128


BALLOTS, ROUNDS, TARGETS, LINKS = (Ballot.__table__, Round.__table__, RoundTarget.__table__,
                                  BallotTarget.__table__)


def _ballot_query():
    r, t = ROUNDS.c, TARGETS.c
    digest = bindparam("digest")
    return (select(BALLOTS.c.id.label("ballot_id"), BALLOTS.c.used, r.id.label("round_id"), r.kind, r.title, r.state,
                   r.closes_at, r.settings, t.id, t.target_type, t.target_id, t.name, LINKS.c.part)
            .join(ROUNDS, r.id == BALLOTS.c.round_id)
            .outerjoin(LINKS, LINKS.c.ballot_id == BALLOTS.c.id).outerjoin(TARGETS, t.id == LINKS.c.target_ref)
            .where(or_(BALLOTS.c.token_hash == digest, BALLOTS.c.reminder_hash == digest)).order_by(t.id))


# the hot path's statements, built once (building them per request cost as much as running them); the
# submission's variant holds the round row on PostgreSQL (``shared.db.for_update`` would rebuild it)
BALLOT_QUERY = _ballot_query()
BALLOT_QUERY_SHARE_ROUND = BALLOT_QUERY.with_for_update(read=True, of=ROUNDS)


def usable(session: Session, token: str, *, share_lock: bool = False) -> tuple[Row, list[Row]]:
    """The ballot and its round (``ballot_id, used, round_id, kind, title, state, closes_at, settings``) and its
    targets (``id, target_type, target_id, name, part``, in round order), read by ONE query; 404 unknown,
    409 round not open, 409 already used.  Plain columns, no ORM objects: this is the hot path of a round.

    With ``share_lock`` (a submission) PostgreSQL holds the round row: a concurrent close waits for it.
    """
    if not token or len(token) > MAX_TOKEN:
        raise NotFound()
    lock = share_lock and dialect_of(session) == "postgresql"
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


def _service_targets(session: Session, found: Row, targets: list[Row]) -> dict[tuple[str, int], list]:
    """三测评 ballots show what each target promised for the round's period (三服务); other kinds nothing."""
    if found.kind != "three_way":
        return {}
    start, end = period_of(found.settings, found.closes_at.date())
    return service_targets.set_by(session, [(t.target_type, t.target_id) for t in targets], start, end)


def read(session: Session, token: str) -> dict:
    """What the rater sees: the round's title and closing time, the targets (with the service targets each
    set for the period, on a 三测评 ballot), their dimensions, the scale."""
    found, targets = usable(session, token)
    kinds = {t.target_type for t in targets}
    promised = _service_targets(session, found, targets)
    return {
        "round_id": found.round_id, "title": found.title, "closes_at": found.closes_at,
        "allow_partial": found.settings["allow_partial"],
        "targets": [{"target_type": t.target_type, "target_id": t.target_id, "name": t.name,
                     "dimensions": dimension_keys(t.target_type),
                     "service_targets": promised.get((t.target_type, t.target_id), [])} for t in targets],
        "dimensions": [d for d in dimension_labels() if any(d["key"] in dict(DIMENSIONS[k]) for k in kinds)],
        "scale": scale(found.settings),
    }
