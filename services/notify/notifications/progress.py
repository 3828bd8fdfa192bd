"""A sending notification's progress: chunks count their ledger rows in, the last one finishes it."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import and_, update
from sqlalchemy.orm import Session

from services.notify.delivery import ledger
from services.notify.notifications.domain.lifecycle import NOTIFICATION
from services.notify.notifications.models import Notification


def touch(session: Session, notification_id: int, processed: int, now: datetime) -> None:
    """Count ``processed`` more ledger rows.  Locks the notification's row until the commit, which
    serialises the chunks' last steps (and a sweep's recount) on it."""
    session.execute(update(Notification).where(Notification.id == notification_id)
                    .values(processed=Notification.processed + processed, updated_at=now))


def finish(session: Session, notification_id: int, now: datetime) -> bool:
    """``sending → done`` once every chunk has written its rows and none is pending or sending."""
    n = Notification.__table__
    result = session.execute(
        update(n).where(and_(n.c.id == notification_id, n.c.state == "sending", n.c.processed >= n.c.total,
                             ~ledger.open_rows(notification_id)))
        .values(state=NOTIFICATION.transition("sending", "finish"), finished_at=now, updated_at=now))
    return result.rowcount > 0
