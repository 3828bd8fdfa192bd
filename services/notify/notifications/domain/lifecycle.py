"""The lifecycle of a notification: queued until its recipients are resolved, sending, done."""

from __future__ import annotations

from shared.lifecycle import StateMachine

NOTIFICATION = StateMachine({
    ("queued", "resolve"): "sending",
    ("queued", "finish"): "done",  # nobody to notify
    ("sending", "finish"): "done",
})
