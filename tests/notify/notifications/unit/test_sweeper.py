"""The sweeper: interrupted sends are failed not resent, lost chunks are resumed, stale work is finished."""

from datetime import timedelta

from sqlalchemy import func, select

from services.notify.models import Delivery, InboxMessage, Notification
from services.notify.notifications import sweeper
from shared.db import utcnow
from shared.messages import Recipients, SendNotification

from ...support import BRANCH_A, accept, load_directory, notification_status, person, sweep


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
