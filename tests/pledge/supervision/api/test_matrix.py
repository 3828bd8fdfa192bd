"""Who may do what on every supervision endpoint: a matrix of callers × endpoints on records of 炼钢一支部.

Callers: admin; the org admin of 转炉厂 (whose subtree holds the branch); the org admin of 焦化厂 (another
subtree); a member of the branch; a member of 焦化厂's branch; a system token; no token; the group
leader whose contact point the branch is.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pytest

from pledge.supervision.world import TODAY

CALLERS = ("admin", "own_admin", "other_admin", "member", "other_member", "system", "anonymous", "leader")
READ = {"admin": 200, "own_admin": 200, "other_admin": 403, "member": 200, "other_member": 403, "system": 200,
        "anonymous": 401, "leader": 403}
WRITE = {"admin": 201, "own_admin": 201, "other_admin": 403, "member": 403, "other_member": 403, "system": 403,
         "anonymous": 401, "leader": 403}


@dataclass(frozen=True)
class Records:
    inspection: int
    comment: int
    site: int
    actions: list[int]
    point: int


@pytest.fixture
def records(client, world, as_admin) -> Records:
    def post(url: str, body: dict) -> int:
        response = client.post(url, json=body, headers=as_admin)
        assert response.status_code == 201, response.get_json()
        return response.get_json()["id"]

    b1, today = world.branch1, TODAY.isoformat()
    inspection = post("/api/v1/inspections", {"org_id": b1, "kind": "routine", "visited_on": today,
                                              "inspector_id": world.inspector, "findings": "好", "rating": 5})
    comment = post(f"/api/v1/orgs/{b1}/comments", {"year": 2024, "quarter": 1, "text": "点评"})
    site = post("/api/v1/demo-sites", {"org_id": b1, "kind": "branch", "level": "key"})
    actions = [post(f"/api/v1/demo-sites/{site}/actions", {"kind": "prescribed", "line": "management",
                                                            "title": f"动作{n}"}) for n in range(3)]
    post(f"/api/v1/demo-sites/{site}/evaluations", {"year": 2024, "month": 1, "party_building": 90,
                                                    "management": 80, "economic": 70})
    point = post("/api/v1/contact-points", {"leader_id": world.leader, "org_id": b1})
    return Records(inspection, comment, site, actions, point)


def reads(w, r: Records) -> list[tuple[str, dict[str, int]]]:
    b1, own_point = w.branch1, {**READ, "leader": 200}
    return [
        (f"/api/v1/inspections?org_id={b1}", READ),
        (f"/api/v1/inspections/{r.inspection}", READ),
        (f"/api/v1/orgs/{b1}/comments", READ),
        (f"/api/v1/orgs/{b1}/comments/{r.comment}", READ),
        (f"/api/v1/orgs/{w.converter}/comments/awaiting", {**READ, "member": 403}),
        (f"/api/v1/demo-sites?org_id={b1}", READ),
        (f"/api/v1/demo-sites/{r.site}", READ),
        (f"/api/v1/demo-sites/{r.site}/actions", READ),
        (f"/api/v1/demo-sites/{r.site}/evaluations", READ),
        (f"/api/v1/contact-points?org_id={b1}", READ),
        (f"/api/v1/contact-points/{r.point}", own_point),
        (f"/api/v1/contact-points/{r.point}/visits", own_point),
        (f"/api/v1/contact-points/counts?group_by=unit&org_id={b1}", READ),
    ]


Write = tuple[Callable[[int], str], Callable[[int], dict], dict[str, int]]


def writes(w, r: Records) -> dict[str, Write]:
    """Each write as (url for the n-th success, body for the n-th success, expected status per caller):
    successive successes get fresh values so that none meets the one before (409)."""
    b1, today = w.branch1, TODAY.isoformat()
    people = (w.inspector, w.member1, w.coking_member)
    return {
        "inspection": (lambda n: "/api/v1/inspections",
                       lambda n: {"org_id": b1, "kind": "unannounced", "visited_on": today, "inspector_id": w.inspector,
                                  "findings": "突击检查", "rating": 3, "pledge_ids": [w.pledge1]}, WRITE),
        "comment": (lambda n: f"/api/v1/orgs/{b1}/comments",
                    lambda n: {"year": 2024, "quarter": 2 + n, "text": "点评"}, WRITE),
        "demo_site": (lambda n: "/api/v1/demo-sites",
                      lambda n: {"org_id": b1, "kind": "post", "post_name": f"炉长岗{n}", "level": "general"}, WRITE),
        "action": (lambda n: f"/api/v1/demo-sites/{r.site}/actions",
                   lambda n: {"kind": "optional", "line": "economic", "title": "降本"}, WRITE),
        "complete": (lambda n: f"/api/v1/demo-sites/{r.site}/actions/{r.actions[n]}/complete",
                     lambda n: {"done_on": today}, {**WRITE, "admin": 200, "own_admin": 200}),
        "evaluation": (lambda n: f"/api/v1/demo-sites/{r.site}/evaluations",
                       lambda n: {"year": 2024, "month": 2 + n, "party_building": 91, "management": 81,
                                  "economic": 71}, WRITE),
        "contact_point": (lambda n: "/api/v1/contact-points",
                          lambda n: {"leader_id": people[n], "org_id": b1}, WRITE),
        "visit": (lambda n: f"/api/v1/contact-points/{r.point}/visits",
                  lambda n: {"visited_on": today, "notes": "走访"}, {**WRITE, "leader": 201}),
    }


def headers_for(caller: str, w, auth_headers) -> dict[str, str]:
    return {
        "admin": lambda: auth_headers("admin"),
        "own_admin": lambda: auth_headers("org_admin", org=w.converter),
        "other_admin": lambda: auth_headers("org_admin", org=w.coking),
        "member": lambda: auth_headers("member", sub=w.member1),
        "other_member": lambda: auth_headers("member", sub=w.coking_member),
        "system": lambda: auth_headers("system"),
        "anonymous": lambda: {},
        "leader": lambda: auth_headers("member", sub=w.leader),
    }[caller]()


def status(response) -> int:
    if response.status_code >= 400:
        assert set(response.get_json()) == {"code", "error", "message", "errors"}
    return response.status_code


def test_matrix_reads(client, world, records, auth_headers):
    """Reads change nothing: every caller on every read endpoint, in one test."""
    for url, expected in reads(world, records):
        got = {c: status(client.get(url, headers=headers_for(c, world, auth_headers))) for c in CALLERS}
        assert got == expected, url


WRITES = ("inspection", "comment", "demo_site", "action", "complete", "evaluation", "contact_point", "visit")


@pytest.mark.parametrize("name", WRITES)
def test_matrix_writes(client, world, records, auth_headers, name):
    """Every caller on one write endpoint: those refused first (they change nothing), then those allowed."""
    table = writes(world, records)
    assert set(table) == set(WRITES)
    url, body, expected = table[name]
    ordered = sorted(CALLERS, key=lambda c: expected[c] < 400)
    got, successes = {}, 0
    for caller in ordered:
        response = client.post(url(successes), json=body(successes), headers=headers_for(caller, world, auth_headers))
        got[caller] = status(response)
        successes += got[caller] < 400
    assert got == expected


def test_other_subtree_lists_do_not_show_the_branch(client, world, records, auth_headers):
    other = headers_for("other_admin", world, auth_headers)
    for url in ("/api/v1/inspections", "/api/v1/demo-sites", "/api/v1/contact-points"):
        assert client.get(url, headers=other).get_json()["total"] == 0, url
    member = headers_for("member", world, auth_headers)
    for url in ("/api/v1/inspections", "/api/v1/demo-sites", "/api/v1/contact-points"):
        assert client.get(url, headers=member).get_json()["total"] == 1, url
