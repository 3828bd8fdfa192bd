"""Alembic environment of the notify service (own version table: alembic_version_notify)."""

import services.notify.models  # noqa: F401  (registers every table on the metadata)
from services.notify.db import Base
from shared.migrations import run_env

run_env(Base.metadata)
