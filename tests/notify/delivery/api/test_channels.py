"""Email and webhooks end to end: a real SMTP server, a verifying webhook receiver, retries with backoff."""

from datetime import timedelta

import httpx
from sqlalchemy import select

from services.notify.delivery.channels.interface import Target
from services.notify.delivery.channels.webhook import HttpWebhookSender
from services.notify.models import Delivery
from shared.db import utcnow
from shared.messages import Recipients, SendNotification
from shared.webhooks import body_bytes, sign

from ...support import BRANCH_A, BRANCH_B, UNIT, accept, load_directory, notification_status, person, sweep


def test_email_reaches_a_real_smtp_server_once(notify, configure, smtp_server, auth_headers, pump):
    load_directory(notify, [person(1), person(2, email=None), person(3)])
    client = configure(smtp_host="127.0.0.1", smtp_port=smtp_server.port)
    resp = client.post("/api/v1/notifications", headers=auth_headers("admin"), json={
        "category": "results", "subject": "三测评结果已发布", "body": "请登录查看。", "link": "http://intra/r/1",
        "recipients": {"person_ids": [1, 2, 3]}, "channels": ["email", "inbox"]})
    pump.run(twice=True)
    envelopes = smtp_server.handler.envelopes
    assert sorted(e.rcpt_tos[0] for e in envelopes) == ["p1@hzsteel.example", "p3@hzsteel.example"]
    text = envelopes[0].content.decode()
    assert "Subject: =?utf-8?" in text and "Message-ID: <n" in text
    status = client.get(f"/api/v1/notifications/{resp.json['id']}", headers=auth_headers("admin")).json
    assert status["by_channel"]["email"] == {"sent": 2, "failed": 0, "skipped": 1, "pending": 0}
    assert status["state"] == "done"


def test_email_without_smtp_settings_is_skipped_and_recorded(notify, pump):
    load_directory(notify, [person(1)])
    accept(notify, SendNotification(
        key="k", category="general", subject="s", channels=["email"], recipients=Recipients([1])))
    pump.run()
    with notify.db.session() as s:
        row = s.execute(select(Delivery)).scalar_one()
    assert (row.state, row.last_error) == ("skipped", "email_disabled")


def _register(client, auth_headers, url, **extra):
    resp = client.post("/api/v1/webhooks", json={"url": url, **extra}, headers=auth_headers("system"))
    assert resp.status_code == 201, resp.json
    return resp.json


def test_webhooks_are_signed_and_the_receiver_rejects_tampered_and_replayed(
        notify, configure, receiver, auth_headers, pump):
    load_directory(notify, [person(1, BRANCH_A), person(2, BRANCH_B)])
    client = configure(webhook_allow="127.0.0.1")
    hook = _register(client, auth_headers, receiver.url, org_id=BRANCH_A, description="企业微信")
    receiver.secret = hook["secret"]
    resp = client.post("/api/v1/notifications", headers=auth_headers("admin"), json={
        "category": "general", "subject": "支部学习", "recipients": {"org_id": UNIT}, "channels": ["webhook"]})
    pump.run(twice=True)
    assert [p["data"]["person"]["id"] for p in receiver.accepted] == [1]
    assert receiver.accepted[0]["data"]["subject"] == "支部学习" and receiver.rejected == []
    status = client.get(f"/api/v1/notifications/{resp.json['id']}", headers=auth_headers("admin")).json
    assert (status["delivered"], status["skipped"], status["state"]) == (1, 1, "done")  # person 2: no endpoint
    # what an attacker could do with a captured delivery: replay it, or change it
    body = body_bytes(receiver.accepted[0])
    headers = sign(hook["secret"], "msg_fixed", body)
    assert httpx.post(receiver.url, content=body, headers=headers).status_code == 204
    assert httpx.post(receiver.url, content=body, headers=headers).status_code == 400
    assert httpx.post(receiver.url, content=body.replace(b"1", b"2"), headers=sign(hook["secret"], "m2", body)
                      ).status_code == 400
    assert receiver.rejected == ["replayed", "bad_signature"]
    assert HttpWebhookSender("").send(Target(receiver.url, hook["secret"]), "m3", {}).error == \
        "url refused: internal_address"


def test_failed_webhooks_retry_with_backoff_then_stay_failed_and_visible(
        notify, configure, receiver, auth_headers, pump):
    load_directory(notify, [person(1)])
    client = configure(webhook_allow="127.0.0.1")
    receiver.secret = _register(client, auth_headers, receiver.url)["secret"]
    receiver.fail_next = 1
    nid = client.post("/api/v1/notifications", headers=auth_headers("admin"), json={
        "category": "general", "subject": "s", "recipients": {"person_ids": [1]}, "channels": ["webhook"]}).json["id"]
    pump.run()
    with notify.db.session() as s:
        row = s.execute(select(Delivery)).scalar_one()
    assert (row.state, row.attempts, row.last_error) == ("pending", 1, "http 500")
    assert row.next_attempt_at - row.updated_at == timedelta(seconds=30)
    assert sweep(notify)["retried"] == 0  # not due yet
    assert sweep(notify, utcnow() + timedelta(seconds=31))["retried"] == 1
    pump.run()
    assert len(receiver.accepted) == 1 and notification_status(notify, nid)["state"] == "done"
    # an endpoint that keeps failing: five attempts, then failed and listed
    receiver.fail_next = 100
    nid = client.post("/api/v1/notifications", headers=auth_headers("admin"), json={
        "category": "general", "subject": "t", "recipients": {"person_ids": [1]}, "channels": ["webhook"]}).json["id"]
    later = utcnow()
    for _ in range(6):
        pump.run()
        later += timedelta(hours=2)
        sweep(notify, later)
    failures = client.get(f"/api/v1/notifications/{nid}/failures", headers=auth_headers("admin")).json
    assert failures["total"] == 1 and failures["items"][0]["attempts"] == 5
    assert failures["items"][0]["last_error"] == "http 500"
    assert notification_status(notify, nid)["state"] == "done" and receiver.fail_next == 95


def test_a_private_notification_s_email_still_carries_the_person_s_own_link(notify, configure, smtp_server,
                                                                              auth_headers, pump):
    load_directory(notify, [person(1), person(3)])
    client = configure(smtp_host="127.0.0.1", smtp_port=smtp_server.port)
    links = {1: "http://survey/b/Zq8vR2mK9xT4pL7nW3sY6bH1", 3: "http://survey/b/Jc5fD8gA2kN7rU4wE9tQ3yM6"}
    assert client.post("/api/v1/notifications", headers=auth_headers("system"), json={
        "category": "survey_invite", "subject": "请参加三测评", "private": True, "channels": ["email"],
        "items": [{"person_id": p, "link": link} for p, link in links.items()]}).status_code == 202
    pump.run()
    by_person = {e.rcpt_tos[0]: e.content.decode() for e in smtp_server.handler.envelopes}
    assert links[1] in by_person["p1@hzsteel.example"] and links[3] in by_person["p3@hzsteel.example"]
    assert links[3] not in by_person["p1@hzsteel.example"]
