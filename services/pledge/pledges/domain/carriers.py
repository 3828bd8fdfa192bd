"""Carrier periods (活动载体 are re-focused per year, quarter or month): plain date arithmetic."""

from __future__ import annotations

import calendar
from datetime import date, timedelta

MONTHS = {"year": 12, "quarter": 3, "month": 1}
PERIOD_KINDS = tuple(MONTHS)


def period_end(kind: str, start: date) -> date:
    """The last day of a period that starts on ``start`` (a year, a quarter or a month long).

    The period ends the day before the same day of the month a period later (2026-04-29 + a quarter →
    2026-07-28); when that month has no such day (a month from 01-31), it ends on that month's last day.
    """
    months = start.month - 1 + MONTHS[kind]
    year, month = start.year + months // 12, months % 12 + 1
    last = calendar.monthrange(year, month)[1]
    if start.day > last:
        return date(year, month, last)
    return date(year, month, start.day) - timedelta(days=1)
