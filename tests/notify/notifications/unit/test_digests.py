"""Digests over a week of replays on a fake clock: held notifications become one digest per person per
period (daily every morning, weekly on Monday), the nightly run replayed and killed midway, nothing lost,
nothing listed twice."""

from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from services.notify.delivery.channels import from_settings
from services.notify.models import Delivery, DigestItem, InboxMessage, Preference
from services.notify.notifications import accepting, fanout, resolving
from services.notify.notifications.commands import DeliverChunk
from services.notify.notifications.digests import send_digests
from shared.messages import Recipients, SendNotification

from ...support import load_directory, person

SHANGHAI = ZoneInfo("Asia/Shanghai")
FIRST = date(2026, 11, 30)  # a Monday


def _at(day: date, hour: int) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=SHANGHAI).astimezone(UTC)


class Clocked:
    """notify's own tasks run in-process with the clock at ``now``."""

    def __init__(self, notify, sent) -> None:
        self.notify, self.sent, self.cursor, self.now = notify, sent, 0, None
        self.channels = from_settings(notify.runtime.settings)

    def unit_of_work(self, read_only=False):
        return self.notify.unit_of_work(clock=lambda: self.now)

    def drain(self) -> None:
        while self.cursor < len(self.sent.sent):
            message = self.sent.sent[self.cursor]
            self.cursor += 1
            if message.task == "notify.resolve":
                with self.unit_of_work() as ctx:
                    resolving.resolve(ctx, message.payload["notification_id"])
            elif message.task == "notify.deliver":
                cmd = DeliverChunk.from_payload(message.payload)
                fanout.deliver(self.unit_of_work, cmd.notification_id, list(cmd.person_ids), self.channels)

    def send(self, key: str, category: str, people: list[int]) -> None:
        with self.unit_of_work() as ctx:
            accepting.accept(ctx, SendNotification(key=key, category=category, subject=f"{category} {key}",
                                             link=f"https://x.example/{key}", channels=["inbox", "email"],
                                             recipients=Recipients(person_ids=people)))
        self.drain()


class Killed(Exception):
    pass


def _killing(clocked: Clocked, at_call: int):
    """A unit of work that dies (before its commit) on its ``at_call``-th use, as a killed worker would."""
    calls = [0]

    @contextmanager
    def unit_of_work(read_only=False):
        calls[0] += 1
        with clocked.unit_of_work() as ctx:
            yield ctx
            if calls[0] == at_call:
                raise Killed()

    return unit_of_work


@pytest.fixture
def week(notify, sent):
    """Person 1: a daily digest of general and lookback; person 2: weekly, general; person 3: no digest."""
    load_directory(notify, [person(1), person(2), person(3)])
    with notify.db.session() as s:
        for pid, kind, cats in ((1, "daily", ["general", "lookback"]), (2, "weekly", ["general"])):
            s.add(Preference(person_id=pid, muted_categories=[], channels=["inbox", "email", "webhook"],
                             digest=kind, digest_categories=cats, updated_at=_at(FIRST, 0)))
    return Clocked(notify, sent)


def test_a_week_of_replays_with_a_worker_killed_mid_digest(notify, week):
    results = []
    for n in range(8):  # Monday 30 November … Monday 7 December
        day = FIRST + timedelta(days=n)
        week.now = _at(day, 7)
        if n == 7:  # the Monday run dies after person 1's digest, before person 2's commit
            with pytest.raises(Killed):
                send_digests(_killing(week, at_call=3), day)
        results += [send_digests(week.unit_of_work, day), send_digests(week.unit_of_work, day)]  # replayed
        week.drain()
        if n < 7:
            week.now = _at(day, 10)
            week.send(f"g{n}", "general", [1, 2, 3])
            week.send(f"l{n}", "lookback", [1, 3])
    with notify.db.session() as s:
        inbox = s.execute(select(InboxMessage).order_by(InboxMessage.id)).scalars().all()
        items = s.execute(select(DigestItem)).scalars().all()
        held = s.execute(select(Delivery).where(Delivery.last_error == "digest")).scalars().all()
    digests = {pid: [m for m in inbox if m.person_id == pid and m.category == "digest"] for pid in (1, 2, 3)}
    assert [m.subject for m in digests[1]] == ["今日通知摘要（2 条）"] * 7  # Tuesday … Monday
    assert [m.subject for m in digests[2]] == ["本周通知摘要（7 条）"]  # Monday, the whole week
    assert digests[3] == [] and len([m for m in inbox if m.person_id == 3]) == 14  # delivered one by one
    assert [m.category for m in inbox if m.person_id == 2 and m.category != "digest"] == []
    assert "https://x.example/g6" in digests[2][0].body and "https://x.example/g0" in digests[2][0].body
    assert len(items) == 7 * 2 + 7 and all(i.digest_id is not None for i in items)  # each listed once
    assert {i.digest_id for i in items if i.person_id == 2} == {digests[2][0].notification_id}
    assert len(held) == (14 + 7) * 2  # inbox and email of each held notification: skipped as "digest"
    assert results[0] == {"sent": 0, "held_over": 0}
    # 7 daily + 1 weekly: the killed run had committed person 1's Monday digest, its rerun sent person 2's
    assert sum(r["sent"] for r in results) == 7 and results[-2] == {"sent": 1, "held_over": 0}
