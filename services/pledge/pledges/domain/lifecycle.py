"""The pledge lifecycle as data: one transition table and one ``transition()`` (no Flask, no SQLAlchemy).

draft → submitted → approved | returned → (edit, resubmit) … → published → progress → revise (look-back:
a new version, back to submitted) → closed; withdrawn with a reason from any state before closed.
"""

from __future__ import annotations

from shared.lifecycle import StateMachine

STATES = ("draft", "submitted", "approved", "returned", "published", "closed", "withdrawn")
OUTCOMES = ("fulfilled", "partly", "unfulfilled")  # how a closed pledge was kept (after 评诺)
OUTCOME_NAMES = {"fulfilled": "已兑现", "partly": "部分兑现", "unfulfilled": "未兑现"}
CHANNELS = ("board", "meeting", "intranet")  # where a published pledge is shown (亮诺)

# (state, action) → next state
TRANSITIONS: dict[tuple[str, str], str] = {
    ("draft", "edit"): "draft",
    ("returned", "edit"): "returned",
    ("draft", "submit"): "submitted",
    ("returned", "submit"): "submitted",
    ("submitted", "approve"): "approved",
    ("submitted", "return"): "returned",
    ("approved", "publish"): "published",
    ("published", "progress"): "published",
    ("published", "exemplar"): "published",
    ("published", "revise"): "submitted",
    ("published", "close"): "closed",
    ("draft", "withdraw"): "withdrawn",
    ("submitted", "withdraw"): "withdrawn",
    ("approved", "withdraw"): "withdrawn",
    ("returned", "withdraw"): "withdrawn",
    ("published", "withdraw"): "withdrawn",
}

ACTIONS = tuple(sorted({action for _, action in TRANSITIONS}))

# Which side may take an action: the pledger (or its org's admin), or the reviewer org.
PLEDGER_ACTIONS = frozenset({"edit", "submit", "progress", "revise", "withdraw", "publish"})
REVIEWER_ACTIONS = frozenset({"approve", "return", "close", "exemplar", "publish"})

MACHINE = StateMachine(TRANSITIONS)
allowed_actions = MACHINE.allowed
can = MACHINE.can
transition = MACHINE.transition
