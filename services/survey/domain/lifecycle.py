"""The round lifecycle as data: one transition table and one ``transition()``.

draft → open → closed → aggregating → results_ready.  ``aggregate`` may be repeated (a crashed or
re-requested aggregation starts over; results are recomputed, not added to).
"""

from __future__ import annotations

from shared.errors import Conflict

STATES = ("draft", "open", "closed", "aggregating", "results_ready")

# (state, action) → next state
TRANSITIONS: dict[tuple[str, str], str] = {
    ("draft", "open"): "open",
    ("open", "remind"): "open",
    ("open", "close"): "closed",
    ("closed", "aggregate"): "aggregating",
    ("aggregating", "aggregate"): "aggregating",
    ("results_ready", "aggregate"): "aggregating",
    ("aggregating", "publish_results"): "results_ready",
}


def allowed_actions(state: str) -> list[str]:
    return [action for (from_state, action) in TRANSITIONS if from_state == state]


def can(state: str, action: str) -> bool:
    return (state, action) in TRANSITIONS


def transition(state: str, action: str) -> str:
    """The state after ``action``; 409 naming the current state and what is allowed from it."""
    try:
        return TRANSITIONS[(state, action)]
    except KeyError:
        allowed = allowed_actions(state)
        raise Conflict(
            "invalid_transition", state=state, action=action, allowed=", ".join(allowed) or "-",
            errors={"state": [state], "allowed_actions": allowed},
        ) from None
