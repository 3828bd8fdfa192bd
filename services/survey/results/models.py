"""Tables of results: one row per target of a round, and pooled figures per org and target type."""

from __future__ import annotations

from sqlalchemy import JSON, Boolean, Float, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from services.survey.db import Base


class Result(Base):
    """A target's result; ``ratings``/``rating_sum`` feed the org summaries and are never published."""

    __tablename__ = "survey_results"

    round_id: Mapped[int] = mapped_column(ForeignKey("survey_rounds.id"), primary_key=True)
    target_ref: Mapped[int] = mapped_column(ForeignKey("survey_round_targets.id"), primary_key=True)
    n: Mapped[int] = mapped_column(Integer)
    ratings: Mapped[int] = mapped_column(Integer)
    rating_sum: Mapped[float] = mapped_column(Float)
    dimensions: Mapped[dict] = mapped_column(JSON)
    parts: Mapped[dict | None] = mapped_column(JSON)
    score: Mapped[float | None] = mapped_column(Float)  # for display (readers round it to one decimal)
    # the score exactly, "numerator/denominator": grades and ranks are decided on it (DOMAIN exact arithmetic)
    score_exact: Mapped[str | None] = mapped_column(String(120))
    # a personal pledge's self part (the pledger's own answer): for the pledger alone, never in ``parts``
    own_self: Mapped[float | None] = mapped_column(Float)
    grade: Mapped[str | None] = mapped_column(String(16))
    rank_in_org: Mapped[int | None] = mapped_column(Integer)
    rank_in_round: Mapped[int | None] = mapped_column(Integer)
    suppressed: Mapped[bool] = mapped_column(Boolean, default=False)
    suppression: Mapped[str | None] = mapped_column(String(16))  # min_group | complementary


class OrgSummary(Base):
    """Pooled figures of one org's targets of one type (a parent total, hence complementary suppression)."""

    __tablename__ = "survey_org_summaries"

    round_id: Mapped[int] = mapped_column(ForeignKey("survey_rounds.id"), primary_key=True)
    org_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    target_type: Mapped[str] = mapped_column(String(16), primary_key=True)
    org_path: Mapped[str] = mapped_column(String(512))
    targets: Mapped[int] = mapped_column(Integer)
    ratings: Mapped[int] = mapped_column(Integer)
    score: Mapped[float | None] = mapped_column(Float)
    suppressed: Mapped[bool] = mapped_column(Boolean, default=False)
