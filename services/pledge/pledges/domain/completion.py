"""Completion of a pledge's targets from reported values: per target and overall (plain functions).

A target is reached upward (``at_least``, the default: 产量 ≥ 100 万吨) or kept under a ceiling (``at_most``:
"事故 0 起", a cost cap): a ceiling counts as met while the reported value stays at or under it.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

DIRECTIONS = ("at_least", "at_most")


def target_completion(target: float, value: float | None, direction: str = "at_least") -> float:
    """Share of a target reached, 0–1; nothing reported is 0.

    ``at_least``: value / target (a target of zero or less is reached once reported).
    ``at_most``: 1 at or under the ceiling; over it, target / value (so 3 accidents against "0 起" is 0,
    and 110 against a cap of 100 is 0.909…).
    """
    if value is None:
        return 0.0
    if direction == "at_most":
        if value <= target:
            return 1.0
        return max(0.0, min(1.0, target / value)) if target > 0 and value > 0 else 0.0
    if target <= 0:
        return 1.0
    return max(0.0, min(1.0, value / target))


def of(target: Mapping, values: Mapping[str, float]) -> float:
    """The completion of one stored target (a mapping with ``name``, ``target`` and maybe ``direction``)."""
    return target_completion(target["target"], values.get(target["name"]), target.get("direction") or "at_least")


def per_target(targets: list[Mapping], values: Mapping[str, float]) -> list[dict]:
    return [{**t, "direction": t.get("direction") or "at_least", "value": values.get(t["name"]),
             "completion": round(of(t, values), 4)} for t in targets]


def overall(targets: list[Mapping], values: Mapping[str, float]) -> float:
    """The mean of the targets' completions, 0–1."""
    if not targets:
        return 0.0
    return round(sum(of(t, values) for t in targets) / len(targets), 4)


def is_complete(value: float) -> bool:
    return value >= 1.0


def is_overdue(due_on: date, state: str, completion: float, today: date) -> bool:
    return state == "published" and due_on < today and not is_complete(completion)
