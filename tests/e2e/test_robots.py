"""企业微信 and 钉钉 robots end to end on ``xianfeng run``: a local HTTP server plays both robots, checks
the 钉钉 signature and records the bodies; one summary per notification reaches each org robot."""

import base64
import hmac
import json
import threading
import time
from urllib.parse import parse_qs

import httpx
import pytest
from werkzeug.wrappers import Request, Response

from e2e.helpers import admin_headers, urls_of
from shared.testing.processes import RunProcess, wait_for
from shared.testing.serving import serving

pytestmark = pytest.mark.e2e

SECRET = "SEC" + "0f" * 24


class Robots:
    def __init__(self) -> None:
        self.bodies: dict[str, list[dict]] = {"/wecom": [], "/dingtalk": []}
        self.queries: list[dict] = []
        self.lock = threading.Lock()

    def __call__(self, environ, start_response):
        request = Request(environ)
        query = parse_qs(request.query_string.decode())
        answer = {"errcode": 0, "errmsg": "ok"}
        if request.path == "/dingtalk":
            ts = query.get("timestamp", ["0"])[0]
            expected = base64.b64encode(hmac.digest(SECRET.encode(), f"{ts}\n{SECRET}".encode(), "sha256")).decode()
            fresh = abs(time.time() * 1000 - int(ts)) < 3600_000  # 钉钉 refuses a timestamp an hour off
            if query.get("sign") != [expected] or not fresh:
                answer = {"errcode": 310000, "errmsg": "sign not match"}
        with self.lock:
            if answer["errcode"] == 0:
                self.bodies.setdefault(request.path, []).append(json.loads(request.get_data()))
            self.queries.append(query)
        return Response(json.dumps(answer), content_type="application/json")(environ, start_response)


def test_wecom_and_dingtalk_robots_get_one_signed_summary_on_xianfeng_run(tmp_path, run_environ):
    robots = Robots()
    with serving(robots) as base:
        env = {**run_environ(tmp_path / "xf-run"), "XIANFENG_WEBHOOK_ALLOW": "127.0.0.1",
               "XIANFENG_NOTIFY_QUIET_HOURS": "off"}
        urls, headers = urls_of(env), admin_headers(env)
        run = RunProcess(env, tmp_path / "run.log").start()
        try:
            run.wait_ready()
            org = httpx.post(urls["pledge"] + "/api/v1/orgs", headers=headers, timeout=10,
                             json={"name": "炼钢一支部", "code": "ZL1", "kind": "branch"}).json()
            for n in (1, 2, 3):
                assert httpx.post(urls["pledge"] + "/api/v1/people", headers=headers, timeout=10, json={
                    "name": f"党员{n}", "employee_no": f"E{n}", "org_id": org["id"], "party_member": True,
                }).status_code == 201
            wait_for(lambda: httpx.get(urls["notify"] + "/api/v1/directory/status", headers=headers,
                                       timeout=5).json().get("people") == 3, 60, interval=0.3,
                     what="people in notify's directory")
            for body in ({"url": f"{base}/wecom?key=WK", "format": "wecom", "org_id": org["id"]},
                         {"url": f"{base}/dingtalk?access_token=DT", "format": "dingtalk", "secret": SECRET,
                          "org_id": org["id"]}):
                resp = httpx.post(urls["notify"] + "/api/v1/webhooks", headers=headers, json=body, timeout=10)
                assert resp.status_code == 201, resp.text
            nid = httpx.post(urls["notify"] + "/api/v1/notifications", headers=headers, timeout=10, json={
                "category": "general", "subject": "主题党日", "body": "周五下午三点，党员活动室。",
                "link": urls["notify"] + "/docs", "recipients": {"org_id": org["id"]},
                "channels": ["inbox", "webhook"]}).json()["id"]
            status_url = f"{urls['notify']}/api/v1/notifications/{nid}"
            wait_for(lambda: httpx.get(status_url, headers=headers, timeout=5).json()["robots"]["sent"] == 2, 60,
                     interval=0.3, what="both robots' summaries sent")
        finally:
            code = run.stop(60)
    assert code == 0, run.log()[-4000:]
    (wecom,) = robots.bodies["/wecom"]
    (ding,) = robots.bodies["/dingtalk"]  # one summary each for three people, signed
    assert wecom["msgtype"] == "markdown" and wecom["markdown"]["content"].startswith("**主题党日**")
    assert f"({urls['notify']}/docs)" in wecom["markdown"]["content"]
    assert ding["msgtype"] == "markdown" and ding["markdown"]["title"] == "主题党日"
    assert "3 人" in ding["markdown"]["text"]
    assert all("WK" not in line and "DT" not in line for line in run.lines())  # robot keys never logged
