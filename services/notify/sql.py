"""Portable upsert helpers (PostgreSQL and SQLite both speak ON CONFLICT)."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import Table
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

BATCH = 1000


def _insert(session: Session, table: Table):
    dialect = session.get_bind().dialect.name
    return (postgresql.insert if dialect == "postgresql" else sqlite.insert)(table)


def insert_ignore(session: Session, table: Table, rows: Sequence[dict], returning: Sequence[str] = ()) -> list:
    """Insert ``rows``, skipping any that collide with a unique key; the inserted rows' ``returning`` columns."""
    inserted: list = []
    for start in range(0, len(rows), BATCH):
        stmt = _insert(session, table).values(list(rows[start:start + BATCH])).on_conflict_do_nothing()
        if returning:
            inserted += session.execute(stmt.returning(*(table.c[name] for name in returning))).all()
        else:
            session.execute(stmt)
    return inserted
