"""The sweeper: interrupted sends are failed not resent, lost chunks are resumed, stale work is finished."""

import threading
import time
from datetime import timedelta

import pytest
from sqlalchemy import func, select, text

from services.notify.delivery import ledger
from services.notify.models import Delivery, InboxMessage, Notification
from services.notify.notifications import sweeper
from shared.db import utcnow
from shared.messages import Recipients, SendNotification

from ...support import BRANCH_A, accept, load_directory, notification_status, person, sweep


@pytest.fixture
def test_environ(test_environ):
    """Chunks of 1000 people: 2500 recipients make three chunks, one delivered and two lost."""
    return {**test_environ, "XIANFENG_NOTIFY_CHUNK_SIZE": "1000"}


def _count(notify, model, **where):
    with notify.db.session() as s:
        stmt = select(func.count()).select_from(model)
        for name, value in where.items():
            stmt = stmt.where(getattr(model, name) == value)
        return s.execute(stmt).scalar_one()


def test_a_send_interrupted_after_its_claim_is_failed_not_resent(notify, pump):
    load_directory(notify, [person(1)])
    nid = accept(notify, SendNotification(
        key="k", category="general", subject="s", channels=["webhook"], recipients=Recipients([1])))
    pump.run(only=lambda task: task == "notify.resolve")
    with notify.db.session() as s:  # a worker claimed the row, then died before recording the outcome
        s.add(Delivery(notification_id=nid, person_id=1, channel="webhook", state="sending", attempts=1,
                       updated_at=utcnow()))
        s.execute(Notification.__table__.update().values(processed=1))
    result = sweep(notify, utcnow() + timedelta(minutes=20))
    assert result["interrupted"] == 1 and result["finished"] == 1
    pump.run()  # the chunk message arrives late: nothing is sent again
    with notify.db.session() as s:
        row = s.execute(select(Delivery)).scalar_one()
    assert (row.state, row.last_error) == ("failed", sweeper.INTERRUPTED)


def test_a_lost_chunk_is_resumed_by_the_sweeper(notify, sent, pump):
    load_directory(notify, [person(i) for i in range(1, 2501)])
    nid = accept(notify, SendNotification(
        key="k", category="general", subject="s", recipients=Recipients(org_id=BRANCH_A)))
    pump.run(only=lambda task: task == "notify.resolve")
    chunks = [m for m in sent.sent if m.task == "notify.deliver"]
    assert len(chunks) == 3
    notify.celery.tasks["notify.deliver"](message=chunks[0].payload)
    pump.cursor = len(sent.sent)  # the other two chunks died with a worker
    assert sweep(notify)["resumed"] == 0  # not stale yet
    assert sweep(notify, utcnow() + timedelta(minutes=10))["resumed"] == 1500
    pump.run()
    assert _count(notify, InboxMessage) == 2500 and notification_status(notify, nid)["state"] == "done"


def _lost_chunks(notify, sent, pump, people: int) -> tuple[int, list[dict]]:
    """A notification to ``people`` in chunks of 1000 whose first chunk was delivered and the others lost."""
    load_directory(notify, [person(i) for i in range(1, people + 1)])
    nid = accept(notify, SendNotification(
        key="k", category="general", subject="s", recipients=Recipients(org_id=BRANCH_A)))
    pump.run(only=lambda task: task == "notify.resolve")
    chunks = [m.payload for m in sent.sent if m.task == "notify.deliver"]
    notify.celery.tasks["notify.deliver"](message=chunks[0])
    pump.cursor = len(sent.sent)
    return nid, chunks[1:]


def _until_done_or_waiting_on_a_lock(worker: threading.Thread, notify, timeout: float = 10) -> None:
    """Until ``worker`` finished or (PostgreSQL) waits on a row lock; SQLite cannot say, so a second."""
    deadline = time.monotonic() + (timeout if notify.db.dialect == "postgresql" else 1)
    while worker.is_alive() and time.monotonic() < deadline:
        if notify.db.dialect == "postgresql":
            with notify.db.engine.connect() as conn:
                if conn.execute(text("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
                                     " AND wait_event_type = 'Lock'")).scalar_one():
                    return
        time.sleep(0.01)


def test_a_chunk_committing_while_the_sweep_resumes_is_counted_and_one_sweep_finishes(notify, sent, pump,
                                                                                      monkeypatch):
    """The sweep recounts a stale notification's ledger (who has rows, how many rows) and dispatches again
    whoever has none.  A lost chunk's message may still arrive and commit in the middle of that: it had
    no rows when the sweep asked who has some.  If its rows then count all the same, the total counts
    them twice (as rows and as people still to reach), processed never reaches it, and the notification
    stays ``sending`` after everyone got it, until another stale window and another sweep.  (On SQLite
    the sweep's transaction holds the database from its first statement; on PostgreSQL the sweep must
    lock the notification row, which every chunk updates before it commits, before it reads the ledger.)"""
    nid, (late, _lost) = _lost_chunks(notify, sent, pump, 2500)
    errors: list[BaseException] = []

    def deliver_late() -> None:
        try:
            notify.celery.tasks["notify.deliver"](message=late)
        except BaseException as exc:  # reported below
            errors.append(exc)

    worker = threading.Thread(target=deliver_late)
    count = ledger.count

    def count_once_the_late_chunk_ran(session, notification_id):  # between "who has rows" and "how many"
        if worker.ident is None:
            worker.start()
            _until_done_or_waiting_on_a_lock(worker, notify)
        return count(session, notification_id)

    monkeypatch.setattr(ledger, "count", count_once_the_late_chunk_ran)
    assert sweep(notify, utcnow() + timedelta(minutes=10))["resumed"] == 1500  # the late chunk had no rows yet
    worker.join(30)
    assert not worker.is_alive() and errors == []
    pump.run()  # what the sweep dispatched again: the late chunk (nothing left to do) and the lost one
    with notify.db.session() as s:
        assert s.execute(select(func.count()).select_from(InboxMessage)).scalar_one() == 2500
        row = s.get(Notification, nid)
        assert (row.processed, row.total) == (2500, 2500)
    assert notification_status(notify, nid)["state"] == "done"
