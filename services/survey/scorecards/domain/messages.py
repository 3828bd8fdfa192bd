"""Messages the scorecards send to survey's own queue through the outbox."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from shared.messages import Message


@dataclass(frozen=True)
class ComputeScorecards(Message):
    """Recompute a year's scorecards (new facts, new settings, the nightly run): a chord over the orgs."""

    tasks: ClassVar[tuple[str, ...]] = ("survey.compute_scorecards",)
    year: int
