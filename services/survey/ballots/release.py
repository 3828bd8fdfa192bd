"""Releasing pooled answer sets into ``survey_answers``: a batch at a time, shuffled, in one transaction.

One transaction locks the pooled sets it takes (``FOR UPDATE``: two releases never take the same set),
inserts their answers in random order, deletes the pooled rows and marks the batch's ballots released —
so every answer and every ballot of the batch carries the same PostgreSQL ``xmin``, and neither the
answers' physical order nor their row ids say who submitted when.  After the commit
:func:`scrub` removes what the deleted rows left behind: ``VACUUM`` of the pool on PostgreSQL (dead tuples
hold the submission's transaction id), a WAL checkpoint on SQLite (where ``secure_delete`` has already
zeroed the deleted cells).
"""

from __future__ import annotations

import random
import uuid

import structlog
from sqlalchemy import bindparam, delete, event, select, text, update
from sqlalchemy.orm import Session

from services.survey.ballots.domain.release import batch_floor, pick, release_size, shuffled
from services.survey.ballots.models import Answer, PooledAnswers
from services.survey.rounds.models import Ballot, Round
from shared.db import Database, dialect_of

POOL, ANSWERS, BALLOTS = PooledAnswers.__table__, Answer.__table__, Ballot.__table__
RELEASED_FLAG = "xianfeng_answers_released"  # session.info: this transaction released answers, scrub after commit
MARK_RELEASED = update(BALLOTS).where(BALLOTS.c.id == bindparam("ballot")).values(released=True)
DELETE_POOLED = delete(POOL).where(POOL.c.id.in_(bindparam("ids", expanding=True)))

IN_CHUNK = 5000
_rng = random.SystemRandom()
log = structlog.get_logger(__name__)


def release(session: Session, round_: Round, *, closing: bool, rng: random.Random = _rng) -> int:
    """Release what is due of ``round_``'s pool (all of it when ``closing``); how many submissions."""
    if dialect_of(session) == "sqlite":
        session.execute(text("PRAGMA secure_delete=ON"))  # deleted pool rows are overwritten with zeros
    pooled = session.execute(select(POOL.c.id, POOL.c.ballot_id, POOL.c.answers)
                             .where(POOL.c.round_id == round_.id).with_for_update()).all()
    count = release_size(len(pooled), batch_floor(round_.settings), closing=closing)
    if count == 0:
        return 0
    batch = pick(pooled, count, rng)
    rows = shuffled(({"id": uuid.uuid4().hex, "round_id": round_.id, "target_ref": ref, "dimension": dimension,
                      "part": part, "score": score} for s in batch for ref, dimension, part, score in s.answers), rng)
    if rows:
        session.execute(ANSWERS.insert(), rows)
    ids = [s.id for s in batch]
    for start in range(0, len(ids), IN_CHUNK):  # bound parameters per statement: SQLite and psycopg have limits
        session.execute(DELETE_POOLED, {"ids": ids[start:start + IN_CHUNK]})
    session.execute(MARK_RELEASED, [{"ballot": s.ballot_id} for s in shuffled(batch, rng)])
    session.info[RELEASED_FLAG] = True
    return count


def release_due(session: Session) -> dict[int, int]:
    """Every open round with two batches' worth pooled releases one; a round no longer open releases what
    remains (its aggregation does too, first thing).  The scheduler calls this every minute."""
    rounds = session.scalars(select(Round).where(Round.id.in_(select(POOL.c.round_id).distinct()))
                             .order_by(Round.id)).all()
    released = {r.id: release(session, r, closing=r.state != "open") for r in rounds}
    return {rid: n for rid, n in released.items() if n}


def scrub(db: Database) -> None:
    """After a release committed: nothing of the deleted pool rows left where a reader of the files finds it.

    PostgreSQL: ``VACUUM`` (outside a transaction, on an autocommit connection) removes the dead tuples (a
    transaction older than the release still running keeps them until the next release's VACUUM);
    SQLite: a ``TRUNCATE`` checkpoint moves the zeroed pages into the database file and empties the WAL."""
    if db.dialect == "postgresql":
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.exec_driver_sql(f"VACUUM {POOL.name}, {BALLOTS.name}")  # and the ballots' claimed versions
        return
    raw = db.engine.raw_connection()
    try:
        cursor = raw.cursor()
        cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        cursor.close()
    finally:
        raw.close()


def scrub_after_release(db: Database) -> None:
    """Run :func:`scrub` after every commit that released answers (the HTTP close, the tasks, the CLI)."""
    @event.listens_for(db.sessionmaker, "after_commit")
    def _after_commit(session: Session) -> None:
        if session.info.pop(RELEASED_FLAG, False):
            try:
                scrub(db)
            except Exception as exc:  # the release is committed; the next one (or autovacuum) scrubs again
                log.warning("answer_pool_scrub_failed", error=str(exc)[:200])

    @event.listens_for(db.sessionmaker, "after_rollback")
    def _after_rollback(session: Session) -> None:
        session.info.pop(RELEASED_FLAG, None)
