"""The migrations build exactly what the models declare: a database made by ``alembic upgrade heads`` alone (its
own, fresh: no test template, no ``create_all``), reflected, against every table of ``services.pledge.models`` —
columns, types, nullability, keys, foreign keys (with ON DELETE), unique constraints, indexes, check constraints.
A model changed without a migration (or a migration without its model) fails here, on SQLite and on PostgreSQL.
Migration 0003_supervision is also held to the supervision tables written out below."""

from __future__ import annotations

import os
import uuid

import pytest
from sqlalchemy import CheckConstraint, ForeignKeyConstraint, Table, UniqueConstraint, inspect
from sqlalchemy.engine import Dialect

from services.pledge import models, service
from services.pledge.supervision import models as supervision_models
from shared import migrations
from shared.db import make_engine
from shared.testing.databases import BACKEND, create_pg_database, drop_pg_database

SUPERVISION_TABLES = {
    "inspections", "inspection_pledges", "quarterly_comments", "demo_sites", "demo_site_actions",
    "demo_site_evaluations", "contact_points", "contact_visits",
}
# what 0003_supervision must have made, written out (a model change the migration lacks fails the test below too)
SUPERVISION_RULES = {
    "inspections": {"checks": {"ck_inspections_rating_range"}, "unique": set()},
    "quarterly_comments": {"checks": {"ck_quarterly_comments_quarter_range"},
                           "unique": {("org_id", "year", "quarter")}},
    "demo_sites": {"checks": set(), "unique": {("org_id", "name")}},
    "demo_site_evaluations": {"checks": {"ck_demo_site_evaluations_month_range"},
                              "unique": {("site_id", "year", "month")}},
    "contact_points": {"checks": set(), "unique": {("leader_id", "org_id")}},
}
VERSION_TABLE = migrations.version_table("pledge")
METADATA = models.Org.metadata  # Base.metadata: every context's tables, as Alembic's env sees them
SAME_TYPE = {"FLOAT": "DOUBLE PRECISION"}  # PostgreSQL stores FLOAT as double precision and reflects it so


def _type(type_, dialect: Dialect) -> str:
    name = type_.compile(dialect=dialect).upper()
    return SAME_TYPE.get(name, name) if dialect.name == "postgresql" else name


def _check_text(text: str, dialect: Dialect) -> str | None:
    """SQLite keeps a check's text as written; PostgreSQL rewrites it (BETWEEN → >= AND <=): names only there."""
    return " ".join(str(text).split()) if dialect.name == "sqlite" else None


def declared(table: Table, dialect: Dialect) -> dict:
    """A table as its model declares it."""
    fks = [c for c in table.constraints if isinstance(c, ForeignKeyConstraint)]
    return {
        "columns": {c.name: (_type(c.type, dialect), c.nullable, c.server_default is not None and not c.primary_key)
                    for c in table.columns},
        "primary_key": (table.primary_key.name, tuple(c.name for c in table.primary_key.columns)),
        "foreign_keys": {fk.name: (tuple(fk.column_keys), fk.referred_table.name,
                                   tuple(e.column.name for e in fk.elements), fk.ondelete) for fk in fks},
        "unique": {c.name: tuple(col.name for col in c.columns) for c in table.constraints
                   if isinstance(c, UniqueConstraint)},
        "indexes": {i.name: (tuple(c.name for c in i.columns), bool(i.unique)) for i in table.indexes},
        "checks": {c.name: _check_text(c.sqltext, dialect) for c in table.constraints
                   if isinstance(c, CheckConstraint)},
    }


def reflected(inspector, name: str, dialect: Dialect) -> dict:
    """A table as the migrated database has it."""
    pk = inspector.get_pk_constraint(name)
    return {
        "columns": {c["name"]: (_type(c["type"], dialect), c["nullable"],
                                c.get("default") is not None and c["name"] not in pk["constrained_columns"])
                    for c in inspector.get_columns(name)},
        "primary_key": (pk["name"], tuple(pk["constrained_columns"])),
        "foreign_keys": {fk["name"]: (tuple(fk["constrained_columns"]), fk["referred_table"],
                                      tuple(fk["referred_columns"]), fk["options"].get("ondelete"))
                         for fk in inspector.get_foreign_keys(name)},
        "unique": {u["name"]: tuple(u["column_names"]) for u in inspector.get_unique_constraints(name)},
        "indexes": {i["name"]: (tuple(i["column_names"]), bool(i["unique"])) for i in inspector.get_indexes(name)
                    if not i.get("duplicates_constraint")},  # PostgreSQL lists a unique constraint's index too
        "checks": {c["name"]: _check_text(c["sqltext"], dialect) for c in inspector.get_check_constraints(name)},
    }


@pytest.fixture(scope="module")
def migrated(tmp_path_factory):
    """(dialect, {table: reflected}) of a database built by the migrations and nothing else."""
    name = f"xf_migrations_{os.getpid()}_{uuid.uuid4().hex[:6]}"
    if BACKEND == "services":
        url = create_pg_database(name)
    else:
        url = f"sqlite:///{tmp_path_factory.mktemp('migrations') / 'pledge.sqlite3'}"
    migrations.upgrade("pledge", service.migrations_dir, url)
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            inspector = inspect(conn)
            yield conn.dialect, {t: reflected(inspector, t, conn.dialect) for t in inspector.get_table_names()}
    finally:
        engine.dispose()
        if BACKEND == "services":
            drop_pg_database(name)


def test_the_migrations_build_every_table_the_models_declare_and_no_other(migrated):
    _dialect, tables = migrated
    assert set(tables) - {VERSION_TABLE} == set(METADATA.tables)


@pytest.mark.parametrize("table", sorted(METADATA.tables))
def test_a_table_is_built_as_its_model_declares_it(migrated, table):
    dialect, tables = migrated
    assert tables.get(table) == declared(METADATA.tables[table], dialect)


def test_the_supervision_models_are_the_tables_of_migration_0003(migrated):
    _dialect, tables = migrated
    declared_here = {t.name for t in vars(supervision_models).values() if isinstance(t, Table)} | {
        m.__table__.name for m in vars(supervision_models).values() if hasattr(m, "__table__")}
    assert declared_here == SUPERVISION_TABLES
    assert set(tables) >= SUPERVISION_TABLES
    for table, rules in SUPERVISION_RULES.items():
        assert set(tables[table]["checks"]) == rules["checks"], table
        assert set(tables[table]["unique"].values()) == rules["unique"], table
