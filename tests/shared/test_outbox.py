import pytest
from sqlalchemy import select

from shared.messages import DirectoryChanged, OrgRecord

EVENT = DirectoryChanged(orgs=[OrgRecord(id=1, code="HG", name="集团党委", kind="committee", parent_id=None,
                                         path="/1/")])


def _rows(service):
    t = service.outbox_table
    with service.db.session() as s:
        return s.execute(select(t.c.task, t.c.sent_at, t.c.payload, t.c.attempts)).all()


def test_message_is_relayed_after_commit_and_its_payload_dropped(pledge, sent):
    with pledge.db.session() as s:
        pledge.publish(s, EVENT)
        assert sent.sent == []  # nothing leaves before the commit
    assert sorted(sent.tasks()) == ["notify.directory_changed", "survey.directory_changed"]
    assert all(r.sent_at is not None and r.payload is None for r in _rows(pledge))


def test_a_released_savepoint_waits_for_its_transaction(pledge, sent):
    """A savepoint's release is no commit: relaying then would read the outbox from another connection while
    this transaction holds SQLite's write lock (the process hung), and send what may still be rolled back."""
    with pledge.db.session() as s:
        with s.begin_nested():
            pledge.publish(s, EVENT)
        assert sent.sent == []
        with s.begin_nested():
            s.execute(select(1))
        assert sent.sent == []
    assert sorted(sent.tasks()) == ["notify.directory_changed", "survey.directory_changed"]

    with pytest.raises(RuntimeError), pledge.db.session() as s:
        with s.begin_nested():
            pledge.publish(s, EVENT)
        raise RuntimeError("the change failed after its savepoint")
    assert len(sent.sent) == 2  # nothing more


def test_rolled_back_change_sends_nothing(pledge, sent):
    with pytest.raises(RuntimeError), pledge.db.session() as s:
        pledge.publish(s, EVENT)
        raise RuntimeError("the change failed")
    assert sent.sent == [] and _rows(pledge) == []


def test_broker_down_keeps_the_message_until_it_answers(pledge, sent):
    sent.fail = True
    with pledge.db.session() as s:
        pledge.publish(s, EVENT)
    rows = _rows(pledge)
    assert len(rows) == 2 and all(r.sent_at is None for r in rows) and max(r.attempts for r in rows) == 1
    sent.fail = False
    assert pledge.runtime.relay.relay() == 2
    assert sorted(sent.tasks()) == ["notify.directory_changed", "survey.directory_changed"]
    assert pledge.runtime.relay.relay() == 0  # nothing twice
    assert pledge.runtime.relay.pending() == 0


def test_after_a_failed_send_commits_stop_waiting_for_the_broker_until_it_answers(pledge, sent):
    calls = []
    sent.fail = True
    original = sent.__call__

    def counting(task, payload, message_id):
        calls.append(task)
        return original(task, payload, message_id)

    pledge.runtime.relay.sender = counting
    for _ in range(3):
        with pledge.db.session() as s:
            pledge.publish(s, EVENT)
    assert len(calls) == 1  # only the first commit tried (and waited); the next two left it to the relay
    assert pledge.runtime.relay.pending() == 6
    sent.fail = False
    assert pledge.runtime.relay.relay() == 6  # the periodic relay delivers everything
    with pledge.db.session() as s:
        pledge.publish(s, EVENT)
    assert pledge.runtime.relay.pending() == 0  # and commits relay at once again
