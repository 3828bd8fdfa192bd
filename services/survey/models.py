"""Tables of the survey service."""

from __future__ import annotations

from services.survey.extensions import Base
from shared.directory import define_tables

directory = define_tables(Base.metadata)
