"""企业微信 and 钉钉 robots through the fan-out: one summary per notification and robot (not one per
person), the 钉钉 signature checked by a local robot, the robots' rate, keys never shown."""

import base64
import hmac
import json
import threading
from datetime import timedelta
from urllib.parse import parse_qs

import pytest
from sqlalchemy import select
from werkzeug.wrappers import Request, Response

from services.notify.models import RobotDelivery
from shared.db import utcnow
from shared.testing.serving import serving

from ...support import BRANCH_A, BRANCH_B, UNIT, load_directory, person, sweep

SECRET = "SEC" + "a1" * 20


class Robot:
    """A local 企业微信 / 钉钉 robot: checks a 钉钉 signature, records each message, answers errcode 0."""

    def __init__(self) -> None:
        self.messages: list[tuple[str, dict]] = []
        self.bad_signs = 0
        self.lock = threading.Lock()

    def __call__(self, environ, start_response):
        request = Request(environ)
        query = parse_qs(request.query_string.decode())
        if request.path == "/dingtalk" and "sign" in query:
            expected = base64.b64encode(hmac.digest(SECRET.encode(), f"{query['timestamp'][0]}\n{SECRET}".encode(),
                                                    "sha256")).decode()
            if query["sign"][0] != expected:
                with self.lock:
                    self.bad_signs += 1
                return Response(json.dumps({"errcode": 310000, "errmsg": "sign not match"}))(environ, start_response)
        with self.lock:
            self.messages.append((request.path, json.loads(request.get_data())))
        return Response(json.dumps({"errcode": 0, "errmsg": "ok"}))(environ, start_response)

    def to(self, path: str) -> list[dict]:
        return [body for p, body in self.messages if p == path]


@pytest.fixture
def robot():
    app = Robot()
    with serving(app) as base:
        app.base = base
        yield app


def _register(client, auth_headers, **body):
    resp = client.post("/api/v1/webhooks", json=body, headers=auth_headers("system"))
    assert resp.status_code == 201, resp.json
    return resp.json


def _send(client, auth_headers, **body):
    resp = client.post("/api/v1/notifications", headers=auth_headers("admin"), json={
        "category": "general", "subject": "支部学习", "body": "周五下午学习二十大精神", "link": "https://n.example/x",
        "channels": ["webhook", "inbox"], **body})
    assert resp.status_code == 202, resp.json
    return resp.json["id"]


def test_an_orgs_robots_get_one_summary_per_notification_signed_for_dingtalk(
        notify, configure, robot, auth_headers, pump):
    load_directory(notify, [person(1, BRANCH_A), person(2, BRANCH_A), person(3, BRANCH_B)])
    client = configure(webhook_allow="127.0.0.1")
    wecom = _register(client, auth_headers, url=f"{robot.base}/wecom?key=WECOMKEY", org_id=BRANCH_A, format="wecom")
    ding = _register(client, auth_headers, url=f"{robot.base}/dingtalk?access_token=DTOKEN", org_id=UNIT,
                     format="dingtalk", secret=SECRET)
    assert (wecom["secret"], ding["secret"], wecom["format"]) == (None, None, "wecom")
    assert "WECOMKEY" not in json.dumps(wecom) and "DTOKEN" not in json.dumps(ding)
    listed = client.get("/api/v1/webhooks", headers=auth_headers("system")).json["items"]
    assert [e["url"] for e in listed] == [f"{robot.base}/wecom?key=***", f"{robot.base}/dingtalk?access_token=***"]

    nid = _send(client, auth_headers, recipients={"org_id": UNIT})
    pump.run(twice=True)
    (wecom_msg,) = robot.to("/wecom")
    (ding_msg,) = robot.to("/dingtalk")
    assert wecom_msg["msgtype"] == "markdown" and "支部学习" in wecom_msg["markdown"]["content"]
    assert ding_msg["markdown"]["title"] == "支部学习" and "(https://n.example/x)" in ding_msg["markdown"]["text"]
    assert robot.bad_signs == 0
    with notify.db.session() as s:
        assert sorted(s.execute(select(RobotDelivery.state, RobotDelivery.attempts)).all()) == [("sent", 1)] * 2
    admin = auth_headers("admin")
    status = client.get(f"/api/v1/notifications/{nid}", headers=admin).json
    assert status["robots"] == {"sent": 2, "failed": 0, "skipped": 0, "pending": 0}
    lines = client.get(f"/api/v1/notifications/{nid}/deliveries?channel=webhook", headers=admin).json["items"]
    assert [(x["person_id"], x["endpoint_id"], x["state"], x["error"]) for x in lines] == [
        (1, None, "skipped", "robot_summary"), (2, None, "skipped", "robot_summary"),
        (3, None, "skipped", "robot_summary"),  # no endpoint of their own: their org's robot had the summary
        (None, wecom["id"], "delivered", None), (None, ding["id"], "delivered", None)]
    ping = client.post(f"/api/v1/webhooks/{ding['id']}/ping", headers=auth_headers("system")).json
    assert ping["delivered"] is True and "测试" in robot.to("/dingtalk")[-1]["markdown"]["title"]
    # a notification to branch B only: the unit's robot, not branch A's
    _send(client, auth_headers, recipients={"person_ids": [3]})
    pump.run()
    assert (len(robot.to("/wecom")), len(robot.to("/dingtalk"))) == (1, 3)


def test_a_secret_is_only_taken_for_dingtalk(notify, configure, auth_headers):
    client = configure(webhook_allow="127.0.0.1")
    resp = client.post("/api/v1/webhooks", headers=auth_headers("system"), json={
        "url": "http://127.0.0.1:9/wecom?key=K", "format": "wecom", "secret": "SECx"})
    assert resp.status_code == 422 and "secret" in resp.json["errors"]
    resp = client.post("/api/v1/webhooks", headers=auth_headers("system"), json={
        "url": "http://127.0.0.1:9/x", "format": "sms"})
    assert resp.status_code == 422 and "format" in resp.json["errors"]


def test_a_robot_gets_at_most_20_messages_a_minute_the_rest_wait_their_slot(
        notify, configure, robot, auth_headers, pump):
    load_directory(notify, [person(1, BRANCH_A)])
    client = configure(webhook_allow="127.0.0.1")
    _register(client, auth_headers, url=f"{robot.base}/wecom?key=K", org_id=BRANCH_A, format="wecom")
    for i in range(22):
        _send(client, auth_headers, subject=f"通知 {i}", recipients={"person_ids": [1]})
    pump.run()
    assert len(robot.to("/wecom")) == 20
    with notify.db.session() as s:
        waiting = s.execute(select(RobotDelivery).where(RobotDelivery.state == "pending")).scalars().all()
        first = min(s.execute(select(RobotDelivery.sent_at)).scalars().all(), key=lambda t: t or utcnow())
    assert len(waiting) == 2 and {w.next_attempt_at for w in waiting} == {first + timedelta(minutes=1)}
    assert sweep(notify)["robots"] == 0  # not yet
    assert sweep(notify, utcnow() + timedelta(seconds=61))["robots"] == 2
    with notify.db.session() as s:  # a minute passes for the limiter too (the pump runs on the real clock)
        for row in s.execute(select(RobotDelivery).where(RobotDelivery.sent_at.is_not(None))).scalars():
            row.sent_at -= timedelta(seconds=61)
        s.commit()
    pump.run()
    assert len(robot.to("/wecom")) == 22
    assert [m["markdown"]["content"].split("**")[1] for m in robot.to("/wecom")][-2:] == ["通知 20", "通知 21"]
