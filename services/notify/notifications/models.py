"""A notification and the personal parts of it (the ledger of its deliveries is ``delivery.models``)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Boolean, Integer, String, Text, false
from sqlalchemy.orm import Mapped, mapped_column

from services.notify.db import Base, BigId


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
    # link and tokens for the recipient alone (``SendNotification.private``): redacted for every other reader
    private: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
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
