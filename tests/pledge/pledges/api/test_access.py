"""The access rules over HTTP: who may draft, submit and review a member's pledge; drafts are private."""

from __future__ import annotations

import pytest

from pledge.support import pledge_body


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
