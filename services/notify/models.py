"""Tables of the notify service."""

from __future__ import annotations

from services.notify.extensions import Base
from shared.directory import define_tables

directory = define_tables(Base.metadata)
