"""The figures at the top of the board page, from the ledger's rows (plain data)."""

from __future__ import annotations

MAX_ROWS = 300  # rows the page shows; the total counts them all


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
