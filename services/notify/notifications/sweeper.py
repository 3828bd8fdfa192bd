"""The periodic backstop (``notify.sweep``): whatever a lost message or a killed worker left behind.

- a notification still ``queued`` after a while gets its resolve task again;
- rows claimed (``sending``) longer than the lease were interrupted mid-send with an unknown
  outcome: they are failed, never resent (no double email);
- rows whose backoff has expired are dispatched again;
- a ``sending`` notification without progress for a while is resumed: people without ledger rows
  (their chunk's message died with a worker) are chunked and dispatched again;
- whatever is complete is marked done.
Every step is idempotent; two sweepers at once only duplicate harmless messages.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from services.notify import delivery, recipients
from services.notify.commands import DeliverChunk, ResolveNotification
from services.notify.domain.states import DELIVERY, sources, target
from services.notify.models import Delivery, Notification
from services.notify.sending import CHUNK_SIZE, Publish

QUEUED_AFTER = timedelta(minutes=1)
STALE_AFTER = timedelta(minutes=5)
LEASE = timedelta(minutes=15)
INTERRUPTED = "interrupted: outcome unknown, not resent"


def requeue_queued(session: Session, publish: Publish, now: datetime, after: timedelta = QUEUED_AFTER) -> int:
    ids = session.execute(select(Notification.id).where(
        Notification.state == "queued", Notification.updated_at < now - after)).scalars().all()
    for notification_id in ids:
        publish(session, ResolveNotification(notification_id))
    return len(ids)


def fail_interrupted(session: Session, now: datetime, lease: timedelta = LEASE) -> int:
    d = Delivery.__table__
    result = session.execute(
        update(d).where(d.c.state.in_(sources(DELIVERY, "fail")), d.c.updated_at < now - lease)
        .values(state=target(DELIVERY, "fail"), last_error=INTERRUPTED, updated_at=now))
    return result.rowcount


def dispatch_retries(session: Session, publish: Publish, now: datetime) -> int:
    d = Delivery.__table__
    due = session.execute(select(d.c.id, d.c.notification_id, d.c.person_id).where(
        d.c.state == "pending", d.c.next_attempt_at.is_not(None), d.c.next_attempt_at <= now)).all()
    by_notification: dict[int, set[int]] = {}
    for row in due:
        by_notification.setdefault(row.notification_id, set()).add(row.person_id)
    for notification_id, people in by_notification.items():
        for batch in recipients.chunks(sorted(people), CHUNK_SIZE):
            publish(session, DeliverChunk(notification_id, batch))
    if due:  # dispatched: due now for whichever run claims them; not dispatched again by the next sweep
        session.execute(update(d).where(d.c.id.in_([r.id for r in due])).values(next_attempt_at=None))
    return len(due)


def resume(session: Session, publish: Publish, notification: Notification, now: datetime) -> int:
    """Dispatch again the people of ``notification`` who have no ledger rows yet."""
    people = recipients.resolve(session, notification.recipients, notification.id)
    done = set(session.execute(select(Delivery.person_id).distinct()
                               .where(Delivery.notification_id == notification.id)).scalars())
    rows = session.execute(select(func.count()).where(Delivery.notification_id == notification.id)).scalar_one()
    missing = [p for p in people if p not in done]
    notification.processed = rows
    notification.total = rows + len(missing) * len(notification.channels)
    notification.recipient_count = len(done) + len(missing)
    notification.updated_at = now
    for batch in recipients.chunks(missing, CHUNK_SIZE):
        publish(session, DeliverChunk(notification.id, batch))
    return len(missing)


def resume_stale(session: Session, publish: Publish, now: datetime, after: timedelta = STALE_AFTER) -> int:
    stale = session.execute(select(Notification).where(
        Notification.state == "sending", Notification.updated_at < now - after)).scalars().all()
    return sum(resume(session, publish, n, now) for n in stale)


def finish_complete(session: Session, now: datetime) -> int:
    ids = session.execute(select(Notification.id).where(Notification.state == "sending")).scalars().all()
    return sum(delivery.finish(session, i, now) for i in ids)


def sweep(session: Session, publish: Publish, now: datetime, stale_after: timedelta = STALE_AFTER,
          lease: timedelta = LEASE) -> dict[str, int]:
    return {
        "requeued": requeue_queued(session, publish, now),
        "interrupted": fail_interrupted(session, now, lease),
        "retried": dispatch_retries(session, publish, now),
        "resumed": resume_stale(session, publish, now, stale_after),
        "finished": finish_complete(session, now),
    }
