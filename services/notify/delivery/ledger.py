"""The delivery ledger: one row per notification × person × channel, moved through its lifecycle in bulk.

Its unique key is what makes a rerun of a chunk harmless: a row is written once, a send is claimed
(``pending → sending``) by one run, an outcome is recorded only on a row still ``sending``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime, timedelta

from sqlalchemy import func, literal, null, or_, select, update
from sqlalchemy.orm import Session

from services.notify.db import insert_ignore
from services.notify.delivery.domain.lifecycle import DELIVERY, OPEN_DELIVERY_STATES
from services.notify.delivery.domain.outcomes import Outcome, backoff_seconds
from services.notify.delivery.models import Delivery

d = Delivery.__table__


def row(notification_id: int, person_id: int, channel: str, action: str, reason: str | None,
        now: datetime, wait_until: datetime | None = None) -> dict:
    """A new ledger row, in the state ``action`` leads to from ``new``; a pending one not claimed before
    ``wait_until`` (quiet hours: the sweeper dispatches it when they end)."""
    state = DELIVERY.transition("new", action)
    return {"notification_id": notification_id, "person_id": person_id, "channel": channel, "state": state,
            "attempts": 1 if state == "sent" else 0, "last_error": reason, "next_attempt_at": wait_until,
            "updated_at": now}


def write(session: Session, rows: list[dict]) -> list:
    """Insert the rows no earlier run wrote; ``(person_id, channel, state)`` of those inserted."""
    return insert_ignore(session, d, rows, returning=("person_id", "channel", "state"))


def claim(session: Session, notification_id: int, person_ids: list[int], now: datetime) -> list:
    """``pending → sending`` for the due rows of these people; the rows this run now holds."""
    return session.execute(
        update(d).where(d.c.notification_id == notification_id, d.c.person_id.in_(person_ids),
                        d.c.state.in_(DELIVERY.sources("claim")),
                        or_(d.c.next_attempt_at.is_(None), d.c.next_attempt_at <= now))
        .values(state=DELIVERY.target("claim"), attempts=d.c.attempts + 1, updated_at=now)
        .returning(d.c.id, d.c.person_id, d.c.channel, d.c.attempts)
    ).all()


def retry_at(outcome: Outcome, attempts: int, now: datetime) -> datetime | None:
    """When a failed send is tried again (None: never, it is failed)."""
    wait = None if outcome.ok or outcome.permanent else backoff_seconds(attempts)
    return None if wait is None else now + timedelta(seconds=wait)


def record(session: Session, claimed: Sequence[tuple[int, int]], outcomes: Sequence[Outcome],
           now: datetime, not_before: Mapping[int, datetime] | None = None) -> None:
    """Each claimed ``(delivery_id, attempts)``'s outcome: sent, pending again with backoff (and not before
    ``not_before[delivery_id]``: the end of the person's quiet hours), or failed."""
    sending_now = d.c.state.in_(DELIVERY.sources("confirm"))
    ok = [delivery_id for (delivery_id, _), o in zip(claimed, outcomes, strict=True) if o.ok]
    if ok:
        session.execute(update(d).where(d.c.id.in_(ok), sending_now)
                        .values(state=DELIVERY.target("confirm"), last_error=None, updated_at=now))
    for (delivery_id, attempts), o in zip(claimed, outcomes, strict=True):
        if o.ok:
            continue
        at = retry_at(o, attempts, now)
        if at is not None and not_before and delivery_id in not_before:
            at = max(at, not_before[delivery_id])
        values = ({"state": DELIVERY.target("retry"), "next_attempt_at": at}
                  if at is not None else {"state": DELIVERY.target("fail"), "next_attempt_at": None})
        session.execute(update(d).where(d.c.id == delivery_id, sending_now)
                        .values(last_error=o.error, updated_at=now, **values))


def fail_interrupted(session: Session, now: datetime, lease: timedelta, error: str) -> int:
    """Rows claimed longer than ``lease`` ago: their send was interrupted with an unknown outcome."""
    result = session.execute(
        update(d).where(d.c.state.in_(DELIVERY.sources("fail")), d.c.updated_at < now - lease)
        .values(state=DELIVERY.target("fail"), last_error=error, updated_at=now))
    return result.rowcount


def take_due_retries(session: Session, now: datetime) -> list:
    """The ``(notification_id, person_id)`` of rows whose backoff has expired, marked taken: due now for
    whichever run claims them, not handed out again by the next sweep."""
    due = session.execute(select(d.c.id, d.c.notification_id, d.c.person_id).where(
        d.c.state.in_(DELIVERY.sources("claim")), d.c.next_attempt_at.is_not(None),
        d.c.next_attempt_at <= now)).all()
    if due:
        session.execute(update(d).where(d.c.id.in_([r.id for r in due])).values(next_attempt_at=None))
    return [(r.notification_id, r.person_id) for r in due]


def people_with_rows(session: Session, notification_id: int) -> set[int]:
    return set(session.execute(select(d.c.person_id).distinct().where(d.c.notification_id == notification_id))
               .scalars())


def count(session: Session, notification_id: int) -> int:
    return session.execute(select(func.count()).where(d.c.notification_id == notification_id)).scalar_one()


def open_rows(notification_id: int):
    """``EXISTS`` a row of the notification still pending or sending."""
    return select(d.c.id).where(d.c.notification_id == notification_id, d.c.state.in_(OPEN_DELIVERY_STATES)).exists()


def tally(session: Session, notification_id: int) -> list:
    """``(channel, state, rows)`` of the notification."""
    return session.execute(select(d.c.channel, d.c.state, func.count()).where(d.c.notification_id == notification_id)
                           .group_by(d.c.channel, d.c.state)).all()


def failures(notification_id: int):
    """The notification's failed rows, as a statement to paginate."""
    return (select(Delivery).where(Delivery.notification_id == notification_id, Delivery.state == "failed")
            .order_by(Delivery.person_id, Delivery.channel))


def tallies(session: Session, notification_ids: list[int]) -> dict[int, list]:
    """``{notification_id: [(channel, state, rows)]}`` of these notifications, in one grouped query."""
    found: dict[int, list] = {i: [] for i in notification_ids}
    if notification_ids:
        for nid, channel, state, n in session.execute(
                select(d.c.notification_id, d.c.channel, d.c.state, func.count())
                .where(d.c.notification_id.in_(notification_ids))
                .group_by(d.c.notification_id, d.c.channel, d.c.state)):
            found[nid].append((channel, state, n))
    return found


def rows(notification_id: int, states: Sequence[str] | None, channel: str | None, people=None):
    """The notification's ledger rows as report lines (``person_id, endpoint_id, channel, state, error,
    at``), of these states and channel, of ``people`` (a subquery of ids) when given."""
    stmt = select(literal(0).label("kind"), d.c.person_id, null().label("endpoint_id"), d.c.channel, d.c.state,
                  d.c.last_error.label("error"), d.c.attempts, d.c.updated_at.label("at")
                  ).where(d.c.notification_id == notification_id)
    if states is not None:
        stmt = stmt.where(d.c.state.in_(states))
    if channel is not None:
        stmt = stmt.where(d.c.channel == channel)
    if people is not None:
        stmt = stmt.where(d.c.person_id.in_(people))
    return stmt


def reached(notification_id, people):
    """``EXISTS`` a ledger row of the notification (a column, to correlate) for one of ``people``."""
    return select(d.c.id).where(d.c.notification_id == notification_id, d.c.person_id.in_(people)).exists()
