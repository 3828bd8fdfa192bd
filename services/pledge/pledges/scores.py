"""Evaluation scores (评诺) from survey onto pledges: idempotent, the latest round wins."""

from __future__ import annotations

from sqlalchemy import update
from sqlalchemy.orm import Session

from services.pledge.pledges.models import Pledge
from shared.messages import PledgeScoresReady


def apply_scores(session: Session, event: PledgeScoresReady) -> int:
    """Each pledge's score and grade (none when suppressed), unless a later round already scored it."""
    updated = 0
    for s in event.scores:
        result = session.execute(
            update(Pledge).where(Pledge.id == s.pledge_id)
            .where((Pledge.evaluation_round_id.is_(None)) | (Pledge.evaluation_round_id <= event.round_id))
            .values(evaluation_score=None if s.suppressed else s.score,
                    evaluation_grade=None if s.suppressed else s.grade, evaluation_round_id=event.round_id)
        )
        updated += result.rowcount
    return updated
