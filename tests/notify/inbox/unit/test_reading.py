"""Reading an inbox, called directly with a hand-built Context and a fixed clock."""

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from services.notify.inbox import reading
from services.notify.models import InboxMessage
from shared.auth import Principal
from shared.context import Context
from shared.errors import NotFound

NOON = datetime(2026, 7, 1, 4, 0, tzinfo=UTC)
ME = Principal(sub="1", roles=frozenset({"member"}))


def _messages(session, person_id: int, n: int) -> list[int]:
    rows = [InboxMessage(notification_id=i, person_id=person_id, category="general", subject=f"第{i}条", body="",
                         created_at=NOON - timedelta(hours=n - i)) for i in range(1, n + 1)]
    session.add_all(rows)
    session.flush()
    return [r.id for r in rows]


def test_marking_read_keeps_the_first_time_and_refuses_someone_elses_message(notify):
    with notify.db.session() as s:
        mine, theirs = _messages(s, 1, 2), _messages(s, 2, 1)
        ctx = Context(s, notify.runtime.settings, clock=lambda: NOON)
        reading.mark_read(ctx, ME, 1, mine[0])
        later = Context(s, notify.runtime.settings, clock=lambda: NOON + timedelta(hours=1))
        reading.mark_read(later, ME, 1, mine[0])  # again: still read at noon
        with pytest.raises(NotFound):
            reading.mark_read(ctx, ME, 1, theirs[0])
        assert reading.mark_all_read(later, ME, 1) == {"marked": 1}
        mine_read = select(InboxMessage.id, InboxMessage.read_at).where(InboxMessage.person_id == 1)
        read_at = dict(s.execute(mine_read).all())
        assert read_at == {mine[0]: NOON, mine[1]: NOON + timedelta(hours=1)}
        assert reading.unread_count(s, ME, 1) == {"unread": 0}
        assert reading.page(s, ME, 1, False, 1, 1)["items"][0].id == mine[1]  # newest first
