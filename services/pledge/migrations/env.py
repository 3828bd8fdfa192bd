"""Alembic environment of the pledge service (own version table: alembic_version_pledge)."""

import services.pledge.models  # noqa: F401  (every context's tables)
from services.pledge.db import Base
from shared.migrations import run_env

run_env(Base.metadata)
