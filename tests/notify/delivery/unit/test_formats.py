"""Webhook formats on plain data: the 企业微信 and 钉钉 robot messages, the 钉钉 signature (checked against
a value computed here independently), what a robot's answer means, and the robots' rate."""

import base64
import hashlib
import hmac
import json
from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qs, urlsplit

from services.notify.delivery.channels.formats import FORMATS, MARKDOWN_LIMIT, DingTalk, Standard, WeCom, markdown
from services.notify.delivery.channels.interface import Target
from services.notify.delivery.channels.webhook import redacted
from services.notify.delivery.domain.outcomes import SENT
from services.notify.delivery.domain.rate import free_slots, next_slot
from shared.webhooks import SeenIds, Verifier, new_secret

NOW = datetime(2026, 12, 1, 2, 30, tzinfo=UTC)
EVENT = {"type": "notification.results", "timestamp": NOW.isoformat(),
         "data": {"notification_id": 7, "category": "results", "subject": "三测评结果已发布", "body": "请登录查看。",
                  "link": "https://survey.hzsteel.example/results/7", "recipients": 12}}


def test_wecom_posts_a_markdown_message_with_the_text_and_the_link():
    post = WeCom().post(Target("https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=K1", ""), "m", EVENT, NOW)
    assert post.url.endswith("?key=K1") and "webhook-signature" not in post.headers
    body = json.loads(post.body)
    assert body["msgtype"] == "markdown"
    content = body["markdown"]["content"]
    assert content.startswith("**三测评结果已发布**") and "请登录查看。" in content and "12 人" in content
    assert content.endswith("[查看详情](https://survey.hzsteel.example/results/7)")


def test_dingtalk_signs_the_url_with_timestamp_and_sign_when_a_secret_is_given():
    secret = "SEC0123456789abcdef"
    post = DingTalk().post(Target("https://oapi.dingtalk.com/robot/send?access_token=T1", secret), "m", EVENT, NOW)
    query = parse_qs(urlsplit(post.url).query)  # parse_qs undoes the URL encoding
    assert query["access_token"] == ["T1"]
    timestamp = query["timestamp"][0]
    assert timestamp == str(int(NOW.timestamp()) * 1000)
    expected = base64.b64encode(hmac.digest(secret.encode("utf-8"), f"{timestamp}\n{secret}".encode(),
                                            "sha256")).decode()
    assert query["sign"] == [expected]
    assert "%2B" in post.url or "%2F" in post.url or "%3D" in post.url  # the base64 is URL-encoded
    body = json.loads(post.body)
    assert body["msgtype"] == "markdown" and body["markdown"]["title"] == "三测评结果已发布"
    assert "[查看详情](https://survey.hzsteel.example/results/7)" in body["markdown"]["text"]


def test_a_known_dingtalk_signature():
    """base64(HMAC-SHA256("SECabc", "1700000000000\\nSECabc")): the RFC 2104 construction by hand, and the
    value ``printf '1700000000000\\nSECabc' | openssl dgst -sha256 -hmac SECabc -binary | base64`` gives."""
    secret, ts = "SECabc", 1700000000000
    post = DingTalk().post(Target("https://oapi.dingtalk.com/robot/send?access_token=T", secret), "m", EVENT,
                           datetime.fromtimestamp(ts / 1000, UTC))
    sign = parse_qs(urlsplit(post.url).query)["sign"][0]
    digest = hashlib.sha256
    key = secret.encode().ljust(64, b"\0")
    inner = digest(bytes(b ^ 0x36 for b in key) + f"{ts}\n{secret}".encode()).digest()
    outer = digest(bytes(b ^ 0x5C for b in key) + inner).digest()
    assert sign == base64.b64encode(outer).decode() == "jcUpW0QmtKduN03n4JqQ0PBosVjqnM8gU7fIIvsDmCM="


def test_dingtalk_without_a_secret_leaves_the_url_alone():
    url = "https://oapi.dingtalk.com/robot/send?access_token=T1"
    assert DingTalk().post(Target(url, ""), "m", EVENT, NOW).url == url


def test_standard_stays_a_signed_event():
    secret = new_secret()
    post = Standard().post(Target("https://sys.example/h", secret), "msg_1", EVENT, NOW)
    assert Verifier(secret, SeenIds()).verify(post.body, post.headers)["data"]["subject"] == "三测评结果已发布"


def test_what_a_robot_answer_means():
    robot = WeCom()
    assert robot.outcome(200, b'{"errcode":0,"errmsg":"ok"}') == SENT
    busy = robot.outcome(200, b'{"errcode":45009,"errmsg":"api freq out of limit"}')
    assert (busy.ok, busy.permanent) == (False, False)
    wrong = DingTalk().outcome(200, b'{"errcode":310000,"errmsg":"sign not match"}')
    assert (wrong.permanent, wrong.error) == (True, "robot errcode 310000: sign not match")
    assert DingTalk().outcome(200, b'{"errcode":130101,"errmsg":"send too fast"}').permanent is False
    assert robot.outcome(503, b"").permanent is False and robot.outcome(404, b"").permanent is True


def test_a_long_body_is_cut_to_what_a_robot_takes_and_keeps_the_link():
    event = {**EVENT, "data": {**EVENT["data"], "body": "长" * 10_000}}
    _title, text = markdown(event)
    assert len(text) <= MARKDOWN_LIMIT and text.endswith("(https://survey.hzsteel.example/results/7)")


def test_a_ping_reads_as_a_test_message():
    assert "测试" in markdown({"type": "webhook.ping", "data": {"endpoint_id": 1}})[0]


def test_every_format_is_registered_by_name():
    assert sorted(FORMATS) == ["dingtalk", "standard", "wecom"]
    assert [f.robot for f in (FORMATS["standard"], FORMATS["wecom"], FORMATS["dingtalk"])] == [False, True, True]


def test_a_robot_url_key_token_and_signature_are_masked_in_errors():
    text = "ConnectError: https://x/send?access_token=T1&timestamp=1&sign=abc%2B and ?key=K1"
    assert redacted(text) == "ConnectError: https://x/send?access_token=***&timestamp=***&sign=*** and ?key=***"


def test_the_rate_window_slides():
    sent = [NOW - timedelta(seconds=s) for s in range(0, 40, 2)]  # 20 in the last 40 s
    assert free_slots(sent, NOW) == 0
    assert next_slot(sent, NOW) == NOW - timedelta(seconds=38) + timedelta(minutes=1)
    assert free_slots(sent[:-1], NOW) == 1 and next_slot(sent[:-1], NOW) == NOW
    old = [NOW - timedelta(seconds=61)] * 30
    assert free_slots(old, NOW) == 20 and next_slot(old, NOW) == NOW


def test_a_robot_url_never_reaches_a_log_line():
    from shared.logs import redact

    line = redact(None, "debug", {"event": "HTTP Request: POST https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=K1 "
                                           "and https://oapi.dingtalk.com/robot/send?access_token=T1&timestamp=1&sign=S1"})
    assert not {"K1", "T1", "S1"} & set(str(line).replace("=", " ").replace("&", " ").split())
