"""A notification's lifecycle on the shared state machine: queued → sending → done, or done at once."""

import pytest

from services.notify.notifications.domain.lifecycle import NOTIFICATION
from shared.errors import Conflict


def test_a_notification_is_resolved_then_finished_or_finished_at_once():
    assert NOTIFICATION.transition("queued", "resolve") == "sending"
    assert NOTIFICATION.transition("sending", "finish") == "done"
    assert NOTIFICATION.transition("queued", "finish") == "done"  # nobody to notify
    with pytest.raises(Conflict) as exc:
        NOTIFICATION.transition("done", "resolve")
    assert exc.value.errors == {"state": ["done"], "allowed_actions": []}
