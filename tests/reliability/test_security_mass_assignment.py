"""Mass assignment, driven from each service's /openapi.json (issue 8, #14).

Every POST/PUT/PATCH with a JSON body, given a valid body plus any of ``state``, ``version``,
``reviewer_org_id``, ``id``, ``created_at`` its schema does not declare, answers 422 naming exactly those
fields, and nothing readable through the API changed.
"""

from __future__ import annotations

from datetime import timedelta

import pytest

from shared.db import utcnow

from .test_security_authz import BODIES, SERVICES
from .test_security_world import assert_contract_error, build, operations

SMUGGLED = {"state": "published", "version": 7, "reviewer_org_id": 1, "id": 424242,
            "created_at": "2020-01-01T00:00:00+00:00"}

# Valid bodies of the creations (ids of the world filled in by ``_body``).
CREATIONS = {
    "POST /api/v1/orgs": lambda ids: {"code": "NEW", "name": "新支部", "kind": "branch", "parent_id": ids["org_id"]},
    "POST /api/v1/people": lambda ids: {"employee_no": "N1", "name": "新人", "org_id": ids["org_id"]},
    "POST /api/v1/pledges": lambda ids: {
        "pledger_type": "person", "pledger_id": ids["person_id"], "category": "first_class_results",
        "title": "t", "content": "c", "audiences": ["党员"], "targets": [{"name": "n", "unit": "u", "target": 1}],
        "due_on": "2099-01-01"},
    "POST /api/v1/carriers": lambda ids: {"title": "载体", "org_id": ids["org_id"], "period_kind": "year",
                                          "period_start": "2099-01-01"},
    "POST /api/v1/inspections": lambda ids: {"org_id": ids["org_id"], "kind": "routine", "visited_on": "2025-01-01",
                                             "inspector_id": ids["person_id"], "findings": "f", "rating": 4},
    "POST /api/v1/demo-sites": lambda ids: {"org_id": ids["org_id"], "kind": "post", "level": "key"},
    "POST /api/v1/contact-points": lambda ids: {"leader_id": ids["person_id"], "org_id": ids["org_id"]},
    "POST /api/v1/suggestions": lambda ids: {"org_id": ids["org_id"], "content": "意见"},
    "POST /api/v1/zones": lambda ids: {"org_id": ids["org_id"], "name": "责任区", "kind": "five_s",
                                       "holder_ids": [ids["person_id"]]},
    "POST /api/v1/posts": lambda ids: {"org_id": ids["org_id"], "title": "岗", "kind": "badge",
                                       "holder_id": ids["person_id"], "since": "2025-01-01"},
    "POST /api/v1/volunteering": lambda ids: {"org_id": ids["org_id"], "title": "进社区", "kind": "community",
                                              "on": "2025-01-01", "hours": 2, "person_ids": [ids["person_id"]]},
    "POST /api/v1/mentorships": lambda ids: {"mentor_id": ids["person_id"], "mentee_id": ids["_m3"],
                                             "skill": "点检", "since": "2025-01-01"},
    "POST /api/v1/service-targets": lambda ids: {"provider_type": "org", "provider_id": ids["org_id"],
                                                 "period_kind": "month", "period_start": "2099-01-01", "title": "t"},
    "POST /api/v1/rounds": lambda ids: {"kind": "three_way", "title": "t", "root_org_id": 2,
                                        "closes_at": (utcnow() + timedelta(days=2)).isoformat()},
    "POST /api/v1/notifications": lambda ids: {"category": "general", "subject": "s", "recipients":
                                               {"person_ids": [101]}},
    "POST /api/v1/webhooks": lambda ids: {"url": "http://127.0.0.1:9/other"},
    "POST /api/v1/ballots/{token}": lambda ids: {"answers": [{"target_type": "person", "target_id": 101,
                                                               "dimension": "awareness", "score": 4}]},
    "POST /api/v1/pledges/{pledge_id}/submit": lambda ids: {},
    "POST /api/v1/pledges/{pledge_id}/exemplar": lambda ids: {},
}


def _body(op, ids: dict) -> dict | None:
    key = str(op)
    if key in CREATIONS:
        return CREATIONS[key](ids)
    return BODIES.get(key)


def _snapshot(client, ops, ids: dict, headers: dict) -> dict[str, object]:
    """Every GET with the world's ids (lists with no query), as the API answers it."""
    out = {}
    for op in ops:
        if op.method == "get" and not op.public and all(p in ids for p in op.params):
            response = client.get(op.url(ids), headers=headers)
            out[str(op)] = (response.status_code, response.get_data(as_text=True))
    return out


@pytest.mark.parametrize("name", SERVICES)
def test_smuggled_fields_are_422_and_never_applied(name, services, settings, sent, auth_headers):
    admin = auth_headers("admin")
    _, client, ids = build(services, name, settings, sent, admin)
    ops = operations(client)
    before = _snapshot(client, ops, ids, admin)
    checked, untried = 0, []
    for op in ops:
        if op.body_schema is None or op.method not in ("post", "put", "patch"):
            continue
        declared = set(op.body_schema.get("properties", {}))
        smuggled = {k: v for k, v in SMUGGLED.items() if k not in declared}
        body = _body(op, ids)
        if body is None:
            untried.append(str(op))
            continue
        response = client.open(op.url(ids), method=op.method.upper(), json={**body, **smuggled}, headers=admin)
        errors = assert_contract_error(response, 422)["errors"]
        assert set(errors) == set(smuggled), (str(op), errors)
        checked += 1
    assert not untried, f"give these a valid body: {untried}"
    assert checked >= 2
    assert _snapshot(client, ops, ids, admin) == before
