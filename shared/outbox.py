"""Transactional outbox: a message is a row written in the same transaction as the change.

After the commit the relay sends pending rows with ``send_task`` (by name, to the owner's queue,
with the row id as task id) and marks them sent; a periodic relay task catches whatever a crash
or a broker outage left behind.  Consumers are idempotent, so a resend is harmless.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable
from datetime import UTC, datetime

import structlog
from celery import Celery
from sqlalchemy import (
    JSON,
    Column,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    event,
    select,
    update,
)
from sqlalchemy.orm import Session

from shared.celery import PUBLISH_TIMEOUT, publishing, queue_of
from shared.db import Database, UTCDateTime
from shared.logs import current_request_id
from shared.messages import Message

log = structlog.get_logger(__name__)
PENDING_FLAG = "outbox_pending"


def define_table(metadata: MetaData) -> Table:
    return Table(
        "outbox_messages",
        metadata,
        Column("id", String(36), primary_key=True),
        Column("task", String(100), nullable=False),
        Column("payload", JSON, nullable=True),  # emptied once sent: tokens must not linger
        Column("request_id", String(64), nullable=True),
        Column("created_at", UTCDateTime(), nullable=False),
        Column("sent_at", UTCDateTime(), nullable=True, index=True),
        Column("attempts", Integer, nullable=False, default=0),
        Column("last_error", Text, nullable=True),
    )


def _now() -> datetime:
    return datetime.now(UTC)


def publish(session: Session, table: Table, message: Message) -> list[str]:
    """Write ``message`` (once per consuming task) into the outbox of the session's transaction."""
    ids = []
    for task in message.tasks:
        row_id = str(uuid.uuid4())
        session.execute(
            table.insert().values(
                id=row_id, task=task, payload=message.to_payload(), request_id=current_request_id(),
                created_at=_now(), attempts=0,
            )
        )
        ids.append(row_id)
    session.info[PENDING_FLAG] = True
    return ids


class Relay:
    """Sends pending outbox rows of one service's database."""

    def __init__(self, db: Database, table: Table, celery: Celery, batch: int = 500,
                 sender: Callable[[str, dict, str], None] | None = None) -> None:
        """``sender(task, payload, message_id)`` replaces Celery in unit tests (a recording fake)."""
        self.db, self.table, self.celery, self.batch = db, table, celery, batch
        self.sender = sender
        self.quiet_until = 0.0  # after a failed send, commits stop trying until then (the beat task retries)

    BROKER_DOWN_PAUSE = 10.0

    @property
    def broker_suspected_down(self) -> bool:
        return time.monotonic() < self.quiet_until

    def pending(self) -> int:
        with self.db.engine.connect() as conn:
            rows = conn.execute(select(self.table.c.id).where(self.table.c.sent_at.is_(None))).all()
        return len(rows)

    def relay(self) -> int:
        """Send what is pending; returns how many were sent.  Safe to run concurrently."""
        sent = 0
        while True:
            n, failed = self._relay_batch()
            sent += n
            if failed or n < self.batch:
                return sent

    def _relay_batch(self) -> tuple[int, bool]:
        t = self.table
        with self.db.session() as session:
            stmt = (
                select(t.c.id, t.c.task, t.c.payload, t.c.request_id)
                .where(t.c.sent_at.is_(None))
                .order_by(t.c.created_at)
                .limit(self.batch)
            )
            if self.db.dialect == "postgresql":
                stmt = stmt.with_for_update(skip_locked=True)
            rows = session.execute(stmt).all()
            done: list[str] = []
            for row in rows:
                try:
                    self._send(row)
                except Exception as exc:  # broker down: keep the row, try again later
                    session.execute(
                        update(t).where(t.c.id == row.id)
                        .values(attempts=t.c.attempts + 1, last_error=str(exc)[:500])
                    )
                    log.warning("outbox_send_failed", task=row.task, error=str(exc)[:200])
                    self.quiet_until = time.monotonic() + self.BROKER_DOWN_PAUSE
                    break
                done.append(row.id)
            if done:
                session.execute(update(t).where(t.c.id.in_(done)).values(sent_at=_now(), payload=None))
            if len(done) == len(rows):
                self.quiet_until = 0.0  # the broker answers again
            return len(done), len(done) < len(rows)

    def _send(self, row) -> None:
        if self.sender is not None:
            self.sender(row.task, row.payload, row.id)
            return
        with publishing(self.celery) as connection:
            self.celery.send_task(
                row.task, kwargs={"message": row.payload}, task_id=row.id, queue=queue_of(row.task),
                headers={"request_id": row.request_id} if row.request_id else None, retry=False,
                connection=connection, timeout=PUBLISH_TIMEOUT, confirm_timeout=PUBLISH_TIMEOUT,
            )


def relay_after_commit(db: Database, relay: Relay) -> None:
    """Relay right after any commit that wrote to the outbox (the periodic task is the backstop)."""

    @event.listens_for(db.sessionmaker, "after_commit")
    def _after_commit(session: Session) -> None:
        if session.in_nested_transaction():
            # a savepoint released (SQLAlchemy says "commit" for it too): the transaction still holds its
            # locks — relaying now would wait on them from another connection — and may yet roll back
            return
        if session.info.pop(PENDING_FLAG, False) and not relay.broker_suspected_down:
            # with the broker down, each commit would wait for a connection timeout: after one failure
            # commits leave their rows to the periodic relay for a while (nothing is lost either way)
            try:
                relay.relay()
            except Exception as exc:
                log.warning("outbox_relay_deferred", error=str(exc)[:200])

    @event.listens_for(db.sessionmaker, "after_rollback")
    def _after_rollback(session: Session) -> None:
        session.info.pop(PENDING_FLAG, None)
