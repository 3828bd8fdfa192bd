"""Who may do what with a pledge: the rule as a matrix (plain functions), then the same matrix over HTTP."""

from __future__ import annotations

import pytest
from pledge_core_support import pledge_body

from services.pledge.pledges.domain.access import Parties, may, may_view
from services.pledge.pledges.domain.lifecycle import ACTIONS, STATES, TRANSITIONS, allowed_actions, transition
from shared.auth import Principal
from shared.errors import Conflict

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
    (MEMBER_PLEDGE, "admin"): set(ACTIONS),
    (MEMBER_PLEDGE, "pledger"): {*PLEDGER_SIDE, "publish"},
    (MEMBER_PLEDGE, "secretary"): {*REVIEWER_SIDE, "publish"},
    (MEMBER_PLEDGE, "other_member"): set(),
    (MEMBER_PLEDGE, "branch_admin"): set(ACTIONS),  # administers both the pledger's org and the reviewer
    (MEMBER_PLEDGE, "committee_admin"): set(ACTIONS),
    (MEMBER_PLEDGE, "other_admin"): set(),
    (MEMBER_PLEDGE, "system"): set(),
    (BRANCH_PLEDGE, "pledger"): set(),
    (BRANCH_PLEDGE, "secretary"): set(),
    (BRANCH_PLEDGE, "branch_admin"): {*PLEDGER_SIDE, "publish"},  # may not review its own branch's pledge
    (BRANCH_PLEDGE, "committee_admin"): set(ACTIONS),
    (BRANCH_PLEDGE, "other_admin"): set(),
    (ROOT_PLEDGE, "committee_admin"): set(),
    (ROOT_PLEDGE, "admin"): set(ACTIONS),
}


@pytest.mark.parametrize(("parties", "who"), list(EXPECTED), ids=lambda v: v if isinstance(v, str) else v.pledger_type)
@pytest.mark.parametrize("action", ACTIONS)
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


@pytest.mark.parametrize("state", STATES)
@pytest.mark.parametrize("action", ACTIONS)
def test_every_state_and_action_either_moves_or_refuses_with_409(state, action):
    if (state, action) in TRANSITIONS:
        assert transition(state, action) == TRANSITIONS[(state, action)]
        return
    with pytest.raises(Conflict) as refused:
        transition(state, action)
    assert refused.value.status == 409
    assert refused.value.params["state"] == state
    assert refused.value.errors["allowed_actions"] == allowed_actions(state)


def test_nothing_leaves_closed_or_withdrawn_and_withdraw_is_open_before_closing():
    assert allowed_actions("closed") == [] and allowed_actions("withdrawn") == []
    assert all("withdraw" in allowed_actions(s) for s in STATES if s not in ("closed", "withdrawn"))


# ---- the same rules over HTTP -----------------------------------------------------------------

def _who(tree, name):
    return {
        "admin": "admin", "pledger": ("member", tree.m1), "secretary": ("member", tree.s1),
        "other_member": ("member", tree.m3), "branch_admin": ("org_admin", tree.b1),
        "committee_admin": ("org_admin", tree.c1), "other_admin": ("org_admin", tree.c2), "system": "system",
    }[name]


@pytest.mark.parametrize(("who", "create", "submit", "approve"), [
    ("admin", 201, 200, 200),
    ("pledger", 201, 200, 403),
    ("secretary", 403, 403, 200),
    ("other_member", 403, 403, 403),
    ("branch_admin", 201, 200, 200),
    ("other_admin", 403, 403, 403),
    ("system", 403, 403, 403),
])
def test_member_pledge_over_http(api, tree, who, create, submit, approve):
    as_ = _who(tree, who)
    api.post("/api/v1/pledges", pledge_body("person", tree.m1), as_=as_, status=create)
    pid = api.post("/api/v1/pledges", pledge_body("person", tree.m1), status=201).get_json()["id"]
    api.post(f"/api/v1/pledges/{pid}/submit", as_=as_, status=submit)
    if submit != 200:
        api.post(f"/api/v1/pledges/{pid}/submit", status=200)
    api.post(f"/api/v1/pledges/{pid}/review", {"decision": "approve"}, as_=as_, status=approve)


@pytest.mark.parametrize(("who", "draft_visible"), [
    ("pledger", 200), ("secretary", 200), ("other_member", 403), ("committee_admin", 200), ("other_admin", 403),
])
def test_drafts_are_private_published_pledges_are_not(api, tree, who, draft_visible):
    pid = api.post("/api/v1/pledges", pledge_body("person", tree.m1), status=201).get_json()["id"]
    as_ = _who(tree, who)
    api.get(f"/api/v1/pledges/{pid}", as_=as_, status=draft_visible)
    listed = api.get("/api/v1/pledges", as_=as_, status=200).get_json()
    assert (pid in [p["id"] for p in listed["items"]]) is (draft_visible == 200 and who != "secretary")
    for step, body in (("submit", {}), ("review", {"decision": "approve"}), ("publish", {})):
        api.post(f"/api/v1/pledges/{pid}/{step}", body, status=200)
    api.get(f"/api/v1/pledges/{pid}", as_=as_, status=200)
    api.get(f"/api/v1/pledges/{pid}/history", as_=as_, status=200)
