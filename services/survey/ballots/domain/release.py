"""When pooled answer sets are released into the answers table, and in what order.

A submission's answers wait in the pool (linked to their ballot) until a batch of submissions is
released together in one transaction, their rows shuffled: afterwards an answer is known to come from
one of the batch's ballots and nothing narrower.  A batch is at least ``max(min_group, release_batch)``
submissions; while the round is open one batch's worth stays pooled, so that the batch released at closing
is as large as the others (unless the whole round had fewer submissions).
"""

from __future__ import annotations

import random
from collections.abc import Iterable, Sequence
from typing import Any, TypeVar

T = TypeVar("T")


def batch_floor(settings: dict[str, Any]) -> int:
    """The fewest submissions released together: ``max(min_group, release_batch)``, at least 1."""
    return max(1, int(settings["min_group"]), int(settings.get("release_batch", 0)))


def release_size(pooled: int, floor: int, *, closing: bool) -> int:
    """How many of ``pooled`` submissions to release now.

    Closing: all of them.  Open: nothing until two batches' worth wait, then all but one batch's worth (so
    the closing batch keeps ``floor`` submissions too); every release is at least ``floor``."""
    if closing:
        return pooled
    return pooled - floor if pooled >= 2 * floor else 0


def pick(items: Sequence[T], count: int, rng: random.Random) -> list[T]:
    """``count`` of ``items`` at random (which ones wait is chance, not submission order)."""
    return rng.sample(list(items), count) if count < len(items) else list(items)


def shuffled(rows: Iterable[T], rng: random.Random) -> list[T]:
    """Rows in random order: the physical order of the answers says nothing about who submitted when."""
    out = list(rows)
    rng.shuffle(out)
    return out
