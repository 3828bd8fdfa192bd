"""Tables of 三服务: service targets (the working version) and every version of each."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, Boolean, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from services.pledge.db import Base
from services.pledge.directory.models import ORG_PATH_COPY
from shared.db import utcnow


class ServiceTarget(Base):
    """A service target of an org or a person for a period; ``version`` grows with each revision."""

    __tablename__ = "service_targets"

    id: Mapped[int] = mapped_column(primary_key=True)
    provider_type: Mapped[str] = mapped_column(String(8))  # org | person
    provider_id: Mapped[int] = mapped_column(Integer)
    provider_name: Mapped[str] = mapped_column(String(200))
    org_id: Mapped[int] = mapped_column(ForeignKey("orgs.id"))  # an org provider: itself; a person: their org
    org_path: Mapped[str] = mapped_column(String(512), info=ORG_PATH_COPY)
    period_kind: Mapped[str] = mapped_column(String(8))  # year | quarter | month
    period_start: Mapped[date]
    period_end: Mapped[date]
    title: Mapped[str] = mapped_column(String(200))
    content: Mapped[str] = mapped_column(Text, default="")
    beneficiaries: Mapped[str] = mapped_column(String(16))  # branches | members | employees
    version: Mapped[int] = mapped_column(Integer, default=1)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    withdrawn_reason: Mapped[str | None] = mapped_column(Text)
    created_by: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    __table_args__ = (
        UniqueConstraint("provider_type", "provider_id", "period_kind", "period_start", "title",
                         name="uq_service_targets_provider_period_title"),
        Index("ix_service_targets_org_path", "org_path", "period_start", "id"),
        Index("ix_service_targets_org_id", "org_id", "period_start"),
    )


class ServiceTargetVersion(Base):
    """Every version of a service target, in full, with why it changed."""

    __tablename__ = "service_target_versions"

    id: Mapped[int] = mapped_column(primary_key=True)
    target_id: Mapped[int] = mapped_column(ForeignKey("service_targets.id", ondelete="CASCADE"))
    version: Mapped[int] = mapped_column(Integer)
    data: Mapped[dict] = mapped_column(JSON)
    reason: Mapped[str | None] = mapped_column(Text)
    created_by: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    __table_args__ = (UniqueConstraint("target_id", "version"),)
