"""The delivery ledger and the webhook endpoints deliveries go to."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, BigInteger, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from services.notify.db import Base, BigId


class Delivery(Base):
    """The ledger: one row per notification × recipient × channel; the unique key stops a resend."""

    __tablename__ = "deliveries"
    __table_args__ = (
        UniqueConstraint("notification_id", "person_id", "channel"),
        Index("ix_deliveries_notification_id_state", "notification_id", "state"),
        Index("ix_deliveries_state_next_attempt_at", "state", "next_attempt_at"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    notification_id: Mapped[int] = mapped_column(BigInteger)
    person_id: Mapped[int] = mapped_column(Integer)
    channel: Mapped[str] = mapped_column(String(16))
    state: Mapped[str] = mapped_column(String(16))  # pending|sending|sent|failed|skipped
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(String(500))
    next_attempt_at: Mapped[datetime | None]
    updated_at: Mapped[datetime]


class WebhookEndpoint(Base):
    """A URL an org (its subtree's people) or a group system (everyone) receives notifications at."""

    __tablename__ = "webhook_endpoints"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    org_id: Mapped[int | None] = mapped_column(Integer, index=True)  # None: group-wide (system callers)
    url: Mapped[str] = mapped_column(String(1000))
    secret: Mapped[str] = mapped_column(String(100))
    description: Mapped[str] = mapped_column(String(200), default="")
    categories: Mapped[list] = mapped_column(JSON, default=list)  # empty: every category
    created_by: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime]
