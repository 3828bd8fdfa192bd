"""Notify's read-only copy of pledge's directory (``dir_orgs``, ``dir_people``), kept by its events."""

from __future__ import annotations

from services.notify.db import Base
from shared.directory import define_tables

directory = define_tables(Base.metadata)
