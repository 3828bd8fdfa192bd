"""The answers table: anonymity is a property of it — what was answered, not by whom: no ballot id, no
person id, no timestamp, a random row id.  And the pool a submission's answers wait in until they are
released into it with a batch of others (``services.survey.ballots.release``).
"""

from __future__ import annotations

from sqlalchemy import JSON, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from services.survey.db import Base


class Answer(Base):
    """One score: no ballot, no person, no time — only what was rated and how."""

    __tablename__ = "survey_answers"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)  # uuid4 hex: random, not sequential
    round_id: Mapped[int] = mapped_column(ForeignKey("survey_rounds.id"))
    target_ref: Mapped[int] = mapped_column(ForeignKey("survey_round_targets.id"))
    dimension: Mapped[str] = mapped_column(String(32))
    part: Mapped[str | None] = mapped_column(String(8))
    score: Mapped[int] = mapped_column(Integer)

    __table_args__ = (Index("ix_survey_answers_round_id_target_ref", "round_id", "target_ref"),)


class PooledAnswers(Base):
    """One submission's answers waiting for release: ``[[target_ref, dimension, part, score], …]``.

    The only place an answer and its ballot meet, and only until the batch is released (the row is then
    deleted, and the table vacuumed on PostgreSQL / overwritten on SQLite with ``secure_delete``)."""

    __tablename__ = "survey_answer_pool"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)  # uuid4 hex: no sequence, no order
    round_id: Mapped[int] = mapped_column(ForeignKey("survey_rounds.id"), index=True)
    ballot_id: Mapped[int] = mapped_column(ForeignKey("survey_ballots.id"), unique=True)
    answers: Mapped[list] = mapped_column(JSON)
