"""Use cases of a notification before delivery: accept it (idempotent by key), resolve it into chunks,
and report on it.  Delivery itself is in :mod:`services.notify.delivery`.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from services.notify import recipients
from services.notify.commands import DeliverChunk, ResolveNotification
from services.notify.domain.states import NOTIFICATION, transition
from services.notify.models import Delivery, Notification, NotificationItem
from services.notify.sql import insert_ignore
from shared.errors import NotFound
from shared.messages import Message, SendNotification

CHUNK_SIZE = 1000  # people per delivery task

Publish = Callable[[Session, Message], object]


def recipient_spec(msg: SendNotification) -> dict:
    r = msg.recipients
    return {"person_ids": sorted(set(r.person_ids)), "org_id": r.org_id, "subtree": r.subtree,
            "party_members_only": r.party_members_only}


def create(session: Session, publish: Publish, msg: SendNotification, now: datetime,
           created_by: str | None = None) -> tuple[Notification, bool]:
    """The notification for ``msg.key`` (created once, however often sent) and whether it is new."""
    spec = recipient_spec(msg)
    row = {"key": msg.key, "category": msg.category, "subject": msg.subject, "body": msg.body or "",
           "link": msg.link, "recipients": spec, "channels": list(dict.fromkeys(msg.channels)),
           "source": msg.source, "state": "queued", "total": 0, "recipient_count": 0, "processed": 0,
           "created_by": created_by, "created_at": now, "updated_at": now}
    new = insert_ignore(session, Notification.__table__, [row], returning=("id",))
    notification = session.execute(select(Notification).where(Notification.key == msg.key)).scalar_one()
    if not new:
        return notification, False
    items = {i.person_id: i for i in msg.items}
    insert_ignore(session, NotificationItem.__table__, [
        {"notification_id": notification.id, "person_id": i.person_id, "subject": i.subject, "body": i.body,
         "link": i.link} for i in items.values()])
    count = recipients.estimate(session, spec, items)
    notification.recipient_count, notification.total = count, count * len(notification.channels)
    publish(session, ResolveNotification(notification.id))
    return notification, True


def resolve(session: Session, publish: Publish, notification_id: int, now: datetime,
            chunk_size: int = CHUNK_SIZE) -> int:
    """Fix the recipients and queue one delivery task per chunk; a second run does nothing."""
    notification = session.get(Notification, notification_id, with_for_update=True)
    if notification is None or notification.state != "queued":
        return 0
    people = recipients.resolve(session, notification.recipients, notification.id)
    notification.recipient_count = len(people)
    notification.total = len(people) * len(notification.channels)
    notification.state = transition(NOTIFICATION, notification.state, "resolve" if people else "finish")
    notification.updated_at = now
    if not people:
        notification.finished_at = now
    batches = recipients.chunks(people, chunk_size)
    for batch in batches:
        publish(session, DeliverChunk(notification.id, batch))
    return len(batches)


def get(session: Session, notification_id: int) -> Notification:
    notification = session.get(Notification, notification_id)
    if notification is None:
        raise NotFound()
    return notification


def counts(session: Session, notification: Notification) -> dict:
    """``{state, total, delivered, failed, skipped, pending, by_channel}`` from the ledger."""
    rows = session.execute(
        select(Delivery.channel, Delivery.state, func.count())
        .where(Delivery.notification_id == notification.id).group_by(Delivery.channel, Delivery.state)
    ).all()
    by_channel: dict[str, dict[str, int]] = {
        c: {"sent": 0, "failed": 0, "skipped": 0, "pending": 0} for c in notification.channels}
    for channel, state, n in rows:
        key = state if state in ("sent", "failed", "skipped") else "pending"
        by_channel.setdefault(channel, {"sent": 0, "failed": 0, "skipped": 0, "pending": 0})[key] += n
    for channel, c in by_channel.items():
        c["pending"] = max(notification.recipient_count - c["sent"] - c["failed"] - c["skipped"], 0) \
            if channel in notification.channels else c["pending"]
    total = {k: sum(c[k] for c in by_channel.values()) for k in ("sent", "failed", "skipped", "pending")}
    return {"id": notification.id, "key": notification.key, "category": notification.category,
            "subject": notification.subject, "state": notification.state, "channels": notification.channels,
            "recipients": notification.recipient_count, "total": notification.total,
            "delivered": total["sent"], "failed": total["failed"], "skipped": total["skipped"],
            "pending": total["pending"], "by_channel": by_channel,
            "created_at": notification.created_at, "finished_at": notification.finished_at}


def failures(session: Session, notification_id: int):
    return (select(Delivery).where(Delivery.notification_id == notification_id, Delivery.state == "failed")
            .order_by(Delivery.person_id, Delivery.channel))


def touch(session: Session, notification_id: int, processed: int, now: datetime) -> None:
    session.execute(update(Notification).where(Notification.id == notification_id)
                    .values(processed=Notification.processed + processed, updated_at=now))
