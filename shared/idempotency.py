"""``Idempotency-Key`` on POST: the same key and body within the TTL replays the first response.

Records are scoped by caller (a hash of the Authorization header) and path; a different body under
the same key is 422, a request still in flight under it is 409.

A view that must not leave the instant of a request behind (an anonymous suggestion) calls
:func:`coarse_time`: its record then keeps the end of the day (UTC) instead, so it lives between one and
two TTLs and says nothing finer than the day.
"""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime, timedelta

from flask import Flask, Response, g, request
from sqlalchemy import Column, Integer, LargeBinary, MetaData, String, Table, delete, select
from sqlalchemy.exc import IntegrityError

from shared.db import Database, UTCDateTime
from shared.errors import ApiError, Conflict
from shared.i18n import bilingual

HEADER = "Idempotency-Key"


def define_table(metadata: MetaData) -> Table:
    return Table(
        "idempotency_keys",
        metadata,
        Column("id", String(64), primary_key=True),
        Column("body_hash", String(64), nullable=False),
        Column("state", String(16), nullable=False),  # in_flight | done
        Column("status", Integer, nullable=True),
        Column("content_type", String(100), nullable=True),
        Column("body", LargeBinary, nullable=True),
        Column("created_at", UTCDateTime(), nullable=False, index=True),
    )


def coarse_time() -> None:
    """Keep this request's record dated by its day, not its instant (see the module's docstring)."""
    g.idempotency_coarse = True


def _day_end(now: datetime) -> datetime:
    return datetime(now.year, now.month, now.day, tzinfo=UTC) + timedelta(days=1)


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


TOO_LONG = bilingual("过长（最多 255 个字符）", "too long (max 255)")
REUSED = bilingual("该键已用于不同的请求内容", "key reused with a different body")

class Idempotency:
    def __init__(self, db: Database, table: Table, ttl_seconds: int) -> None:
        self.db, self.table, self.ttl = db, table, timedelta(seconds=ttl_seconds)

    def init_app(self, app: Flask) -> None:
        app.before_request(self.before)
        app.after_request(self.after)
        app.teardown_request(self.teardown)

    def _record_id(self, key: str) -> str:
        caller = request.headers.get("Authorization", "")
        return _sha(f"{_sha(caller.encode())}|{request.path}|{key}".encode())

    def before(self) -> Response | None:
        key = request.headers.get(HEADER)
        if request.method != "POST" or not key:
            return None
        if len(key) > 255:
            raise ApiError("bad_request", status=400, errors={HEADER: [TOO_LONG]})
        record_id, body_hash, now = self._record_id(key), _sha(request.get_data()), datetime.now(UTC)
        t = self.table
        for _ in range(2):
            try:
                with self.db.engine.begin() as conn:
                    conn.execute(t.insert().values(id=record_id, body_hash=body_hash, state="in_flight",
                                                   created_at=now))
                g.idempotency_record = record_id
                return None
            except IntegrityError as exc:
                conflict = exc
                with self.db.engine.begin() as conn:
                    row = conn.execute(select(t).where(t.c.id == record_id)).first()
                    if row is None:
                        continue
                    if row.created_at < now - self.ttl:
                        conn.execute(delete(t).where(t.c.id == record_id))
                        continue
                if row.body_hash != body_hash:
                    raise ApiError("idempotency_mismatch", status=422,
                                   errors={HEADER: [REUSED]}) from conflict
                if row.state != "done":
                    raise Conflict("idempotency_in_flight") from conflict
                response = Response(row.body, status=row.status, content_type=row.content_type)
                response.headers["Idempotent-Replayed"] = "true"
                return response
        raise Conflict("idempotency_in_flight")

    def after(self, response: Response) -> Response:
        record_id = g.pop("idempotency_record", None)
        coarse = g.pop("idempotency_coarse", False)
        if record_id is None:
            return response
        t = self.table
        dated = {"created_at": _day_end(datetime.now(UTC))} if coarse else {}
        with self.db.engine.begin() as conn:
            if response.status_code >= 500:
                conn.execute(delete(t).where(t.c.id == record_id))
            else:
                conn.execute(
                    t.update().where(t.c.id == record_id).values(
                        state="done", status=response.status_code, content_type=response.content_type,
                        body=response.get_data(), **dated,
                    )
                )
        return response

    def teardown(self, exc: BaseException | None) -> None:
        record_id = g.pop("idempotency_record", None)
        if record_id is not None:  # the request died before a response: free the key
            with self.db.engine.begin() as conn:
                conn.execute(delete(self.table).where(self.table.c.id == record_id))

    def purge(self) -> int:
        cutoff = datetime.now(UTC) - self.ttl
        with self.db.engine.begin() as conn:
            return conn.execute(delete(self.table).where(self.table.c.created_at < cutoff)).rowcount
