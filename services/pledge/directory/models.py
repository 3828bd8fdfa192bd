"""Tables of the directory: orgs (the group committee, unit committees, branches) and people."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, Boolean, Column, ForeignKey, Index, MetaData, String
from sqlalchemy.orm import Mapped, mapped_column

from services.pledge.db import Base
from shared.db import utcnow

# ``info`` of a column that copies its org's materialised path (for fast subtree queries): when an org moves,
# every such column below it follows (``copies_of_org_path``), whichever context's table it is in.
ORG_PATH_COPY = {"copies": "orgs.path"}


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

    __table_args__ = (Index("ix_orgs_path", "path"), Index("ix_orgs_parent_id", "parent_id"))


class Person(Base):
    """A party member or employee; ``org_path`` copies the org's path for fast subtree queries."""

    __tablename__ = "people"

    id: Mapped[int] = mapped_column(primary_key=True)
    employee_no: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(100))
    org_id: Mapped[int] = mapped_column(ForeignKey("orgs.id"))
    org_path: Mapped[str] = mapped_column(String(512), info=ORG_PATH_COPY)
    party_member: Mapped[bool] = mapped_column(Boolean, default=False)
    joined_party_on: Mapped[date | None]
    roles: Mapped[list] = mapped_column(JSON, default=list)
    email: Mapped[str | None] = mapped_column(String(200))
    phone: Mapped[str | None] = mapped_column(String(32))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    __table_args__ = (Index("ix_people_org_path", "org_path", "id"), Index("ix_people_org_id", "org_id"))


def copies_of_org_path(metadata: MetaData = Base.metadata) -> list[Column]:
    """``orgs.path`` and every column marked ``ORG_PATH_COPY`` (people's, pledges' …), in table order."""
    marked = [c for t in metadata.sorted_tables for c in t.columns if c.info.get("copies") == "orgs.path"]
    return [Org.__table__.c.path, *marked]
