"""Nightly upkeep of the suggestions table: its rows are put back in id order (random ids), so where a row
lies says nothing about when it came.

SQLite needs nothing: the table has no rowid and is stored in id order.  A PostgreSQL heap keeps rows in
the order they were inserted (and ``pg_dump`` copies them in that order), so each night ``CLUSTER`` rewrites
it in primary-key order; what arrived since the last night lies in arrival order until the next.
"""

from __future__ import annotations

import structlog
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

log = structlog.get_logger(__name__)


def reorder_storage(session: Session) -> bool:
    """Rewrite the table in id order where its storage keeps arrival order; ``True`` when it did.  Best effort:
    a lock it cannot get tonight (a long reader) leaves it for the next night."""
    if session.get_bind().dialect.name != "postgresql":
        return False
    try:
        with session.begin_nested():
            session.execute(text("CLUSTER suggestions USING pk_suggestions"))
    except DBAPIError as exc:
        log.warning("suggestions_reorder_skipped", error=type(exc.orig).__name__)
        return False
    return True
