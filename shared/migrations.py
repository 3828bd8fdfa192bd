"""Alembic, one script directory and one version table per service.

Each service's ``migrations/env.py`` is three lines: it calls :func:`run_env` with its metadata.
"""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import MetaData, pool

from shared.db import make_engine, normalise_url


def version_table(service: str) -> str:
    return f"alembic_version_{service}"


def config(service: str, migrations_dir: Path, url: str) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(migrations_dir))
    cfg.set_main_option("sqlalchemy.url", normalise_url(url).replace("%", "%%"))
    cfg.attributes["service"] = service
    cfg.attributes["configure_logger"] = False
    return cfg


def upgrade(service: str, migrations_dir: Path, url: str, revision: str = "heads") -> None:
    command.upgrade(config(service, migrations_dir, url), revision)


def check(service: str, migrations_dir: Path, url: str) -> None:
    """Raise when the models and the migrations disagree (``alembic check``)."""
    command.check(config(service, migrations_dir, url))


def revision(service: str, migrations_dir: Path, url: str, message: str) -> None:
    command.revision(config(service, migrations_dir, url), message=message, autogenerate=True)


def run_env(metadata: MetaData) -> None:
    """Body of every service's ``env.py``: online migrations with batch mode for SQLite."""
    from alembic import context

    cfg = context.config
    service = cfg.attributes.get("service") or cfg.get_main_option("service")
    url = cfg.get_main_option("sqlalchemy.url")
    connection = cfg.attributes.get("connection")
    if connection is not None:
        _run(context, connection, metadata, service)
        return
    engine = make_engine(url, poolclass=pool.NullPool)
    with engine.connect() as conn:
        _run(context, conn, metadata, service)
    engine.dispose()


def _run(context, connection, metadata: MetaData, service: str) -> None:
    context.configure(
        connection=connection,
        target_metadata=metadata,
        version_table=version_table(service),
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
        include_object=_include_object(metadata),
        render_item=_render_item,
    )
    with context.begin_transaction():
        context.run_migrations()


def _render_item(type_, obj, autogen_context):
    """Migrations use plain SQLAlchemy types: our TypeDecorators render as what they store."""
    from sqlalchemy.types import TypeDecorator

    if type_ == "type" and isinstance(obj, TypeDecorator):
        return f"sa.{obj.impl!r}"
    return False


def _include_object(metadata: MetaData):
    def include(obj, name, type_, reflected, compare_to):
        # another service may share the PostgreSQL database in a pinch: ignore its tables
        return not (type_ == "table" and reflected and name not in metadata.tables)

    return include
