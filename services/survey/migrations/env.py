"""Alembic environment of the survey service (own version table: alembic_version_survey)."""

import services.survey.models  # noqa: F401  (registers every table on the metadata)
from services.survey.db import Base
from shared.migrations import run_env

run_env(Base.metadata)
