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
