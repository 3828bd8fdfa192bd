"""Carrier periods (活动载体 are re-focused per year, quarter or month): plain date arithmetic."""

from __future__ import annotations

from datetime import date, timedelta

MONTHS = {"year": 12, "quarter": 3, "month": 1}
PERIOD_KINDS = tuple(MONTHS)


def period_end(kind: str, start: date) -> date:
    """The last day of a period that starts on ``start`` (a year, a quarter or a month long)."""
    months = start.month - 1 + MONTHS[kind]
    first_after = date(start.year + months // 12, months % 12 + 1, 1)
    if start.day != 1:  # a period need not start on the first: same day next period, minus one
        first_after = first_after.replace(day=min(start.day, 28))
    return first_after - timedelta(days=1)
