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
    updated_at: Mapped[datetime]


class CategorySetting(Base):
    """Categories admins made mandatory: they cannot be muted or switched off by channel."""

    __tablename__ = "category_settings"

    category: Mapped[str] = mapped_column(String(32), primary_key=True)
    mandatory: Mapped[bool] = mapped_column(Boolean, default=False)
    updated_at: Mapped[datetime]
