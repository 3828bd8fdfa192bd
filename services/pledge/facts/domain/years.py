"""The year a nightly run speaks of, and how much of it has begun (plain dates)."""

from __future__ import annotations

from datetime import date


def quarters_due(year: int, as_of: date) -> int:
    """Quarters of ``year`` begun by ``as_of``: 4 for a past year, none for a future one."""
    if as_of.year > year:
        return 4
    if as_of.year < year:
        return 0
    return (as_of.month - 1) // 3 + 1


def last_day(year: int, as_of: date) -> date:
    """The last day of ``year`` the facts may count (nothing after ``as_of``)."""
    return min(date(year, 12, 31), as_of)
