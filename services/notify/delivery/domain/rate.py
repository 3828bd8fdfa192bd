"""A robot's rate: at most ``limit`` messages in any ``window`` (企业微信 and 钉钉: 20 a minute).

A sliding window over the times the endpoint's recent messages were sent: plain data in, the moment
the next one may go out.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta

ROBOT_LIMIT = 20
ROBOT_WINDOW = timedelta(minutes=1)


def free_slots(sent: Iterable[datetime], now: datetime, limit: int = ROBOT_LIMIT,
               window: timedelta = ROBOT_WINDOW) -> int:
    """How many more messages may go out at ``now``."""
    return max(limit - sum(1 for t in sent if now - window < t <= now), 0)


def next_slot(sent: Iterable[datetime], now: datetime, limit: int = ROBOT_LIMIT,
              window: timedelta = ROBOT_WINDOW) -> datetime:
    """The first moment at or after ``now`` when one more message may go out."""
    recent = sorted(t for t in sent if now - window < t <= now)
    if len(recent) < limit:
        return now
    return recent[len(recent) - limit] + window
