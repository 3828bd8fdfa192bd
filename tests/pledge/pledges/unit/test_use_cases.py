"""Pledge use cases called directly with a hand-built Context: a list's ``append`` as the message sender and a
fixed clock, so what a move publishes and when it says it happened are read straight off the fakes."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from pledge.support import ADMIN
from services.pledge.models import Pledge, SentReminder
from services.pledge.pledges import actions, drafts, reminders
from shared.context import Context
from shared.messages import PledgesChanged, SendNotification

NIGHT = datetime(2026, 3, 31, 17, 30, tzinfo=UTC)  # 01:30 on 1 April in Hangzhou (XIANFENG_TIME_ZONE)


def _body(tree, due_on: date) -> dict:
    return {"pledger_type": "org", "pledger_id": tree.b1, "category": "key_tasks", "title": "降本增效",
            "content": "", "audiences": [], "carrier_id": None, "due_on": due_on,
            "targets": [{"name": "降本", "unit": "万元", "target": 100, "due_on": None}]}


@pytest.fixture
def published() -> list:
    """What the use cases published (in place of the outbox)."""
    return []


@pytest.fixture
def ctx(pledge, settings, published):
    """A unit of work on the test database, publishing into ``published``, whose clock says ``NIGHT``."""
    with pledge.db.session() as session:
        yield Context(session, settings, publish=published.append, clock=lambda: NIGHT)


def test_a_published_pledge_tells_survey_and_carries_the_clocks_time(ctx, published, tree):
    pledge = drafts.create(ctx.session, ADMIN, _body(tree, date(2026, 3, 31)))
    actions.act(ctx, ADMIN, pledge.id, "submit", {})
    review_request = published.pop()
    assert isinstance(review_request, SendNotification) and review_request.category == "pledge_review"
    assert [i.person_id for i in review_request.items] == [tree.sc1]  # the secretary of the reviewer org (C1)
    actions.act(ctx, ADMIN, pledge.id, "approve", {})
    assert published == []  # an approval before publication is nobody else's business
    shown = actions.take(ctx, ADMIN, pledge.id, "publish", {"channels": ["board"]})
    [changed] = published
    assert isinstance(changed, PledgesChanged) and changed.pledges[0].state == "published"
    assert ctx.session.get(Pledge, pledge.id).published_at == NIGHT
    assert shown["overdue"] is True  # due 31 March: already 1 April in Hangzhou, though 31 March in UTC


def test_the_night_run_sends_each_reminder_once(ctx, published, tree):
    pledge = drafts.create(ctx.session, ADMIN, _body(tree, date(2026, 4, 8)))
    for action, data in (("submit", {}), ("approve", {}), ("publish", {})):
        actions.act(ctx, ADMIN, pledge.id, action, data)
    published.clear()
    assert reminders.run_daily(ctx, date(2026, 4, 1)) == {"pledge_due": 1, "lookback": 1}
    due, lookback = published
    assert due.key == f"pledge_due:{pledge.id}:2026-04-08:2026-04-01" and "还有 7 天到期" in due.subject
    assert lookback.category == "lookback" and lookback.recipients.org_id == tree.b1
    assert ctx.session.get(SentReminder, due.key) is not None
    assert reminders.run_daily(ctx, date(2026, 4, 1)) == {"pledge_due": 0, "lookback": 0}
    assert len(published) == 2
