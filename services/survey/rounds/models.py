"""Tables of rounds: the round, its targets fixed at opening, the ballots issued and what each ballot covers.

``ballots`` knows who was invited and whether the ballot was used (for reminders and response rates)
but not when; the token itself is never stored, only its SHA-256.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Boolean, ForeignKey, Index, Integer, String, Text, UniqueConstraint, false
from sqlalchemy.orm import Mapped, mapped_column

from services.survey.db import Base
from shared.db import utcnow


class Round(Base):
    """A 三测评 (``three_way``) or 评诺 (``pledge_evaluation``) round over an org subtree."""

    __tablename__ = "survey_rounds"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(32))
    title: Mapped[str] = mapped_column(String(200))
    root_org_id: Mapped[int] = mapped_column(Integer)
    root_path: Mapped[str] = mapped_column(String(512))
    closes_at: Mapped[datetime]
    state: Mapped[str] = mapped_column(String(16), default="draft", index=True)
    settings: Mapped[dict] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    opened_at: Mapped[datetime | None]
    # a large round being opened by the workers: how many ballots it will have
    ballots_planned: Mapped[int | None] = mapped_column(Integer)
    closed_at: Mapped[datetime | None]
    reminded_at: Mapped[datetime | None]
    aggregation_started_at: Mapped[datetime | None]
    results_at: Mapped[datetime | None]
    aggregation_error: Mapped[str | None] = mapped_column(Text)
    # a large round the workers planned and found without ballots: back to draft, and why
    opening_error: Mapped[str | None] = mapped_column(Text)


class RoundTarget(Base):
    """Who or what is rated in a round, fixed when it opens; ``org_id`` is the org it is ranked in."""

    __tablename__ = "survey_round_targets"

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("survey_rounds.id"))
    target_type: Mapped[str] = mapped_column(String(16))  # person | branch | committee | pledge
    target_id: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(String(300))
    org_id: Mapped[int] = mapped_column(Integer)
    org_path: Mapped[str] = mapped_column(String(512))

    __table_args__ = (
        UniqueConstraint("round_id", "target_type", "target_id"),
        Index("ix_survey_round_targets_round_id_org_path", "round_id", "org_path"),
    )


class Ballot(Base):
    """One rater's ballot: the token is never stored, only its SHA-256 (and a reminder token's)."""

    __tablename__ = "survey_ballots"

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("survey_rounds.id"))
    person_id: Mapped[int] = mapped_column(Integer)
    org_id: Mapped[int] = mapped_column(Integer)
    org_path: Mapped[str] = mapped_column(String(512))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    reminder_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    used: Mapped[bool] = mapped_column(Boolean, default=False)  # claimed by a submission
    # its answers left the pool, with a batch of others, in the transaction that stored them
    released: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())

    __table_args__ = (
        UniqueConstraint("round_id", "person_id"),
        Index("ix_survey_ballots_round_id_org_id", "round_id", "org_id"),
    )


class BallotTarget(Base):
    """A target on a ballot and the rater's relation to it (评诺 part: self | peer | masses)."""

    __tablename__ = "survey_ballot_targets"

    ballot_id: Mapped[int] = mapped_column(ForeignKey("survey_ballots.id"), primary_key=True)
    target_ref: Mapped[int] = mapped_column(ForeignKey("survey_round_targets.id"), primary_key=True)
    part: Mapped[str | None] = mapped_column(String(8))
