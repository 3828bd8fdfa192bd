"""Completion of a pledge's targets from reported values: per target and overall (plain functions)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date


def target_completion(target: float, value: float | None) -> float:
    """Share of a target reached, 0–1 (a target of zero or less counts as reached once reported)."""
    if value is None:
        return 0.0
    if target <= 0:
        return 1.0
    return max(0.0, min(1.0, value / target))


def per_target(targets: list[Mapping], values: Mapping[str, float]) -> list[dict]:
    out = []
    for t in targets:
        value = values.get(t["name"])
        out.append({**t, "value": value, "completion": round(target_completion(t["target"], value), 4)})
    return out


def overall(targets: list[Mapping], values: Mapping[str, float]) -> float:
    """The mean of the targets' completions, 0–1."""
    if not targets:
        return 0.0
    return round(sum(target_completion(t["target"], values.get(t["name"])) for t in targets) / len(targets), 4)


def is_overdue(due_on: date, state: str, completion: float, today: date) -> bool:
    return state == "published" and due_on < today and completion < 1.0
