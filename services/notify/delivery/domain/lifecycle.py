"""The two lifecycles of notify as data: one transition table each, one ``transition()``.

Ledger rows change in bulk (``UPDATE … WHERE state IN sources(action)``), so besides
``transition`` the table answers which states an action may start from.
"""

from __future__ import annotations

NOTIFICATION: dict[tuple[str, str], str] = {
    ("queued", "resolve"): "sending",
    ("queued", "finish"): "done",  # nobody to notify
    ("sending", "finish"): "done",
}

DELIVERY: dict[tuple[str, str], str] = {
    ("new", "deliver"): "sent",  # inbox: stored in the same transaction as the ledger row
    ("new", "skip"): "skipped",
    ("new", "enqueue"): "pending",  # email, webhook: sent after the commit
    ("pending", "claim"): "sending",
    ("pending", "skip"): "skipped",
    ("sending", "confirm"): "sent",
    ("sending", "retry"): "pending",  # a temporary failure, with backoff
    ("sending", "fail"): "failed",  # permanent, out of attempts, or interrupted with an unknown outcome
}

DELIVERY_STATES = ("pending", "sending", "sent", "failed", "skipped")
OPEN_DELIVERY_STATES = ("pending", "sending")


class InvalidTransition(ValueError):
    def __init__(self, state: str, action: str, allowed: list[str]) -> None:
        super().__init__(f"{action!r} not allowed from {state!r}; allowed: {allowed}")
        self.state, self.action, self.allowed = state, action, allowed


def transition(table: dict[tuple[str, str], str], state: str, action: str) -> str:
    try:
        return table[(state, action)]
    except KeyError:
        allowed = sorted(a for (s, a) in table if s == state)
        raise InvalidTransition(state, action, allowed) from None


def sources(table: dict[tuple[str, str], str], action: str) -> list[str]:
    """The states ``action`` may start from."""
    return sorted(s for (s, a) in table if a == action)


def target(table: dict[tuple[str, str], str], action: str) -> str:
    """The state ``action`` leads to (each action of our tables has exactly one)."""
    (result,) = {t for (_s, a), t in table.items() if a == action}
    return result
