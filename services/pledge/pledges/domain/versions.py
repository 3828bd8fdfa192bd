"""Versions of a pledge (a look-back revision keeps every one): what changed between two of them."""

from __future__ import annotations

from typing import Any


def changes(before: dict[str, Any] | None, after: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Field → ``{from, to}`` for every field that differs (the first version: nothing changed)."""
    if before is None:
        return {}
    return {k: {"from": before.get(k), "to": after.get(k)} for k in sorted(set(before) | set(after))
            if before.get(k) != after.get(k)}
