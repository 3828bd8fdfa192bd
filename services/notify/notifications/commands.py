"""Messages notify sends to its own queue (through its outbox, so they leave only after the commit).

They never cross a service boundary, so they live here, not in ``shared/messages.py``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import ClassVar

from shared.messages import Message


@dataclass(frozen=True)
class ResolveNotification(Message):
    """Turn a notification's recipient spec into chunks of people."""

    tasks: ClassVar[tuple[str, ...]] = ("notify.resolve",)
    notification_id: int


@dataclass(frozen=True)
class DeliverChunk(Message):
    """Deliver one notification to these people (every channel); safe to run any number of times."""

    tasks: ClassVar[tuple[str, ...]] = ("notify.deliver",)
    notification_id: int
    person_ids: list[int] = field(default_factory=list)


@dataclass(frozen=True)
class DeliverRobots(Message):
    """Send a notification's robot summaries that became due (after a backoff, the rate, quiet hours)."""

    tasks: ClassVar[tuple[str, ...]] = ("notify.robots",)
    notification_id: int
