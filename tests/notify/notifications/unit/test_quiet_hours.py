"""Quiet hours in the fan-out, on a fake clock: email and robot deliveries at night wait for 07:00, the
inbox is immediate, a person's own quiet hours (or none) count, urgent categories go through."""

import dataclasses
from contextlib import contextmanager
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import select

from services.notify.delivery.channels import Channels
from services.notify.delivery.channels.email import EmailChannel
from services.notify.delivery.channels.webhook import WebhookChannel
from services.notify.delivery.domain.outcomes import SENT, temporary
from services.notify.models import CategorySetting, Delivery, Preference, RobotDelivery, WebhookEndpoint
from services.notify.notifications import fanout, sweeper
from services.notify.notifications.commands import DeliverChunk, DeliverRobots
from shared.context import Context

from ...factories import NotificationFactory
from ...support import load_directory, person

SHANGHAI = ZoneInfo("Asia/Shanghai")
LATE = datetime(2026, 12, 1, 23, 0, tzinfo=SHANGHAI).astimezone(UTC)
MORNING = datetime(2026, 12, 2, 7, 0, tzinfo=SHANGHAI).astimezone(UTC)
AFTER = datetime(2026, 12, 2, 7, 1, tzinfo=SHANGHAI).astimezone(UTC)


class Recorder:
    """A mailer and a webhook sender: every send succeeds and is remembered."""

    def __init__(self) -> None:
        self.sent = []

    def send_batch(self, emails):
        self.sent += [e.to for e in emails]
        return [SENT for _ in emails]

    def send(self, target, msg_id, payload):
        self.sent.append(msg_id)
        return SENT


def _world(notify, settings, published, at):
    @contextmanager
    def unit_of_work(read_only=False):
        with notify.db.session() as s:
            yield Context(s, notify.runtime.settings, published.append, clock=lambda: at[0])

    notify.start(dataclasses.replace(settings, notify_quiet_hours="22:00-07:00"), sender=None)
    return unit_of_work


def test_night_deliveries_wait_for_the_morning_and_urgent_ones_do_not(notify, settings):
    load_directory(notify, [person(1), person(2)])
    published, at = [], [LATE]
    unit_of_work = _world(notify, settings, published, at)
    with notify.db.session() as s:
        s.add(Preference(person_id=2, muted_categories=[], channels=["inbox", "email", "webhook"],
                         quiet_hours={"start": "00:00", "end": "00:00"}, digest="off", digest_categories=[],
                         updated_at=LATE))  # person 2 switched quiet hours off
        s.add(CategorySetting(category="pledge_due", mandatory=True, urgent=True, updated_at=LATE))
        s.add(WebhookEndpoint(url="https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=K", secret="", format="wecom",
                              org_id=None, description="", categories=[], created_at=LATE))
        NotificationFactory._meta.sqlalchemy_session = s
        night = NotificationFactory(state="sending", channels=["inbox", "email", "webhook"]).id
        urgent = NotificationFactory(state="sending", category="pledge_due", channels=["email", "webhook"]).id
    out = Recorder()
    channels = Channels(email=EmailChannel(out), webhook=WebhookChannel(out), robots=out)

    fanout.deliver(unit_of_work, night, [1, 2], channels)
    assert out.sent == ["p2@hzsteel.example"]  # person 1 sleeps; the chat robot too
    with notify.db.session() as s:
        rows = {(r.person_id, r.channel): r for r in s.execute(select(Delivery).where(
            Delivery.notification_id == night)).scalars()}
        robot = s.execute(select(RobotDelivery)).scalar_one()
    assert (rows[1, "inbox"].state, rows[2, "inbox"].state) == ("sent", "sent")  # the inbox is immediate
    assert (rows[1, "email"].state, rows[1, "email"].next_attempt_at) == ("pending", MORNING)
    assert (robot.state, robot.next_attempt_at) == ("pending", MORNING)

    fanout.deliver(unit_of_work, urgent, [1], channels)
    assert sorted(out.sent[1:]) == [f"msg_n{urgent}_r1", "p1@hzsteel.example"]  # urgent: through quiet hours

    at[0] = MORNING.replace(hour=MORNING.hour - 1)  # 06:00: still night, nothing due
    with unit_of_work() as ctx:
        assert sweeper.sweep(ctx)["retried"] == 0
    at[0] = AFTER
    with unit_of_work() as ctx:
        swept = sweeper.sweep(ctx)
    assert (swept["retried"], swept["robots"]) == (1, 1)
    assert published == [DeliverChunk(night, [1]), DeliverRobots(night)]
    fanout.deliver(unit_of_work, night, [1], channels)  # the robot's row is due too: this run sends it
    assert fanout.deliver_robots(unit_of_work, night, channels) == 0
    assert sorted(out.sent[3:]) == [f"msg_n{night}_r1", "p1@hzsteel.example"]  # in the morning, once each
    with notify.db.session() as s:
        assert {r.state for r in s.execute(select(Delivery)).scalars() if r.channel == "email"} == {"sent"}
        assert {r.state for r in s.execute(select(RobotDelivery)).scalars()} == {"sent"}


def test_a_retry_that_would_fall_in_quiet_hours_waits_for_their_end(notify, settings):
    load_directory(notify, [person(1)])
    published, at = [], [datetime(2026, 12, 1, 21, 59, 45, tzinfo=SHANGHAI).astimezone(UTC)]
    unit_of_work = _world(notify, settings, published, at)
    with notify.db.session() as s:
        NotificationFactory._meta.sqlalchemy_session = s
        nid = NotificationFactory(state="sending", channels=["email"]).id

    class Busy(Recorder):
        def send_batch(self, emails):
            return [temporary("smtp 451: try later") for _ in emails]

    channels = Channels(email=EmailChannel(Busy()), webhook=WebhookChannel(Recorder()), robots=None)
    fanout.deliver(unit_of_work, nid, [1], channels)  # sent at 21:59:45, failed: the retry would be at 22:00:15
    with notify.db.session() as s:
        row = s.execute(select(Delivery)).scalar_one()
    assert (row.state, row.attempts, row.next_attempt_at) == ("pending", 1, MORNING)
