"""Delivering one chunk of a notification over its channels, exactly once per person × channel.

1. One transaction writes the chunk's ledger rows (``ON CONFLICT DO NOTHING`` on the unique
   notification × person × channel key), the inbox messages of the rows it inserted, and claims the
   pending email/webhook rows (``pending → sending``).  A rerun of the chunk inserts nothing and
   claims nothing that another run holds.
2. The claimed emails and webhooks are sent, outside any transaction.
3. A second transaction records each outcome: sent, pending again with backoff, or failed.
A worker killed during 1 loses nothing (rolled back, redelivered); killed during 2 leaves rows in
``sending`` that the sweeper fails as interrupted rather than risk sending twice.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import and_, or_, select, update
from sqlalchemy.orm import Session

from services.notify import endpoints, preferences, recipients, sending
from services.notify.channels import Channels
from services.notify.channels.email import Email
from services.notify.channels.webhook import Target
from services.notify.domain.policy import DEFAULT_PREFERENCES, Outcome, Preferences, backoff_seconds, skip_reason
from services.notify.domain.states import DELIVERY, OPEN_DELIVERY_STATES, sources, target
from services.notify.models import Delivery, InboxMessage, Notification, NotificationItem, WebhookEndpoint
from services.notify.sql import among, insert_ignore
from shared.db import Database

Clock = Callable[[], datetime]


@dataclass
class Chunk:
    """What one chunk needs to know about its people, loaded once."""

    notification: Notification
    person_ids: list[int]
    prefs: dict[int, Preferences]
    mandatory: set[str]
    items: dict[int, NotificationItem]
    contacts: dict[int, recipients.Contact]
    endpoints: list[WebhookEndpoint]

    def text(self, person_id: int) -> tuple[str, str, str | None]:
        n, item = self.notification, self.items.get(person_id)
        if item is None:
            return n.subject, n.body, n.link
        return item.subject or n.subject, item.body if item.body is not None else n.body, item.link or n.link

    def webhook_targets(self, person_id: int) -> list[WebhookEndpoint]:
        contact = self.contacts.get(person_id)
        lineage = contact.lineage if contact else ()
        return endpoints.matching(self.endpoints, lineage, self.notification.category)


def load_chunk(session: Session, notification: Notification, person_ids: list[int]) -> Chunk:
    items = session.execute(select(NotificationItem).where(
        NotificationItem.notification_id == notification.id, among(NotificationItem.person_id, person_ids))).scalars()
    wants = set(notification.channels)
    return Chunk(
        notification, person_ids, preferences.for_people(session, person_ids), preferences.mandatory(session),
        {i.person_id: i for i in items if i.person_id in set(person_ids)},
        recipients.contacts(session, person_ids) if wants & {"email", "webhook"} else {},
        list(session.execute(select(WebhookEndpoint)).scalars()) if "webhook" in wants else [],
    )


def first_state(chunk: Chunk, person_id: int, channel: str, email_enabled: bool) -> tuple[str, str | None]:
    """The ledger state a new row starts in, and the reason when skipped."""
    prefs = chunk.prefs.get(person_id, DEFAULT_PREFERENCES)
    reason = skip_reason(chunk.notification.category, channel, prefs, chunk.mandatory)
    if reason is None and channel == "email":
        contact = chunk.contacts.get(person_id)
        reason = None if email_enabled else "email_disabled"
        reason = reason or (None if contact and contact.email else "no_address")
    if reason is None and channel == "webhook" and not chunk.webhook_targets(person_id):
        reason = "no_endpoint"
    if reason is not None:
        return target(DELIVERY, "skip"), reason
    return target(DELIVERY, "deliver" if channel == "inbox" else "enqueue"), None


def ledger_rows(chunk: Chunk, email_enabled: bool, now: datetime) -> list[dict]:
    rows = []
    for person_id in chunk.person_ids:
        for channel in chunk.notification.channels:
            state, reason = first_state(chunk, person_id, channel, email_enabled)
            rows.append({"notification_id": chunk.notification.id, "person_id": person_id, "channel": channel,
                         "state": state, "attempts": 1 if state == "sent" else 0, "last_error": reason,
                         "next_attempt_at": None, "updated_at": now})
    return rows


def store_inbox(session: Session, chunk: Chunk, person_ids: list[int], now: datetime) -> None:
    rows = []
    for person_id in person_ids:
        subject, body, link = chunk.text(person_id)
        rows.append({"notification_id": chunk.notification.id, "person_id": person_id,
                     "category": chunk.notification.category, "subject": subject, "body": body, "link": link,
                     "created_at": now, "read_at": None})
    insert_ignore(session, InboxMessage.__table__, rows)


def claim(session: Session, notification_id: int, person_ids: list[int], now: datetime) -> list:
    """``pending → sending`` for the due email/webhook rows of these people; the rows this run now holds."""
    d = Delivery.__table__
    return session.execute(
        update(d).where(d.c.notification_id == notification_id, d.c.person_id.in_(person_ids),
                        d.c.state.in_(sources(DELIVERY, "claim")),
                        or_(d.c.next_attempt_at.is_(None), d.c.next_attempt_at <= now))
        .values(state=target(DELIVERY, "claim"), attempts=d.c.attempts + 1, updated_at=now)
        .returning(d.c.id, d.c.person_id, d.c.channel, d.c.attempts)
    ).all()


@dataclass
class Send:
    """One claimed delivery, ready to go out after the commit."""

    delivery_id: int
    attempts: int
    channel: str
    email: Email | None = None
    msg_id: str = ""
    payload: dict = field(default_factory=dict)
    targets: list[Target] = field(default_factory=list)


def build_send(chunk: Chunk, row, now: datetime) -> Send:
    n = chunk.notification
    subject, body, link = chunk.text(row.person_id)
    send = Send(row.id, row.attempts, row.channel)
    contact = chunk.contacts.get(row.person_id)
    if row.channel == "email" and contact and contact.email:
        text = f"{body}\n\n{link}" if link else body
        send.email = Email(contact.email, subject, text, f"<n{n.id}.p{row.person_id}@xianfeng>")
    if row.channel == "webhook":
        send.msg_id = f"msg_n{n.id}_p{row.person_id}"
        person = {"id": row.person_id, "name": contact.name if contact else None,
                  "employee_no": contact.employee_no if contact else None,
                  "org_id": contact.org_id if contact else None}
        send.payload = {"type": f"notification.{n.category}", "timestamp": now.isoformat(),
                        "data": {"notification_id": n.id, "category": n.category, "subject": subject,
                                 "body": body, "link": link, "person": person}}
        send.targets = [Target(e.url, e.secret) for e in chunk.webhook_targets(row.person_id)]
    return send


def perform(sends: list[Send], channels: Channels) -> list[Outcome]:
    """Send everything claimed; one outcome per send, in order."""
    outcomes: dict[int, Outcome] = {}
    emails = [s for s in sends if s.channel == "email" and s.email is not None]
    if emails and channels.mailer is not None:
        for s, outcome in zip(emails, channels.mailer.send_batch([s.email for s in emails]), strict=True):
            outcomes[s.delivery_id] = outcome
    for s in sends:
        if s.channel == "webhook" and s.targets:
            results = [channels.webhooks.send(t, s.msg_id, s.payload) for t in s.targets]
            outcomes[s.delivery_id] = next((r for r in results if not r.ok), results[0])
    return [outcomes.get(s.delivery_id, Outcome(ok=False, error="no_address", permanent=True)) for s in sends]


def record(session: Session, sends: list[Send], outcomes: list[Outcome], now: datetime) -> None:
    d = Delivery.__table__
    sending_now = d.c.state.in_(sources(DELIVERY, "confirm"))
    ok = [s.delivery_id for s, o in zip(sends, outcomes, strict=True) if o.ok]
    if ok:
        session.execute(update(d).where(d.c.id.in_(ok), sending_now)
                        .values(state=target(DELIVERY, "confirm"), last_error=None, updated_at=now))
    for s, o in zip(sends, outcomes, strict=True):
        if o.ok:
            continue
        wait = None if o.permanent else backoff_seconds(s.attempts)
        values = ({"state": target(DELIVERY, "retry"), "next_attempt_at": now + timedelta(seconds=wait)}
                  if wait is not None else {"state": target(DELIVERY, "fail"), "next_attempt_at": None})
        session.execute(update(d).where(d.c.id == s.delivery_id, sending_now)
                        .values(last_error=o.error, updated_at=now, **values))


def finish(session: Session, notification_id: int, now: datetime) -> bool:
    """``sending → done`` once every chunk has written its rows and none is pending or sending."""
    d, n = Delivery.__table__, Notification.__table__
    open_rows = select(d.c.id).where(d.c.notification_id == notification_id,
                                     d.c.state.in_(OPEN_DELIVERY_STATES)).exists()
    result = session.execute(
        update(n).where(and_(n.c.id == notification_id, n.c.state == "sending", n.c.processed >= n.c.total,
                             ~open_rows))
        .values(state="done", finished_at=now, updated_at=now))
    return result.rowcount > 0


def deliver(db: Database, notification_id: int, person_ids: list[int], channels: Channels, clock: Clock) -> dict:
    """Deliver one chunk (see the module doc); returns what this run did."""
    with db.session() as session:
        notification = session.get(Notification, notification_id)
        if notification is None or notification.state != "sending":
            return {"inserted": 0, "claimed": 0}
        now = clock()
        chunk = load_chunk(session, notification, person_ids)
        inserted = insert_ignore(session, Delivery.__table__, ledger_rows(chunk, channels.mailer is not None, now),
                                 returning=("person_id", "channel", "state"))
        store_inbox(session, chunk, [r.person_id for r in inserted if r.channel == "inbox" and r.state == "sent"],
                    now)
        claimed = claim(session, notification_id, person_ids, now) if set(notification.channels) - {"inbox"} else []
        sends = [build_send(chunk, row, now) for row in claimed]
        sending.touch(session, notification_id, len(inserted), now)  # locks the notification row: the
        if not sends:  # last chunk to commit sees every other chunk's rows and finishes
            finish(session, notification_id, now)
    if sends:
        outcomes = perform(sends, channels)
        with db.session() as session:
            sending.touch(session, notification_id, 0, clock())  # serialises with the other chunks
            record(session, sends, outcomes, clock())
            finish(session, notification_id, clock())
    return {"inserted": len(inserted), "claimed": len(sends)}
