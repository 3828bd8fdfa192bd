"""Who may do what with a pledge, and what each action does in each state: both rules checked against
matrices written out here, independently of the tables the code reads (so a wrong entry there fails)."""

from __future__ import annotations

import pytest

from services.pledge.pledges.domain.access import Parties, may, may_view
from services.pledge.pledges.domain.lifecycle import ACTIONS, STATES, allowed_actions, transition
from shared.errors import Conflict
from shared.principal import Principal

ALL_ACTIONS = ("approve", "close", "edit", "exemplar", "progress", "publish", "return", "revise", "submit",
               "withdraw")
ALL_STATES = ("draft", "submitted", "approved", "returned", "published", "closed", "withdrawn")

# state → {action: the state it leads to}, in the order the API lists them; every other action is refused (409)
LIFECYCLE = {
    "draft": {"edit": "draft", "submit": "submitted", "withdraw": "withdrawn"},
    "submitted": {"approve": "approved", "return": "returned", "withdraw": "withdrawn"},
    "approved": {"publish": "published", "withdraw": "withdrawn"},
    "returned": {"edit": "returned", "submit": "submitted", "withdraw": "withdrawn"},
    "published": {"progress": "published", "exemplar": "published", "revise": "submitted", "close": "closed",
                  "withdraw": "withdrawn"},
    "closed": {},
    "withdrawn": {},
}
# A member (person 7) of branch 3 (under committee 2, under group 1); branch 3 reviews; secretary is person 8.
MEMBER_PLEDGE = Parties("person", 7, (1, 2, 3), (1, 2, 3), frozenset({8}))
BRANCH_PLEDGE = Parties("org", 3, (1, 2, 3), (1, 2))
ROOT_PLEDGE = Parties("org", 1, (1,), ())

WHO = {
    "admin": Principal("1", frozenset({"admin"})),
    "pledger": Principal("7", frozenset({"member"})),
    "secretary": Principal("8", frozenset({"member"})),
    "other_member": Principal("9", frozenset({"member"})),
    "branch_admin": Principal(None, frozenset({"org_admin"}), org=3),
    "committee_admin": Principal(None, frozenset({"org_admin"}), org=2),
    "other_admin": Principal(None, frozenset({"org_admin"}), org=5),
    "system": Principal(None, frozenset({"system"})),
}
PLEDGER_SIDE = ("edit", "submit", "progress", "revise", "withdraw")
REVIEWER_SIDE = ("approve", "return", "close", "exemplar")

# (parties, who) → the actions they may take (publish: either side)
EXPECTED = {
    (MEMBER_PLEDGE, "admin"): set(ALL_ACTIONS),
    (MEMBER_PLEDGE, "pledger"): {*PLEDGER_SIDE, "publish"},
    (MEMBER_PLEDGE, "secretary"): {*REVIEWER_SIDE, "publish"},
    (MEMBER_PLEDGE, "other_member"): set(),
    (MEMBER_PLEDGE, "branch_admin"): set(ALL_ACTIONS),  # administers both the pledger's org and the reviewer
    (MEMBER_PLEDGE, "committee_admin"): set(ALL_ACTIONS),
    (MEMBER_PLEDGE, "other_admin"): set(),
    (MEMBER_PLEDGE, "system"): set(),
    (BRANCH_PLEDGE, "pledger"): set(),
    (BRANCH_PLEDGE, "secretary"): set(),
    (BRANCH_PLEDGE, "branch_admin"): {*PLEDGER_SIDE, "publish"},  # may not review its own branch's pledge
    (BRANCH_PLEDGE, "committee_admin"): set(ALL_ACTIONS),
    (BRANCH_PLEDGE, "other_admin"): set(),
    (ROOT_PLEDGE, "committee_admin"): set(),
    (ROOT_PLEDGE, "admin"): set(ALL_ACTIONS),
}


@pytest.mark.parametrize(("parties", "who"), list(EXPECTED), ids=lambda v: v if isinstance(v, str) else v.pledger_type)
@pytest.mark.parametrize("action", ALL_ACTIONS)
def test_matrix(parties, who, action):
    assert may(WHO[who], action, parties) is (action in EXPECTED[(parties, who)])


@pytest.mark.parametrize(("who", "published", "sees"), [
    ("other_member", False, False), ("other_member", True, True), ("pledger", False, True),
    ("secretary", False, True), ("other_admin", False, False), ("branch_admin", False, True), ("system", False, True),
])
def test_visibility(who, published, sees):
    parties = Parties("person", 7, (1, 2, 3), (1, 2, 3), frozenset({8}), published)
    assert may_view(WHO[who], parties) is sees


def test_a_secretary_does_not_review_their_own_pledge():
    own = Parties("person", 8, (1, 2, 3), (1, 2, 3), frozenset({8}))
    assert not may(WHO["secretary"], "approve", own)


def test_the_lifecycle_knows_the_states_and_actions_written_here():
    assert STATES == ALL_STATES and ACTIONS == ALL_ACTIONS


@pytest.mark.parametrize("state", ALL_STATES)
@pytest.mark.parametrize("action", ALL_ACTIONS)
def test_every_state_and_action_either_moves_or_refuses_with_409(state, action):
    expected = LIFECYCLE[state].get(action)
    if expected is not None:
        assert transition(state, action) == expected
        return
    with pytest.raises(Conflict) as refused:
        transition(state, action)
    assert refused.value.status == 409
    assert refused.value.params["state"] == state
    assert refused.value.errors["allowed_actions"] == list(LIFECYCLE[state])  # in this order, as the API lists them


def test_nothing_leaves_closed_or_withdrawn_and_withdraw_is_open_before_closing():
    assert allowed_actions("closed") == [] and allowed_actions("withdrawn") == []
    assert all("withdraw" in allowed_actions(s) for s in ALL_STATES if s not in ("closed", "withdrawn"))


def _outcome(principal: Principal, parties: Parties, state: str, action: str) -> str:
    """What taking ``action`` in ``state`` comes to, in the order the use case checks: 403, 409, or the new state."""
    if not may(principal, action, parties):
        return "403"
    try:
        return transition(state, action)
    except Conflict:
        return "409"


@pytest.mark.parametrize("who", list(WHO))
def test_who_may_do_which_action_in_which_state_of_a_members_pledge(who):
    allowed = EXPECTED[(MEMBER_PLEDGE, who)]
    expected = {(state, action): LIFECYCLE[state].get(action, "409") if action in allowed else "403"
                for state in ALL_STATES for action in ALL_ACTIONS}
    actual = {(state, action): _outcome(WHO[who], MEMBER_PLEDGE, state, action)
              for state in ALL_STATES for action in ALL_ACTIONS}
    assert actual == expected
