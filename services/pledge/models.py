"""Tables of the pledge service."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from services.pledge.extensions import Base
from shared.db import utcnow


class Org(Base):
    """An organisation: the group committee, unit committees (党委/党总支) and branches (党支部)."""

    __tablename__ = "orgs"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(16))  # committee | branch
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("orgs.id"))
    path: Mapped[str] = mapped_column(String(512), default="")  # "/1/5/9/": ids from the root
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    __table_args__ = (Index("ix_orgs_path", "path"),)
