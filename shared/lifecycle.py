"""A lifecycle as data: a transition table ``{(state, action): next_state}`` and the one way to move.

Each service keeps its own table in its own lifecycle module; the moving and the refusal (409 naming
the current state and the actions allowed from it) are written once, here.
"""

from __future__ import annotations

from collections.abc import Mapping

from shared.errors import Conflict


class StateMachine:
    def __init__(self, transitions: Mapping[tuple[str, str], str]) -> None:
        self.transitions = dict(transitions)

    def allowed(self, state: str) -> list[str]:
        """The actions that may be taken from ``state``, in table order."""
        return [action for (from_state, action) in self.transitions if from_state == state]

    def can(self, state: str, action: str) -> bool:
        return (state, action) in self.transitions

    def transition(self, state: str, action: str) -> str:
        """The state after ``action``; 409 naming the current state and what is allowed from it."""
        try:
            return self.transitions[(state, action)]
        except KeyError:
            allowed = self.allowed(state)
            raise Conflict(
                "invalid_transition", state=state, action=action, allowed=allowed,  # named in the request's language
                errors={"state": [state], "allowed_actions": allowed},
            ) from None
