"""Real worker processes: a fan-out survives a worker killed in the middle of it, and nobody gets it twice.

Each test proves its kill landed mid fan-out: the ledger (one row per person here: inbox only, each
chunk's rows and inbox messages committed together) holds some rows right before the SIGKILL and
still not all of them right after it.  A kill that came before the first chunk or after the last
one fails the test instead of passing it for nothing.
"""

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from services.notify.models import Delivery, InboxMessage
from shared.db import utcnow
from shared.messages import Recipients, SendNotification
from shared.testing.processes import wait_for

from .support import BRANCH_A, BRANCH_B, UNIT, accept, load_directory, notification_status, person, sweep

pytestmark = [pytest.mark.e2e, pytest.mark.broker]
PEOPLE = 30_000  # big enough that a kill lands mid fan-out on a fast machine


def _ledger_rows(svc, notification_id) -> int:
    with svc.db.reading() as s:
        return s.execute(select(func.count()).select_from(Delivery)
                         .where(Delivery.notification_id == notification_id)).scalar_one()


def _start_fanout(svc, key):
    load_directory(svc, [person(i, BRANCH_A if i % 2 else BRANCH_B) for i in range(1, PEOPLE + 1)])
    # committed → the outbox relay sends notify.resolve to the real broker
    return accept(svc, SendNotification(
        key=key, category="general", subject="全体党员大会通知", recipients=Recipients(org_id=UNIT)))


def _kill_mid_fanout(svc, notification_id, kill) -> tuple[int, int]:
    """``kill()`` once the first chunk is in; the ledger rows right before and right after it."""
    before = wait_for(lambda: _ledger_rows(svc, notification_id), 60, interval=0.02, what="first chunk delivered")
    kill()
    after = _ledger_rows(svc, notification_id)
    assert 0 < before <= after < PEOPLE, (
        f"the kill did not land mid fan-out: {before} of {PEOPLE} ledger rows before it, {after} after it")
    return before, after


def _finish_and_check(svc, notification_id):
    def swept_and_done() -> bool:
        # what the beat's sweep does every 30 s, here as if the stale window had passed each time
        sweep(svc, utcnow() + timedelta(minutes=10))
        return notification_status(svc, notification_id)["state"] == "done"

    wait_for(swept_and_done, 120, interval=3, what="notification done")
    with svc.db.reading() as s:
        inbox = dict(s.execute(select(InboxMessage.person_id, func.count()).where(
            InboxMessage.notification_id == notification_id).group_by(InboxMessage.person_id)).all())
        ledger = dict(s.execute(select(Delivery.state, func.count()).where(
            Delivery.notification_id == notification_id).group_by(Delivery.state)).all())
    assert set(inbox) == set(range(1, PEOPLE + 1)), f"{PEOPLE - len(inbox)} people have no inbox message"
    assert set(inbox.values()) == {1}, "someone has the message twice"
    assert ledger == {"sent": PEOPLE}
    status = notification_status(svc, notification_id)
    assert (status["total"], status["delivered"], status["failed"]) == (PEOPLE, PEOPLE, 0)


def test_a_worker_killed_during_fanout_is_restarted_and_everyone_gets_it_exactly_once(live, workers):
    svc = live("notify")
    worker = workers("notify")
    notification_id = _start_fanout(svc, "e2e-kill")
    _kill_mid_fanout(svc, notification_id, worker.kill)  # SIGKILL the whole worker, main process and pool
    worker.start()
    _finish_and_check(svc, notification_id)


def test_a_pool_process_killed_mid_chunk_gives_the_chunk_back(live, workers):
    svc = live("notify")
    worker = workers("notify")
    notification_id = _start_fanout(svc, "e2e-pool")
    pool = worker.pool_pids()
    assert pool, "no pool process to kill"
    # the task in flight is lost with its process: acks_late requeues it, the main process forks anew
    _kill_mid_fanout(svc, notification_id, worker.kill_pool)
    _finish_and_check(svc, notification_id)
