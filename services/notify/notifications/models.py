"""Tables of the notify service: notifications, the delivery ledger, inbox, preferences, webhooks."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, BigInteger, Boolean, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from services.notify.extensions import Base
from shared.directory import define_tables

directory = define_tables(Base.metadata)

# BIGINT on PostgreSQL, INTEGER (the rowid alias, so it autoincrements) on SQLite
BigId = BigInteger().with_variant(Integer(), "sqlite")


class Notification(Base):
    """One notification: what to say, to whom (a recipient spec), over which channels."""

    __tablename__ = "notifications"

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    key: Mapped[str] = mapped_column(String(200), unique=True)  # idempotency of the send
    category: Mapped[str] = mapped_column(String(32))
    subject: Mapped[str] = mapped_column(String(500))
    body: Mapped[str] = mapped_column(Text, default="")
    link: Mapped[str | None] = mapped_column(String(1000))
    recipients: Mapped[dict] = mapped_column(JSON)  # {person_ids} or {org_id, subtree, party_members_only}
    channels: Mapped[list] = mapped_column(JSON)
    source: Mapped[str] = mapped_column(String(64), default="")
    state: Mapped[str] = mapped_column(String(16), default="queued", index=True)  # queued|sending|done
    total: Mapped[int] = mapped_column(Integer, default=0)  # deliveries: recipients × channels
    recipient_count: Mapped[int] = mapped_column(Integer, default=0)
    processed: Mapped[int] = mapped_column(Integer, default=0)  # ledger rows written so far
    created_by: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]  # touched by every chunk: a stale 'sending' notification is resumed
    finished_at: Mapped[datetime | None]


class NotificationItem(Base):
    """A recipient's own subject/body/link (e.g. a survey invitation with its ballot link)."""

    __tablename__ = "notification_items"

    notification_id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=False)
    person_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    subject: Mapped[str | None] = mapped_column(String(500))
    body: Mapped[str | None] = mapped_column(Text)
    link: Mapped[str | None] = mapped_column(String(1000))


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


class InboxMessage(Base):
    __tablename__ = "inbox_messages"
    __table_args__ = (
        UniqueConstraint("notification_id", "person_id"),
        Index("ix_inbox_messages_person_id_created_at", "person_id", "created_at", "id"),
        Index("ix_inbox_messages_person_id_read_at", "person_id", "read_at"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    notification_id: Mapped[int] = mapped_column(BigInteger)
    person_id: Mapped[int] = mapped_column(Integer)
    category: Mapped[str] = mapped_column(String(32))
    subject: Mapped[str] = mapped_column(String(500))
    body: Mapped[str] = mapped_column(Text, default="")
    link: Mapped[str | None] = mapped_column(String(1000))
    created_at: Mapped[datetime]
    read_at: Mapped[datetime | None]


class Preference(Base):
    __tablename__ = "preferences"

    person_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    muted_categories: Mapped[list] = mapped_column(JSON, default=list)
    channels: Mapped[list] = mapped_column(JSON)  # the channels the person accepts
    updated_at: Mapped[datetime]


class CategorySetting(Base):
    """Categories admins made mandatory: they cannot be muted or switched off by channel."""

    __tablename__ = "category_settings"

    category: Mapped[str] = mapped_column(String(32), primary_key=True)
    mandatory: Mapped[bool] = mapped_column(Boolean, default=False)
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
