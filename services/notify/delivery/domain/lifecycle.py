"""The lifecycle of a ledger row (one notification × person × channel), as one transition table.

Ledger rows change in bulk (``UPDATE … WHERE state IN sources(action) SET state = target(action)``),
so besides ``transition`` (and its refusal, both from :class:`shared.lifecycle.StateMachine`) the
table answers which states an action may start from and where it leads.
"""

from __future__ import annotations

from shared.lifecycle import StateMachine


class BulkStateMachine(StateMachine):
    """A :class:`StateMachine` whose rows also move many at a time."""

    def sources(self, action: str) -> list[str]:
        """The states ``action`` may start from."""
        return sorted(s for (s, a) in self.transitions if a == action)

    def target(self, action: str) -> str:
        """The state ``action`` leads to (each action of the table has exactly one)."""
        (result,) = {t for (_s, a), t in self.transitions.items() if a == action}
        return result


DELIVERY = BulkStateMachine({
    ("new", "deliver"): "sent",  # inbox: stored in the same transaction as the ledger row
    ("new", "skip"): "skipped",
    ("new", "enqueue"): "pending",  # email, webhook: sent after the commit
    ("pending", "claim"): "sending",
    ("pending", "skip"): "skipped",
    ("sending", "confirm"): "sent",
    ("sending", "retry"): "pending",  # a temporary failure, with backoff
    ("sending", "fail"): "failed",  # permanent, out of attempts, or interrupted with an unknown outcome
})

DELIVERY_STATES = ("pending", "sending", "sent", "failed", "skipped")
OPEN_DELIVERY_STATES = ("pending", "sending")
