"""Engines and sessions: one database per service, SQLite embedded or PostgreSQL in production."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from time import monotonic
from typing import Any

from sqlalchemy import DateTime, Engine, MetaData, Select, Table, create_engine, event, text
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import DisconnectionError
from sqlalchemy.orm import DeclarativeBase, Session, sessionmaker
from sqlalchemy.types import TypeDecorator

NAMING = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UTCDateTime(TypeDecorator):
    """A timezone-aware UTC timestamp on every backend (SQLite forgets the zone; we restore it)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect):
        if value is not None and value.tzinfo is None:
            raise ValueError("naive datetime: pass an aware UTC datetime")
        return value.astimezone(UTC) if value is not None else None

    def process_result_value(self, value: datetime | None, dialect):
        if value is not None and value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value


def utcnow() -> datetime:
    return datetime.now(UTC)


def make_base() -> type[DeclarativeBase]:
    """A fresh declarative base with its own metadata and our constraint naming convention.

    ``datetime`` annotations map to :class:`UTCDateTime`.
    """

    class Base(DeclarativeBase):
        metadata = MetaData(naming_convention=NAMING)
        type_annotation_map = {datetime: UTCDateTime()}

    return Base


def normalise_url(url: str) -> str:
    """``postgresql://`` means psycopg 3 here."""
    if url.startswith("postgresql://") or url.startswith("postgres://"):
        return "postgresql+psycopg://" + url.split("://", 1)[1]
    return url


def is_sqlite(url: str) -> bool:
    return url.startswith("sqlite")


def make_engine(url: str, **kwargs) -> Engine:
    url = normalise_url(url)
    if is_sqlite(url):
        path = url.split("///", 1)[-1]
        if path and path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"timeout": 30, "check_same_thread": False}, **kwargs)
        event.listen(engine, "connect", _sqlite_pragmas)
        event.listen(engine, "begin", _sqlite_begin_immediate)
        return engine
    ping_every_checkout = kwargs.pop("pool_pre_ping", False)
    if "poolclass" not in kwargs:
        kwargs.setdefault("pool_size", 5)
        kwargs.setdefault("max_overflow", 10)
    # executemany without RETURNING stays psycopg's pipelined executemany (one round trip, a prepared
    # statement): measured no slower than insertmanyvalues for 20 answers or 20k directory rows
    engine = create_engine(url, pool_pre_ping=ping_every_checkout, **kwargs)
    if not ping_every_checkout:
        _ping_when_idle(engine)
    return engine


# A connection back from the pool is pinged only if it sat there this long: one that served a request
# moments ago is alive, and pinging it cost a round trip per request (a quarter of a ballot submission's
# time).  A connection the database dropped meanwhile is replaced at checkout, as with pre-ping.
PING_IDLE_SECONDS = 2.0


def _ping_when_idle(engine: Engine) -> None:
    def idle_from_now(_dbapi_conn, record, *_args) -> None:
        record.info["idle_since"] = monotonic()

    def ping_if_idle(dbapi_conn, record, _proxy) -> None:
        if monotonic() - record.info.get("idle_since", 0.0) < PING_IDLE_SECONDS:
            return
        try:
            alive = engine.dialect.do_ping(dbapi_conn)
        except Exception as exc:  # whatever the driver raises: a dead connection
            raise DisconnectionError() from exc
        if not alive:
            raise DisconnectionError()

    event.listen(engine, "connect", idle_from_now)
    event.listen(engine, "checkin", idle_from_now)
    event.listen(engine, "checkout", ping_if_idle)


def _sqlite_pragmas(dbapi_conn, _record) -> None:
    dbapi_conn.isolation_level = None  # we issue BEGIN ourselves (see _sqlite_begin_immediate)
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA busy_timeout=30000")
    cur.close()


READ_ONLY = "xianfeng_read_only"


def _sqlite_begin_immediate(conn) -> None:
    # Writers take the lock at BEGIN, so two concurrent read-then-write transactions serialise
    # instead of failing with "database is locked" on upgrade; readers (``Database.reading()``) begin
    # deferred and read their WAL snapshot without queueing behind the writers.
    conn.exec_driver_sql("BEGIN" if conn.get_execution_options().get(READ_ONLY) else "BEGIN IMMEDIATE")


class Database:
    """An engine and its session factory; ``with db.session() as s`` commits or rolls back."""

    def __init__(self, url: str, **engine_kwargs) -> None:
        self.url = normalise_url(url)
        self.engine = make_engine(self.url, **engine_kwargs)
        self.sessionmaker = sessionmaker(self.engine, expire_on_commit=False)
        self._readers = sessionmaker(self.engine.execution_options(**{READ_ONLY: True}), expire_on_commit=False)

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    @contextmanager
    def session(self) -> Iterator[Session]:
        session = self.sessionmaker()
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise
        finally:
            session.close()

    @contextmanager
    def reading(self) -> Iterator[Session]:
        """A session for reads only: on SQLite it does not take the write lock (a write in it may fail
        with "database is locked" under contention, so never write here); elsewhere like ``session()``."""
        session = self._readers()
        try:
            yield session
        finally:
            session.close()  # ends the transaction; the objects read stay loaded (a rollback would expire them)

    def ping(self) -> None:
        with self.engine.connect() as conn:
            conn.execute(text("SELECT 1"))

    def dispose(self) -> None:
        self.engine.dispose()


# ---- statements that differ by dialect, written once ------------------------------------------------

def dialect_of(bind: Session | Engine | str) -> str:
    """``postgresql`` or ``sqlite``, from a session, an engine or the name itself."""
    if isinstance(bind, str):
        return bind
    engine = bind.get_bind() if isinstance(bind, Session) else bind
    return engine.dialect.name


def insert(bind: Session | Engine | str, table: Table):
    """``INSERT`` with ``ON CONFLICT`` support on this dialect (PostgreSQL and SQLite both speak it)."""
    return (postgresql.insert if dialect_of(bind) == "postgresql" else sqlite.insert)(_table(table))


_UPSERTS: dict[tuple, Any] = {}


def upsert(bind: Session | Engine | str, table: Table | type, index_elements: Sequence[str],
           update: Sequence[str] | None = None, returning: Sequence[str] = ()):
    """``INSERT … ON CONFLICT (index_elements) DO UPDATE SET`` the ``update`` columns (default: every other
    column) ``[RETURNING …]``, built once per dialect and shape and cached, so that executemany sends
    one compiled statement (psycopg pipelines it; SQLAlchemy batches RETURNING into multi-row VALUES)."""
    table = _table(table)
    dialect = dialect_of(bind)
    names = tuple(update) if update is not None else tuple(c.name for c in table.columns
                                                           if c.name not in index_elements and not c.primary_key)
    key = (dialect, table, tuple(index_elements), names, tuple(returning))
    if key not in _UPSERTS:
        stmt = insert(dialect, table)
        stmt = stmt.on_conflict_do_update(index_elements=list(index_elements),
                                          set_={name: stmt.excluded[name] for name in names})
        if returning:
            stmt = stmt.returning(*(table.c[name] for name in returning), sort_by_parameter_order=True)
        _UPSERTS[key] = stmt
    return _UPSERTS[key]


def for_update(stmt: Select, bind: Session | Engine | str, **options) -> Select:
    """``SELECT … FOR UPDATE`` on PostgreSQL (``options`` as ``with_for_update``); on SQLite the statement as
    it is: every writing transaction there begins ``IMMEDIATE`` and already holds the database's lock."""
    return stmt.with_for_update(**options) if dialect_of(bind) == "postgresql" else stmt


def _table(table: Table | type) -> Table:
    return table if isinstance(table, Table) else table.__table__
