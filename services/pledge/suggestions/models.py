"""Tables of suggestions.  Anonymity is a property of the table: a suggestion's id is random (uuid4, not a
sequence), it carries a day and no time, and an anonymous one stores no author at all.  On SQLite the table
has no rowid, so its rows lie in id order, not in the order they came."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Boolean, Date, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from services.pledge.db import Base
from services.pledge.directory.models import ORG_PATH_COPY


class Suggestion(Base):
    """征求意见: what a person of an org asks of it; ``author_id`` only when signed."""

    __tablename__ = "suggestions"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)  # uuid4 hex: random, not sequential
    org_id: Mapped[int] = mapped_column(ForeignKey("orgs.id"))
    org_path: Mapped[str] = mapped_column(String(512), info=ORG_PATH_COPY)
    content: Mapped[str] = mapped_column(Text)
    anonymous: Mapped[bool] = mapped_column(Boolean)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"))  # NULL whenever anonymous
    submitted_on: Mapped[date] = mapped_column(Date)  # a day, never a time
    state: Mapped[str] = mapped_column(String(16), default="open")
    reply: Mapped[str | None] = mapped_column(Text)
    reason: Mapped[str | None] = mapped_column(Text)
    answered_by: Mapped[str | None] = mapped_column(String(64))
    answered_at: Mapped[datetime | None]

    __table_args__ = (
        Index("ix_suggestions_org_path_state", "org_path", "state"),
        {"sqlite_with_rowid": False},
    )


class SuggestionAnswer(Base):
    """A pledge that answers a suggestion (written by the pledge's POST/PATCH ``suggestion_ids``)."""

    __tablename__ = "suggestion_answers"

    suggestion_id: Mapped[str] = mapped_column(ForeignKey("suggestions.id", ondelete="CASCADE"), primary_key=True)
    pledge_id: Mapped[int] = mapped_column(ForeignKey("pledges.id", ondelete="CASCADE"), primary_key=True)

    __table_args__ = (Index("ix_suggestion_answers_pledge_id", "pledge_id"),)
