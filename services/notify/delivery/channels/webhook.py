"""Webhook deliveries: a signed POST (Standard Webhooks) to an allow-listed URL."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol

import httpx

from services.notify.domain.policy import Outcome, http_outcome, permanent, temporary
from shared.webhooks import UnsafeUrl, body_bytes, check_url, sign


@dataclass(frozen=True)
class Target:
    url: str
    secret: str


class WebhookSender(Protocol):
    def send(self, target: Target, msg_id: str, payload: dict[str, Any]) -> Outcome: ...


class HttpWebhookSender:
    """Checks the URL against the allow-list at every send (DNS may have changed since registration)."""

    def __init__(self, allow: str = "", timeout: float = 5.0) -> None:
        self.allow = allow
        self.client = httpx.Client(timeout=timeout, follow_redirects=False, trust_env=False)

    def send(self, target: Target, msg_id: str, payload: dict[str, Any]) -> Outcome:
        try:
            check_url(target.url, self.allow)
        except UnsafeUrl as exc:
            return permanent(f"url refused: {exc.reason}")
        body = body_bytes(payload)
        try:
            response = self.client.post(target.url, content=body, headers=sign(target.secret, msg_id, body))
        except httpx.HTTPError as exc:
            return temporary(f"{type(exc).__name__}: {exc}")
        return http_outcome(response.status_code)

    def close(self) -> None:
        self.client.close()
