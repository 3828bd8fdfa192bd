"""Fan-out through the real use cases and tasks (the outbox's messages pumped in-process)."""

from sqlalchemy import func, select

from services.notify.models import Delivery, InboxMessage
from shared.messages import PersonalItem, Recipients, SendNotification

from ...support import BRANCH_A, BRANCH_B, UNIT, accept, load_directory, notification_status, person


def _count(notify, model, **where):
    with notify.db.session() as s:
        stmt = select(func.count()).select_from(model)
        for name, value in where.items():
            stmt = stmt.where(getattr(model, name) == value)
        return s.execute(stmt).scalar_one()


def test_a_10000_person_subtree_gets_every_inbox_message_once_with_every_task_delivered_twice(
        notify, notify_client, auth_headers, pump):
    people = [person(i, BRANCH_A if i % 2 else BRANCH_B, party=i % 3 != 0) for i in range(1, 10_001)]
    load_directory(notify, [*people, person(20_001, org_id=1)])  # outside the subtree
    resp = notify_client.post("/api/v1/notifications", headers=auth_headers("admin"), json={
        "category": "general", "subject": "关于开展“钢铁先锋”主题活动的通知", "body": "各支部：……",
        "recipients": {"org_id": UNIT, "subtree": True}, "channels": ["inbox"]})
    assert resp.status_code == 202, resp.json
    assert resp.json["state"] == "queued" and resp.json["total"] == 10_000
    chunks = -(-10_000 // notify.runtime.settings.notify_chunk_size)
    assert pump.run(twice=True) >= 2 * (1 + chunks)  # the resolve task and every chunk, each run twice
    with notify.db.session() as s:
        per_person = s.execute(select(InboxMessage.person_id, func.count()).group_by(InboxMessage.person_id)).all()
    assert len(per_person) == 10_000 and {n for _, n in per_person} == {1}
    assert _count(notify, Delivery) == 10_000
    status = notify_client.get(f"/api/v1/notifications/{resp.json['id']}", headers=auth_headers("admin")).json
    assert (status["state"], status["total"], status["delivered"], status["failed"]) == ("done", 10_000, 10_000, 0)


def test_party_members_only_and_a_branch_without_subtree(notify, pump):
    load_directory(notify, [person(1, BRANCH_A), person(2, BRANCH_A, party=False), person(3, BRANCH_B)])
    nid = accept(notify, SendNotification(
        key="k1", category="lookback", subject="回头看", channels=["inbox"],
        recipients=Recipients(org_id=BRANCH_A, subtree=False, party_members_only=True)))
    pump.run()
    with notify.db.session() as s:
        assert s.execute(select(InboxMessage.person_id)).scalars().all() == [1]
    assert notification_status(notify, nid)["state"] == "done"


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


def test_a_notification_to_nobody_is_done_at_once(notify, pump):
    load_directory(notify, [])
    nid = accept(notify, SendNotification(
        key="k", category="general", subject="s", recipients=Recipients(org_id=BRANCH_B)))
    pump.run()
    status = notification_status(notify, nid)
    assert (status["state"], status["total"]) == ("done", 0)
