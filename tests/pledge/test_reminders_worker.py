"""Nightly reminders reach notify's queue and a real notify worker delivers each exactly once per date."""

from __future__ import annotations

import time
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from pledge.support import build_tree, pledge_body
from services.notify.models import InboxMessage  # the test reads notify's inbox; pledge never does
from services.pledge.pledges import actions, drafts
from shared.auth import Principal
from shared.testing.processes import wait_for

pytestmark = pytest.mark.e2e
DAY = date(2026, 6, 10)
ADMIN = Principal(sub="1", roles=frozenset({"admin"}))


def _inbox(notify) -> list[tuple[int, str]]:
    with notify.db.session() as s:
        return [(m.person_id, m.category) for m in s.scalars(select(InboxMessage).order_by(InboxMessage.id))]


def test_due_reminder_is_delivered_once_however_often_the_night_runs(live, workers):
    svc = live("pledge")
    notify_worker = workers("notify")
    notify = notify_worker.service
    tree = build_tree(svc)  # DirectoryChanged → notify's projection, through the real broker
    with svc.unit_of_work() as ctx:
        body = pledge_body("person", tree.m1, due_on=DAY + timedelta(days=7))
        body["due_on"] = DAY + timedelta(days=7)
        body["targets"] = [{**t, "due_on": None} for t in body["targets"]]
        pid = drafts.create(ctx.session, ADMIN, body).id
        for action, data in (("submit", {}), ("approve", {}), ("publish", {"channels": ["board"]})):
            actions.act(ctx, ADMIN, pid, action, data)
    wait_for(lambda: (tree.s1, "pledge_review") in _inbox(notify), 60, what="review request delivered")

    first = svc.daily(DAY)
    assert first["pledge_due"] == 1 and first["lookback"] == 0
    assert first["zone_check"] == 0 and first["post_ending"] == 0
    again = svc.daily(DAY)
    assert again["pledge_due"] == 0 and again["lookback"] == 0
    assert again["zone_check"] == 0 and again["post_ending"] == 0
    wait_for(lambda: (tree.m1, "pledge_due") in _inbox(notify), 60, what="due reminder delivered")
    time.sleep(2)  # anything sent twice would have arrived by now
    assert _inbox(notify).count((tree.m1, "pledge_due")) == 1
