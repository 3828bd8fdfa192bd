"""Sending through the API: who may send to whom (role and org subtree), the error shape, who may follow it."""

from ...support import BRANCH_A, BRANCH_B, UNIT


def _post(client, headers, **body):
    body = {"category": "general", "subject": "通知", "recipients": {"person_ids": [1]}, **body}
    return client.post("/api/v1/notifications", json=body, headers=headers)


def test_who_may_send(notify_client, auth_headers, people):
    assert _post(notify_client, {}).status_code == 401
    assert _post(notify_client, auth_headers("member", sub=1)).status_code == 403
    assert _post(notify_client, auth_headers("system")).status_code == 202
    branch_admin = auth_headers("org_admin", org=BRANCH_A)
    assert _post(notify_client, branch_admin, recipients={"org_id": BRANCH_A}).status_code == 202
    assert _post(notify_client, branch_admin, recipients={"person_ids": [1, 2]}).status_code == 202
    assert _post(notify_client, branch_admin, recipients={"org_id": UNIT}).json["error"] == "org_forbidden"
    assert _post(notify_client, branch_admin, recipients={"person_ids": [1, 3]}).status_code == 403


def test_bad_input_names_every_field_in_the_contract_shape(notify_client, auth_headers, people):
    resp = _post(notify_client, auth_headers("admin", lang="en"), category="party", channels=["fax"], colour=1)
    assert resp.status_code == 422 and resp.json["error"] == "validation_failed"
    assert {"category", "channels.0", "colour"} <= set(resp.json["errors"])
    resp = _post(notify_client, auth_headers("admin"), recipients={})
    assert resp.status_code == 422 and "recipients" in resp.json["errors"]
    resp = _post(notify_client, auth_headers("admin"), recipients={"org_id": 999})
    assert resp.status_code == 422 and resp.json["errors"] == {"recipients.org_id": ["组织不存在"]}
    assert notify_client.get("/api/v1/notifications/999", headers=auth_headers("admin")).status_code == 404


def test_status_is_visible_to_its_org_admin_but_not_to_another(notify_client, auth_headers, people):
    nid = _post(notify_client, auth_headers("admin"), recipients={"org_id": BRANCH_A}).json["id"]
    assert notify_client.get(f"/api/v1/notifications/{nid}",
                             headers=auth_headers("org_admin", org=UNIT)).json["state"] == "queued"
    assert notify_client.get(f"/api/v1/notifications/{nid}",
                             headers=auth_headers("org_admin", org=BRANCH_B)).status_code == 403
    assert notify_client.get(f"/api/v1/notifications/{nid}/failures",
                             headers=auth_headers("admin")).json["total"] == 0
