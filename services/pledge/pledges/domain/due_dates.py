"""Due dates on a new pledge: not in the past, unless a past pledge is being recorded (plain data)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from shared.i18n import bilingual


def past_due_dates(data: Mapping[str, Any], today: date) -> dict[str, list[str]]:
    """Field errors (dotted names) for the pledge's ``due_on`` and each target's ``due_on`` before ``today``."""
    day = today.isoformat()
    message = [bilingual(f"截止日期不能早于今天（{day}）", f"must not be before today ({day})")]
    errors: dict[str, list[str]] = {}
    if data.get("due_on") is not None and data["due_on"] < today:
        errors["due_on"] = message
    for i, target in enumerate(data.get("targets") or ()):
        if target.get("due_on") is not None and target["due_on"] < today:
            errors[f"targets.{i}.due_on"] = message
    return errors
