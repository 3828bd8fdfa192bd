"""Following a notification: its state and delivery counts from the ledger, and its failures.

Who may read it: admins and system callers, whoever created it, and the admins of the org it went to.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from services.notify.delivery import ledger, robots
from services.notify.directory.access import tag
from services.notify.directory.lookups import org_lineage
from services.notify.notifications.models import Notification
from shared.auth import Principal, require_org
from shared.errors import Forbidden, NotFound
from shared.pagination import paginate
from shared.privacy import redact_text

SETTLED = ("sent", "failed", "skipped")
DELIVERY_FIELDS = ("person_id", "channel", "state", "attempts", "last_error", "updated_at")


def get(session: Session, notification_id: int) -> Notification:
    notification = session.get(Notification, notification_id)
    if notification is None:
        raise NotFound()
    return notification


def require_reader(principal: Principal, session: Session, notification: Notification) -> None:
    if principal.is_admin or principal.is_system or notification.created_by == tag(principal):
        return
    org_id = (notification.recipients or {}).get("org_id")
    if org_id is None:
        raise Forbidden()
    require_org(principal, org_lineage(session, org_id))


def status(session: Session, principal: Principal, notification_id: int) -> dict:
    notification = get(session, notification_id)
    require_reader(principal, session, notification)
    return counts(session, notification)


def failures(session: Session, principal: Principal, notification_id: int, page: int, page_size: int) -> dict:
    """Deliveries that stayed failed after their retries, one page."""
    notification = get(session, notification_id)
    require_reader(principal, session, notification)
    found = paginate(session, ledger.failures(notification_id), page, page_size)
    if notification.private:  # a channel's error could quote what it was sending
        found["items"] = [{**{k: getattr(d, k) for k in DELIVERY_FIELDS}, "last_error": redact_text(d.last_error)}
                          for d in found["items"]]
    return found


def counts(session: Session, notification: Notification) -> dict:
    """``{state, total, delivered, failed, skipped, pending, by_channel, robots}`` from the ledgers."""
    return counts_from(notification, ledger.tally(session, notification.id),
                       robots.tally(session, notification.id))


def counts_from(notification: Notification, tally: list, robot_tally: list) -> dict:
    """The counts from the ledger's ``(channel, state, rows)`` and the robots' ``(state, rows)``."""
    by_channel: dict[str, dict[str, int]] = {c: _zero() for c in notification.channels}
    for channel, state, n in tally:
        by_channel.setdefault(channel, _zero())[state if state in SETTLED else "pending"] += n
    robot_counts = _zero()
    for state, n in robot_tally:
        robot_counts[state if state in SETTLED else "pending"] += n
    for channel, c in by_channel.items():
        if channel in notification.channels:  # pending: whoever has no settled row yet, row or not
            c["pending"] = max(notification.recipient_count - c["sent"] - c["failed"] - c["skipped"], 0)
    total = {k: sum(c[k] for c in by_channel.values()) for k in ("sent", "failed", "skipped", "pending")}
    return {"id": notification.id, "key": notification.key, "category": notification.category,
            "subject": redact_text(notification.subject) if notification.private else notification.subject,
            "state": notification.state, "channels": notification.channels,
            "recipients": notification.recipient_count, "total": notification.total,
            "delivered": total["sent"], "failed": total["failed"], "skipped": total["skipped"],
            "pending": total["pending"], "by_channel": by_channel, "robots": robot_counts,
            "created_at": notification.created_at, "finished_at": notification.finished_at}


def _zero() -> dict[str, int]:
    return {"sent": 0, "failed": 0, "skipped": 0, "pending": 0}
