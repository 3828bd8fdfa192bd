"""Checking a ballot's answers (plain data, no database)."""

from __future__ import annotations

from services.survey.ballots.domain.answers import Offered, check_answers


def test_check_answers_requires_everything_unless_partial_is_allowed():
    offered = {("branch", 3): Offered(7, None)}
    one = [{"target_type": "branch", "target_id": 3, "dimension": "close_members", "score": 4}]
    rows, errors = check_answers(one, offered, 5, allow_partial=True)
    assert not errors and rows[0].ref == 7
    assert "answers" in check_answers(one, offered, 5, allow_partial=False)[1]
