"""The periodic backstop (``notify.sweep``): whatever a lost message or a killed worker left behind.

- a notification still ``queued`` after a while gets its resolve task again;
- rows claimed (``sending``) longer than the lease were interrupted mid-send with an unknown
  outcome: they are failed, never resent (no double email);
- rows whose backoff has expired are dispatched again, and robot summaries whose wait is over;
- a ``sending`` notification without progress for a while is resumed: people without ledger rows
  (their chunk's message died with a worker) are chunked and dispatched again;
- whatever is complete is marked done.
Every step is idempotent; two sweepers at once only duplicate harmless messages.
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from services.notify.delivery import ledger, robots
from services.notify.notifications import progress, recipients
from services.notify.notifications.commands import DeliverChunk, DeliverRobots, ResolveNotification
from services.notify.notifications.models import Notification
from shared.context import Context
from shared.db import for_update

QUEUED_AFTER = timedelta(minutes=1)
STALE_AFTER = timedelta(minutes=5)
LEASE = timedelta(minutes=15)
INTERRUPTED = "interrupted: outcome unknown, not resent"


def requeue_queued(ctx: Context, after: timedelta = QUEUED_AFTER) -> int:
    ids = ctx.session.execute(select(Notification.id).where(
        Notification.state == "queued", Notification.updated_at < ctx.now() - after)).scalars().all()
    for notification_id in ids:
        ctx.publish(ResolveNotification(notification_id))
    return len(ids)


def fail_interrupted(ctx: Context, lease: timedelta = LEASE) -> int:
    return (ledger.fail_interrupted(ctx.session, ctx.now(), lease, INTERRUPTED)
            + robots.fail_interrupted(ctx.session, ctx.now(), lease, INTERRUPTED))


def dispatch_robots(ctx: Context) -> int:
    """Robot summaries whose wait (backoff, the robot's rate, quiet hours) is over."""
    due = robots.take_due(ctx.session, ctx.now())
    for notification_id in due:
        ctx.publish(DeliverRobots(notification_id))
    return len(due)


def dispatch_retries(ctx: Context) -> int:
    due = ledger.take_due_retries(ctx.session, ctx.now())
    by_notification: dict[int, set[int]] = {}
    for notification_id, person_id in due:
        by_notification.setdefault(notification_id, set()).add(person_id)
    for notification_id, people in by_notification.items():
        for batch in recipients.chunks(sorted(people), ctx.settings.notify_chunk_size):
            ctx.publish(DeliverChunk(notification_id, batch))
    return len(due)


def resume(ctx: Context, notification: Notification) -> int:
    """Dispatch again the people of ``notification`` who have no ledger rows yet, and recount it.

    The caller holds the notification's row lock (:func:`resume_stale`): a chunk commits its ledger rows
    together with an update of that row, so while the lock is held the rows read here stay as they are,
    and a chunk in flight commits after this sweep, adding its rows to the recount."""
    session = ctx.session
    people = recipients.resolve(session, notification.recipients, notification.id)
    done = ledger.people_with_rows(session, notification.id)
    rows = ledger.count(session, notification.id)
    missing = [p for p in people if p not in done]
    notification.processed = rows
    notification.total = rows + len(missing) * len(notification.channels)
    notification.recipient_count = len(done) + len(missing)
    notification.updated_at = ctx.now()
    for batch in recipients.chunks(missing, ctx.settings.notify_chunk_size):
        ctx.publish(DeliverChunk(notification.id, batch))
    return len(missing)


def resume_stale(ctx: Context, after: timedelta = STALE_AFTER) -> int:
    """Resume every ``sending`` notification without progress for ``after``, each locked until the commit
    (``FOR UPDATE`` on PostgreSQL, in id order; SQLite's writing transaction already excludes the chunks)."""
    stale = select(Notification).where(Notification.state == "sending", Notification.updated_at < ctx.now() - after)
    locked = ctx.session.execute(for_update(stale.order_by(Notification.id), ctx.session)).scalars().all()
    return sum(resume(ctx, n) for n in locked)


def finish_complete(ctx: Context) -> int:
    ids = ctx.session.execute(select(Notification.id).where(Notification.state == "sending")).scalars().all()
    return sum(progress.finish(ctx.session, i, ctx.now()) for i in ids)


def sweep(ctx: Context, stale_after: timedelta = STALE_AFTER, lease: timedelta = LEASE) -> dict[str, int]:
    return {
        "requeued": requeue_queued(ctx),
        "interrupted": fail_interrupted(ctx, lease),
        "retried": dispatch_retries(ctx),
        "robots": dispatch_robots(ctx),
        "resumed": resume_stale(ctx, stale_after),
        "finished": finish_complete(ctx),
    }
