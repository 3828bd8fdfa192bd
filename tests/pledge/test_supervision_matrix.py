"""Who may do what on every supervision endpoint: a matrix of callers × endpoints on records of 炼钢一支部.

Callers: admin; the org admin of 转炉厂 (whose subtree holds the branch); the org admin of 焦化厂 (another
subtree); a member of the branch; a member of 焦化厂's branch; a system token; no token; the group
leader whose contact point the branch is.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
import test_supervision_world as tw
from test_supervision_world import TODAY

world, client, as_admin = tw.world, tw.client, tw.as_admin  # fixtures

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
    action: int
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
    action = post(f"/api/v1/demo-sites/{site}/actions", {"kind": "prescribed", "line": "management", "title": "动作"})
    post(f"/api/v1/demo-sites/{site}/evaluations", {"year": 2024, "month": 1, "party_building": 90,
                                                    "management": 80, "economic": 70})
    point = post("/api/v1/contact-points", {"leader_id": world.leader, "org_id": b1})
    return Records(inspection, comment, site, action, point)


def endpoints(w, r: Records) -> list[tuple[str, str, dict | None, dict[str, int]]]:
    b1, today = w.branch1, TODAY.isoformat()
    own_point = {**READ, "leader": 200}
    return [
        ("GET", f"/api/v1/inspections?org_id={b1}", None, READ),
        ("GET", f"/api/v1/inspections/{r.inspection}", None, READ),
        ("POST", "/api/v1/inspections", {"org_id": b1, "kind": "unannounced", "visited_on": today,
                                         "inspector_id": w.inspector, "findings": "突击检查", "rating": 3,
                                         "pledge_ids": [w.pledge1]}, WRITE),
        ("GET", f"/api/v1/orgs/{b1}/comments", None, READ),
        ("GET", f"/api/v1/orgs/{b1}/comments/{r.comment}", None, READ),
        ("POST", f"/api/v1/orgs/{b1}/comments", {"year": 2024, "quarter": 2, "text": "二季度点评"}, WRITE),
        ("GET", f"/api/v1/demo-sites?org_id={b1}", None, READ),
        ("GET", f"/api/v1/demo-sites/{r.site}", None, READ),
        ("POST", "/api/v1/demo-sites", {"org_id": b1, "kind": "post", "post_name": "炉长岗", "level": "general"},
         WRITE),
        ("GET", f"/api/v1/demo-sites/{r.site}/actions", None, READ),
        ("POST", f"/api/v1/demo-sites/{r.site}/actions", {"kind": "optional", "line": "economic", "title": "降本"},
         WRITE),
        ("POST", f"/api/v1/demo-sites/{r.site}/actions/{r.action}/complete", {"done_on": today},
         {**WRITE, "admin": 200, "own_admin": 200}),
        ("GET", f"/api/v1/demo-sites/{r.site}/evaluations", None, READ),
        ("POST", f"/api/v1/demo-sites/{r.site}/evaluations", {"year": 2024, "month": 2, "party_building": 91,
                                                              "management": 81, "economic": 71}, WRITE),
        ("GET", f"/api/v1/contact-points?org_id={b1}", None, READ),
        ("GET", f"/api/v1/contact-points/{r.point}", None, own_point),
        ("POST", "/api/v1/contact-points", {"leader_id": w.inspector, "org_id": b1}, WRITE),
        ("GET", f"/api/v1/contact-points/{r.point}/visits", None, own_point),
        ("POST", f"/api/v1/contact-points/{r.point}/visits", {"visited_on": today, "notes": "走访"},
         {**WRITE, "leader": 201}),
        ("GET", f"/api/v1/contact-points/counts?group_by=unit&org_id={b1}", None, READ),
    ]


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


ENDPOINT_COUNT = 20
READS = [0, 1, 3, 4, 6, 7, 9, 12, 14, 15, 17, 19]
WRITES = [i for i in range(ENDPOINT_COUNT) if i not in READS]


def call(client, world, auth_headers, row, caller: str) -> int:
    method, url, body, _expected = row
    response = client.open(url, method=method, json=body, headers=headers_for(caller, world, auth_headers))
    if response.status_code >= 400:
        assert set(response.get_json()) == {"code", "error", "message", "errors"}
    return response.status_code


@pytest.mark.parametrize("index", READS)
def test_matrix_reads(client, world, records, auth_headers, index):
    """Reads change nothing: every caller in one test."""
    rows = endpoints(world, records)
    assert len(rows) == ENDPOINT_COUNT and rows[index][0] == "GET"
    outcomes = {caller: call(client, world, auth_headers, rows[index], caller) for caller in CALLERS}
    assert outcomes == rows[index][3], rows[index][1]


@pytest.mark.parametrize("caller", CALLERS)
@pytest.mark.parametrize("index", WRITES)
def test_matrix_writes(client, world, records, auth_headers, index, caller):
    """Writes: one caller per test, so that each meets the records as the fixture left them."""
    row = endpoints(world, records)[index]
    assert row[0] == "POST"
    assert call(client, world, auth_headers, row, caller) == row[3][caller], (row[1], caller)


def test_other_subtree_lists_do_not_show_the_branch(client, world, records, auth_headers):
    other = headers_for("other_admin", world, auth_headers)
    for url in ("/api/v1/inspections", "/api/v1/demo-sites", "/api/v1/contact-points"):
        assert client.get(url, headers=other).get_json()["total"] == 0, url
    member = headers_for("member", world, auth_headers)
    for url in ("/api/v1/inspections", "/api/v1/demo-sites", "/api/v1/contact-points"):
        assert client.get(url, headers=member).get_json()["total"] == 1, url
