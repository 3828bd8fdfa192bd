"""Tables of carriers and pledges: every version, every transition, progress reports, reminders sent."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, Boolean, Float, ForeignKey, Index, Integer, String, Text, UniqueConstraint, false
from sqlalchemy.orm import Mapped, mapped_column

from services.pledge.db import Base
from services.pledge.directory.models import ORG_PATH_COPY
from shared.db import utcnow


class Carrier(Base):
    """活动载体: the overall carrier (钢铁先锋) and specific ones per org and period, with themes."""

    __tablename__ = "carriers"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    org_id: Mapped[int] = mapped_column(ForeignKey("orgs.id"))
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("carriers.id"))
    period_kind: Mapped[str] = mapped_column(String(8))  # year | quarter | month
    period_start: Mapped[date]
    period_end: Mapped[date]
    themes: Mapped[list] = mapped_column(JSON, default=list)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    __table_args__ = (Index("ix_carriers_org_id", "org_id"),)


class Pledge(Base):
    """承诺: the working version; ``published_version`` is what boards and the ledger show."""

    __tablename__ = "pledges"

    id: Mapped[int] = mapped_column(primary_key=True)
    pledger_type: Mapped[str] = mapped_column(String(8))  # org | person
    pledger_id: Mapped[int] = mapped_column(Integer)
    pledger_name: Mapped[str] = mapped_column(String(200))
    org_id: Mapped[int] = mapped_column(ForeignKey("orgs.id"))
    org_path: Mapped[str] = mapped_column(String(512), info=ORG_PATH_COPY)
    reviewer_org_id: Mapped[int | None] = mapped_column(ForeignKey("orgs.id"))
    carrier_id: Mapped[int | None] = mapped_column(ForeignKey("carriers.id"))
    category: Mapped[str] = mapped_column(String(32))
    title: Mapped[str] = mapped_column(String(200))
    content: Mapped[str] = mapped_column(Text, default="")
    audiences: Mapped[list] = mapped_column(JSON, default=list)
    targets: Mapped[list] = mapped_column(JSON, default=list)
    due_on: Mapped[date]
    state: Mapped[str] = mapped_column(String(16), default="draft")
    version: Mapped[int] = mapped_column(Integer, default=1)
    published_version: Mapped[int | None] = mapped_column(Integer)
    on_ledger: Mapped[bool] = mapped_column(Boolean, default=False)
    channels: Mapped[list] = mapped_column(JSON, default=list)
    # where the published pledge shows (亮诺): /board, the 承诺大会 meeting list, the ledger API (intranet);
    # each implies on_ledger (a withdrawal clears them), so a channel's list reads its own index alone
    on_board: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    on_meeting: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    on_intranet: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    outcome: Mapped[str | None] = mapped_column(String(16))
    suggested_outcome: Mapped[str | None] = mapped_column(String(16))  # what the evaluation suggested at closing
    exemplar: Mapped[bool] = mapped_column(Boolean, default=False)
    exemplar_note: Mapped[str | None] = mapped_column(Text)
    latest_values: Mapped[dict] = mapped_column(JSON, default=dict)
    latest_note: Mapped[str | None] = mapped_column(Text)
    latest_progress_at: Mapped[datetime | None]
    completion: Mapped[float] = mapped_column(Float, default=0.0)
    evaluation_score: Mapped[float | None] = mapped_column(Float)
    evaluation_grade: Mapped[str | None] = mapped_column(String(16))
    evaluation_round_id: Mapped[int | None] = mapped_column(Integer)
    created_by: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    published_at: Mapped[datetime | None]

    __table_args__ = (
        Index("ix_pledges_ledger", "on_ledger", "org_path", "due_on", "id"),
        Index("ix_pledges_ledger_due", "on_ledger", "due_on", "id"),
        Index("ix_pledges_org_path", "org_path", "id"),
        Index("ix_pledges_pledger", "pledger_type", "pledger_id"),
        Index("ix_pledges_state_due_on", "state", "due_on"),
        Index("ix_pledges_carrier_id", "carrier_id", "exemplar"),
        Index("ix_pledges_quiet", "state", "latest_progress_at", "published_at"),  # coverage: no progress
        Index("ix_pledges_intranet", "on_intranet", "org_path", "due_on", "id"),
        Index("ix_pledges_intranet_due", "on_intranet", "due_on", "id"),
        Index("ix_pledges_board", "on_board", "org_path", "due_on", "id"),
        Index("ix_pledges_meeting", "on_meeting", "org_path", "due_on", "id"),
    )


class PledgeVersion(Base):
    """Every version of a pledge, in full."""

    __tablename__ = "pledge_versions"

    id: Mapped[int] = mapped_column(primary_key=True)
    pledge_id: Mapped[int] = mapped_column(ForeignKey("pledges.id", ondelete="CASCADE"))
    version: Mapped[int] = mapped_column(Integer)
    data: Mapped[dict] = mapped_column(JSON)
    reason: Mapped[str | None] = mapped_column(Text)
    created_by: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    __table_args__ = (UniqueConstraint("pledge_id", "version"),)


class PledgeTransition(Base):
    """Every move through the lifecycle: who, when, why."""

    __tablename__ = "pledge_transitions"

    id: Mapped[int] = mapped_column(primary_key=True)
    pledge_id: Mapped[int] = mapped_column(ForeignKey("pledges.id", ondelete="CASCADE"))
    version: Mapped[int] = mapped_column(Integer)
    action: Mapped[str] = mapped_column(String(16))
    from_state: Mapped[str | None] = mapped_column(String(16))
    to_state: Mapped[str] = mapped_column(String(16))
    actor: Mapped[str] = mapped_column(String(64))
    comment: Mapped[str | None] = mapped_column(Text)
    at: Mapped[datetime] = mapped_column(default=utcnow)

    __table_args__ = (Index("ix_pledge_transitions_pledge_id", "pledge_id", "id"),)


class ProgressReport(Base):
    """践诺: a progress report with values per target and an evidence link."""

    __tablename__ = "progress_reports"

    id: Mapped[int] = mapped_column(primary_key=True)
    pledge_id: Mapped[int] = mapped_column(ForeignKey("pledges.id", ondelete="CASCADE"))
    version: Mapped[int] = mapped_column(Integer)
    note: Mapped[str] = mapped_column(Text, default="")
    values: Mapped[dict] = mapped_column(JSON, default=dict)
    evidence_url: Mapped[str | None] = mapped_column(String(500))
    completion: Mapped[float] = mapped_column(Float, default=0.0)
    reported_by: Mapped[str] = mapped_column(String(64))
    reported_at: Mapped[datetime] = mapped_column(default=utcnow)

    __table_args__ = (Index("ix_progress_reports_pledge_id", "pledge_id", "id"),)


class SentReminder(Base):
    """Reminders already handed to the outbox: the same key never goes twice."""

    __tablename__ = "sent_reminders"

    key: Mapped[str] = mapped_column(String(200), primary_key=True)
    sent_at: Mapped[datetime] = mapped_column(default=utcnow)
