"""Delivering one chunk of a notification over its channels, exactly once per person × channel.

1. One transaction writes the chunk's ledger rows (``ON CONFLICT DO NOTHING`` on the unique
   notification × person × channel key), delivers the channels that live in the database (the
   inbox) for the rows it inserted, and claims the pending email/webhook rows (``pending → sending``).
   A rerun of the chunk inserts nothing and claims nothing that another run holds.  In the same
   transaction: people holding the notification for their digest get a digest item instead
   (``delivery.held``; their rows are skipped as ``digest``), email/webhook rows of people in their
   quiet hours are written pending until the hours end, and the robots reaching the chunk's people
   get their one summary row each, claimed within their rate (``delivery.robots``).
2. The claimed emails, webhooks and robot summaries are sent, outside any transaction.
3. A second transaction records each outcome: sent, pending again with backoff (not inside the
   person's quiet hours), or failed.
A worker killed during 1 loses nothing (rolled back, redelivered); killed during 2 leaves rows in
``sending`` that the sweeper fails as interrupted rather than risk sending twice.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import replace
from datetime import datetime

from services.notify.delivery import held, ledger, robots
from services.notify.delivery.channels import Channels, Letter
from services.notify.delivery.domain.outcomes import NO_ADDRESS, Outcome
from services.notify.notifications import progress
from services.notify.notifications.chunks import held_items, ledger_rows, load_chunk
from services.notify.notifications.models import Notification
from services.notify.preferences.categories import urgent
from services.notify.preferences.domain.policy import DEFAULT_PREFERENCES
from services.notify.preferences.domain.quiet import wait_until
from services.notify.preferences.people import default_quiet_hours, for_people
from shared.context import Context

UnitOfWork = Callable[[], AbstractContextManager[Context]]
Send = tuple[str, Letter]  # a claimed delivery: its channel and its letter


def deliver(unit_of_work: UnitOfWork, notification_id: int, person_ids: list[int], channels: Channels) -> dict:
    """Deliver one chunk (see the module doc) in units of work from ``unit_of_work``; what this run did."""
    with unit_of_work() as ctx:
        notification = ctx.session.get(Notification, notification_id)
        if notification is None or notification.state != "sending":
            return {"inserted": 0, "claimed": 0}
        inserted, sends, robot_sends = write_and_claim(ctx, notification, person_ids, channels)
        event = robots.summary(notification)
    if robot_sends:
        deliver_robot_summaries(unit_of_work, robot_sends, event, channels)
    if sends:
        outcomes = send(sends, channels)
        with unit_of_work() as ctx:
            progress.touch(ctx.session, notification_id, 0, ctx.now())  # serialises with the other chunks
            ledger.record(ctx.session, [(x.delivery_id, x.attempts) for _, x in sends], outcomes, ctx.now(),
                          quiet_retries(ctx, sends, outcomes))
            progress.finish(ctx.session, notification_id, ctx.now())
    return {"inserted": inserted, "claimed": len(sends)}


def quiet_retries(ctx: Context, sends: list[Send], outcomes: list[Outcome]) -> dict[int, datetime]:
    """Retries that would fall in the person's quiet hours: wait for their end instead."""
    retrying = [(c, x, at) for (c, x), o in zip(sends, outcomes, strict=True)
                if (at := ledger.retry_at(o, x.attempts, ctx.now())) is not None]
    if not retrying:
        return {}
    prefs = for_people(ctx.session, sorted({x.person_id for _, x, _ in retrying}))
    default, must = default_quiet_hours(ctx.settings), urgent(ctx.session)
    found = {}
    for channel, letter, at in retrying:
        hours = prefs.get(letter.person_id, DEFAULT_PREFERENCES).quiet(default)
        hold = wait_until(channel, letter.category, hours, must, at, ctx.settings.zone)
        if hold is not None and letter.delivery_id is not None:
            found[letter.delivery_id] = hold
    return found


def claim_robots(ctx: Context, notification: Notification, channels: Channels) -> list[robots.RobotSend]:
    """The notification's due robot rows this run sends (step 1, in the chunk's transaction)."""
    if channels.robots is None or "webhook" not in notification.channels:
        return []
    hold = wait_until("webhook", notification.category, default_quiet_hours(ctx.settings), urgent(ctx.session),
                      ctx.now(), ctx.settings.zone)  # a chat's quiet hours are the configured default
    return robots.claim(ctx.session, notification.id, ctx.now(), hold_until=hold)


def deliver_robot_summaries(unit_of_work: UnitOfWork, sends: list[robots.RobotSend], event: dict,
                            channels: Channels) -> None:
    """Steps 2 and 3 for the robots: one summary each, then the outcomes."""
    assert channels.robots is not None
    outcomes = robots.send(channels.robots, sends, event)
    with unit_of_work() as ctx:
        robots.record(ctx.session, sends, outcomes, ctx.now())


def deliver_robots(unit_of_work: UnitOfWork, notification_id: int, channels: Channels) -> int:
    """The robot rows of a notification that became due (backoff, rate, quiet hours): claim, send, record."""
    with unit_of_work() as ctx:
        notification = ctx.session.get(Notification, notification_id)
        if notification is None:
            return 0
        sends, event = claim_robots(ctx, notification, channels), robots.summary(notification)
    if sends:
        deliver_robot_summaries(unit_of_work, sends, event, channels)
    return len(sends)


def write_and_claim(ctx: Context, notification: Notification, person_ids: list[int],
                    channels: Channels) -> tuple[int, list[Send], list[robots.RobotSend]]:
    """Step 1: the ledger rows, the inbox, the claims; how many rows this run wrote and what it must send
    (to people, to robots).  Every row lock is taken before the notification's (as the sweeper does)."""
    session, now = ctx.session, ctx.now()
    on = channels.on(session)
    chunk = load_chunk(session, notification, person_ids, ctx.settings)
    inserted = ledger.write(session, ledger_rows(chunk, on, now))
    held.hold(session, held_items(chunk, now))
    if channels.robots is not None:
        robots.write(session, notification.id, chunk.robots(), now)
    for name, channel in on.items():
        if channel.in_transaction:
            channel.send([chunk.letter(r.person_id, now) for r in inserted if r.channel == name and r.state == "sent"])
    claimed = []
    if any(not on[name].in_transaction for name in notification.channels):
        claimed = ledger.claim(session, notification.id, person_ids, now)
    sends = [(r.channel, replace(chunk.letter(r.person_id, now), delivery_id=r.id, attempts=r.attempts))
             for r in claimed]
    robot_sends = claim_robots(ctx, notification, channels)
    progress.touch(session, notification.id, len(inserted), now)  # locks the notification row: the last
    if not sends:  # chunk to commit sees every other chunk's rows and finishes
        progress.finish(session, notification.id, now)
    return len(inserted), sends, robot_sends


def send(sends: list[Send], channels: Channels) -> list[Outcome]:
    """Step 2: every claimed letter over its channel, a batch per channel; one outcome per send, in order."""
    outcomes: list[Outcome | None] = [None] * len(sends)
    for name, channel in channels.outbound().items():
        mine = [i for i, (c, _) in enumerate(sends) if c == name]
        if mine:
            for i, outcome in zip(mine, channel.send([sends[i][1] for i in mine]), strict=True):
                outcomes[i] = outcome
    return [o if o is not None else NO_ADDRESS for o in outcomes]
