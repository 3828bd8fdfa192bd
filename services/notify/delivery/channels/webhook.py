"""Webhook deliveries: a POST in the endpoint's format (:mod:`.formats`) to each allow-listed endpoint.

Standard endpoints get one signed event per person (:class:`WebhookChannel`); robots one summary per
notification (``delivery.robots``), through the same sender."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Protocol

import httpx

from services.notify.delivery.channels.formats import FORMATS
from services.notify.delivery.channels.interface import Letter, Target
from services.notify.delivery.domain.outcomes import NO_ADDRESS, Outcome, permanent, temporary
from shared.webhooks import UnsafeUrl, check_url

_URL_SECRETS = re.compile(r"(key|access_token|sign|timestamp)=[^&\s'\"]+")


def redacted(text: str) -> str:
    """``text`` with a robot URL's key, token and signature masked (errors are stored and logged)."""
    return _URL_SECRETS.sub(r"\1=***", text)


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
        fmt = FORMATS[target.format]
        post = fmt.post(target, msg_id, payload, datetime.now(UTC))
        try:
            response = self.client.post(post.url, content=post.body, headers=post.headers)
        except httpx.HTTPError as exc:  # the message names no URL: a robot's URL carries its key
            return temporary(redacted(f"{type(exc).__name__}: {exc}"))
        return fmt.outcome(response.status_code, response.content)

    def close(self) -> None:
        self.client.close()


def message_id(letter: Letter) -> str:
    """The same for every attempt of one delivery, so receivers can drop a repeat."""
    return f"msg_n{letter.notification_id}_p{letter.person_id}"


def payload(letter: Letter) -> dict[str, Any]:
    p = letter.person
    person = {"id": letter.person_id, "name": p.name if p else None, "employee_no": p.employee_no if p else None,
              "org_id": p.org_id if p else None}
    return {"type": f"notification.{letter.category}", "timestamp": letter.at.isoformat(),
            "data": {"notification_id": letter.notification_id, "category": letter.category,
                     "subject": letter.subject, "body": letter.body, "link": letter.link, "person": person}}


@dataclass
class WebhookChannel:
    sender: WebhookSender
    name: str = "webhook"
    in_transaction: bool = False

    def unreachable(self, letter: Letter) -> str | None:
        return None if letter.targets else "no_endpoint"

    def send(self, letters: Sequence[Letter]) -> list[Outcome]:
        return [self._send_one(letter) for letter in letters]

    def _send_one(self, letter: Letter) -> Outcome:
        """Every endpoint reaching the person; the first failure if any failed."""
        if not letter.targets:
            return NO_ADDRESS
        results = [self.sender.send(t, message_id(letter), payload(letter)) for t in letter.targets]
        return next((r for r in results if not r.ok), results[0])

    def close(self) -> None:
        close = getattr(self.sender, "close", None)
        if close is not None:
            close()
