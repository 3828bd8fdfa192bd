"""The notify API: roles and org subtrees, the error shape, inbox, preferences, webhooks."""

import pytest
from sqlalchemy import select

from services.notify.models import InboxMessage

from .support import BRANCH_A, BRANCH_B, UNIT, load_directory, person


@pytest.fixture
def people(notify):
    load_directory(notify, [person(1, BRANCH_A), person(2, BRANCH_A), person(3, BRANCH_B)])


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


def test_inbox_newest_first_unread_filter_mark_read_and_mark_all(notify, notify_client, auth_headers, people, pump):
    for subject in ("第一条", "第二条", "第三条"):
        _post(notify_client, auth_headers("admin"), subject=subject, recipients={"person_ids": [1, 2]})
    pump.run()
    me = auth_headers("member", sub=1)
    page = notify_client.get("/api/v1/inbox/1", headers=me).json
    assert [m["subject"] for m in page["items"]] == ["第三条", "第二条", "第一条"]
    assert page["unread"] == 3 and page["total"] == 3
    assert "第三条" in notify_client.get("/api/v1/inbox/1", headers=me).get_data(as_text=True)  # not \\u-escaped
    first = page["items"][0]["id"]
    assert notify_client.post(f"/api/v1/inbox/1/{first}/read", headers=me).status_code == 204
    assert notify_client.post(f"/api/v1/inbox/1/{first}/read", headers=me).status_code == 204  # again: same
    unread = notify_client.get("/api/v1/inbox/1?unread=1", headers=me).json
    assert [m["subject"] for m in unread["items"]] == ["第二条", "第一条"] and unread["unread"] == 2
    assert notify_client.get("/api/v1/inbox/1/unread-count", headers=me).json == {"unread": 2}
    assert notify_client.post("/api/v1/inbox/1/read-all", headers=me).json == {"marked": 2}
    assert notify_client.get("/api/v1/inbox/1/unread-count", headers=me).json == {"unread": 0}
    assert notify_client.get("/api/v1/inbox/2/unread-count", headers=me).status_code == 403
    with notify.db.session() as s:
        other = s.execute(select(InboxMessage.id).where(InboxMessage.person_id == 2)).scalars().first()
    assert notify_client.post(f"/api/v1/inbox/1/{other}/read", headers=me).status_code == 404
    assert notify_client.get("/api/v1/inbox/2", headers=auth_headers("org_admin", org=BRANCH_A)).status_code == 200
    assert notify_client.get("/api/v1/inbox/3", headers=auth_headers("org_admin", org=BRANCH_A)).status_code == 403
    assert notify_client.get("/api/v1/inbox/1?page_size=0", headers=me).status_code == 422


def test_preferences_read_write_and_who_may(notify_client, auth_headers, people):
    me = auth_headers("member", sub=1)
    assert notify_client.get("/api/v1/preferences/1", headers=me).json == {
        "person_id": 1, "muted_categories": [], "channels": ["inbox", "email", "webhook"],
        "mandatory_categories": []}
    resp = notify_client.put("/api/v1/preferences/1", headers=me,
                             json={"muted_categories": ["lookback"], "channels": ["inbox"]})
    assert resp.json["muted_categories"] == ["lookback"] and resp.json["channels"] == ["inbox"]
    assert notify_client.put("/api/v1/preferences/2", headers=me,
                             json={"muted_categories": [], "channels": []}).status_code == 403
    bad = notify_client.put("/api/v1/preferences/1", headers=me, json={"muted_categories": ["x"], "channels": []})
    assert bad.status_code == 422 and "muted_categories.0" in bad.json["errors"]
    assert notify_client.put("/api/v1/categories/lookback", json={"mandatory": True},
                             headers=me).status_code == 403
    assert notify_client.put("/api/v1/categories/nonsense", json={"mandatory": True},
                             headers=auth_headers("admin")).status_code == 404
    notify_client.put("/api/v1/categories/lookback", json={"mandatory": True}, headers=auth_headers("admin"))
    listed = {c["category"]: c["mandatory"] for c in notify_client.get("/api/v1/categories", headers=me).json}
    assert listed["lookback"] is True and listed["general"] is False
    en = notify_client.put("/api/v1/preferences/1", headers=auth_headers("member", sub=1, lang="en"),
                           json={"muted_categories": ["lookback"], "channels": ["inbox"]})
    assert en.json["errors"] == {"muted_categories.lookback": ["A mandatory category cannot be muted"]}


def test_webhook_registration_listing_removal_and_ping(notify, configure, receiver, auth_headers, people):
    client = notify.create_app(notify.runtime.settings).test_client()
    refused = client.post("/api/v1/webhooks", json={"url": receiver.url}, headers=auth_headers("system"))
    assert refused.status_code == 422 and "url" in refused.json["errors"]  # loopback, not allow-listed
    client = configure(webhook_allow="127.0.0.1")
    branch_admin = auth_headers("org_admin", org=BRANCH_A)
    assert client.post("/api/v1/webhooks", json={"url": receiver.url}, headers=branch_admin).status_code == 403
    assert client.post("/api/v1/webhooks", json={"url": receiver.url, "org_id": BRANCH_B},
                       headers=branch_admin).status_code == 403
    assert client.post("/api/v1/webhooks", json={"url": "not a url"}, headers=auth_headers("system")).status_code \
        == 422
    created = client.post("/api/v1/webhooks", json={"url": receiver.url, "org_id": BRANCH_A,
                                                     "categories": ["survey_invite"]}, headers=branch_admin)
    assert created.status_code == 201 and created.json["secret"].startswith("whsec_")
    system_hook = client.post("/api/v1/webhooks", json={"url": receiver.url}, headers=auth_headers("system")).json
    mine = client.get("/api/v1/webhooks", headers=branch_admin).json
    assert [h["id"] for h in mine["items"]] == [created.json["id"]] and "secret" not in mine["items"][0]
    assert client.get("/api/v1/webhooks", headers=auth_headers("system")).json["total"] == 2
    assert client.get("/api/v1/webhooks", headers=auth_headers("org_admin", org=BRANCH_B)).json["total"] == 0
    receiver.secret = created.json["secret"]
    ping = client.post(f"/api/v1/webhooks/{created.json['id']}/ping", headers=branch_admin).json
    assert ping["delivered"] is True and receiver.accepted[-1]["type"] == "webhook.ping"
    receiver.secret = "whsec_" + "A" * 40  # the receiver no longer knows our secret: it refuses the ping
    refused_ping = client.post(f"/api/v1/webhooks/{created.json['id']}/ping", headers=branch_admin).json
    assert (refused_ping["delivered"], refused_ping["error"]) == (False, "http 400")
    assert receiver.rejected == ["bad_signature"]
    assert client.delete(f"/api/v1/webhooks/{system_hook['id']}", headers=branch_admin).status_code == 403
    assert client.delete(f"/api/v1/webhooks/{created.json['id']}", headers=branch_admin).status_code == 204
    assert client.delete(f"/api/v1/webhooks/{created.json['id']}", headers=branch_admin).status_code == 404


def test_openapi_lists_the_notify_endpoints(notify_client):
    paths = notify_client.get("/openapi.json").json["paths"]
    for path in ("/api/v1/notifications", "/api/v1/notifications/{notification_id}",
                 "/api/v1/notifications/{notification_id}/failures", "/api/v1/inbox/{person_id}",
                 "/api/v1/inbox/{person_id}/{message_id}/read", "/api/v1/preferences/{person_id}",
                 "/api/v1/webhooks", "/api/v1/webhooks/{endpoint_id}/ping"):
        assert path in paths
