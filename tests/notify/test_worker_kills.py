"""Real worker processes: a fan-out survives a worker killed in the middle, and nobody gets it twice."""

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from services.notify.models import InboxMessage
from shared.db import utcnow
from shared.messages import Recipients, SendNotification
from shared.testing.processes import wait_for

from .support import BRANCH_A, BRANCH_B, UNIT, accept, load_directory, notification_status, person, sweep

pytestmark = pytest.mark.e2e
PEOPLE = 30_000  # big enough that a kill lands mid fan-out on a fast machine


def _inbox_counts(svc):
    with svc.db.session() as s:
        total = s.execute(select(func.count()).select_from(InboxMessage)).scalar_one()
        people = s.execute(select(func.count(InboxMessage.person_id.distinct()))).scalar_one()
    return total, people


def _start_fanout(svc, key):
    load_directory(svc, [person(i, BRANCH_A if i % 2 else BRANCH_B) for i in range(1, PEOPLE + 1)])
    # committed → the outbox relay sends notify.resolve to the real broker
    return accept(svc, SendNotification(
        key=key, category="general", subject="全体党员大会通知", recipients=Recipients(org_id=UNIT)))


def _finish_and_check(svc, notification_id):
    def swept_and_done() -> bool:
        # what the beat's sweep does every 30 s, here as if the stale window had passed each time: a
        # chunk still queued when one sweep ran may be the one the next sweep must resume
        sweep(svc, utcnow() + timedelta(minutes=10))
        return notification_status(svc, notification_id)["state"] == "done"

    wait_for(swept_and_done, 120, interval=3, what="notification done")
    assert _inbox_counts(svc) == (PEOPLE, PEOPLE)
    status = notification_status(svc, notification_id)
    assert (status["total"], status["delivered"], status["failed"]) == (PEOPLE, PEOPLE, 0)


def test_a_worker_killed_during_fanout_is_restarted_and_everyone_gets_it_exactly_once(live, workers):
    svc = live("notify")
    worker = workers("notify")
    notification_id = _start_fanout(svc, "e2e-kill")
    wait_for(lambda: _inbox_counts(svc)[0] > 0, 60, interval=0.02, what="first chunk delivered")
    worker.kill()  # SIGKILL the whole worker, main process and pool, mid fan-out
    assert _inbox_counts(svc)[0] < PEOPLE, "the fan-out finished before the kill; nothing was tested"
    worker.start()
    _finish_and_check(svc, notification_id)


def test_a_pool_process_killed_mid_chunk_gives_the_chunk_back(live, workers):
    svc = live("notify")
    worker = workers("notify")
    notification_id = _start_fanout(svc, "e2e-pool")
    wait_for(lambda: _inbox_counts(svc)[0] > 0, 60, interval=0.02, what="first chunk delivered")
    worker.kill_pool()  # the task in flight is lost with its process: acks_late requeues it
    _finish_and_check(svc, notification_id)
