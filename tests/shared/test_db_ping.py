"""Pooled PostgreSQL connections are pinged only after sitting idle; a dead one is replaced at checkout."""

from __future__ import annotations

import pytest
from sqlalchemy import pool, text

import shared.db as db

pytestmark = pytest.mark.services  # SQLite connections are files: nothing to drop


def test_a_connection_dropped_while_idle_is_replaced_and_a_busy_one_is_not_pinged(survey, monkeypatch):
    engine = db.make_engine(survey.db.url)
    pings = []
    real = engine.dialect.do_ping
    monkeypatch.setattr(engine.dialect, "do_ping", lambda conn: pings.append(1) or real(conn))
    try:
        with engine.connect() as c:
            pid = c.execute(text("select pg_backend_pid()")).scalar()
        with engine.connect() as c:  # back moments ago: used as it is
            assert c.execute(text("select pg_backend_pid()")).scalar() == pid
        assert pings == []
        admin = db.make_engine(survey.db.url, poolclass=pool.NullPool)
        with admin.connect() as c:
            c.execute(text("select pg_terminate_backend(:pid)"), {"pid": pid})
        admin.dispose()
        monkeypatch.setattr(db, "PING_IDLE_SECONDS", 0.0)  # as if it sat in the pool for a while
        with engine.connect() as c:
            assert c.execute(text("select pg_backend_pid()")).scalar() != pid
        assert pings
    finally:
        engine.dispose()
