"""Dead letters: a task that failed for good is kept where people can see it and send it again.

A task that raises after its retries (or a payload that can never be read) would otherwise vanish
into a log line.  The ``task_failure`` signal, in the worker that ran it, writes one row per
failed task id into its service's ``dead_letters`` table; ``GET /api/v1/dead-letters`` and
``xianfeng dead-letters SERVICE`` list them; a replay sends the same task (same arguments) again
and marks the row replayed.  Consumers are idempotent, so a replay after a partial effect is safe.

On RabbitMQ a message can also die without any task failing: its worker is lost on every delivery
(a crash, the OOM killer) until the quorum queue's delivery limit dead-letters it.  The worker
consumes its service's dead-letter queue (:class:`BrokerDeadLetters`) into the same table, so that
message too is listed and replayable rather than gone.
"""

from __future__ import annotations

import traceback
import uuid
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

import marshmallow as ma
import structlog
from celery import Celery, bootsteps, signals
from flask.views import MethodView
from kombu import Consumer, Message
from sqlalchemy import JSON, Column, Integer, MetaData, String, Table, Text, select, update

from shared.celery import PUBLISH_TIMEOUT, publishing, queue_of
from shared.db import Database, UTCDateTime
from shared.errors import Conflict, NotFound
from shared.logs import current_request_id
from shared.pagination import PageArgsSchema, page_schema, paginate
from shared.privacy import redact_payload

if TYPE_CHECKING:
    from shared.web.blueprint import Blueprint

log = structlog.get_logger(__name__)


def define_table(metadata: MetaData) -> Table:
    return Table(
        "dead_letters",
        metadata,
        Column("id", String(36), primary_key=True),  # the failed task's id: one row however often it fails
        Column("task", String(100), nullable=False),
        Column("args", JSON, nullable=False),
        Column("kwargs", JSON, nullable=False),
        Column("error", Text, nullable=False),
        Column("retries", Integer, nullable=False, default=0),
        Column("request_id", String(64), nullable=True),
        Column("failed_at", UTCDateTime(), nullable=False, index=True),
        Column("replayed_at", UTCDateTime(), nullable=True),
        Column("replay_task_id", String(36), nullable=True),
    )


class DeadLetters:
    """One service's dead letters: record, list, replay."""

    def __init__(self, db: Database, table: Table, celery: Celery) -> None:
        self.db, self.table, self.celery = db, table, celery

    def record(self, task_id: str, task: str, args: Any, kwargs: Any, error: BaseException | str,
               retries: int = 0, overwrite: bool = True) -> None:
        """One row per task id; ``overwrite=False`` keeps a row already there (the task's own failure)."""
        text_error = error if isinstance(error, str) else "".join(
            traceback.format_exception_only(type(error), error)).strip()
        t = self.table
        with self.db.session() as session:
            exists = session.execute(select(t.c.id).where(t.c.id == task_id)).first()
            values = dict(task=task, args=list(args or []), kwargs=dict(kwargs or {}), error=text_error[:4000],
                          retries=retries, request_id=current_request_id(), failed_at=datetime.now(UTC),
                          replayed_at=None)
            if exists and not overwrite:
                return
            if exists:
                session.execute(update(t).where(t.c.id == task_id).values(**values))
            else:
                session.execute(t.insert().values(id=task_id, **values))
        log.error("dead_letter", task=task, task_id=task_id, error=text_error[:200])

    def list(self, page: int = 1, page_size: int = 50, pending_only: bool = False) -> dict[str, Any]:
        t = self.table
        with self.db.session() as session:
            stmt = select(t).order_by(t.c.failed_at.desc(), t.c.id)
            if pending_only:
                stmt = stmt.where(t.c.replayed_at.is_(None))
            found = paginate(session, stmt, page, page_size, scalars=False)
            return {**found, "items": [_shown(r) for r in found["items"]]}

    def replay(self, letter_id: str) -> dict[str, Any]:
        """Send the task again with its arguments; 404 unknown, 409 already replayed."""
        t = self.table
        with self.db.session() as session:
            row = session.execute(select(t).where(t.c.id == letter_id)).mappings().first()
            if row is None:
                raise NotFound()
            if row["replayed_at"] is not None:
                raise Conflict("dead_letter_replayed", at=row["replayed_at"].isoformat())
            new_id = str(uuid.uuid4())
            with publishing(self.celery) as connection:
                self.celery.send_task(row["task"], args=row["args"], kwargs=row["kwargs"], task_id=new_id,
                                      queue=queue_of(row["task"]), retry=False, connection=connection,
                                      timeout=PUBLISH_TIMEOUT, confirm_timeout=PUBLISH_TIMEOUT)
            session.execute(update(t).where(t.c.id == letter_id)
                            .values(replayed_at=datetime.now(UTC), replay_task_id=new_id))
            return {**_shown(row), "replayed_at": datetime.now(UTC), "replay_task_id": new_id}


_finders: list[Any] = []


def _shown(row: Any) -> dict[str, Any]:
    """A dead letter as the API shows it: a private notification's link and tokens redacted (they are the
    recipient's alone; the stored row, which a replay sends, is untouched)."""
    return {**dict(row), "args": redact_payload(row["args"]), "kwargs": redact_payload(row["kwargs"])}


def _letters_of(app: Celery) -> DeadLetters | None:
    return _finders[0](app) if _finders else None


def install_signal(find: Any) -> None:
    """Connect ``task_failure`` once per process; ``find(app)`` returns the DeadLetters of that app or None
    (the broker's dead letters, :class:`BrokerDeadLetters`, are found the same way)."""
    _finders[:] = [find]

    @signals.task_failure.connect(weak=False)
    def _failed(sender=None, task_id=None, exception=None, args=None, kwargs=None, **_kw) -> None:
        if sender is None or task_id is None:
            return
        letters = find(sender.app)
        if letters is None:
            return
        try:
            letters.record(task_id, sender.name, args, kwargs, exception,
                           retries=getattr(sender.request, "retries", 0) or 0)
        except Exception as exc:  # the database is down too: the log line is all we can leave
            log.error("dead_letter_not_recorded", task=sender.name, task_id=task_id, error=str(exc)[:200])


class BrokerDeadLetters(bootsteps.ConsumerStep):
    """A worker step on RabbitMQ: what the service's quorum queue dead-lettered becomes a dead letter.

    The message is acknowledged only once its row is written; while the database does not answer it
    stays unacknowledged on the broker and the write is tried again every :attr:`RETRY` seconds."""

    RETRY = 5.0

    def __init__(self, c, **kwargs) -> None:
        super().__init__(c, **kwargs)
        self.app, self.timer = c.app, c.timer

    def include_if(self, c) -> bool:
        return c.app.conf.get("xianfeng_dead_letter_queue") is not None

    def get_consumers(self, channel) -> list[Consumer]:
        return [Consumer(channel, queues=[self.app.conf.xianfeng_dead_letter_queue], callbacks=[self.on_message],
                         on_decode_error=self.on_undecodable, accept=["json"], prefetch_count=10)]

    def on_message(self, body: Any, message: Message) -> None:
        headers = message.headers or {}
        args, kwargs = (body[0], body[1]) if isinstance(body, list | tuple) and len(body) >= 2 else ([], {})
        self._record(message, headers.get("id") or str(uuid.uuid4()), headers.get("task") or "?", args, kwargs)

    def on_undecodable(self, message: Message, exc: Exception) -> None:
        headers = message.headers or {}
        self._record(message, headers.get("id") or str(uuid.uuid4()), headers.get("task") or "?", [],
                     {"undecodable_body": message.body[:2000].decode("utf-8", "replace")
                      if isinstance(message.body, bytes) else str(message.body)[:2000]})

    def _record(self, message: Message, task_id: str, task: str, args: Any, kwargs: Any) -> None:
        death = ((message.headers or {}).get("x-death") or [{}])[0]
        reason = death.get("reason", "unknown")
        source = self.app.amqp.queues.get(death.get("queue"))
        limit = (source.queue_arguments or {}).get("x-delivery-limit") if source is not None else None
        error = (f"dead-lettered by RabbitMQ from queue {death.get('queue', '?')} ({reason}): "
                 + (f"delivered {limit + 1} times without an acknowledgement, its worker lost each time"
                    if reason == "delivery_limit" and limit is not None else "the broker gave up on it"))
        letters = _letters_of(self.app)
        try:
            if letters is None:
                raise RuntimeError("the service is not started in this worker")
            letters.record(task_id, task, args, kwargs, error, retries=0, overwrite=False)
        except Exception as exc:  # the database is down: the message waits on the broker, unacknowledged
            log.error("dead_letter_not_recorded", task=task, task_id=task_id, error=str(exc)[:200])
            self.timer.call_after(self.RETRY, self._record, (message, task_id, task, args, kwargs))
            return
        message.ack()


class DeadLetterSchema(ma.Schema):
    id = ma.fields.String(required=True)
    task = ma.fields.String(required=True)
    args = ma.fields.Raw()
    kwargs = ma.fields.Raw()
    error = ma.fields.String(required=True)
    retries = ma.fields.Integer()
    request_id = ma.fields.String(allow_none=True)
    failed_at = ma.fields.DateTime(required=True)
    replayed_at = ma.fields.DateTime(allow_none=True)
    replay_task_id = ma.fields.String(allow_none=True)


class DeadLetterArgsSchema(PageArgsSchema):
    pending = ma.fields.Boolean(load_default=False)


def blueprint() -> Blueprint:
    """``GET /api/v1/dead-letters`` (admin, system) and ``POST /api/v1/dead-letters/{id}/replay`` (admin),
    on the dead letters of the service whose app serves the request."""
    from shared.web.blueprint import Blueprint, current_service

    blp = Blueprint("dead_letters", __name__, url_prefix="/api/v1/dead-letters",
                    description="死信 — tasks that failed for good, to inspect and replay")

    @blp.route("")
    class DeadLetterList(MethodView):
        @blp.authorize("system")
        @blp.arguments(DeadLetterArgsSchema, location="query")
        @blp.response(200, page_schema(DeadLetterSchema))
        def get(self, args, *, principal):
            """Tasks that failed for good, newest first (`?pending=1`: not yet replayed)"""
            return current_service().runtime.dead_letters.list(args["page"], args["page_size"], args["pending"])

    @blp.route("/<string:letter_id>/replay")
    class DeadLetterReplay(MethodView):
        @blp.authorize()
        @blp.response(202, DeadLetterSchema)
        @blp.answers(404, 409)
        def post(self, letter_id, *, principal):
            """Send the task again with the same arguments"""
            return current_service().runtime.dead_letters.replay(letter_id)

    return blp


def migration_upgrade(op) -> None:
    """The ``dead_letters`` table as it was first released (each service's migration calls this)."""
    import sqlalchemy as sa

    op.create_table(
        "dead_letters",
        sa.Column("id", sa.String(36), nullable=False),
        sa.Column("task", sa.String(100), nullable=False),
        sa.Column("args", sa.JSON(), nullable=False),
        sa.Column("kwargs", sa.JSON(), nullable=False),
        sa.Column("error", sa.Text(), nullable=False),
        sa.Column("retries", sa.Integer(), nullable=False),
        sa.Column("request_id", sa.String(64), nullable=True),
        sa.Column("failed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("replayed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("replay_task_id", sa.String(36), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_dead_letters")),
    )
    op.create_index(op.f("ix_dead_letters_failed_at"), "dead_letters", ["failed_at"])


def migration_downgrade(op) -> None:
    op.drop_index(op.f("ix_dead_letters_failed_at"), table_name="dead_letters")
    op.drop_table("dead_letters")
