"""Nightly upkeep of the suggestions table: its rows are put back in id order (random ids), so where a row
lies says nothing about when it came.

SQLite needs nothing: the table has no rowid and is stored in id order.  A PostgreSQL heap keeps rows in
the order they were inserted (and ``pg_dump`` copies them in that order), so each night ``CLUSTER`` rewrites
it in primary-key order; what arrived since the last night lies in arrival order until the next.
"""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.orm import Session


def reorder_storage(session: Session) -> bool:
    """Rewrite the table in id order where its storage keeps arrival order; ``True`` when it did."""
    if session.get_bind().dialect.name != "postgresql":
        return False
    session.execute(text("CLUSTER suggestions USING pk_suggestions"))
    return True
