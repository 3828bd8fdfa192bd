"""What a person chose to receive, and the categories administrators made mandatory."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Boolean, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from services.notify.db import Base


class Preference(Base):
    __tablename__ = "preferences"

    person_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    muted_categories: Mapped[list] = mapped_column(JSON, default=list)
    channels: Mapped[list] = mapped_column(JSON)  # the channels the person accepts
    quiet_hours: Mapped[dict | None] = mapped_column(JSON)  # {start, end}; null: the default
    digest: Mapped[str] = mapped_column(String(8), default="off")  # off | daily | weekly
    digest_categories: Mapped[list] = mapped_column(JSON, default=list)
    updated_at: Mapped[datetime]


class CategorySetting(Base):
    """Categories admins made mandatory (they cannot be muted or switched off by channel), and urgent
    (also delivered in quiet hours)."""

    __tablename__ = "category_settings"

    category: Mapped[str] = mapped_column(String(32), primary_key=True)
    mandatory: Mapped[bool] = mapped_column(Boolean, default=False)
    urgent: Mapped[bool] = mapped_column(Boolean, default=False)  # a mandatory one that skips quiet hours
    updated_at: Mapped[datetime]
