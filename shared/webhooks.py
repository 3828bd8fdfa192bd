"""Signed webhooks the Standard Webhooks way, and the URL check that keeps them off internal hosts.

Senders call :func:`sign` (headers ``webhook-id``, ``webhook-timestamp``, ``webhook-signature``,
HMAC-SHA256 through the ``standardwebhooks`` package).  Receivers — the group systems, and our
tests — use :class:`Verifier`: it rejects a tampered body, a wrong signature, a timestamp more than
five minutes away and a message id it has already accepted (a replay).

:func:`check_url` refuses loopback, private, link-local, reserved and unresolvable addresses unless
the host or address is allow-listed by ``XIANFENG_WEBHOOK_ALLOW`` (comma-separated host names,
addresses or CIDR networks).
"""

from __future__ import annotations

import base64
import ipaddress
import json
import secrets
import socket
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

from standardwebhooks import Webhook
from standardwebhooks.webhooks import WebhookVerificationError

TOLERANCE_SECONDS = 5 * 60
SECRET_PREFIX = "whsec_"


class WebhookRejected(Exception):
    """A delivery that a receiver must refuse; ``reason`` is a short machine key."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class UnsafeUrl(ValueError):
    """A webhook URL that points at an address we must not call."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def new_secret() -> str:
    """A fresh signing secret, ``whsec_`` + base64 of 32 random bytes."""
    return SECRET_PREFIX + base64.b64encode(secrets.token_bytes(32)).decode()


def body_bytes(payload: Mapping[str, Any]) -> bytes:
    """The exact bytes we sign and send (UTF-8, Chinese kept as is)."""
    return json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode()


def sign(secret: str, msg_id: str, body: bytes | str, timestamp: datetime | None = None) -> dict[str, str]:
    """The Standard Webhooks headers for one message."""
    when = (timestamp or datetime.now(UTC)).astimezone(UTC)
    data = body.decode() if isinstance(body, bytes) else body
    return {
        "webhook-id": msg_id,
        "webhook-timestamp": str(int(when.timestamp())),
        "webhook-signature": Webhook(secret).sign(msg_id, when, data),
        "content-type": "application/json; charset=utf-8",
    }


class SeenIds:
    """Message ids accepted within the tolerance window (in memory, thread-safe)."""

    def __init__(self, ttl: float = 2 * TOLERANCE_SECONDS, clock: Callable[[], float] = time.monotonic) -> None:
        self.ttl, self.clock = ttl, clock
        self._seen: dict[str, float] = {}
        self._lock = threading.Lock()

    def first_time(self, msg_id: str) -> bool:
        """Record ``msg_id``; False when it was already recorded (a replay)."""
        now = self.clock()
        with self._lock:
            self._seen = {k: t for k, t in self._seen.items() if t > now}
            if msg_id in self._seen:
                return False
            self._seen[msg_id] = now + self.ttl
            return True


@dataclass
class Verifier:
    """What a receiver runs on every delivery: signature, age, then replay."""

    secret: str
    seen: SeenIds

    def verify(self, body: bytes | str, headers: Mapping[str, str]) -> Any:
        try:
            payload = Webhook(self.secret).verify(body, dict(headers))
        except WebhookVerificationError as exc:
            raise WebhookRejected(_reason(str(exc))) from exc
        except (ValueError, TypeError) as exc:  # malformed signature header or body
            raise WebhookRejected("malformed") from exc
        msg_id = {k.lower(): v for k, v in headers.items()}["webhook-id"]
        if not self.seen.first_time(msg_id):
            raise WebhookRejected("replayed")
        return payload


def _reason(message: str) -> str:
    lowered = message.lower()
    if "too old" in lowered:
        return "too_old"
    if "too new" in lowered:
        return "too_new"
    if "missing" in lowered:
        return "missing_headers"
    return "bad_signature"


# ---- the allow-list against SSRF ---------------------------------------------------------------

Resolver = Callable[[str, int], list[str]]


def resolve(host: str, port: int) -> list[str]:
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return sorted({info[4][0] for info in infos})


@dataclass(frozen=True)
class AllowList:
    hosts: frozenset[str]
    networks: tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...]

    @classmethod
    def parse(cls, raw: str) -> AllowList:
        hosts, networks = set(), []
        for entry in (e.strip() for e in raw.split(",")):
            if not entry:
                continue
            try:
                networks.append(ipaddress.ip_network(entry, strict=False))
            except ValueError:
                hosts.add(entry.lower().rstrip("."))
        return cls(frozenset(hosts), tuple(networks))

    def allows_host(self, host: str) -> bool:
        return host.lower().rstrip(".") in self.hosts

    def allows_address(self, address: str) -> bool:
        ip = ipaddress.ip_address(address)
        return any(ip in net for net in self.networks)


def _public(address: str) -> bool:
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    return ip.is_global and not ip.is_multicast


def check_url(url: str, allow: str = "", resolver: Resolver = resolve) -> list[str]:
    """The addresses ``url`` resolves to; :class:`UnsafeUrl` unless every one may be called."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise UnsafeUrl("scheme")
    if parts.username or parts.password:
        raise UnsafeUrl("credentials")
    allowed = AllowList.parse(allow)
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
        addresses = resolver(parts.hostname, port)
    except (OSError, UnicodeError, ValueError) as exc:
        raise UnsafeUrl("unresolvable") from exc
    if not addresses:
        raise UnsafeUrl("unresolvable")
    if allowed.allows_host(parts.hostname):
        return addresses
    for address in addresses:
        if not (_public(address) or allowed.allows_address(address)):
            raise UnsafeUrl("internal_address")
    return addresses
