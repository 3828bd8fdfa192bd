"""The notify database: its declarative ``Base`` and the two statements the fan-out lives on.

A leaf: imports nothing of the service, so every context's models can import it.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import BigInteger, Integer, Table, bindparam, cast, func, select
from sqlalchemy.dialects import postgresql
from sqlalchemy.orm import Session

from shared.db import dialect_of, insert, make_base

Base = make_base()

# BIGINT on PostgreSQL, INTEGER (the rowid alias, so it autoincrements) on SQLite
BigId = BigInteger().with_variant(Integer(), "sqlite")


def insert_ignore(session: Session, table: Table, rows: Sequence[dict], returning: Sequence[str] = ()) -> list:
    """Insert ``rows``, skipping any that collide with a unique key; the inserted rows' ``returning`` columns.

    One cached statement executed with many parameter sets (SQLAlchemy batches them into multi-row
    INSERTs itself): compiling a literal multi-VALUES statement per batch would cost more than the insert.
    """
    if not rows:
        return []
    columns = [table.c[name] for name in returning] or list(table.primary_key.columns)[:1]
    if dialect_of(session) == "postgresql" and len(rows) > 1:
        inserted = session.execute(_unnest_insert(table, rows).returning(*columns)).all()
        return inserted if returning else []
    stmt = insert(session, table).on_conflict_do_nothing()
    # with RETURNING, SQLAlchemy batches the rows into multi-row INSERTs on every driver ("insertmanyvalues");
    # without it psycopg would send one INSERT per row
    inserted = session.execute(stmt.returning(*columns), list(rows)).all()
    return inserted if returning else []


def _unnest_insert(table: Table, rows: Sequence[dict]):
    """PostgreSQL: every row in one statement (``INSERT … SELECT unnest(…), …``): one array parameter per
    column that varies between the rows, one plain parameter per column that does not (a notification's
    subject and body, its id, the instant), so a chunk sends each common value once instead of once a row.

    The fan-out's hot path (a chunk's ledger rows and inbox messages); ``bench/notify.py`` measures it."""
    names = list(rows[0])
    columns = {name: [row[name] for row in rows] for name in names}
    constant = {name for name, col in columns.items() if col.count(col[0]) == len(col)}
    if len(constant) == len(names):  # the set-returning unnest sets the row count: one column must be an array
        constant.discard(names[0])
    values = [cast(bindparam(f"one_{name}", columns[name][0], type_=table.c[name].type), table.c[name].type)
              if name in constant else
              func.unnest(bindparam(f"col_{name}", columns[name], type_=postgresql.ARRAY(table.c[name].type)))
              for name in names]
    return insert("postgresql", table).from_select(names, select(*values)).on_conflict_do_nothing()


def among(column, ids: list[int]):
    """``column`` is one of ``ids``: a range test when they are dense (one cached statement instead of an
    expanded IN list of a thousand literals), else IN; callers still filter to ``ids`` where it matters."""
    if ids and max(ids) - min(ids) < 2 * len(ids):
        return column.between(min(ids), max(ids))
    return column.in_(ids)
