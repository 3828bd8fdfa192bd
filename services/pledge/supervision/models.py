"""Tables of supervision (督诺): inspections, quarterly comments, demonstration sites, contact points."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    JSON,
    CheckConstraint,
    Column,
    Date,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from services.pledge.db import Base
from shared.db import utcnow

inspection_pledges = Table(
    "inspection_pledges",
    Base.metadata,
    Column("inspection_id", ForeignKey("inspections.id", ondelete="CASCADE"), primary_key=True),
    Column("pledge_id", ForeignKey("pledges.id", ondelete="CASCADE"), primary_key=True),
    Index("ix_inspection_pledges_pledge_id", "pledge_id"),
)


class Inspection(Base):
    """A check of an org's campaign work: routine, or unannounced (调研未事先通知)."""

    __tablename__ = "inspections"

    id: Mapped[int] = mapped_column(primary_key=True)
    org_id: Mapped[int] = mapped_column(ForeignKey("orgs.id"))
    kind: Mapped[str] = mapped_column(String(16))  # routine | unannounced
    visited_on: Mapped[date] = mapped_column(Date)
    inspector_id: Mapped[int] = mapped_column(ForeignKey("people.id"))
    findings: Mapped[str] = mapped_column(Text)
    rating: Mapped[int] = mapped_column(Integer)  # 1..5
    created_by: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    pledge_links: Mapped[list[InspectionPledgeLink]] = relationship(
        cascade="all, delete-orphan", lazy="selectin", order_by="InspectionPledgeLink.pledge_id")

    __table_args__ = (
        Index("ix_inspections_org_id_visited_on", "org_id", "visited_on"),
        Index("ix_inspections_visited_on_id", "visited_on", "id"),  # newest first over a whole subtree
        CheckConstraint("rating BETWEEN 1 AND 5", name="rating_range"),
    )

    @property
    def pledge_ids(self) -> list[int]:
        return [link.pledge_id for link in self.pledge_links]


class InspectionPledgeLink(Base):
    """The pledges an inspection looked at (mapped on the association table)."""

    __table__ = inspection_pledges


class QuarterlyComment(Base):
    """每季点评: the quarterly comment on an org's campaign work and pledge fulfilment."""

    __tablename__ = "quarterly_comments"

    id: Mapped[int] = mapped_column(primary_key=True)
    org_id: Mapped[int] = mapped_column(ForeignKey("orgs.id"))
    year: Mapped[int] = mapped_column(Integer)
    quarter: Mapped[int] = mapped_column(Integer)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"))
    text: Mapped[str] = mapped_column(Text)
    created_by: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    __table_args__ = (
        UniqueConstraint("org_id", "year", "quarter"),
        Index("ix_quarterly_comments_year_quarter", "year", "quarter"),
        CheckConstraint("quarter BETWEEN 1 AND 4", name="quarter_range"),
    )


class DemoSite(Base):
    """示范点: a branch or a post developed as a model, level key (重点) or general (一般)."""

    __tablename__ = "demo_sites"

    id: Mapped[int] = mapped_column(primary_key=True)
    org_id: Mapped[int] = mapped_column(ForeignKey("orgs.id"))
    kind: Mapped[str] = mapped_column(String(16))  # branch | post
    name: Mapped[str] = mapped_column(String(200))
    post_name: Mapped[str | None] = mapped_column(String(200))
    level: Mapped[str] = mapped_column(String(16))  # key | general
    year: Mapped[int] = mapped_column(Integer)
    goals: Mapped[dict] = mapped_column(JSON, default=dict)  # {line: text} on the three lines
    created_by: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    __table_args__ = (
        UniqueConstraint("org_id", "name"),
        Index("ix_demo_sites_level", "level"),
    )


class DemoSiteAction(Base):
    """A prescribed (规定动作) or optional (自选动作) action of a demonstration site, on one line."""

    __tablename__ = "demo_site_actions"

    id: Mapped[int] = mapped_column(primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("demo_sites.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(16))  # prescribed | optional
    line: Mapped[str] = mapped_column(String(16))  # party_building | management | economic
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str | None] = mapped_column(Text)
    due_on: Mapped[date | None] = mapped_column(Date)
    done_on: Mapped[date | None] = mapped_column(Date)
    note: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class DemoSiteEvaluation(Base):
    """月度专业管理评价: one month's scores (0–100) of a site on the three lines."""

    __tablename__ = "demo_site_evaluations"

    id: Mapped[int] = mapped_column(primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("demo_sites.id", ondelete="CASCADE"))
    year: Mapped[int] = mapped_column(Integer)
    month: Mapped[int] = mapped_column(Integer)
    party_building: Mapped[float] = mapped_column(Float)
    management: Mapped[float] = mapped_column(Float)
    economic: Mapped[float] = mapped_column(Float)
    overall: Mapped[float] = mapped_column(Float)
    evaluator_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"))
    comment: Mapped[str | None] = mapped_column(Text)
    created_by: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    __table_args__ = (
        UniqueConstraint("site_id", "year", "month"),
        CheckConstraint("month BETWEEN 1 AND 12", name="month_range"),
    )


class ContactPoint(Base):
    """联系点: a leader's standing link to a grassroots org."""

    __tablename__ = "contact_points"

    id: Mapped[int] = mapped_column(primary_key=True)
    leader_id: Mapped[int] = mapped_column(ForeignKey("people.id"))
    org_id: Mapped[int] = mapped_column(ForeignKey("orgs.id"), index=True)
    since: Mapped[date | None] = mapped_column(Date)
    note: Mapped[str | None] = mapped_column(Text)
    created_by: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    __table_args__ = (UniqueConstraint("leader_id", "org_id"),)


class ContactVisit(Base):
    """One visit of a leader to their contact point (调研, 指导)."""

    __tablename__ = "contact_visits"

    id: Mapped[int] = mapped_column(primary_key=True)
    contact_point_id: Mapped[int] = mapped_column(ForeignKey("contact_points.id", ondelete="CASCADE"))
    visited_on: Mapped[date] = mapped_column(Date)
    notes: Mapped[str] = mapped_column(Text)
    created_by: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    __table_args__ = (Index("ix_contact_visits_contact_point_id_visited_on", "contact_point_id", "visited_on"),)
