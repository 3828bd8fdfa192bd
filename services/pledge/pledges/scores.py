"""Evaluation scores (评诺) from survey onto pledges: idempotent, the latest round wins."""

from __future__ import annotations

from sqlalchemy import update

from services.pledge.app import service
from services.pledge.pledges.models import Pledge
from shared.messages import PledgeScoresReady


def apply_scores(event: PledgeScoresReady) -> int:
    updated = 0
    with service.db.session() as session:
        for s in event.scores:
            result = session.execute(
                update(Pledge).where(Pledge.id == s.pledge_id)
                .where((Pledge.evaluation_round_id.is_(None)) | (Pledge.evaluation_round_id <= event.round_id))
                .values(evaluation_score=None if s.suppressed else s.score,
                        evaluation_grade=None if s.suppressed else s.grade, evaluation_round_id=event.round_id)
            )
            updated += result.rowcount
    return updated
