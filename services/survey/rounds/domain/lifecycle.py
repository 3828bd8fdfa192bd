"""The round lifecycle as data: one transition table and one ``transition()``.

draft → open (or, for a large round, draft → opening → open once the workers issued every ballot; back to
draft when the workers, planning a very large scope, find nobody who can rate anything)
→ closed → aggregating → results_ready (or failed, with the error, until re-run).  ``aggregate`` may be
repeated (a crashed or re-requested aggregation starts over; results are recomputed, not added to).
"""

from __future__ import annotations

from shared.lifecycle import StateMachine

STATES = ("draft", "opening", "open", "closed", "aggregating", "results_ready", "failed")

# (state, action) → next state
TRANSITIONS: dict[tuple[str, str], str] = {
    ("draft", "open"): "open",
    # a large round: its ballots are issued by workers in chunks, then it is open
    ("draft", "start_opening"): "opening",
    ("opening", "finish_opening"): "open",
    # planned by the workers (a very large scope) and nobody in it can rate anything: back to draft
    ("opening", "abandon_opening"): "draft",
    ("open", "remind"): "open",
    ("open", "close"): "closed",
    ("closed", "aggregate"): "aggregating",
    ("aggregating", "aggregate"): "aggregating",
    ("results_ready", "aggregate"): "aggregating",
    ("aggregating", "publish_results"): "results_ready",
    # a chunk that failed for good: the round says so (with the error) until an admin re-runs it
    ("aggregating", "fail"): "failed",
    ("failed", "aggregate"): "aggregating",
}

MACHINE = StateMachine(TRANSITIONS)
allowed_actions = MACHINE.allowed
can = MACHINE.can
transition = MACHINE.transition
