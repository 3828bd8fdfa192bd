"""The period a round evaluates: the 三服务 targets set for it are shown on its ballots.

A round's settings may name ``period_start`` and ``period_end`` (ISO dates, inclusive); by default the
period is the calendar year in which the round closes (a 年度三测评 judges the year's targets).
"""

from __future__ import annotations

from datetime import date
from typing import Any


def default_period(closes_on: date) -> tuple[date, date]:
    return date(closes_on.year, 1, 1), date(closes_on.year, 12, 31)


def with_period(settings: dict[str, Any], closes_on: date) -> dict[str, Any]:
    """The settings with both ends of the period filled in, as ISO text (a missing end: the default's)."""
    start, end = default_period(closes_on)
    given_start, given_end = settings.get("period_start"), settings.get("period_end")
    if given_start is not None and given_end is None:
        end = date(given_start.year, 12, 31)
    if given_end is not None and given_start is None:
        start = date(given_end.year, 1, 1)
    start, end = given_start or start, given_end or end
    return {**settings, "period_start": start.isoformat(), "period_end": end.isoformat()}


def period_of(settings: dict[str, Any], closes_on: date) -> tuple[date, date]:
    """The period of a stored round (rounds created before periods existed: the default)."""
    if settings.get("period_start") and settings.get("period_end"):
        return date.fromisoformat(settings["period_start"]), date.fromisoformat(settings["period_end"])
    return default_period(closes_on)
