"""Tables of daily work: zones with holders, checks and incidents; posts and badges; volunteer activities
with participants; mentoring pairs."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Column,
    Date,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Table,
    Text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from services.pledge.db import Base
from shared.db import utcnow

zone_holders = Table(
    "zone_holders",
    Base.metadata,
    Column("zone_id", ForeignKey("zones.id", ondelete="CASCADE"), primary_key=True),
    Column("person_id", ForeignKey("people.id", ondelete="CASCADE"), primary_key=True),
    Index("ix_zone_holders_person_id", "person_id"),
)


class ZoneHolder(Base):
    __table__ = zone_holders


class Zone(Base):
    """党员责任区: a responsibility zone of an org, held by its party members, with guarantees."""

    __tablename__ = "zones"

    id: Mapped[int] = mapped_column(primary_key=True)
    org_id: Mapped[int] = mapped_column(ForeignKey("orgs.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(16))  # responsibility | five_s
    guarantees: Mapped[list] = mapped_column(JSON, default=list)
    since: Mapped[date] = mapped_column(Date)
    check_every_days: Mapped[int] = mapped_column(Integer, default=30)
    created_by: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    holder_links: Mapped[list[ZoneHolder]] = relationship(cascade="all, delete-orphan", lazy="selectin",
                                                          order_by="ZoneHolder.person_id")

    @property
    def holder_ids(self) -> list[int]:
        return [link.person_id for link in self.holder_links]


class ZoneCheck(Base):
    """A periodic check of a zone: a result per guarantee."""

    __tablename__ = "zone_checks"

    id: Mapped[int] = mapped_column(primary_key=True)
    zone_id: Mapped[int] = mapped_column(ForeignKey("zones.id", ondelete="CASCADE"))
    checked_on: Mapped[date] = mapped_column(Date)
    results: Mapped[dict] = mapped_column(JSON, default=dict)
    passed: Mapped[bool] = mapped_column(Boolean)
    note: Mapped[str | None] = mapped_column(Text)
    created_by: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    __table_args__ = (Index("ix_zone_checks_zone_id_checked_on", "zone_id", "checked_on"),)


class ZoneIncident(Base):
    """An incident in a zone (safety, quality, equipment, discipline): it restarts 党员身边无事故."""

    __tablename__ = "zone_incidents"

    id: Mapped[int] = mapped_column(primary_key=True)
    zone_id: Mapped[int] = mapped_column(ForeignKey("zones.id", ondelete="CASCADE"))
    occurred_on: Mapped[date] = mapped_column(Date)
    kind: Mapped[str] = mapped_column(String(16))
    note: Mapped[str | None] = mapped_column(Text)
    created_by: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    __table_args__ = (Index("ix_zone_incidents_zone_id_occurred_on", "zone_id", "occurred_on"),)


class Post(Base):
    """党员先锋岗, 安全监护志愿者 (挂牌上岗) or another badge, held by one person from a date, ended by a date."""

    __tablename__ = "posts"

    id: Mapped[int] = mapped_column(primary_key=True)
    org_id: Mapped[int] = mapped_column(ForeignKey("orgs.id"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(24))  # vanguard_post | safety_volunteer | badge
    holder_id: Mapped[int] = mapped_column(ForeignKey("people.id"), index=True)
    since: Mapped[date] = mapped_column(Date)
    until: Mapped[date | None] = mapped_column(Date)
    created_by: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    __table_args__ = (CheckConstraint("until IS NULL OR until >= since", name="until_after_since"),)


volunteer_participants = Table(
    "volunteer_participants",
    Base.metadata,
    Column("activity_id", ForeignKey("volunteer_activities.id", ondelete="CASCADE"), primary_key=True),
    Column("person_id", ForeignKey("people.id", ondelete="CASCADE"), primary_key=True),
    Index("ix_volunteer_participants_person_id", "person_id"),
)


class VolunteerParticipant(Base):
    __table__ = volunteer_participants


class VolunteerActivity(Base):
    """A volunteer service (进社区, 安全监护 …): hours each participant gave on a day."""

    __tablename__ = "volunteer_activities"

    id: Mapped[int] = mapped_column(primary_key=True)
    org_id: Mapped[int] = mapped_column(ForeignKey("orgs.id"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(16))  # community | safety | other
    on: Mapped[date] = mapped_column(Date, index=True)
    hours: Mapped[float] = mapped_column(Float)  # per participant
    created_by: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    participant_links: Mapped[list[VolunteerParticipant]] = relationship(
        cascade="all, delete-orphan", lazy="selectin", order_by="VolunteerParticipant.person_id")

    __table_args__ = (CheckConstraint("hours > 0 AND hours <= 24", name="hours_range"),)

    @property
    def person_ids(self) -> list[int]:
        return [link.person_id for link in self.participant_links]


class Mentorship(Base):
    """一助一: a party member mentors a colleague in a skill, from a date until a date."""

    __tablename__ = "mentorships"

    id: Mapped[int] = mapped_column(primary_key=True)
    mentor_id: Mapped[int] = mapped_column(ForeignKey("people.id"), index=True)
    mentee_id: Mapped[int] = mapped_column(ForeignKey("people.id"), index=True)
    org_id: Mapped[int] = mapped_column(ForeignKey("orgs.id"), index=True)  # the mentor's org when paired
    skill: Mapped[str] = mapped_column(String(200))
    since: Mapped[date] = mapped_column(Date)
    until: Mapped[date | None] = mapped_column(Date)
    created_by: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    __table_args__ = (CheckConstraint("mentor_id <> mentee_id", name="two_people"),
                      CheckConstraint("until IS NULL OR until >= since", name="until_after_since"))


class PersonPhoto(Base):
    """照片上墙: a person's photo, re-encoded (JPEG, no metadata of the upload)."""

    __tablename__ = "person_photos"

    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), primary_key=True)
    data: Mapped[bytes] = mapped_column(LargeBinary)
    width: Mapped[int] = mapped_column(Integer)
    height: Mapped[int] = mapped_column(Integer)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
