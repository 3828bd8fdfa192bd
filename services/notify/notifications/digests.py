"""The nightly digest run (``xianfeng daily``, the beat each morning): one ``digest`` notification per
person per period listing what was held for them (inbox, and email if they take email).

Each person's digest is accepted and its items marked listed in one transaction of its own: a worker
killed mid-run leaves every person either done or untouched, and the run again (any replay) finds the
done ones by their digest's key and skips them.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from datetime import date, datetime, time

from services.notify.delivery import held
from services.notify.notifications.accepting import accept
from services.notify.notifications.domain.digest import Held, due, key, render
from services.notify.preferences.domain.policy import DEFAULT_PREFERENCES
from services.notify.preferences.people import for_people
from shared.context import Context
from shared.messages import Recipients, SendNotification

UnitOfWork = Callable[[], AbstractContextManager[Context]]


def send_digests(unit_of_work: UnitOfWork, day: date) -> dict[str, int]:
    """Every digest due on ``day``: how many were sent now, and how many people whose digest of the period
    was already sent still had items (they wait for the next period)."""
    with unit_of_work() as ctx:
        before = datetime.combine(day, time(0), tzinfo=ctx.settings.zone)
        people = held.people_waiting(ctx.session, before)
        prefs = for_people(ctx.session, people) if people else {}
    sent = over = 0
    for person_id in people:
        period = due(prefs.get(person_id, DEFAULT_PREFERENCES).digest, day)
        if period is None:
            continue
        with unit_of_work() as ctx:
            new = send_one(ctx, person_id, period, day, before)
        sent, over = sent + (new is True), over + (new is False)
    return {"sent": sent, "held_over": over}


def send_one(ctx: Context, person_id: int, period: str, day: date, before: datetime) -> bool | None:
    """The person's digest for the period (once): True when sent now, False when it was already sent,
    None when nothing is held for them (a run that died after listing them)."""
    items = held.waiting(ctx.session, person_id, before)
    if not items:
        return None
    subject, body = render(period, [Held(i.subject, i.link) for i in items])
    prefs = for_people(ctx.session, [person_id]).get(person_id, DEFAULT_PREFERENCES)
    channels = ["inbox", "email"] if "email" in prefs.channels else ["inbox"]
    notification, new = accept(ctx, SendNotification(
        key=key(period, day, person_id), category="digest", subject=subject, body=body, channels=channels,
        recipients=Recipients(person_ids=[person_id]), source="notify",
        private=True))  # it lists the person's own links (a ballot's among them): for them alone
    if new:
        held.listed_in(ctx.session, [i.id for i in items], notification.id)
    return new
