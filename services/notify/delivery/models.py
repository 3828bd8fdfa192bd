"""The delivery ledger, the robots' ledger, and the webhook endpoints deliveries go to."""

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
    format: Mapped[str] = mapped_column(String(16), default="standard")  # standard | wecom | dingtalk
    created_by: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime]

    @property
    def robot(self) -> bool:
        return self.format != "standard"


class RobotDelivery(Base):
    """The robots' ledger: one summary per notification × robot endpoint (企业微信, 钉钉 group chats).

    The same lifecycle as :class:`Delivery`; ``sent_at`` (when a send was claimed) is what the robot's
    rate limiter counts."""

    __tablename__ = "robot_deliveries"
    __table_args__ = (
        UniqueConstraint("notification_id", "endpoint_id"),
        Index("ix_robot_deliveries_state_next_attempt_at", "state", "next_attempt_at"),
        Index("ix_robot_deliveries_endpoint_id_sent_at", "endpoint_id", "sent_at"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    notification_id: Mapped[int] = mapped_column(BigInteger)
    endpoint_id: Mapped[int] = mapped_column(Integer)
    org_id: Mapped[int | None] = mapped_column(Integer)
    state: Mapped[str] = mapped_column(String(16))  # pending|sending|sent|failed
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(String(500))
    next_attempt_at: Mapped[datetime | None]
    sent_at: Mapped[datetime | None]
    updated_at: Mapped[datetime]


class DigestItem(Base):
    """A notification held for a person's digest (their digest categories): listed, with its link, in the
    one ``digest`` notification of its period, which ``digest_id`` names once sent."""

    __tablename__ = "digest_items"
    __table_args__ = (
        UniqueConstraint("person_id", "notification_id"),
        Index("ix_digest_items_digest_id_created_at", "digest_id", "created_at"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    person_id: Mapped[int] = mapped_column(Integer)
    notification_id: Mapped[int] = mapped_column(BigInteger)
    category: Mapped[str] = mapped_column(String(32))
    subject: Mapped[str] = mapped_column(String(500))
    link: Mapped[str | None] = mapped_column(String(1000))
    created_at: Mapped[datetime]
    digest_id: Mapped[int | None] = mapped_column(BigInteger)  # the digest notification that listed it
