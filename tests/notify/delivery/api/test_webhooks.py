"""The webhooks API: registration against the allow-list, listing by subtree, removal, a signed ping."""

from ...support import BRANCH_A, BRANCH_B


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
