"""Tables of the 四好 scorecards: pledge's facts per org and year, the year's settings, the scorecards."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, Float, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from services.survey.db import Base


class OrgYearFact(Base):
    """What pledge reported of one org's year (``ScorecardFactsChanged``), as of a date: sums and counts."""

    __tablename__ = "survey_scorecard_facts"

    org_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    year: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    as_of: Mapped[date]
    pledges: Mapped[int] = mapped_column(Integer, default=0)
    completion_sum: Mapped[float] = mapped_column(Float, default=0.0)
    closed: Mapped[int] = mapped_column(Integer, default=0)
    fulfilled: Mapped[int] = mapped_column(Integer, default=0)
    partly: Mapped[int] = mapped_column(Integer, default=0)
    unfulfilled: Mapped[int] = mapped_column(Integer, default=0)
    inspections: Mapped[int] = mapped_column(Integer, default=0)
    rating_sum: Mapped[int] = mapped_column(Integer, default=0)
    comment_quarters: Mapped[int] = mapped_column(Integer, default=0)
    quarters_due: Mapped[int] = mapped_column(Integer, default=0)
    site_evaluations: Mapped[int] = mapped_column(Integer, default=0)
    site_overall_sum: Mapped[float] = mapped_column(Float, default=0.0)
    contact_points: Mapped[int] = mapped_column(Integer, default=0)
    contact_points_visited: Mapped[int] = mapped_column(Integer, default=0)
    contact_visits: Mapped[int] = mapped_column(Integer, default=0)


class ScorecardSettings(Base):
    """A year's weights and grade bounds (exact decimal text); a year without a row uses the defaults."""

    __tablename__ = "survey_scorecard_settings"

    year: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    settings: Mapped[dict] = mapped_column(JSON)
    updated_at: Mapped[datetime]


class Scorecard(Base):
    """One org's scorecard of a year; parts and score as exact fractions ("p/q"), ``score_value`` to sort."""

    __tablename__ = "survey_scorecards"

    org_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    year: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(16))
    parent_id: Mapped[int | None] = mapped_column(Integer)
    org_path: Mapped[str] = mapped_column(String(512), index=True)
    parts: Mapped[dict] = mapped_column(JSON)
    score: Mapped[str | None] = mapped_column(String(64))
    score_value: Mapped[float | None] = mapped_column(Float)
    grade: Mapped[str | None] = mapped_column(String(16))
    rank: Mapped[int | None] = mapped_column(Integer)
    rank_in_parent: Mapped[int | None] = mapped_column(Integer)
    computed_at: Mapped[datetime]
