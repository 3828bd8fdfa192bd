"""Survey's read-only copies of what pledge owns: the directory (``dir_orgs``, ``dir_people``) and the
published pledges, both kept from pledge's events."""

from __future__ import annotations

from sqlalchemy import Boolean, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from services.survey.db import Base
from shared.directory import define_tables

directory = define_tables(Base.metadata)


class PledgeCopy(Base):
    """The pledges the pledge service publishes (``PledgesChanged``): what a 评诺 round evaluates."""

    __tablename__ = "survey_pledges"

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    title: Mapped[str] = mapped_column(String(300))
    pledger_type: Mapped[str] = mapped_column(String(16))  # org | person
    pledger_id: Mapped[int] = mapped_column(Integer)
    org_id: Mapped[int] = mapped_column(Integer, index=True)
    state: Mapped[str] = mapped_column(String(16))
    version: Mapped[int] = mapped_column(Integer)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
