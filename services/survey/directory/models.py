"""Survey's read-only copies of what pledge owns: the directory (``dir_orgs``, ``dir_people``) and the
published pledges, both kept from pledge's events."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Boolean, Date, Index, Integer, String, Text
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


class ServiceTargetCopy(Base):
    """The 三服务 service targets pledge sends (``ServiceTargetsChanged``): shown beside the questions of a
    三测评 ballot, so raters judge a member, branch or committee against what it set out to do."""

    __tablename__ = "survey_service_targets"

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    provider_type: Mapped[str] = mapped_column(String(16))  # org | person
    provider_id: Mapped[int] = mapped_column(Integer)
    org_id: Mapped[int] = mapped_column(Integer)
    period_kind: Mapped[str] = mapped_column(String(16))
    period_start: Mapped[date] = mapped_column(Date)
    period_end: Mapped[date] = mapped_column(Date)
    title: Mapped[str] = mapped_column(String(300))
    content: Mapped[str] = mapped_column(Text, default="")
    beneficiaries: Mapped[str] = mapped_column(String(16))
    version: Mapped[int] = mapped_column(Integer)
    active: Mapped[bool] = mapped_column(Boolean, default=True)

    __table_args__ = (Index("ix_survey_service_targets_provider", "provider_type", "provider_id"),)
