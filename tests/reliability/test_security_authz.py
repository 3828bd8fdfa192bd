"""Object-level authorization, driven from each service's /openapi.json (issue 8, #13, #19).

Every operation but the documented public ones refuses a missing, forged, expired, ``alg: none`` or
role-less token with 401 in the contract shape, before it reads the body.  Every operation with an id in
its path, called on objects that exist, refuses a member (another person) and the org admin of another
subtree with 403 or 404.  Nobody reads another person's inbox or another subtree's draft pledges; a
``system`` token reads, and is refused on admin-only writes.
"""

from __future__ import annotations

import pytest

from .test_security_world import (
    PUBLIC,
    assert_contract_error,
    bad_tokens,
    build,
    operations,
    started,
)

SERVICES = ("pledge", "survey", "notify")

# Valid bodies for the writes on an object, so that the answer is about the caller, not the input.
BODIES = {
    "PATCH /api/v1/people/{person_id}": {"name": "改名"},
    "PATCH /api/v1/pledges/{pledge_id}": {"title": "改标题"},
    "POST /api/v1/pledges/{pledge_id}/review": {"decision": "approve"},
    "POST /api/v1/pledges/{pledge_id}/publish": {"channels": ["board"]},
    "POST /api/v1/pledges/{pledge_id}/revise": {"reason": "调整"},
    "POST /api/v1/pledges/{pledge_id}/close": {"outcome": "fulfilled"},
    "POST /api/v1/pledges/{pledge_id}/withdraw": {"reason": "撤回"},
    "POST /api/v1/pledges/{pledge_id}/progress": {"values": {"降本": 1}},
    "POST /api/v1/orgs/{org_id}/comments": {"year": 2025, "quarter": 2, "text": "点评"},
    "POST /api/v1/demo-sites/{site_id}/actions": {"kind": "prescribed", "line": "management", "title": "动作2"},
    "POST /api/v1/demo-sites/{site_id}/actions/{action_id}/complete": {"done_on": "2025-01-02"},
    "POST /api/v1/demo-sites/{site_id}/evaluations": {"year": 2025, "month": 2, "party_building": 90,
                                                      "management": 80, "economic": 70},
    "PATCH /api/v1/service-targets/{target_id}": {"reason": "调整", "title": "服务党员群众"},
    "POST /api/v1/service-targets/{target_id}/withdraw": {"reason": "撤回"},
    "POST /api/v1/contact-points/{point_id}/visits": {"visited_on": "2025-01-02", "notes": "走访"},
    "PUT /api/v1/preferences/{person_id}": {"muted_categories": [], "channels": ["inbox"]},
    "PUT /api/v1/categories/{category}": {"mandatory": True},
    "POST /api/v1/suggestions/{suggestion_id}/answer": {"decision": "answer", "reply": "已答复"},
    "POST /api/v1/zones/{zone_id}/checks": {"checked_on": "2025-01-02", "results": {
        "targets_on_time": True, "no_accident": True, "plans_completed": True, "no_discipline_breach": True,
        "five_s_standards": True}},
    "POST /api/v1/zones/{zone_id}/incidents": {"occurred_on": "2025-01-02", "kind": "safety"},
    "POST /api/v1/posts/{post_id}/end": {"until": "2099-01-02"},
    "PUT /api/v1/scorecards/settings/{year}": {"weights": {"pledges": "20"}},
}

# Reads an outsider may make by design: the published record of the group is open to its members and
# units (the 承诺台账 and the org chart are on the intranet board anyway).
OPEN_READS = {
    "GET /api/v1/orgs/{org_id}", "GET /api/v1/orgs/{org_id}/tree", "GET /api/v1/orgs/{org_id}/ledger",
    "GET /api/v1/orgs/{org_id}/meeting-list",
    "GET /api/v1/carriers/{carrier_id}", "GET /api/v1/carriers/{carrier_id}/exemplars",
    # the dead-letter id of the world does not exist: 404 for everyone, checked by the 403/404 rule anyway
}
# Operations on a dead letter and on the org admin's own-subtree collections are not object-level.
NOT_OBJECT = {"POST /api/v1/dead-letters/{letter_id}/replay",
              # the group's scorecard settings of a year: one set for every org, read by every org admin
              "GET /api/v1/scorecards/settings/{year}"}


def _call(client, op, url: str, headers: dict):
    body = BODIES.get(str(op), {}) if op.body_schema is not None else None
    return client.open(url, method=op.method.upper(), json=body, headers=headers)


@pytest.mark.parametrize("name", SERVICES)
def test_only_the_documented_operations_are_public(name, services, settings, sent):
    _, client = started(services, name, settings, sent)
    ops = operations(client)
    assert ops
    for op in ops:
        assert op.public == bool(PUBLIC.match(op.path)), f"{op}: security {'[]' if op.public else 'bearer'}"


@pytest.mark.parametrize("name", SERVICES)
def test_every_operation_refuses_missing_and_bad_tokens_before_reading_input(name, services, settings, sent):
    _, client = started(services, name, settings, sent)
    tokens = bad_tokens(settings.secret_key)
    checked = 0
    for op in operations(client):
        if op.public:
            continue
        url = op.url({p: 1 for p in op.params})
        for label, headers in [("none", {}), ("basic", {"Authorization": "Basic YWRtaW46YWRtaW4="}),
                               *((label, {"Authorization": f"Bearer {t}"}) for label, t in tokens.items())]:
            response = client.open(url, method=op.method.upper(), headers=headers,
                                   json={} if op.body_schema is not None else None)
            body = assert_contract_error(response, 401)
            assert body["error"] in ("unauthorized", "token_expired"), (str(op), label, body)
            checked += 1
    assert checked >= 7 * 5


@pytest.mark.parametrize("name", SERVICES)
def test_outsiders_get_403_or_404_on_every_object(name, services, settings, sent, auth_headers):
    _, client, ids = build(services, name, settings, sent, auth_headers("admin"))
    outsider_org, outsider = (ids["_c2"], ids["_m3"]) if name == "pledge" else (5, 301)
    callers = {"member of another branch": auth_headers("member", sub=outsider),
               "org admin of another subtree": auth_headers("org_admin", org=outsider_org)}
    refused: list[str] = []
    checked = 0
    for op in operations(client):
        if op.public or not op.params or str(op) in NOT_OBJECT:
            continue
        url = op.url(ids)
        for who, headers in callers.items():
            response = _call(client, op, url, headers)
            if op.method == "get" and str(op) in OPEN_READS:
                assert response.status_code == 200, (str(op), who, response.get_json())
                continue
            if response.status_code not in (403, 404):
                refused.append(f"{op} as {who}: {response.status_code} {response.get_data(as_text=True)[:200]}")
            else:
                assert_contract_error(response, (403, 404))
            checked += 1
    assert not refused, "\n".join(refused)
    assert checked >= 2 * 2


def test_nobody_reads_another_persons_inbox(services, settings, sent, auth_headers):
    _, client, ids = build(services, "notify", settings, sent, auth_headers("admin"))
    own = client.get("/api/v1/inbox/101", headers=auth_headers("member", sub=101))
    assert own.status_code == 200 and own.get_json()["total"] == 1
    for headers in (auth_headers("member", sub=102), auth_headers("member", sub=301),
                    auth_headers("org_admin", org=5)):
        for url in ("/api/v1/inbox/101", "/api/v1/inbox/101/unread-count"):
            assert_contract_error(client.get(url, headers=headers), (403, 404))
        assert_contract_error(client.post(f"/api/v1/inbox/101/{ids['message_id']}/read", headers=headers),
                              (403, 404))
    # a member marking someone else's message as read through their own inbox path: unknown there
    assert_contract_error(client.post(f"/api/v1/inbox/102/{ids['message_id']}/read",
                                      headers=auth_headers("member", sub=102)), 404)


def test_nobody_reads_another_subtrees_drafts(services, settings, sent, auth_headers):
    _, client, ids = build(services, "pledge", settings, sent, auth_headers("admin"))
    for headers in (auth_headers("org_admin", org=ids["_c2"]), auth_headers("member", sub=ids["_m3"])):
        assert_contract_error(client.get(f"/api/v1/pledges/{ids['pledge_id']}", headers=headers), (403, 404))
        for query in ("", "?state=draft", f"?org_id={ids['_c1']}&subtree=1", f"?org_id={ids['org_id']}&state=draft",
                      f"?pledger_type=person&org_id={ids['_c1']}&subtree=1&state=draft"):
            response = client.get(f"/api/v1/pledges{query}", headers=headers)
            if response.status_code == 200:
                assert [p for p in response.get_json()["items"] if p["state"] == "draft"] == [], query
            else:
                assert_contract_error(response, 403)
        history = client.get(f"/api/v1/pledges/{ids['pledge_id']}/history", headers=headers)
        assert_contract_error(history, (403, 404))


SYSTEM_REFUSED = {
    "pledge": ["POST /api/v1/pledges/{pledge_id}/review", "POST /api/v1/pledges/{pledge_id}/submit",
               "PATCH /api/v1/pledges/{pledge_id}", "POST /api/v1/dead-letters/{letter_id}/replay"],
    "survey": ["POST /api/v1/rounds", "POST /api/v1/rounds/{round_id}/open", "POST /api/v1/rounds/{round_id}/close",
               "POST /api/v1/dead-letters/{letter_id}/replay"],
    "notify": ["PUT /api/v1/categories/{category}", "POST /api/v1/dead-letters/{letter_id}/replay"],
}
SYSTEM_READS = {
    "pledge": ["GET /api/v1/orgs/{org_id}", "GET /api/v1/people/{person_id}", "GET /api/v1/pledges/{pledge_id}",
               "GET /api/v1/orgs/{org_id}/ledger", "GET /api/v1/pledges"],
    "survey": ["GET /api/v1/rounds/{round_id}", "GET /api/v1/rounds/{round_id}/progress"],
    "notify": ["GET /api/v1/notifications/{notification_id}", "GET /api/v1/categories"],
}


@pytest.mark.parametrize("name", SERVICES)
def test_a_system_token_reads_and_is_refused_on_admin_only_writes(name, services, settings, sent, auth_headers):
    _, client, ids = build(services, name, settings, sent, auth_headers("admin"))
    system = auth_headers("system", sub="hr")
    by_name = {str(op): op for op in operations(client)}
    for key in SYSTEM_READS[name]:
        response = client.get(by_name[key].url(ids), headers=system)
        assert response.status_code == 200, (key, response.get_json())
    for key in SYSTEM_REFUSED[name]:
        op = by_name[key]
        body = {"kind": "three_way", "title": "t", "root_org_id": 2, "closes_at": "2099-01-01T00:00:00+00:00"} \
            if key == "POST /api/v1/rounds" else None
        response = client.open(op.url(ids), method=op.method.upper(), headers=system,
                               json=body if body is not None else BODIES.get(key, {}) if op.body_schema else None)
        assert_contract_error(response, 403)
@pytest.mark.parametrize("name", SERVICES)
def test_ids_beyond_64_bits_are_404_not_500(name, services, settings, sent, auth_headers):
    _, client = started(services, name, settings, sent)
    admin = auth_headers("admin")
    for op in operations(client):
        if op.public or not op.params or op.method != "get":
            continue
        url = op.url({p: 99999999999999999999 for p in op.params})
        response = client.get(url, headers=admin)
        assert response.status_code in (404, 422), (str(op), response.status_code, response.get_data(as_text=True))
        assert_contract_error(response, (404, 422))
