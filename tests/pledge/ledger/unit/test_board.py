"""The board page's figures and refresh, from plain rows."""

from __future__ import annotations

from services.pledge.ledger.domain.board import refresh_seconds, summary


def test_board_summary():
    rows = [{"completion": 1.0, "overdue": False, "exemplar": True, "state": "closed"},
            {"completion": 0.5, "overdue": True, "exemplar": False, "state": "published"}]
    assert summary(rows) == {"count": 2, "completion": 75, "overdue": 1, "exemplars": 1, "closed": 1}
    assert summary([])["completion"] == 0


def test_refresh_is_ten_seconds_at_least():
    assert [refresh_seconds(v) for v in (None, 0, 9, 10, 60)] == [None, None, None, 10, 60]

