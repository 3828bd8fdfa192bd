"""Alembic environment of the pledge service (own version table: alembic_version_pledge)."""

import services.pledge.pledges.models
import services.pledge.supervision.models  # noqa: F401  (supervision tables, migration 0003)
from services.pledge.db import Base
from shared.migrations import run_env

run_env(Base.metadata)
