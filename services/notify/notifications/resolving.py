"""Resolving a queued notification: fix its recipients and queue one delivery task per chunk of people."""

from __future__ import annotations

from sqlalchemy import select

from services.notify.notifications import recipients
from services.notify.notifications.commands import DeliverChunk
from services.notify.notifications.domain.lifecycle import NOTIFICATION
from services.notify.notifications.models import Notification
from shared.context import Context
from shared.db import for_update


def resolve(ctx: Context, notification_id: int, chunk_size: int | None = None) -> int:
    """The number of chunks queued (of ``chunk_size`` people, by default ``XIANFENG_NOTIFY_CHUNK_SIZE``);
    a second run (the message delivered twice) queues none."""
    session, now = ctx.session, ctx.now()
    notification = session.execute(
        for_update(select(Notification).where(Notification.id == notification_id), session)).scalar_one_or_none()
    if notification is None or notification.state != "queued":
        return 0
    people = recipients.resolve(session, notification.recipients, notification.id)
    notification.recipient_count = len(people)
    notification.total = len(people) * len(notification.channels)
    notification.state = NOTIFICATION.transition(notification.state, "resolve" if people else "finish")
    notification.updated_at = now
    if not people:
        notification.finished_at = now
    batches = recipients.chunks(people, chunk_size or ctx.settings.notify_chunk_size)
    for batch in batches:
        ctx.publish(DeliverChunk(notification.id, batch))
    return len(batches)
