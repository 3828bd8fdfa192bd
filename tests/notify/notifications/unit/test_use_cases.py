"""The notifications use cases called directly with a hand-built Context: a list for publish, a fixed clock,
fake channels behind the real interface."""

from contextlib import contextmanager
from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from services.notify.delivery.channels import Channels
from services.notify.delivery.channels.email import EmailChannel
from services.notify.delivery.channels.webhook import WebhookChannel
from services.notify.delivery.domain.outcomes import SENT, temporary
from services.notify.models import Delivery, InboxMessage, Notification
from services.notify.notifications import accepting, fanout, resolving
from services.notify.notifications.commands import DeliverChunk, ResolveNotification
from shared.context import Context
from shared.messages import Recipients

from ...factories import NotificationFactory, SendNotificationFactory
from ...support import load_directory, person

NOON = datetime(2026, 7, 1, 4, 0, tzinfo=UTC)  # 12:00 in Shanghai


class FakeMailer:
    """Answers each email with the next outcome it was given; records what it was asked to send."""

    def __init__(self, *outcomes) -> None:
        self.outcomes, self.sent = list(outcomes), []

    def send_batch(self, emails):
        self.sent += emails
        return [self.outcomes.pop(0) for _ in emails]


class NoWebhooks:
    def send(self, target, msg_id, payload):  # pragma: no cover - no endpoint is registered here
        raise AssertionError("no webhook expected")


def test_accepting_is_idempotent_by_key_and_asks_once_for_the_recipients(notify):
    published = []
    msg = SendNotificationFactory(recipients=Recipients(person_ids=[1, 2]), channels=["inbox", "email"])
    with notify.db.session() as s:
        ctx = Context(s, notify.runtime.settings, published.append, clock=lambda: NOON)
        notification, new = accepting.accept(ctx, msg)
        again, new_again = accepting.accept(ctx, msg)
    assert (new, new_again, again.id) == (True, False, notification.id)
    assert (notification.total, notification.recipient_count, notification.created_at) == (4, 2, NOON)
    assert published == [ResolveNotification(notification.id)]


def test_resolving_queues_one_delivery_per_chunk_and_a_second_run_queues_none(notify):
    published = []
    with notify.db.session() as s:
        NotificationFactory._meta.sqlalchemy_session = s
        n = NotificationFactory(recipients={"person_ids": [1, 2, 3, 4, 5], "org_id": None}, channels=["inbox"])
        ctx = Context(s, notify.runtime.settings, published.append, clock=lambda: NOON)
        assert resolving.resolve(ctx, n.id, chunk_size=2) == 3
        assert resolving.resolve(ctx, n.id, chunk_size=2) == 0
        assert (n.state, n.total, n.updated_at) == ("sending", 5, NOON)
    assert published == [DeliverChunk(n.id, [1, 2]), DeliverChunk(n.id, [3, 4]), DeliverChunk(n.id, [5])]


def test_a_chunk_writes_the_inbox_sends_each_email_once_and_backs_off_a_temporary_failure(notify):
    load_directory(notify, [person(1), person(2), person(3, email=None)])
    published = []

    @contextmanager
    def unit_of_work(read_only=False):
        with notify.db.session() as s:
            yield Context(s, notify.runtime.settings, published.append, clock=lambda: NOON)

    with notify.db.session() as s:
        NotificationFactory._meta.sqlalchemy_session = s
        nid = NotificationFactory(state="sending", channels=["inbox", "email"], subject="三测评结果已发布").id
    mailer = FakeMailer(SENT, temporary("smtp 451: try later"))
    channels = Channels(email=EmailChannel(mailer), webhook=WebhookChannel(NoWebhooks()))
    assert fanout.deliver(unit_of_work, nid, [1, 2, 3], channels) == {"inserted": 6, "claimed": 2}
    assert fanout.deliver(unit_of_work, nid, [1, 2, 3], channels) == {"inserted": 0, "claimed": 0}  # backing off
    assert [e.to for e in mailer.sent] == ["p1@hzsteel.example", "p2@hzsteel.example"]
    with notify.db.session() as s:
        rows = {(r.person_id, r.channel): r for r in s.execute(select(Delivery)).scalars()}
        inbox = s.execute(select(InboxMessage.person_id, InboxMessage.created_at)).all()
        notification = s.get(Notification, nid)
    assert {k: r.state for k, r in rows.items() if k[1] == "inbox"} == {(1, "inbox"): "sent", (2, "inbox"): "sent",
                                                                          (3, "inbox"): "sent"}
    assert sorted(inbox) == [(1, NOON), (2, NOON), (3, NOON)]
    assert (rows[1, "email"].state, rows[3, "email"].state, rows[3, "email"].last_error) == ("sent", "skipped",
                                                                                          "no_address")
    retry = rows[2, "email"]
    assert (retry.state, retry.attempts, retry.next_attempt_at) == ("pending", 1, NOON + timedelta(seconds=30))
    assert (notification.processed, notification.state) == (6, "sending")  # one email still to go
    assert published == []
