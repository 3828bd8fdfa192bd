"""A person's inbox (站内信): one message per notification and person."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, Boolean, Index, Integer, String, Text, UniqueConstraint, false
from sqlalchemy.orm import Mapped, mapped_column

from services.notify.db import Base, BigId


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
    private: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())  # the person's eyes only
    created_at: Mapped[datetime]
    read_at: Mapped[datetime | None]
