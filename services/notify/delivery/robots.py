"""Robots (企业微信 and 钉钉 group chats): one summary per notification × robot endpoint, not one message
per person, moved through the delivery lifecycle like the person ledger.

A chunk writes the rows of the robots reaching its people (``ON CONFLICT DO NOTHING``: the first chunk
to reach a robot writes its row) and claims what is due.  Claims respect each robot's rate
(``domain.rate``, counted from ``sent_at`` in the database, so every worker process sees the same
window; the endpoint row is locked while claiming): what does not fit waits for the next free slot.
Failures retry with the webhooks' backoff (``domain.outcomes``); the sweeper dispatches due rows.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, literal, null, or_, select, update
from sqlalchemy.orm import Session

from services.notify.db import insert_ignore
from services.notify.delivery.channels.interface import Target
from services.notify.delivery.channels.webhook import WebhookSender
from services.notify.delivery.domain.lifecycle import DELIVERY
from services.notify.delivery.domain.outcomes import Outcome, backoff_seconds
from services.notify.delivery.domain.rate import ROBOT_LIMIT, ROBOT_WINDOW, free_slots, next_slot
from services.notify.delivery.models import RobotDelivery, WebhookEndpoint
from shared.db import for_update

r = RobotDelivery.__table__


@dataclass(frozen=True)
class RobotSend:
    """A claimed robot row and where it goes."""

    delivery_id: int
    attempts: int
    endpoint_id: int
    target: Target


def reaching(endpoints: Iterable[WebhookEndpoint], lineages: Iterable[Iterable[int]], category: str
             ) -> list[WebhookEndpoint]:
    """The robots a notification reaches through these people: group-wide ones, and those of an org on any
    person's lineage, for the category."""
    orgs = {o for lineage in lineages for o in lineage}
    return [e for e in endpoints if e.robot and (e.org_id is None or e.org_id in orgs)
            and (not e.categories or category in e.categories)]


def write(session: Session, notification_id: int, endpoints: Sequence[WebhookEndpoint], now: datetime) -> int:
    """A pending row per robot not yet reached by this notification; how many were new."""
    rows = [{"notification_id": notification_id, "endpoint_id": e.id, "org_id": e.org_id,
             "state": DELIVERY.transition("new", "enqueue"), "attempts": 0, "last_error": None,
             "next_attempt_at": None, "sent_at": None, "updated_at": now} for e in endpoints]
    return len(insert_ignore(session, r, rows, returning=("id",)))


def _due(notification_id: int, now: datetime):
    return (r.c.notification_id == notification_id, r.c.state.in_(DELIVERY.sources("claim")),
            or_(r.c.next_attempt_at.is_(None), r.c.next_attempt_at <= now))


def claim(session: Session, notification_id: int, now: datetime, hold_until: datetime | None = None,
          limit: int = ROBOT_LIMIT, window: timedelta = ROBOT_WINDOW) -> list[RobotSend]:
    """``pending → sending`` for the notification's due robot rows that fit their robot's rate; the others
    wait (``next_attempt_at``) for the robot's next free slot, or for ``hold_until`` (quiet hours)."""
    due = session.execute(select(r.c.id, r.c.endpoint_id).where(*_due(notification_id, now))
                          .order_by(r.c.endpoint_id)).all()
    if not due:
        return []
    if hold_until is not None:
        session.execute(update(r).where(r.c.id.in_([d.id for d in due]))
                        .values(next_attempt_at=hold_until, updated_at=now))
        return []
    endpoint_ids = sorted({d.endpoint_id for d in due})
    endpoints = {e.id: e for e in session.execute(for_update(
        select(WebhookEndpoint).where(WebhookEndpoint.id.in_(endpoint_ids)).order_by(WebhookEndpoint.id),
        session)).scalars()}
    recent = _recent(session, endpoint_ids, now - window)
    take, wait = [], []
    for endpoint_id in endpoint_ids:
        mine = [d.id for d in due if d.endpoint_id == endpoint_id]
        if endpoint_id not in endpoints:  # removed since: nothing to send to
            session.execute(update(r).where(r.c.id.in_(mine)).values(
                state=DELIVERY.target("skip"), last_error="endpoint_removed", updated_at=now))
            continue
        slots = free_slots(recent[endpoint_id], now, limit, window)
        take += mine[:slots]
        if mine[slots:]:
            later = next_slot(recent[endpoint_id] + [now] * slots, now, limit, window)
            wait.append((mine[slots:], later))
    for ids, later in wait:
        session.execute(update(r).where(r.c.id.in_(ids)).values(next_attempt_at=later, updated_at=now))
    if not take:
        return []
    claimed = session.execute(update(r).where(r.c.id.in_(take), r.c.state.in_(DELIVERY.sources("claim")))
                              .values(state=DELIVERY.target("claim"), attempts=r.c.attempts + 1, sent_at=now,
                                      next_attempt_at=None, updated_at=now)
                              .returning(r.c.id, r.c.endpoint_id, r.c.attempts)).all()
    return [RobotSend(c.id, c.attempts, c.endpoint_id, Target(endpoints[c.endpoint_id].url,
                                                              endpoints[c.endpoint_id].secret,
                                                              endpoints[c.endpoint_id].format))
            for c in sorted(claimed, key=lambda c: c.id)]


def _recent(session: Session, endpoint_ids: list[int], since: datetime) -> dict[int, list[datetime]]:
    found: dict[int, list[datetime]] = defaultdict(list)
    for endpoint_id, sent_at in session.execute(select(r.c.endpoint_id, r.c.sent_at).where(
            r.c.endpoint_id.in_(endpoint_ids), r.c.sent_at > since)):
        found[endpoint_id].append(_aware(sent_at, since))
    return found


def _aware(value: datetime, like: datetime) -> datetime:
    """SQLite hands back naive datetimes; compare them in ``like``'s zone (UTC)."""
    return value.replace(tzinfo=like.tzinfo) if value.tzinfo is None and like.tzinfo is not None else value


def summary(notification: Any) -> dict[str, Any]:
    """The event a robot shows: the notification's common text and link (no personal parts)."""
    return {"type": f"notification.{notification.category}", "timestamp": notification.created_at.isoformat(),
            "data": {"notification_id": notification.id, "category": notification.category,
                     "subject": notification.subject, "body": notification.body, "link": notification.link,
                     "recipients": notification.recipient_count or None}}


def message_id(notification_id: int, endpoint_id: int) -> str:
    return f"msg_n{notification_id}_r{endpoint_id}"


def send(sender: WebhookSender, sends: Sequence[RobotSend], event: dict[str, Any]) -> list[Outcome]:
    """Step 2, outside any transaction: one request per claimed robot row."""
    return [sender.send(s.target, message_id(event["data"]["notification_id"], s.endpoint_id), event)
            for s in sends]


def record(session: Session, sends: Sequence[RobotSend], outcomes: Sequence[Outcome], now: datetime) -> None:
    """Each claimed row's outcome: sent, pending again with backoff, or failed (only rows still sending)."""
    sending_now = r.c.state.in_(DELIVERY.sources("confirm"))
    for s, o in zip(sends, outcomes, strict=True):
        if o.ok:
            values: dict[str, Any] = {"state": DELIVERY.target("confirm"), "last_error": None}
        elif (wait := None if o.permanent else backoff_seconds(s.attempts)) is not None:
            values = {"state": DELIVERY.target("retry"), "next_attempt_at": now + timedelta(seconds=wait),
                      "last_error": o.error}
        else:
            values = {"state": DELIVERY.target("fail"), "next_attempt_at": None, "last_error": o.error}
        session.execute(update(r).where(r.c.id == s.delivery_id, sending_now).values(updated_at=now, **values))


def fail_interrupted(session: Session, now: datetime, lease: timedelta, error: str) -> int:
    """Rows claimed longer than ``lease`` ago: interrupted with an unknown outcome, not resent."""
    return session.execute(update(r).where(r.c.state.in_(DELIVERY.sources("fail")), r.c.updated_at < now - lease)
                           .values(state=DELIVERY.target("fail"), last_error=error, updated_at=now)).rowcount


def take_due(session: Session, now: datetime) -> list[int]:
    """The notifications with robot rows waiting whose time has come, those rows marked taken."""
    due = session.execute(select(r.c.id, r.c.notification_id).where(
        r.c.state.in_(DELIVERY.sources("claim")), r.c.next_attempt_at.is_not(None),
        r.c.next_attempt_at <= now)).all()
    if due:
        session.execute(update(r).where(r.c.id.in_([d.id for d in due])).values(next_attempt_at=None))
    return sorted({d.notification_id for d in due})


def tally(session: Session, notification_id: int) -> list:
    """``(state, rows)`` of the notification's robot rows."""
    return session.execute(select(r.c.state, func.count()).where(r.c.notification_id == notification_id)
                           .group_by(r.c.state)).all()


def tallies(session: Session, notification_ids: list[int]) -> dict[int, list]:
    """``{notification_id: [(state, rows)]}`` of these notifications' robot rows."""
    found: dict[int, list] = {i: [] for i in notification_ids}
    if notification_ids:
        for nid, state, n in session.execute(select(r.c.notification_id, r.c.state, func.count())
                                             .where(r.c.notification_id.in_(notification_ids))
                                             .group_by(r.c.notification_id, r.c.state)):
            found[nid].append((state, n))
    return found


def rows(notification_id: int, states: Sequence[str] | None, org_ids: Sequence[int] | None = None):
    """The notification's robot rows as report lines (channel ``webhook``, no person, the endpoint)."""
    stmt = select(literal(1).label("kind"), null().label("person_id"), r.c.endpoint_id,
                  literal("webhook").label("channel"), r.c.state, r.c.last_error.label("error"), r.c.attempts,
                  r.c.updated_at.label("at")).where(r.c.notification_id == notification_id)
    if states is not None:
        stmt = stmt.where(r.c.state.in_(states))
    if org_ids is not None:
        stmt = stmt.where(r.c.org_id.in_(org_ids))
    return stmt
