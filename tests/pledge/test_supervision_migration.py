"""Migration 0003_supervision builds exactly the supervision models (on SQLite and on PostgreSQL)."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect

from services.pledge.supervision import models as supervision_models
from shared.migrations import _include_object

SUPERVISION_TABLES = {
    "inspections", "inspection_pledges", "quarterly_comments", "demo_sites", "demo_site_actions",
    "demo_site_evaluations", "contact_points", "contact_visits",
}


def _tables_of(diff) -> set[str]:
    """The table names one autogenerate diff entry touches."""
    items = diff if isinstance(diff, list) else [diff]
    names = set()
    for item in items:
        for part in item:
            table = getattr(part, "table", None)
            name = getattr(table, "name", None) or getattr(part, "name", None)
            if isinstance(part, str) and part in SUPERVISION_TABLES:
                names.add(part)
            elif isinstance(name, str):
                names.add(name)
    return names


def test_supervision_models_are_on_the_pledge_metadata(pledge):
    assert set(pledge.metadata.tables) >= SUPERVISION_TABLES
    assert supervision_models.Inspection.__table__.metadata is pledge.metadata


def test_migrated_schema_matches_the_supervision_models(pledge):
    with pledge.db.engine.connect() as conn:
        assert set(inspect(conn).get_table_names()) >= SUPERVISION_TABLES
        context = MigrationContext.configure(conn, opts={
            "compare_type": True, "include_object": _include_object(pledge.metadata)})
        diffs = compare_metadata(context, pledge.metadata)
    ours = [d for d in diffs if _tables_of(d) & SUPERVISION_TABLES]
    assert ours == []
