"""Fan-out through the real use cases and tasks (the outbox's messages pumped in-process)."""

from datetime import timedelta

from sqlalchemy import func, select

from services.notify import sending, sweeper
from services.notify.models import Delivery, InboxMessage, Notification
from shared.db import utcnow
from shared.messages import PersonalItem, Recipients, SendNotification

from .support import BRANCH_A, BRANCH_B, UNIT, load_directory, person


def _count(notify, model, **where):
    with notify.db.session() as s:
        stmt = select(func.count()).select_from(model)
        for name, value in where.items():
            stmt = stmt.where(getattr(model, name) == value)
        return s.execute(stmt).scalar_one()


def _notification(notify, notification_id):
    with notify.db.session() as s:
        return sending.counts(s, sending.get(s, notification_id))


def test_a_10000_person_subtree_gets_every_inbox_message_once_with_every_task_delivered_twice(
        notify, notify_client, auth_headers, pump):
    people = [person(i, BRANCH_A if i % 2 else BRANCH_B, party=i % 3 != 0) for i in range(1, 10_001)]
    load_directory(notify, [*people, person(20_001, org_id=1)])  # outside the subtree
    resp = notify_client.post("/api/v1/notifications", headers=auth_headers("admin"), json={
        "category": "general", "subject": "关于开展“钢铁先锋”主题活动的通知", "body": "各支部：……",
        "recipients": {"org_id": UNIT, "subtree": True}, "channels": ["inbox"]})
    assert resp.status_code == 202, resp.json
    assert resp.json["state"] == "queued" and resp.json["total"] == 10_000
    assert pump.run(twice=True) >= 2 * 11  # the resolve task and ten chunks, each run twice
    with notify.db.session() as s:
        per_person = s.execute(select(InboxMessage.person_id, func.count()).group_by(InboxMessage.person_id)).all()
    assert len(per_person) == 10_000 and {n for _, n in per_person} == {1}
    assert _count(notify, Delivery) == 10_000
    status = notify_client.get(f"/api/v1/notifications/{resp.json['id']}", headers=auth_headers("admin")).json
    assert (status["state"], status["total"], status["delivered"], status["failed"]) == ("done", 10_000, 10_000, 0)


def test_party_members_only_and_a_branch_without_subtree(notify, pump):
    load_directory(notify, [person(1, BRANCH_A), person(2, BRANCH_A, party=False), person(3, BRANCH_B)])
    with notify.db.session() as s:
        n, _ = sending.create(s, notify.publish, SendNotification(
            key="k1", category="lookback", subject="回头看", channels=["inbox"],
            recipients=Recipients(org_id=BRANCH_A, subtree=False, party_members_only=True)), utcnow())
    pump.run()
    with notify.db.session() as s:
        assert s.execute(select(InboxMessage.person_id)).scalars().all() == [1]
    assert _notification(notify, n.id)["state"] == "done"


def test_the_send_task_is_idempotent_by_key_and_personal_items_carry_their_link(notify, sent, pump):
    load_directory(notify, [person(1), person(2)])
    msg = SendNotification(key="survey:9:invite", category="survey_invite", subject="请参加三测评", source="survey",
                           items=[PersonalItem(1, link="http://x/b/tok1"), PersonalItem(2, link="http://x/b/tok2")])
    send = notify.celery.tasks["notify.send"]
    first, again = send(message=msg.to_payload()), send(message=msg.to_payload())
    assert first == again
    pump.run(twice=True)
    with notify.db.session() as s:
        links = dict(s.execute(select(InboxMessage.person_id, InboxMessage.link)).all())
    assert links == {1: "http://x/b/tok1", 2: "http://x/b/tok2"}
    assert send(message={"key": "x", "category": "nonsense", "subject": "s"}) is None  # rejected, not retried


def test_muted_categories_are_skipped_and_recorded_unless_mandatory(notify, notify_client, auth_headers, pump):
    load_directory(notify, [person(1), person(2)])
    mute = {"muted_categories": ["pledge_due"], "channels": ["inbox", "email", "webhook"]}
    assert notify_client.put("/api/v1/preferences/1", json=mute,
                             headers=auth_headers("member", sub=1)).status_code == 200
    resp = notify_client.post("/api/v1/notifications", headers=auth_headers("admin"), json={
        "category": "pledge_due", "subject": "承诺到期提醒", "recipients": {"person_ids": [1, 2]}})
    pump.run()
    status = notify_client.get(f"/api/v1/notifications/{resp.json['id']}", headers=auth_headers("admin")).json
    assert (status["delivered"], status["skipped"], status["state"]) == (1, 1, "done")
    with notify.db.session() as s:
        skipped = s.execute(select(Delivery).where(Delivery.state == "skipped")).scalar_one()
    assert (skipped.person_id, skipped.last_error) == (1, "muted")
    # made mandatory by an admin: muting it is refused, and it is delivered even to whoever had muted it
    assert notify_client.put("/api/v1/categories/pledge_due", json={"mandatory": True},
                             headers=auth_headers("admin")).status_code == 200
    refused = notify_client.put("/api/v1/preferences/1", json=mute, headers=auth_headers("member", sub=1))
    assert refused.status_code == 422 and "muted_categories.pledge_due" in refused.json["errors"]
    notify_client.post("/api/v1/notifications", headers=auth_headers("admin"), json={
        "category": "pledge_due", "subject": "再次提醒", "recipients": {"person_ids": [1]}})
    pump.run()
    assert _count(notify, InboxMessage, person_id=1) == 1


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
    with notify.db.session() as s:
        sending.create(s, notify.publish, SendNotification(
            key="k", category="general", subject="s", channels=["email"], recipients=Recipients([1])), utcnow())
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
    from services.notify.channels.webhook import HttpWebhookSender, Target
    from shared.webhooks import body_bytes, sign

    body = body_bytes(receiver.accepted[0])
    headers = sign(hook["secret"], "msg_fixed", body)
    import httpx

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
        wait = row.next_attempt_at - row.updated_at
        assert wait == timedelta(seconds=30)
        assert sweeper.sweep(s, notify.publish, utcnow())["retried"] == 0  # not due yet
    with notify.db.session() as s:
        assert sweeper.sweep(s, notify.publish, utcnow() + timedelta(seconds=31))["retried"] == 1
    pump.run()
    assert len(receiver.accepted) == 1 and _notification(notify, nid)["state"] == "done"
    # an endpoint that keeps failing: five attempts, then failed and listed
    receiver.fail_next = 100
    nid = client.post("/api/v1/notifications", headers=auth_headers("admin"), json={
        "category": "general", "subject": "t", "recipients": {"person_ids": [1]}, "channels": ["webhook"]}).json["id"]
    later = utcnow()
    for _ in range(6):
        pump.run()
        later += timedelta(hours=2)
        with notify.db.session() as s:
            sweeper.sweep(s, notify.publish, later)
    failures = client.get(f"/api/v1/notifications/{nid}/failures", headers=auth_headers("admin")).json
    assert failures["total"] == 1 and failures["items"][0]["attempts"] == 5
    assert failures["items"][0]["last_error"] == "http 500"
    assert _notification(notify, nid)["state"] == "done" and receiver.fail_next == 95


def test_a_send_interrupted_after_its_claim_is_failed_not_resent(notify, pump):
    load_directory(notify, [person(1)])
    with notify.db.session() as s:
        n, _ = sending.create(s, notify.publish, SendNotification(
            key="k", category="general", subject="s", channels=["webhook"], recipients=Recipients([1])), utcnow())
    pump.run(only=lambda task: task == "notify.resolve")
    with notify.db.session() as s:  # a worker claimed the row, then died before recording the outcome
        s.add(Delivery(notification_id=n.id, person_id=1, channel="webhook", state="sending", attempts=1,
                       updated_at=utcnow()))
        s.execute(Notification.__table__.update().values(processed=1))
    with notify.db.session() as s:
        result = sweeper.sweep(s, notify.publish, utcnow() + timedelta(minutes=20))
    assert result["interrupted"] == 1 and result["finished"] == 1
    pump.run()  # the chunk message arrives late: nothing is sent again
    with notify.db.session() as s:
        row = s.execute(select(Delivery)).scalar_one()
    assert (row.state, row.last_error) == ("failed", sweeper.INTERRUPTED)


def test_a_lost_chunk_is_resumed_by_the_sweeper(notify, sent, pump):
    load_directory(notify, [person(i) for i in range(1, 2501)])
    with notify.db.session() as s:
        n, _ = sending.create(s, notify.publish, SendNotification(
            key="k", category="general", subject="s", recipients=Recipients(org_id=BRANCH_A)), utcnow())
    pump.run(only=lambda task: task == "notify.resolve")
    chunks = [m for m in sent.sent if m.task == "notify.deliver"]
    assert len(chunks) == 3
    notify.celery.tasks["notify.deliver"](message=chunks[0].payload)
    pump.cursor = len(sent.sent)  # the other two chunks died with a worker
    with notify.db.session() as s:
        assert sweeper.sweep(s, notify.publish, utcnow())["resumed"] == 0  # not stale yet
    with notify.db.session() as s:
        assert sweeper.sweep(s, notify.publish, utcnow() + timedelta(minutes=10))["resumed"] == 1500
    pump.run()
    assert _count(notify, InboxMessage) == 2500 and _notification(notify, n.id)["state"] == "done"


def test_a_notification_to_nobody_is_done_at_once(notify, pump):
    load_directory(notify, [])
    with notify.db.session() as s:
        n, _ = sending.create(s, notify.publish, SendNotification(
            key="k", category="general", subject="s", recipients=Recipients(org_id=BRANCH_B)), utcnow())
    pump.run()
    status = _notification(notify, n.id)
    assert (status["state"], status["total"]) == ("done", 0)
