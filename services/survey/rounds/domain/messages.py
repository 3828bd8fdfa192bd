"""Messages the survey service sends to its own queue through the outbox (never to another service).

They ride the same transactional outbox as cross-service messages, so "the round closed" and
"aggregate it" commit together.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from shared.messages import Message


@dataclass(frozen=True)
class AggregateRound(Message):
    tasks: ClassVar[tuple[str, ...]] = ("survey.aggregate_round",)
    round_id: int
    rerun: bool = False  # True: recompute even if the results are ready (an admin asked)


@dataclass(frozen=True)
class OpenRound(Message):
    """Issue the ballots of a large round (state ``opening``) in chunks, then open it."""

    tasks: ClassVar[tuple[str, ...]] = ("survey.open_round",)
    round_id: int
