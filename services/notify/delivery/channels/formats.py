"""Webhook formats: how one event becomes one HTTP request to an endpoint, and what its answer means.

``standard`` signs a JSON event the Standard Webhooks way (a group system verifies it).  ``wecom`` and
``dingtalk`` post a group-robot message (``msgtype: markdown``, the text and an absolute link) that
企业微信 / 钉钉 show in a chat; a 钉钉 robot with a secret also wants ``timestamp`` and ``sign`` on the
URL.  Robots answer HTTP 200 with ``errcode``: 0 is delivered, a rate-limit code is worth another try,
anything else will not change.  A new carrier (an SMS gateway, 短信) is one more class in :data:`FORMATS`.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol
from urllib.parse import quote_plus

from services.notify.delivery.channels.interface import Target
from services.notify.delivery.domain.outcomes import SENT, Outcome, http_outcome, permanent, temporary
from shared.webhooks import body_bytes, sign

MARKDOWN_LIMIT = 4000  # characters; WeCom takes 4096 bytes of markdown, DingTalk about 5000 characters
JSON_HEADERS = {"content-type": "application/json; charset=utf-8"}


@dataclass(frozen=True)
class Post:
    """One HTTP request: where, with which headers, which bytes."""

    url: str
    headers: dict[str, str]
    body: bytes


class WebhookFormat(Protocol):
    name: str
    robot: bool  # True: one summary per notification to a chat; False: one event per person

    def post(self, target: Target, msg_id: str, event: dict[str, Any], now: datetime) -> Post:
        """The request carrying ``event`` (``{type, timestamp, data}``) to ``target``."""
        ...

    def outcome(self, status: int, body: bytes) -> Outcome:
        """What the endpoint's answer means."""
        ...


@dataclass(frozen=True)
class Standard:
    name: str = "standard"
    robot: bool = False

    def post(self, target: Target, msg_id: str, event: dict[str, Any], now: datetime) -> Post:
        body = body_bytes(event)
        return Post(target.url, sign(target.secret, msg_id, body), body)

    def outcome(self, status: int, body: bytes) -> Outcome:
        return http_outcome(status)


def markdown(event: dict[str, Any]) -> tuple[str, str]:
    """``(title, text)`` of an event as a robot shows it: the subject in bold, the body, the link."""
    data = event.get("data") or {}
    if event.get("type") == "webhook.ping":
        title = "先锋通知 · 测试消息"
        return title, f"**{title}**\n\n机器人已接通。"
    title = str(data.get("subject") or "")
    parts = [f"**{title}**"]
    if data.get("body"):
        parts.append(str(data["body"]))
    if data.get("recipients"):
        parts.append(f"> 共 {data['recipients']} 人收到此通知")
    link = data.get("link")
    text = "\n\n".join(parts)
    tail = f"\n\n[查看详情]({link})" if link else ""
    if len(text) + len(tail) > MARKDOWN_LIMIT:
        text = text[:MARKDOWN_LIMIT - len(tail) - 1] + "…"
    return title, text + tail


def robot_outcome(status: int, body: bytes, retry_codes: frozenset[int]) -> Outcome:
    """HTTP first; then the robot's ``errcode`` (0: delivered)."""
    outcome = http_outcome(status)
    if not outcome.ok:
        return outcome
    try:
        answer = json.loads(body or b"{}")
    except ValueError:
        return temporary("robot answer: not json")
    code = answer.get("errcode", 0) if isinstance(answer, dict) else 0
    if code == 0:
        return SENT
    text = f"robot errcode {code}: {str(answer.get('errmsg', ''))[:200]}"
    return temporary(text) if code in retry_codes else permanent(text)


@dataclass(frozen=True)
class WeCom:
    """企业微信 group robot: the key is in the URL; no signature."""

    name: str = "wecom"
    robot: bool = True
    retry_codes: frozenset[int] = frozenset({-1, 45009})  # system busy; over the rate

    def post(self, target: Target, msg_id: str, event: dict[str, Any], now: datetime) -> Post:
        _title, text = markdown(event)
        return Post(target.url, dict(JSON_HEADERS), body_bytes({"msgtype": "markdown", "markdown": {"content": text}}))

    def outcome(self, status: int, body: bytes) -> Outcome:
        return robot_outcome(status, body, self.retry_codes)


def dingtalk_sign(secret: str, timestamp_ms: int) -> str:
    """base64(HMAC-SHA256(secret, "timestamp\\nsecret")), as 钉钉 checks it (before URL encoding)."""
    digest = hmac.new(secret.encode(), f"{timestamp_ms}\n{secret}".encode(), hashlib.sha256).digest()
    return base64.b64encode(digest).decode()


@dataclass(frozen=True)
class DingTalk:
    """钉钉 custom robot: with a secret, the URL carries ``timestamp`` (ms) and ``sign``."""

    name: str = "dingtalk"
    robot: bool = True
    retry_codes: frozenset[int] = frozenset({-1, 130101, 410100})  # busy; sending too fast

    def post(self, target: Target, msg_id: str, event: dict[str, Any], now: datetime) -> Post:
        title, text = markdown(event)
        url = target.url
        if target.secret:
            ts = int(now.timestamp() * 1000)
            url += ("&" if "?" in url else "?") + f"timestamp={ts}&sign={quote_plus(dingtalk_sign(target.secret, ts))}"
        body = body_bytes({"msgtype": "markdown", "markdown": {"title": title or "通知", "text": text}})
        return Post(url, dict(JSON_HEADERS), body)

    def outcome(self, status: int, body: bytes) -> Outcome:
        return robot_outcome(status, body, self.retry_codes)


FORMATS: dict[str, WebhookFormat] = {f.name: f for f in (Standard(), WeCom(), DingTalk())}
FORMAT_NAMES = tuple(FORMATS)
ROBOT_FORMATS = tuple(name for name, f in FORMATS.items() if f.robot)
