"""The delivery report: the notifications a caller may follow, with counts by channel and state, and who
did not get one and why (``GET /api/v1/notifications``, ``…/{id}/deliveries``).

Admins and system callers see every notification and every row.  An org admin sees those they sent and
those that reach their subtree (sent to an org in it, or with a ledger row for one of its people), and
of the rows only their subtree's people and robots, unless they sent it.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import or_, select, union_all
from sqlalchemy.orm import Session

from services.notify.delivery import ledger, robots
from services.notify.directory.access import tag
from services.notify.directory.lookups import org_path, subtree_org_ids
from services.notify.directory.models import directory
from services.notify.notifications.models import Notification
from services.notify.notifications.status import counts_from, get
from shared.auth import Principal
from shared.errors import Forbidden
from shared.pagination import paginate

# the report's states (the query's vocabulary) and the ledger states each stands for
REPORT_STATES = {"delivered": ("sent",), "failed": ("failed",), "skipped": ("skipped",),
                 "pending": ("pending", "sending")}
SHOWN_STATE = {ledger_state: shown for shown, states in REPORT_STATES.items() for ledger_state in states}


def _everything(principal: Principal) -> bool:
    return principal.is_admin or principal.is_system


def _subtree_people(session: Session, principal: Principal):
    path = org_path(session, principal.org) if principal.org is not None else None
    p = directory.people
    return select(p.c.id).where(p.c.org_path.startswith(path) if path else p.c.id.is_(None))


def _visible(session: Session, principal: Principal):
    """The condition on notifications an org admin may follow."""
    orgs = subtree_org_ids(session, principal.org) if principal.org is not None else []
    n = Notification
    return or_(n.created_by == tag(principal), n.recipients["org_id"].as_integer().in_(orgs),
               ledger.reached(n.id, _subtree_people(session, principal)))


def listing(session: Session, principal: Principal, *, category: str | None, state: str | None,
            created_after: datetime | None, page: int, page_size: int) -> dict:
    """One page, newest first, each with its counts by channel and state."""
    stmt = select(Notification).order_by(Notification.id.desc())
    if category:
        stmt = stmt.where(Notification.category == category)
    if state:
        stmt = stmt.where(Notification.state == state)
    if created_after is not None:
        stmt = stmt.where(Notification.created_at > created_after)
    if not _everything(principal):
        stmt = stmt.where(_visible(session, principal))
    result = paginate(session, stmt, page, page_size)
    ids = [n.id for n in result["items"]]
    people, robot = ledger.tallies(session, ids), robots.tallies(session, ids)
    result["items"] = [counts_from(n, people[n.id], robot[n.id]) for n in result["items"]]
    return result


def deliveries(session: Session, principal: Principal, notification_id: int, *, state: str | None,
               channel: str | None, page: int, page_size: int) -> dict:
    """The notification's deliveries (robots' summaries after the people's), of a state and channel."""
    notification = get(session, notification_id)
    scoped = not _everything(principal) and notification.created_by != tag(principal)
    if scoped and not session.execute(select(Notification.id).where(
            Notification.id == notification_id, _visible(session, principal))).first():
        raise Forbidden()
    states = REPORT_STATES[state] if state else None
    people = _subtree_people(session, principal) if scoped else None
    parts = [ledger.rows(notification_id, states, channel, people)]
    if channel in (None, "webhook"):
        orgs = subtree_org_ids(session, principal.org) if scoped and principal.org is not None else None
        parts.append(robots.rows(notification_id, states, [] if scoped and orgs is None else orgs))
    lines = union_all(*parts).subquery()
    stmt = select(lines).order_by(lines.c.kind, lines.c.person_id, lines.c.endpoint_id, lines.c.channel)
    result = paginate(session, stmt, page, page_size, scalars=False)
    result["items"] = [{**row, "state": SHOWN_STATE.get(row["state"], row["state"])} for row in result["items"]]
    return result
