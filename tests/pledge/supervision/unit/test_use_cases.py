"""Supervision use cases with a hand-built Context: "today" is the clock read in the campaign's time zone."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from services.pledge.supervision import inspections
from shared.context import Context
from shared.errors import ValidationFailed
from shared.principal import Principal

ADMIN = Principal("1", frozenset({"admin"}))
NIGHT = datetime(2026, 3, 31, 17, 30, tzinfo=UTC)  # 01:30 on 1 April in Hangzhou


def _inspection(world, visited_on: date) -> dict:
    return {"org_id": world.branch1, "kind": "routine", "visited_on": visited_on, "inspector_id": world.inspector,
            "findings": "台账完整", "rating": 4, "pledge_ids": [world.pledge1]}


def test_an_inspection_may_be_dated_today_in_hangzhou_but_not_tomorrow(pledge, settings, world):
    with pledge.db.session() as session:
        ctx = Context(session, settings, clock=lambda: NIGHT)  # publishing nothing: the default refuses to
        made = inspections.create_inspection(ctx, ADMIN, _inspection(world, date(2026, 4, 1)))
        assert made.pledge_ids == [world.pledge1] and made.created_by == "1"
        with pytest.raises(ValidationFailed) as refused:
            inspections.create_inspection(ctx, ADMIN, _inspection(world, date(2026, 4, 2)))
        assert "visited_on" in refused.value.errors
