"""The figures at the top of the board page, from the ledger's rows (plain data)."""

from __future__ import annotations

CARDS_PER_PAGE = 24  # cards on one page of the board; the figures count them all
# the board's filters by state (?state=), as its buttons name them
STATE_FILTERS = {"published": "践诺中", "overdue": "逾期", "revising": "修订中", "closed": "已结束", "exemplar": "样板"}


def page_count(total: int, size: int) -> int:
    return max(1, -(-total // size))


def page_links(page: int, pages: int, width: int = 2) -> list[int | None]:
    """The page numbers the board links to: the first, the last, ``width`` around the current, gaps as None."""
    shown = sorted({1, pages, *range(max(1, page - width), min(pages, page + width) + 1)})
    out: list[int | None] = []
    for n in shown:
        if out and n - (out[-1] or 0) > 1:
            out.append(None)
        out.append(n)
    return out


def summary(rows: list[dict]) -> dict:
    n = len(rows)
    return {
        "count": n,
        "completion": round(100 * sum(r["completion"] for r in rows) / n) if n else 0,
        "overdue": sum(1 for r in rows if r["overdue"]),
        "exemplars": sum(1 for r in rows if r["exemplar"]),
        "closed": sum(1 for r in rows if r["state"] == "closed"),
    }


def refresh_seconds(asked: int | None) -> int | None:
    """The page reloads itself every ``?refresh=`` seconds, ten at least (a big screen in a meeting room)."""
    return asked if asked and asked >= 10 else None
