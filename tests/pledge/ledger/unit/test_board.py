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



def test_page_links():
    from services.pledge.ledger.domain.board import page_count, page_links

    assert [page_count(n, 24) for n in (0, 1, 24, 25, 98)] == [1, 1, 1, 2, 5]
    assert page_links(1, 1) == [1]
    assert page_links(1, 5) == [1, 2, 3, None, 5]
    assert page_links(5, 10) == [1, None, 3, 4, 5, 6, 7, None, 10]
    assert page_links(10, 10) == [1, None, 8, 9, 10]
